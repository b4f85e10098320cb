"""Decisions of coders on codings: one row per decision (revision 0002).

A coding's ``status``, ``decided_by`` and ``decided_at`` are derived from its *final*
decision and kept in step with it in the same transaction:

- **shared review** (the default): each coding has at most one decision, the final one;
  anyone may change it (the coding's ``version`` detects concurrent changes).
- **independent review**: each coder's decision is their own row (``final`` false), and does
  not change the coding; a consensus step records the final decision, which does.

Every change goes through the unit of work, so undo restores decisions and codings together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import select

from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, Reader
from thematic.store.codings import Codings
from thematic.store.orm import CodingRow, DecisionRow, utcnow

DECISION_COLUMNS = ["coding_id", "coder", "status", "decided_at", "final"]


class Decisions(Aggregate):
    """Who decided what on which coding."""

    def __init__(self, project_id: int, read: Reader, codings: Codings) -> None:
        super().__init__(project_id, read)
        self._codings = codings

    def decide(self, uow: UnitOfWork, coding_ids: Sequence[int], status: str, *, coder: str,
               mode: str = "shared", expected_versions: Mapping[int, int] | None = None) -> int:
        """Record ``coder``'s decision ``status`` on codings; returns how many changed.

        ``mode="shared"`` sets the final decision (and so the coding's status);
        ``mode="independent"`` sets ``coder``'s own decision only. "suggested" withdraws the
        decision. ``expected_versions`` (coding id -> version read) raises ConflictError when
        someone changed a coding in between.
        """
        changed = 0
        now = utcnow()
        for cid in sorted({int(c) for c in coding_ids}):  # one lock order: no deadlocks
            row = self._codings.row(uow, int(cid), (expected_versions or {}).get(int(cid)))
            if mode == "independent":
                changed += self._set(uow, row.id, coder, status, final=False, now=now)
                continue
            if row.status == status:
                continue
            self._set(uow, row.id, coder, status, final=True, now=now)
            decided = status != "suggested"
            uow.update(row, status=status, decided_by=coder if decided else None,
                       decided_at=now if decided else None)
            changed += 1
        return changed

    def _set(self, uow: UnitOfWork, coding_id: int, coder: str, status: str, *, final: bool,
             now: object) -> int:
        s = uow.session
        q = select(DecisionRow).where(DecisionRow.coding_id == coding_id, DecisionRow.final.is_(final))
        if not final:
            q = q.where(DecisionRow.coder == coder)
        current = s.scalars(q).first()
        if status == "suggested":
            if current is None:
                return 0
            uow.delete(current)
            return 1
        if current is None:
            uow.add(DecisionRow(coding_id=coding_id, coder=coder, status=status, decided_at=now,
                                version=1, final=final))
            return 1
        if current.status == status and current.coder == coder:
            return 0
        uow.update(current, status=status, coder=coder, decided_at=now, version=current.version + 1)
        return 1

    def record_manual(self, uow: UnitOfWork, coding_id: int, coder: str, *,
                      final: bool = True) -> None:
        """The decision (accepted) on a coding ``coder`` made by hand: the final one, or
        (independent review, ``final=False``) the coder's own."""
        uow.add(DecisionRow(coding_id=coding_id, coder=coder, status="accepted",
                            decided_at=utcnow(), version=1, final=final))

    def only_coders_own(self, uow: UnitOfWork, coding_id: int, coder: str) -> bool:
        """Whether a coding is ``coder``'s alone: made by hand by them, with no decision by
        anyone else and no final decision (independent review may then edit it in place)."""
        row = self._codings.row(uow, coding_id)
        if row.source != "manual" or row.coder != coder or row.status != "suggested":
            return False
        others = uow.session.scalar(select(DecisionRow.id).where(
            DecisionRow.coding_id == coding_id,
            (DecisionRow.coder != coder) | DecisionRow.final.is_(True)).limit(1))
        return others is None

    def frame(self, *, coder: str | None = None, final: bool | None = None) -> pd.DataFrame:
        """One row per decision: coding_id, coder, status, decided_at, final.

        ``coder`` keeps one coder's decisions (blind review); ``final`` keeps the final
        (consensus or shared) decisions, or the coders' own ones.
        """
        with self.read() as s:
            q = (
                select(DecisionRow.coding_id, DecisionRow.coder, DecisionRow.status,
                       DecisionRow.decided_at, DecisionRow.final)
                .join(CodingRow, CodingRow.id == DecisionRow.coding_id)
                .where(CodingRow.project_id == self.project_id)
                .order_by(DecisionRow.coding_id, DecisionRow.coder, DecisionRow.id)
            )
            if coder is not None:
                q = q.where(DecisionRow.coder == coder)
            if final is not None:
                q = q.where(DecisionRow.final.is_(final))
            rows = s.execute(q).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=DECISION_COLUMNS)
