"""Audited units of work and undo (DESIGN invariant 4).

Every mutation a person (or an engine) makes goes through a :class:`UnitOfWork`: it writes the
change and one audit event per row changed (before/after snapshots) in the same transaction,
all under one transaction id ``txn``. :func:`undo` replays the inverse of the newest
not-yet-undone transaction, refusing with :class:`ConflictError` when a row it would restore has
been changed since by someone else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, bindparam, delete, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from thematic.errors import ConflictError, ReviewError
from thematic.store.orm import ENTITY_TABLES, AuditEventRow, Base, CodingRow, DecisionRow, RunRow

Snapshot = dict[str, Any]
#: entity_type of a note that makes its transaction impossible to undo (with "why" and "hint")
IRREVERSIBLE = "irreversible"
RowT = TypeVar("RowT", bound=Base)


def snapshot(row: Base) -> Snapshot:
    """The row's column values, JSON-ready (datetimes as ISO strings, bytes left out)."""
    out: Snapshot = {}
    for attr in inspect(row).mapper.column_attrs:
        value = getattr(row, attr.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bytes):
            continue
        out[attr.key] = value
    return out


def _restore_values(cls: type[Base], snap: Snapshot) -> Snapshot:
    values: Snapshot = {}
    mapper = inspect(cls)
    for attr in mapper.column_attrs:
        if attr.key not in snap:
            continue
        value = snap[attr.key]
        col = attr.columns[0]
        if isinstance(col.type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        values[attr.key] = value
    return values


def pk_names(cls: type[Base]) -> list[str]:
    """Attribute names of the primary key columns of ``cls``."""
    mapper = inspect(cls)
    return [mapper.get_property_by_column(col).key for col in mapper.primary_key]


def _pk_of(row: Base) -> str:
    ident = inspect(row).identity
    if ident is None:
        return ""
    return ",".join(str(v) for v in ident)


class UnitOfWork:
    """Make changes and record them. Use through ``ProjectStore.unit(actor, action)``."""

    def __init__(self, session: Session, project_id: int, actor: str | None, action: str) -> None:
        self.session = session
        self.project_id = project_id
        self.actor = actor
        self.action = action
        self.txn = str(uuid.uuid4())
        self.events = 0

    def _event(self, op: str, entity_type: str, entity_id: str,
               before: Snapshot | None, after: Snapshot | None) -> None:
        self.session.add(
            AuditEventRow(
                project_id=self.project_id, txn=self.txn, actor=self.actor, action=self.action,
                op=op, entity_type=entity_type, entity_id=entity_id, before=before, after=after,
            )
        )
        self.events += 1

    def _record(self, op: str, row: Base, before: Snapshot | None, after: Snapshot | None) -> None:
        self._event(op, row.__tablename__, _pk_of(row), before, after)

    def add(self, row: RowT) -> RowT:
        self.session.add(row)
        self.session.flush()
        self._record("insert", row, None, snapshot(row))
        return row

    def update(self, row: RowT, *, bump_version: bool = True, **changes: Any) -> RowT:
        """Change ``row`` and record before/after of the columns that changed.

        ``bump_version=False`` leaves the row's optimistic-lock ``version`` alone: for
        changes no reader decides on (an engine refreshing a suggestion's confidence).
        """
        before = snapshot(row)
        if bump_version:
            for key, value in changes.items():
                setattr(row, key, value)
            self.session.flush()
        else:
            cls = type(row)
            pks = pk_names(cls)
            self.session.execute(
                update(cls)
                .where(*[getattr(cls, k) == before[k] for k in pks])
                .values(**changes)
                .execution_options(synchronize_session=False)
            )
            for key, value in changes.items():
                set_committed_value(row, key, value)
        after = snapshot(row)
        changed = {k for k in after if before.get(k) != after.get(k)}
        if changed:
            keys = set(pk_names(type(row)))
            keep = changed | keys | ({"version"} if "version" in after and bump_version else set())
            self._record(
                "update",
                row,
                {k: before.get(k) for k in keep},
                {k: after[k] for k in keep},
            )
        return row

    def refresh_many(self, changes: Sequence[tuple[Base, Snapshot]]) -> int:
        """:meth:`update` with ``bump_version=False`` of many rows of one table at once: one
        UPDATE statement run over all of them and their audit events written together (an
        engine refreshing thousands of suggestions). Returns how many rows changed."""
        if not changes:
            return 0
        cls = type(changes[0][0])
        table = Base.metadata.tables[cls.__tablename__]
        mapper = inspect(cls)
        keys = list(changes[0][1])
        pks = pk_names(cls)
        column = {k: mapper.get_property(k).columns[0].name for k in [*pks, *keys]}
        self.session.flush()  # the events already pending keep their place before these
        params, events = [], []
        for row, values in changes:
            before = snapshot(row)
            for key, value in values.items():
                set_committed_value(row, key, value)
            after = snapshot(row)
            changed = {k for k in after if before.get(k) != after.get(k)}
            if not changed:
                continue
            params.append({**{f"_{k}": before[k] for k in pks}, **{f"_{k}": values[k] for k in keys}})
            keep = changed | set(pks)
            events.append({"project_id": self.project_id, "txn": self.txn, "actor": self.actor,
                           "action": self.action, "op": "update", "entity_type": cls.__tablename__,
                           "entity_id": _pk_of(row), "before": {k: before.get(k) for k in keep},
                           "after": {k: after[k] for k in keep}})
        if params:
            self.session.execute(
                update(table)
                .where(*[table.c[column[k]] == bindparam(f"_{k}") for k in pks])
                .values({column[k]: bindparam(f"_{k}") for k in keys}),
                params,
            )
            self.session.execute(insert(AuditEventRow), events)
            self.events += len(events)
        return len(events)

    def delete(self, row: Base) -> None:
        before = snapshot(row)
        self._record("delete", row, before, None)
        self.session.delete(row)
        self.session.flush()

    def note(self, entity_type: str, entity_id: str, after: Snapshot) -> None:
        """Record an event that has no row-level inverse (e.g. a bulk insert summary)."""
        self._event("note", entity_type, entity_id, None, after)


# Inverse of inserting a run: the codings it inserted and nobody decided go with it. The
# codings it refreshed were given back their earlier run by the run's own (later, so earlier
# undone) update events, so only the inserted ones still carry its id here.
def _before_undo_insert_run(session: Session, run_id: int) -> None:
    session.execute(
        delete(CodingRow).where(
            CodingRow.run_id == run_id, CodingRow.status == "suggested",
            ~select(DecisionRow.id).where(DecisionRow.coding_id == CodingRow.id).exists(),
        ).execution_options(synchronize_session=False)
    )


BEFORE_UNDO_INSERT: dict[str, Callable[[Session, int], None]] = {"runs": _before_undo_insert_run}


def _apply_inverse(session: Session, event: AuditEventRow) -> None:
    cls = ENTITY_TABLES[event.entity_type]
    pk_cols = pk_names(cls)
    snap = event.after if event.op == "insert" else event.before
    assert snap is not None
    ident = tuple(snap[k] for k in pk_cols)
    current = session.get(cls, ident if len(ident) > 1 else ident[0])
    label = f"{event.entity_type} {event.entity_id}"
    if event.op == "insert":
        if current is None:
            return  # already gone (deleted later by cascade or another undo)
        hook = BEFORE_UNDO_INSERT.get(event.entity_type)
        if hook:
            hook(session, ident[0])
        session.delete(current)
    elif event.op == "delete":
        if current is not None:
            raise ConflictError(f"cannot undo: {label} exists again", hint="Reload and check.")
        values = _restore_values(cls, snap)
        restored = cls(**values)
        session.add(restored)
        session.flush()
        if "version" in values:  # the ORM starts a new row at version 1: put the old one back
            session.execute(
                update(cls)
                .where(*[getattr(cls, k) == v for k, v in zip(pk_cols, ident)])
                .values(version=values["version"])
                .execution_options(synchronize_session=False)
            )
            session.expire(restored)
    elif event.op == "update":
        if current is None:
            raise ConflictError(f"cannot undo: {label} no longer exists", hint="Reload and check.")
        after = _restore_values(cls, event.after or {})
        now = snapshot(current)
        for key, value in (event.after or {}).items():
            if now.get(key) != value:
                raise ConflictError(
                    f"cannot undo '{event.action}': {label} was changed since "
                    f"({key} is now {now.get(key)!r})",
                    hint="Someone else changed it after you; decide again instead of undoing.",
                )
        before = _restore_values(cls, event.before or {})
        before.pop("version", None)
        if "version" in after:
            # bump past the current version so concurrent readers notice the change
            before["version"] = after["version"] + 1
        session.execute(
            update(cls)
            .where(*[getattr(cls, k) == v for k, v in zip(pk_cols, ident)])
            .values(**before)
            .execution_options(synchronize_session=False)
        )
        session.expire(current)
    session.flush()


def last_undoable_txn(session: Session, project_id: int, actor: str | None) -> str | None:
    query = (
        select(AuditEventRow.txn)
        .where(
            AuditEventRow.project_id == project_id,
            AuditEventRow.undone.is_(False),
            AuditEventRow.op != "note",
            AuditEventRow.action != "undo",
        )
        .order_by(AuditEventRow.id.desc())
        .limit(1)
    )
    if actor is not None:
        query = query.where(AuditEventRow.actor == actor)
    return session.scalars(query).first()


def undo_txn(uow: UnitOfWork, txn: str) -> list[str]:
    """Undo every event of ``txn`` in reverse order. Returns the actions undone."""
    session = uow.session
    events = session.scalars(
        select(AuditEventRow).where(AuditEventRow.txn == txn).order_by(AuditEventRow.id.desc())
    ).all()
    if not events:
        raise ReviewError("nothing to undo", hint="The history is empty.")
    blocked = [e for e in events if e.op == "note" and e.entity_type == IRREVERSIBLE]
    if blocked:
        why = (blocked[0].after or {}).get("why", "")
        raise ReviewError(f"'{events[0].action}' cannot be undone: {why}".rstrip(": "),
                          hint=(blocked[0].after or {}).get("hint"))
    for event in events:
        if event.op != "note":
            _apply_inverse(session, event)
        event.undone = True
    uow.note("audit_events", txn, {"undo_of": txn, "action": events[0].action})
    session.execute(
        update(AuditEventRow)
        .where(AuditEventRow.txn == uow.txn)
        .values(undo_of=txn)
        .execution_options(synchronize_session=False)
    )
    return sorted({e.action for e in events})


__all__ = ["UnitOfWork", "snapshot", "undo_txn", "last_undoable_txn", "RunRow"]
