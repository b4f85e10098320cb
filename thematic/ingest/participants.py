"""Participants files (.csv, .xlsx): one row per person, typed attributes.

The id column is ``id_column`` if given, else the first column named like an id
(``id``, ``participant_id``, ``participant``, ``pid``, ...); without one the file is refused
(a ``name`` column is never taken for the id, since names repeat and change). A
``name`` column (any case) fills :attr:`ParticipantTable.names`. Every other column is an
attribute whose type is inferred (``number``; ``date`` for ISO-like dates; ``category``
for few distinct values; else ``text``) unless ``types=`` says otherwise. Values are kept as
typed: ``NA``, ``N/A``, ``null``, ``None`` are values except in a number or date column, or
when ``ReadOptions(na_values=...)`` names them; only empty cells are always missing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from thematic.errors import ParticipantsError
from thematic.ingest.registry import ReadOptions, Source, check_size
from thematic.ingest.tables import (
    TYPES,
    Table,
    cell_str,
    coerce,
    duplicates,
    find_column,
    infer_type,
    known_id_column,
    load_table,
)

logger = logging.getLogger(__name__)


@dataclass
class ParticipantTable:
    """Participants read from a file.

    Attributes
    ----------
    ids
        Participant ids in file order.
    attributes
        ``id -> {column: value}``; values are int/float (number), ISO strings (date) or
        str (category, text); None where blank.
    types
        ``column -> "number" | "date" | "category" | "text"``.
    names
        ``id -> name`` from a ``name`` column, if there is one.
    """

    ids: list[str]
    attributes: dict[str, dict[str, object]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def read_participants(
    path: str | Path,
    *,
    id_column: str | None = None,
    types: dict[str, str] | None = None,
    options: ReadOptions | None = None,
) -> ParticipantTable:
    """Read a participants (REFI "cases") file.

    Parameters
    ----------
    path
        A .csv or .xlsx file, one row per participant, a header row first.
    id_column
        The column holding participant ids (default: detected).
    types
        Attribute types that override inference, e.g. ``{"age": "number"}``.
    options
        Size limits and encoding (defaults as in :class:`ReadOptions`).

    Returns
    -------
    ParticipantTable

    Raises
    ------
    ParticipantsError
        Duplicate or blank ids (with their line numbers), a missing id or typed column
        (listing the columns), an unknown type, or a value that is not of its given type.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = p.write_text("id,name,age,site\\nP01,Ana,34,North\\nP02,Ben,41,North\\n")
    >>> table = read_participants(p)
    >>> table.ids, table.names["P02"], table.attributes["P01"]["age"], table.types["age"]
    (['P01', 'P02'], 'Ben', 34, 'number')
    """
    path = Path(path)
    options = options or ReadOptions()
    source, table = _load(path, options)
    id_col = _id_column(table, source, id_column)
    index = {c: i for i, c in enumerate(table.columns)}
    ids = [cell_str(r[index[id_col]]) for r in table.rows]
    _check_ids(ids, table, id_col, path)
    name_col = next((c for c in table.columns if c != id_col and c.lower() == "name"), None)
    attr_cols = [c for c in table.columns if c not in (id_col, name_col)]
    col_types = _column_types(table, source, attr_cols, types or {})
    attributes = _attributes(table, source, ids, attr_cols, col_types)
    names = {}
    if name_col is not None:
        names = {rid: cell_str(r[index[name_col]]) for rid, r in zip(ids, table.rows)}
        names = {k: v for k, v in names.items() if v}
    return ParticipantTable(ids, attributes, {c: col_types[c] for c in attr_cols}, names)


def _load(path: Path, options: ReadOptions) -> tuple[Source, Table]:
    """The file's bytes (a .csv or .xlsx within the size limits) and its table."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ParticipantsError(
            f"a participants file must be .csv or .xlsx, not {path.suffix or 'without suffix'}",
            path=path,
            hint="Export the table as CSV or Excel.",
        )
    try:
        check_size(path, path.stat().st_size, options)
        data = path.read_bytes()
    except OSError as e:
        raise ParticipantsError(f"cannot read the file ({e.strerror})", path=path) from e
    source = Source(path, data, hashlib.sha256(data).hexdigest(), options)
    return source, load_table(source)


def _id_column(table: Table, source: Source, id_column: str | None) -> str:
    """The column ``id_column`` names, else the first column named like an id."""
    if id_column:
        return find_column(table, id_column, source=source, what="id", error=ParticipantsError)
    found = known_id_column(table)
    if found is None:
        raise ParticipantsError(
            "the participants file has no id column; columns found: "
            + (", ".join(repr(c) for c in table.columns) or "none"),
            path=source.path,
            line=1,
            hint="Add a column 'participant_id' (or 'id') holding each person's id, as "
            "used in the transcripts (P01, ...).",
        )
    logger.debug("%s: id column %r", source.path, found)
    return found


def _check_ids(ids: list[str], table: Table, id_col: str, path: Path) -> None:
    """Every row has an id and no id repeats (else the lines of the offenders)."""
    blank = [line for rid, line in zip(ids, table.lines) if not rid]
    if blank:
        raise ParticipantsError(
            f"rows without a participant id (column {id_col!r}) on lines "
            + ", ".join(map(str, blank)),
            path=path,
            line=blank[0],
            hint="Fill in the ids or delete those rows.",
        )
    dups = duplicates(ids, table.lines)
    if dups:
        listed = "; ".join(f"{k!r} on lines {', '.join(map(str, v))}" for k, v in dups.items())
        raise ParticipantsError(
            f"participant ids repeat: {listed}",
            path=path,
            line=next(iter(dups.values()))[0],
            hint="Give each participant exactly one row.",
        )


def _column_types(table: Table, source: Source, attr_cols: list[str],
                  types: dict[str, str]) -> dict[str, str]:
    """The type of every attribute column: inferred, unless ``types`` gives it."""
    index = {c: i for i, c in enumerate(table.columns)}
    na = source.options.na_values
    col_types = {c: infer_type([r[index[c]] for r in table.rows], na_values=na) for c in attr_cols}
    for given, kind in types.items():
        column = find_column(table, given, source=source, what="typed", error=ParticipantsError)
        if kind not in TYPES:
            raise ParticipantsError(
                f"type of {given!r} must be one of {', '.join(TYPES)}. Got {kind!r} instead.",
                path=source.path,
            )
        col_types[column] = kind
    return col_types


def _attributes(table: Table, source: Source, ids: list[str], attr_cols: list[str],
                col_types: dict[str, str]) -> dict[str, dict[str, object]]:
    """Every participant's attribute values, typed (a value not of its type is an error)."""
    index = {c: i for i, c in enumerate(table.columns)}
    na = source.options.na_values
    attributes: dict[str, dict[str, object]] = {}
    for rid, row, line in zip(ids, table.rows, table.lines):
        values: dict[str, object] = {}
        for column in attr_cols:
            try:
                values[column] = coerce(row[index[column]], col_types[column], na_values=na)
            except ValueError as e:
                raise ParticipantsError(
                    f"column {column!r}: {e}",
                    path=source.path,
                    line=line,
                    hint=f"Correct the value or read {column!r} as text (types=...).",
                ) from e
        attributes[rid] = values
    return attributes


__all__ = ["ParticipantTable", "read_participants"]
