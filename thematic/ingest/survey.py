"""Survey exports (.csv, .xlsx): free-text answers as documents.

Columns: an **id** column (``ReadOptions.id_column``, else the first column named like an
id: ``id``, ``respondent_id``, ``participant_id``, ``ResponseId`` ..., else the first
column whose values are all present and different); **text** columns
(``ReadOptions.text_columns``, else the columns that are not numbers or dates and whose
answers average more than 40 characters); every other column becomes
``Document.speaker_attributes[respondent id]``, typed (numbers, ISO dates, text).
Qualtrics exports (question texts on the second row, import ids on the third) are
recognised: the question texts label the answers.

Layouts (``ReadOptions.survey_layout``): ``"respondent"`` gives one document per
respondent, one turn per answered question, text ``Question:\\nanswer`` blocks separated
by a blank line; ``"question"`` gives one document per text column, one turn per
respondent, text ``respondent id:\\nanswer`` blocks. Turns cover the answer; the speaker is
the respondent id. Blank and "n/a" answers are skipped. A label ending in ``?``, ``:``,
``.`` or ``!`` gets no extra colon.
"""

from __future__ import annotations

import logging
from typing import Any

from thematic.errors import IngestError, NoTextColumnsError
from thematic.ingest.registry import Source, register_reader
from thematic.ingest.roles import PARTICIPANT
from thematic.ingest.tables import (
    Table,
    cell_str,
    coerce,
    duplicates,
    find_column,
    infer_type,
    is_blank,
    known_id_column,
    load_table,
    unique_column,
)
from thematic.ingest.text import empty_error
from thematic.models import Document, Turn

logger = logging.getLogger(__name__)
MIN_TEXT_MEAN_LENGTH = 40


def _id_column(table: Table, source: Source) -> str:
    if source.options.id_column:
        return find_column(table, source.options.id_column, source=source, what="id")
    column = known_id_column(table) or unique_column(table)
    if column is None:
        raise IngestError(
            "could not find a respondent id column (no column named like 'id' and no column "
            "with a different value on every row); the columns are: "
            + ", ".join(repr(c) for c in table.columns),
            path=source.path,
            hint="Name it with --id-column NAME (in Python: id_column=...).",
        )
    return column


def _text_columns(table: Table, source: Source, id_col: str) -> list[str]:
    if source.options.text_columns:
        return [
            find_column(table, name, source=source, what="text")
            for name in source.options.text_columns
        ]
    columns = []
    for i, column in enumerate(table.columns):
        if column == id_col:
            continue
        values = [v for v in (r[i] for r in table.rows) if not is_blank(v)]
        if not values or infer_type(values) in ("number", "date"):
            continue
        mean = sum(len(cell_str(v)) for v in values) / len(values)
        if mean > MIN_TEXT_MEAN_LENGTH:
            columns.append(column)
    if not columns:
        raise NoTextColumnsError(
            f"found no free-text columns (none averages more than {MIN_TEXT_MEAN_LENGTH} "
            "characters per answer); the columns are: " + ", ".join(repr(c) for c in table.columns),
            path=source.path,
            hint="Name them with --text-column NAME, repeated (in Python: text_columns=[...]).",
        )
    return columns


def _heading(label: str) -> str:
    return label if label.endswith(("?", ":", ".", "!")) else label + ":"


def _build(blocks: list[tuple[str, str, str]]) -> tuple[str, list[Turn]]:
    """Render ``(heading, answer, speaker)`` blocks; return the text and answer turns."""
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for heading, answer, speaker in blocks:
        head = _heading(heading) + "\n"
        turns.append(Turn(pos + len(head), pos + len(head) + len(answer), speaker, role=PARTICIPANT))
        parts.append(head + answer)
        pos += len(head) + len(answer) + 2
    return "\n\n".join(parts), turns


#: A document's ``(label, answer, respondent)`` blocks.
Blocks = list[tuple[str, str, str]]


def _check_ids(ids: list[str], table: Table, id_col: str, source: Source) -> None:
    """Every row has a respondent id and no id repeats."""
    for rid, line in zip(ids, table.lines):
        if not rid:
            raise IngestError(
                f"a row has no respondent id (column {id_col!r})",
                path=source.path,
                line=line,
                hint="Fill in the id or delete the row.",
            )
    dups = duplicates(ids, table.lines)
    if dups:
        listed = "; ".join(f"{k!r} on lines {', '.join(map(str, v))}" for k, v in dups.items())
        raise IngestError(
            f"respondent ids repeat: {listed}",
            path=source.path,
            hint="Give each respondent one row, or name the right column with "
            "--id-column NAME (in Python: id_column=...).",
        )


def _attributes(table: Table, source: Source, ids: list[str],
                attr_cols: list[str]) -> dict[str, dict[str, Any]]:
    """Every respondent's values of the other columns, typed by inference."""
    index = {c: i for i, c in enumerate(table.columns)}
    na = source.options.na_values
    types = {c: infer_type([r[index[c]] for r in table.rows], na_values=na) for c in attr_cols}
    return {
        rid: {c: coerce(row[index[c]], types[c], na_values=na) for c in attr_cols}
        for rid, row in zip(ids, table.rows)
    }


def _document(source: Source, name: str, blocks: Blocks, metadata: dict[str, Any],
              attributes: dict[str, dict[str, Any]]) -> Document:
    """One document of ``(label, answer, respondent)`` blocks, with its respondents' attributes."""
    text, turns = _build(blocks)
    speakers = [b[2] for b in blocks]
    return Document(
        name=name,
        text=text,
        turns=turns,
        format=source.path.suffix.lower()[1:],
        sha256=source.sha256,
        source_path=str(source.path),
        metadata=metadata,
        speaker_attributes={s: attributes[s] for s in dict.fromkeys(speakers)},
    )


def _documents_of_layout(source: Source, table: Table, ids: list[str],
                         text_cols: list[str]) -> list[tuple[str, Blocks, dict[str, Any]]]:
    """``(name, (label, answer, respondent) blocks, metadata)`` of every document: one per
    respondent (their answers, labelled by question) or one per question (its answers,
    labelled by respondent), as ``survey_layout`` says."""
    index = {c: i for i, c in enumerate(table.columns)}

    def answer(row: list[Any], column: str) -> str | None:
        value = row[index[column]]
        return None if is_blank(value) else cell_str(value)

    out: list[tuple[str, Blocks, dict[str, Any]]] = []
    if source.options.survey_layout == "respondent":
        for rid, row, line in zip(ids, table.rows, table.lines):
            answered = [(c, a) for c in text_cols if (a := answer(row, c)) is not None]
            if not answered:
                logger.info("%s: respondent %s answered no text question", source.path, rid)
                continue
            blocks = [(table.labels.get(c, c), a, rid) for c, a in answered]
            meta = {"respondent": rid, "line": line, "questions": [c for c, _ in answered]}
            out.append((f"{source.name}:{rid}", blocks, meta))
        return out
    for column in text_cols:
        blocks = [(rid, a, rid) for rid, row in zip(ids, table.rows) if (a := answer(row, column)) is not None]
        if blocks:
            meta = {"question": column, "label": table.labels.get(column, column)}
            out.append((f"{source.name}:{column}", blocks, meta))
    return out


@register_reader(".csv", ".xlsx")
def read_survey(source: Source) -> list[Document]:
    """Read a survey export into documents of free-text answers.

    Parameters
    ----------
    source
        The file, its bytes and the read options (``id_column``, ``text_columns``,
        ``survey_layout``, ``encoding``).

    Returns
    -------
    list[Document]
        One document per respondent or per question (see the module docstring).

    Raises
    ------
    IngestError
        A named column does not exist (the message lists the columns), no id or text
        column can be found, or respondent ids repeat.
    EmptyDocumentError
        No data rows, or no answer in any text column.
    """
    table = load_table(source)
    id_col = _id_column(table, source)
    text_cols = _text_columns(table, source, id_col)
    index = {c: i for i, c in enumerate(table.columns)}
    ids = [cell_str(r[index[id_col]]) for r in table.rows]
    _check_ids(ids, table, id_col, source)
    attributes = _attributes(table, source, ids, [c for c in table.columns
                                                  if c != id_col and c not in text_cols])
    base: dict[str, Any] = {"layout": source.options.survey_layout, "id_column": id_col}
    if table.encoding:
        base["encoding"] = table.encoding
    docs = [_document(source, name, blocks, {**base, **meta}, attributes)
            for name, blocks, meta in _documents_of_layout(source, table, ids, text_cols)]
    if not docs:
        raise empty_error(source, "no answers in its text columns " + ", ".join(text_cols))
    return docs
