"""The audit history of a project and undo."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import func, select

from thematic.errors import ReviewError
from thematic.store.audit import UnitOfWork, last_undoable_txn, undo_txn
from thematic.store.base import Aggregate
from thematic.store.later_work import guard
from thematic.store.orm import AuditEventRow as A


class History(Aggregate):
    """Every audited change, one transaction per user action."""

    def frame(self, *, limit: int = 50, by: str | None = None) -> pd.DataFrame:
        """One row per transaction, newest first: txn, at, actor, action, changes, undo_of,
        undone. ``by``: only the changes of that person (the account or coder name)."""
        with self.read() as s:
            where = [A.project_id == self.project_id]
            if by is not None:
                where.append(A.actor == by)
            rows = s.execute(
                select(A.txn, func.min(A.at), func.max(A.actor), func.max(A.action),
                       func.count(A.id), func.max(A.undo_of))
                .where(*where)
                .group_by(A.txn)
                .order_by(func.min(A.id).desc())
                .limit(limit)
            ).all()
            undone = set(s.scalars(
                select(A.txn).where(A.project_id == self.project_id, A.undone.is_(True))).all())
        return pd.DataFrame(
            [{"txn": r[0], "at": r[1], "actor": r[2], "action": r[3], "changes": r[4],
              "undo_of": r[5], "undone": r[0] in undone} for r in rows],
            columns=["txn", "at", "actor", "action", "changes", "undo_of", "undone"],
        )

    def revision(self) -> int:
        """The newest audit event id (0 for a new project): changes whenever the project does."""
        with self.read() as s:
            newest = s.scalar(select(func.max(A.id)).where(A.project_id == self.project_id))
        return int(newest or 0)

    def undo(self, uow: UnitOfWork, *, actor: str | None = None,
             authorize: Callable[[str], object] | None = None) -> list[str]:
        """Undo the newest change (by ``actor`` when given) inside ``uow``; returns its actions.

        ``authorize`` is called with each action of the change first (it raises when the
        person undoing may not make such a change). ConflictError, naming the later work, when
        undoing would remove rows someone made or changed since.
        """
        txn = last_undoable_txn(uow.session, self.project_id, actor)
        if txn is None:
            raise ReviewError("nothing to undo" + (f": {actor} has no change left to undo"
                                                   if actor else ""), remedy="list-changes")
        last_id, who, actions = uow.session.execute(
            select(func.max(A.id), func.max(A.actor), func.max(A.action)).where(A.txn == txn)).one()
        for action in sorted(set(uow.session.scalars(select(A.action).where(A.txn == txn)))):
            if authorize is not None:
                authorize(action)
        with guard(uow.session, self.project_id, int(last_id), f"{who or 'someone'}'s '{actions}'"):
            return undo_txn(uow, txn)

    def notes(self, entity_type: str) -> list[dict]:
        """The payloads of the note events of ``entity_type``, oldest first, with ``at``/``actor``."""
        with self.read() as s:
            rows = s.execute(
                select(A.at, A.actor, A.entity_id, A.after)
                .where(A.project_id == self.project_id, A.op == "note", A.entity_type == entity_type)
                .order_by(A.id)
            ).all()
        return [{"at": at, "actor": actor, "entity_id": entity_id, **(after or {})}
                for at, actor, entity_id, after in rows]
