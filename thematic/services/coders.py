"""A second coder's work brought into the project: a file of quoted codings, one transaction.

The file is the gold format of ``transcripts_sample/gold/`` (CSV, UTF-8): ``document``,
``code``, ``quote`` (the coded text exactly as stored), optional ``occurrence`` (1-based, when
the quote occurs more than once) and ``note``. Every row is checked first and every problem
reported at once with its row number; then all codings are added as ``coder``'s manual,
accepted codings in one audited unit of work (one ``thematic undo`` takes them all back).

:func:`coder_codings` is the other direction: the codings one coder (a person or an engine)
stands behind, for agreement.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from thematic.errors import NotFoundError, ParameterError, Problem, ReviewError
from thematic.services.reads import ProjectReads
from thematic.services.review import locate_quote
from thematic.store import ProjectStore, check_actor

__all__ = ["coder_codings", "import_coder_codings"]

REQUIRED = ("document", "code", "quote")


def import_coder_codings(store: ProjectStore, path: str | Path, *, actor: str,
                         coder: str | None = None) -> int:
    """Add the codings of a quoted-codings file as ``coder``'s; returns how many.

    ``coder`` is the person who coded the file (default: ``actor``, the person importing it,
    who is recorded in the history).

    Raises
    ------
    ParameterError
        No actor, a missing column, or any row whose document, code or quote is not found
        (all of them listed, with row numbers); nothing is written then.
    """
    coder = str(coder or check_actor(actor, "import codings")).strip()
    path = Path(path)
    rows = _placed_rows(store, path, _read_codings_file(path))
    settings = store.settings()
    final = settings.review_mode != "independent"  # blind review: the coder's own codings
    with store.unit(actor, "import codings") as uow:
        for document_id, code, start, end in rows:
            segment = store.documents.segment_for_span(uow, document_id, start, end,
                                                       settings.unit)
            cid = store.codings.add_manual(uow, document_id=document_id, code=code, start=start,
                                           end=end, coder=coder, segment_id=segment, final=final)
            store.decisions.record_manual(uow, cid, coder, final=final)
    return len(rows)


def _read_codings_file(path: Path) -> pd.DataFrame:
    """The file's rows as text, with the columns :data:`REQUIRED`."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ParameterError(f"cannot read the codings file: {exc}", path=path) from exc
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ParameterError(f"the codings file must have the columns {list(REQUIRED)} "
                             f"(missing {missing}). Got {list(frame.columns)} instead.",
                             path=path)
    return frame


def _placed_rows(store: ProjectStore, path: Path, frame: pd.DataFrame) -> list[tuple[int, str, int, int]]:
    """``(document id, code, start, end)`` of every row; an error listing every row whose
    document, code or quote is not found."""
    texts: dict[str, tuple[int, str] | None] = {}
    rows: list[tuple[int, str, int, int]] = []
    problems: list[Problem] = []
    for number, row in enumerate(frame.to_dict("records"), start=2):
        name, code = row["document"].strip(), row["code"].strip()
        if name not in texts:
            try:
                doc = store.documents.get(name)
                texts[name] = (doc.id, doc.text)
            except NotFoundError:
                texts[name] = None
        if texts[name] is None:
            problems.append(Problem(f"document {name!r} is not in the project", path=str(path),
                                    line=number))
            continue
        if not store.codebook.has_code(code):
            problems.append(Problem(f"code {code!r} is not in the codebook", path=str(path),
                                    line=number))
            continue
        occurrence = row.get("occurrence", "").strip()
        try:
            start, end = locate_quote(texts[name][1], row["quote"],  # type: ignore[index]
                                      occurrence=int(float(occurrence)) if occurrence else None)
        except (ReviewError, ValueError) as exc:
            problems.append(Problem(str(exc), path=str(path), line=number))
            continue
        rows.append((texts[name][0], code, start, end))  # type: ignore[index]
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ParameterError(f"{len(problems)} row(s) of the codings file cannot be imported: "
                             f"{shown}{more}. Nothing was imported.")
    return rows



def coder_codings(reads: ProjectReads, coder: str) -> pd.DataFrame:
    """The codings one coder stands behind, for agreement.

    A person's codings are those they made by hand (``source`` manual or import with
    ``coder`` them) and the suggestions they accepted (their own decisions); an engine
    (``"engine:rule"``, or just its source name, ``"rule"`` or ``"rules"``) has every
    coding it suggested, whatever was decided. In independent review a person's codings are
    only their own decisions (the consensus is nobody's), so agreement between coders is the
    same before and after the consensus step.
    """
    codings = reads.codings()
    engine = coder.removeprefix("engine:")
    sources = set(codings["source"].dropna()) - {"manual", "import"}
    source = next((s for s in (engine, engine.removesuffix("s")) if s in sources), None)
    if source is not None:
        return codings[codings["source"] == source].assign(coder=coder)
    if reads.settings().review_mode == "independent":
        # blind review: a coder's codings are their own decisions, never the consensus
        frame = reads.decisions(coder=coder)
        frame = frame[~frame["final"].astype(bool) & (frame["status"] == "accepted")]
        return codings[codings["coding_id"].isin(set(frame["coding_id"]))].assign(coder=coder)
    own = codings[(codings["coder"] == coder) & codings["source"].isin(["manual", "import"])
                  & (codings["status"] == "accepted")]
    decided = codings[(codings["decided_by"] == coder) & (codings["status"] == "accepted")]
    frame = reads.decisions(coder=coder)
    ids = set(frame.loc[frame["status"] == "accepted", "coding_id"])
    decided = pd.concat([decided, codings[codings["coding_id"].isin(ids)]])
    both = pd.concat([own, decided]).drop_duplicates("coding_id")
    return both.assign(coder=coder)
