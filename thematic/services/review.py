"""Review operations: a person decides on suggestions and reshapes the codebook.

Each function is one audited transaction (DESIGN invariant 4) and can be undone with
:func:`undo`. Only these functions move a coding out of ``suggested``, and each needs the
name of the person deciding (``coder``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from thematic.errors import NotFoundError, ReviewError
from thematic.models import Code
from thematic.store.orm import utcnow

DECISIONS = ("accepted", "rejected", "suggested")


def _need_coder(coder: str | None) -> str:
    if not coder or not str(coder).strip():
        raise ReviewError("a decision needs the name of the person making it",
                          hint="Pass coder='your name' (CLI: --coder NAME).")
    return str(coder).strip()


def decide(store, coding_ids: Sequence[int], status: str, *, coder: str,  # noqa: ANN001
           expected_versions: Mapping[int, int] | None = None) -> int:
    """Set ``status`` ("accepted", "rejected", or back to "suggested") on codings.

    ``expected_versions`` (coding id -> version read) makes the decision fail with
    ConflictError when someone else changed the coding in between.
    """
    coder = _need_coder(coder)
    if status not in DECISIONS:
        raise ReviewError(f"status must be one of {', '.join(DECISIONS)}. Got {status!r} instead.")
    changed = 0
    with store.unit(coder, f"{status.removesuffix('ed')}") as uow:
        for cid in coding_ids:
            expected = (expected_versions or {}).get(cid)
            row = store.coding_row(uow.session, int(cid), expected)
            if row.status == status:
                continue
            decided = status != "suggested"
            uow.update(row, status=status, decided_by=coder if decided else None,
                       decided_at=utcnow() if decided else None)
            changed += 1
    return changed


def accept(store, coding_ids: Sequence[int], *, coder: str, **kw) -> int:  # noqa: ANN001
    return decide(store, coding_ids, "accepted", coder=coder, **kw)


def reject(store, coding_ids: Sequence[int], *, coder: str, **kw) -> int:  # noqa: ANN001
    return decide(store, coding_ids, "rejected", coder=coder, **kw)


def bulk_decide(store, status: str, *, coder: str, code: str | None = None,  # noqa: ANN001
                source: str | None = None, min_confidence: float | None = None,
                max_confidence: float | None = None, document_id: int | None = None) -> int:
    """Decide every *suggested* coding matching the filter (code, engine, confidence range)."""
    ids = store.coding_ids(code=code, source=source, status="suggested",
                           min_confidence=min_confidence, max_confidence=max_confidence,
                           document_id=document_id)
    return decide(store, ids, status, coder=coder) if ids else 0


def _check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise ReviewError(f"span [{start}, {end}) is outside the document (0-{len(text)})",
                          hint="Offsets count characters of the stored text from 0.")


def locate_quote(text: str, quote: str, *, occurrence: int | None = None) -> tuple[int, int]:
    """Exact offsets of ``quote`` in ``text``; ambiguous quotes need ``occurrence`` (1-based)."""
    if not quote:
        raise ReviewError("the quote is empty")
    hits, pos = [], text.find(quote)
    while pos != -1:
        hits.append(pos)
        pos = text.find(quote, pos + 1)
    if not hits:
        raise ReviewError(f"the quoted text is not in the document: {quote[:60]!r}",
                          hint="Quote the text exactly as the transcript has it.")
    if len(hits) > 1 and occurrence is None:
        raise ReviewError(f"the quoted text occurs {len(hits)} times",
                          hint="Quote more of it, or give occurrence=N (CLI: --occurrence N).")
    index = (occurrence or 1) - 1
    if not 0 <= index < len(hits):
        raise ReviewError(f"occurrence must be 1-{len(hits)}. Got {occurrence} instead.")
    return hits[index], hits[index] + len(quote)


def code_span(store, document: int | str, code: str, *, coder: str,  # noqa: ANN001
              start: int | None = None, end: int | None = None, quote: str | None = None,
              occurrence: int | None = None) -> int:
    """Code a span by hand (by offsets or by quoting its text). Returns the coding id."""
    from thematic.store.orm import CodingRow

    coder = _need_coder(coder)
    doc = store.document(document)
    if quote is not None:
        start, end = locate_quote(doc.text, quote, occurrence=occurrence)
    if start is None or end is None:
        raise ReviewError("give start and end offsets, or a quote")
    _check_span(doc.text, start, end)
    unit = store.settings().get("unit", "sentence")
    with store.unit(coder, "code") as uow:
        code_row = store.code_row(uow.session, code)
        now = utcnow()
        row = uow.add(CodingRow(
            project_id=store.project_id, document_id=doc.id, code_id=code_row.id,
            segment_id=store.segment_for_span(uow.session, doc.id, start, end, unit),
            start=start, end=end, source="manual", status="accepted", confidence=1.0,
            evidence={}, coder=coder, decided_by=coder, decided_at=now, created_at=now,
        ))
        return row.id


def edit_span(store, coding_id: int, start: int, end: int, *, coder: str) -> None:  # noqa: ANN001
    """Change a coding's span; the coding is then decided (accepted) by ``coder``."""
    coder = _need_coder(coder)
    with store.unit(coder, "edit span") as uow:
        row = store.coding_row(uow.session, coding_id)
        _check_span(store.document(row.document_id).text, start, end)
        uow.update(row, start=start, end=end, status="accepted", decided_by=coder,
                   decided_at=utcnow())


def recode(store, coding_id: int, code: str, *, coder: str) -> None:  # noqa: ANN001
    """Move a coding to another code (accepted by ``coder``)."""
    coder = _need_coder(coder)
    with store.unit(coder, "recode") as uow:
        row = store.coding_row(uow.session, coding_id)
        target = store.code_row(uow.session, code)
        uow.update(row, code_id=target.id, status="accepted", decided_by=coder, decided_at=utcnow())


# ---------------------------------------------------------------------------- codebook edits
def _would_cycle(session, store, code_row, parent_row) -> bool:  # noqa: ANN001
    from thematic.store.orm import CodeRow

    cur = parent_row
    while cur is not None:
        if cur.id == code_row.id:
            return True
        cur = session.get(CodeRow, cur.parent_id) if cur.parent_id else None
    return False


def add_code(store, code: Code, *, coder: str) -> None:  # noqa: ANN001
    """Add a code to the project's codebook (e.g. from the app's codebook editor)."""
    from thematic.store.codings import code_to_row_values
    from thematic.store.orm import CodeRow

    coder = _need_coder(coder)
    with store.unit(coder, "add code") as uow:
        try:
            store.code_row(uow.session, code.id)
        except NotFoundError:
            pass
        else:
            raise ReviewError(f"a code with id '{code.id}' exists already", code_id=code.id)
        parent = store.code_row(uow.session, code.parent_id).id if code.parent_id else None
        uow.add(CodeRow(project_id=store.project_id, key=code.id, parent_id=parent, position=10_000,
                        **code_to_row_values(code)))


def update_code(store, code: str, *, coder: str, **fields) -> None:  # noqa: ANN001, ANN003
    """Edit a code's name, definition, inclusion, exclusion, examples, color or rules."""
    from thematic.store.codings import CODE_FIELDS

    coder = _need_coder(coder)
    unknown = set(fields) - set(CODE_FIELDS)
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(sorted(unknown))}",
                          hint=f"Editable fields: {', '.join(CODE_FIELDS)}.")
    with store.unit(coder, "edit code") as uow:
        uow.update(store.code_row(uow.session, code), **fields)


def move_code(store, code: str, parent: str | None, *, coder: str) -> None:  # noqa: ANN001
    """Move a code under ``parent`` (None: to the top level)."""
    coder = _need_coder(coder)
    with store.unit(coder, "move code") as uow:
        row = store.code_row(uow.session, code)
        parent_row = store.code_row(uow.session, parent) if parent else None
        if parent_row is not None and _would_cycle(uow.session, store, row, parent_row):
            raise ReviewError(f"cannot move '{code}' under its own descendant '{parent}'", code_id=code)
        uow.update(row, parent_id=parent_row.id if parent_row else None)


def delete_code(store, code: str, *, coder: str) -> int:  # noqa: ANN001
    """Delete a code and its codings (children move up to its parent). Undo brings all back."""
    from sqlalchemy import select

    from thematic.store.orm import CodeRow, CodingRow

    coder = _need_coder(coder)
    with store.unit(coder, "delete code") as uow:
        s = uow.session
        row = store.code_row(s, code)
        for child in s.scalars(select(CodeRow).where(CodeRow.parent_id == row.id)).all():
            uow.update(child, parent_id=row.parent_id)
        codings = s.scalars(select(CodingRow).where(CodingRow.code_id == row.id)).all()
        for coding in codings:
            uow.delete(coding)
        uow.delete(row)
        return len(codings)


def merge_codes(store, sources: Sequence[str], target: str, *, coder: str) -> int:  # noqa: ANN001
    """Merge ``sources`` into ``target``: their codings move (duplicates of a span already
    coded with ``target`` are dropped, keeping the decided one), their children move under
    ``target``, and the source codes are deleted. Returns the codings moved."""
    from sqlalchemy import select

    from thematic.store.orm import CodeRow, CodingRow

    coder = _need_coder(coder)
    if target in sources:
        raise ReviewError("a code cannot be merged into itself", code_id=target)
    moved = 0
    with store.unit(coder, "merge codes") as uow:
        s = uow.session
        target_row = store.code_row(s, target)
        taken = {
            (c.document_id, c.start, c.end): c
            for c in s.scalars(select(CodingRow).where(CodingRow.code_id == target_row.id)).all()
        }
        for key in sources:
            row = store.code_row(s, key)
            for child in s.scalars(select(CodeRow).where(CodeRow.parent_id == row.id)).all():
                uow.update(child, parent_id=target_row.id)
            for coding in s.scalars(select(CodingRow).where(CodingRow.code_id == row.id)).all():
                span = (coding.document_id, coding.start, coding.end)
                if span in taken:
                    other = taken[span]
                    if other.status == "suggested" and coding.status != "suggested":
                        uow.delete(other)
                        uow.update(coding, code_id=target_row.id)
                        taken[span] = coding
                        moved += 1
                    else:
                        uow.delete(coding)
                    continue
                uow.update(coding, code_id=target_row.id)
                taken[span] = coding
                moved += 1
            uow.delete(row)
    return moved


def split_code(store, code: str, into: Mapping[str, Sequence[int]], *, coder: str,  # noqa: ANN001
               names: Mapping[str, str] | None = None, as_children: bool = True) -> dict[str, int]:
    """Split ``code``: create the codes in ``into`` (new id -> coding ids to move there).

    New codes become children of ``code`` (or its siblings with ``as_children=False``) and
    inherit its definition text to edit. Codings not listed stay on ``code``.
    """
    from thematic.store.orm import CodeRow

    coder = _need_coder(coder)
    moved: dict[str, int] = {}
    with store.unit(coder, "split code") as uow:
        s = uow.session
        row = store.code_row(s, code)
        for new_id, coding_ids in into.items():
            try:
                store.code_row(s, new_id)
            except NotFoundError:
                pass
            else:
                raise ReviewError(f"a code with id '{new_id}' exists already", code_id=new_id)
            new = uow.add(CodeRow(
                project_id=store.project_id, key=new_id, name=(names or {}).get(new_id, new_id),
                parent_id=row.id if as_children else row.parent_id, definition=row.definition,
                inclusion=row.inclusion, exclusion=row.exclusion, examples=[], rules=[],
                color=row.color, position=row.position,
            ))
            moved[new_id] = 0
            for cid in coding_ids:
                coding = store.coding_row(s, int(cid))
                if coding.code_id != row.id:
                    raise ReviewError(f"coding {cid} is not coded with '{code}'", code_id=code)
                uow.update(coding, code_id=new.id)
                moved[new_id] += 1
    return moved


# ---------------------------------------------------------------------------- undo / history
def undo(store, *, actor: str | None = None, mine_only: bool = False) -> list[str]:  # noqa: ANN001
    """Undo the newest change (``mine_only``: the newest change by ``actor``)."""
    from thematic.store.audit import last_undoable_txn, undo_txn

    with store.unit(actor, "undo") as uow:
        txn = last_undoable_txn(uow.session, store.project_id, actor if mine_only else None)
        if txn is None:
            raise ReviewError("nothing to undo", hint="`thematic history` lists the changes.")
        return undo_txn(uow, txn)


@dataclass(frozen=True)
class HistoryEntry:
    txn: str
    at: str
    actor: str | None
    action: str
    changes: int
    undone: bool


def history(store, *, limit: int = 50) -> pd.DataFrame:  # noqa: ANN001
    """The newest changes, one row per transaction: txn, at, actor, action, changes, undone."""
    return store.history_frame(limit=limit)
