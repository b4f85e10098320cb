"""What undoing a change would take from the people who worked after it.

Undoing an insert deletes the row, and the database deletes what hangs on it (an imported
document's codings and their decisions, an adopted topic's code with its suggestions and the
decisions on them). :func:`guard` records which rows later, not undone, changes by anyone
made or changed, lets the undo run inside the same transaction, then checks those rows are
still there; if one is gone it raises (so the transaction rolls back) naming the later work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from thematic.errors import ConflictError
from thematic.store.audit import pk_names
from thematic.store.orm import ENTITY_TABLES, AuditEventRow

Key = tuple[str, str]  # (entity type, entity id as the audit events write it)
Work = tuple[str, str]  # (actor, action)


def _later_events(s: Session, project_id: int, after_id: int) -> dict[Key, set[tuple[str, str, str]]]:
    """Rows made or changed by later, not undone changes: key -> {(actor, action, txn)}."""
    rows = s.execute(
        select(AuditEventRow.entity_type, AuditEventRow.entity_id, AuditEventRow.actor,
               AuditEventRow.action, AuditEventRow.txn)
        .where(AuditEventRow.project_id == project_id, AuditEventRow.id > after_id,
               AuditEventRow.undone.is_(False), AuditEventRow.op.in_(("insert", "update")))
    ).all()
    found: dict[Key, set[tuple[str, str, str]]] = {}
    for entity, ident, actor, action, txn in rows:
        if entity in ENTITY_TABLES and ident:
            found.setdefault((entity, ident), set()).add((actor or "someone", action, txn))
    return found


def _existing(s: Session, keys: list[Key]) -> set[Key]:
    """The keys whose rows exist now (read from the database, not the session's cache)."""
    by_type: dict[str, list[str]] = {}
    for entity, ident in keys:
        by_type.setdefault(entity, []).append(ident)
    out: set[Key] = set()
    for entity, idents in by_type.items():
        cls = ENTITY_TABLES[entity]
        cols = [getattr(cls, name) for name in pk_names(cls)]
        wanted = [tuple(part for part in ident.split(",")) for ident in idents]
        wanted = [w for w in wanted if len(w) == len(cols)]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            if len(cols) == 1:
                q = select(cols[0]).where(cols[0].in_([_typed(cols[0], w[0]) for w in chunk]))
                out |= {(entity, str(v)) for v in s.scalars(q)}
            else:
                q = select(*cols).where(tuple_(*cols).in_(
                    [tuple(_typed(c, v) for c, v in zip(cols, w)) for w in chunk]))
                out |= {(entity, ",".join(str(v) for v in row)) for row in s.execute(q)}
    return out


def _typed(col: object, value: str) -> object:
    python_type = getattr(getattr(col, "type", None), "python_type", str)
    try:
        return python_type(value) if python_type is int else value
    except (TypeError, ValueError):
        return value


def describe(lost: dict[Work, Counter[str]]) -> str:
    """``bob's 'code' (1 coding, 1 decision), carol's 'accept' (90 decisions)``, most first."""
    ranked = sorted(lost.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    parts = []
    for (actor, action), kinds in ranked[:6]:
        rows = ", ".join(f"{n} {kind if n != 1 else kind.removesuffix('s')}"
                         for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append(f"{actor}'s '{action}' ({rows})")
    more = len(ranked) - 6
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


@contextmanager
def guard(s: Session, project_id: int, after_id: int, undoing: str) -> Iterator[None]:
    """Run an undo (the ``with`` body) and refuse it when it removed later work.

    Raises ConflictError naming who did what since; the caller's transaction rolls back.
    """
    later = _later_events(s, project_id, after_id)
    before = _existing(s, list(later)) if later else set()
    yield
    if not before:
        return
    s.flush()
    gone = before - _existing(s, list(before))
    if not gone:
        return
    lost: dict[Work, Counter[str]] = {}
    for key in gone:
        for actor, action, _txn in later[key]:
            lost.setdefault((actor, action), Counter())[key[0].replace("_", " ")] += 1
    raise ConflictError(
        f"cannot undo {undoing}: it would remove later work: {describe(lost)}",
        hint="Its authors can undo it first (each their own), or keep this change.")


__all__ = ["describe", "guard"]
