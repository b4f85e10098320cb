"""Codings: spans of documents coded with a code, suggested by an engine or made by a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import func, null, select

from thematic.errors import ConflictError, NotFoundError
from thematic.models import Coding
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, Reader, delete_coding, get_row
from thematic.store.codebook import CodebookStore
from thematic.store.orm import CodeRow, CodingRow, DocumentRow, ParticipantRow, TurnRow, utcnow

CODING_COLUMNS = ["coding_id", "document_id", "document", "participant", "speaker", "role", "code",
                  "start", "end", "turn", "time_start", "time_end", "text", "context_before",
                  "context_after", "source", "status", "confidence", "evidence", "coder", "run_id",
                  "decided_by", "decided_at", "version", "segment_id"]


def _coding(row: CodingRow, key: str) -> Coding:
    return Coding(
        id=row.id, document_id=row.document_id, code_id=key, start=row.start, end=row.end,
        source=row.source, status=row.status, confidence=row.confidence,
        evidence=dict(row.evidence or {}), coder=row.coder, run_id=row.run_id,
        created_at=row.created_at.isoformat() if row.created_at else None,
        decided_by=row.decided_by,
        decided_at=row.decided_at.isoformat() if row.decided_at else None,
        version=row.version,
    )


class Codings(Aggregate):
    """The project's codings (suggested, accepted, rejected)."""

    def __init__(self, project_id: int, read: Reader, codebook: CodebookStore) -> None:
        super().__init__(project_id, read)
        self._codebook = codebook

    def row(self, uow: UnitOfWork, coding_id: int, expected_version: int | None = None) -> CodingRow:
        """The coding row (for the store's own modules); ConflictError on a stale version."""
        row = uow.session.get(CodingRow, coding_id)
        if row is None or row.project_id != self.project_id:
            raise NotFoundError(f"no coding {coding_id} in this project",
                                hint="It may have been deleted or undone; reload.")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                f"coding {coding_id} was changed by {row.decided_by or 'someone'} since you read it",
                hint="Reload and decide again.",
            )
        return row

    def get(self, coding_id: int) -> Coding:
        """One coding as a :class:`thematic.models.Coding`."""
        with self.read() as s:
            row = s.get(CodingRow, coding_id)
            if row is None or row.project_id != self.project_id:
                raise NotFoundError(f"no coding {coding_id} in this project")
            return _coding(row, get_row(s, CodeRow, row.code_id).key)

    def counts(self) -> dict[str, int]:
        """Codings per status."""
        with self.read() as s:
            rows = s.execute(
                select(CodingRow.status, func.count(CodingRow.id))
                .where(CodingRow.project_id == self.project_id)
                .group_by(CodingRow.status)
            ).all()
        counts = {"suggested": 0, "accepted": 0, "rejected": 0}
        counts.update({status: int(n) for status, n in rows})
        return counts

    def spans(self, uow: UnitOfWork, document_id: int) -> list[tuple[int, int, int]]:
        """(coding id, start, end) of every coding of a document, inside ``uow``."""
        rows = uow.session.execute(
            select(CodingRow.id, CodingRow.start, CodingRow.end).where(CodingRow.document_id == document_id)
        ).all()
        return [(cid, start, end) for cid, start, end in rows]

    def spans_of_code(self, uow: UnitOfWork, code: str) -> set[tuple[int, int, int]]:
        """(document id, start, end) of every coding of ``code`` not rejected, inside ``uow``."""
        code_row = self._codebook.row(uow.session, code)
        rows = uow.session.execute(
            select(CodingRow.document_id, CodingRow.start, CodingRow.end).where(
                CodingRow.code_id == code_row.id, CodingRow.status != "rejected")
        ).all()
        return {(d, a, b) for d, a, b in rows}

    def move(self, uow: UnitOfWork, coding_id: int, start: int, end: int) -> None:
        """Re-anchor a coding on new offsets (its decision stays)."""
        row = get_row(uow.session, CodingRow, coding_id)
        if (row.start, row.end) != (start, end):
            uow.update(row, start=start, end=end)

    def delete(self, uow: UnitOfWork, coding_id: int) -> None:
        """Delete a coding (undo brings it back)."""
        delete_coding(uow, get_row(uow.session, CodingRow, coding_id))

    def add_manual(self, uow: UnitOfWork, *, document_id: int, code: str, start: int, end: int,
                   coder: str, segment_id: int | None, final: bool = True) -> int:
        """A coding made by hand by ``coder``; returns its id. ``final``: accepted for
        everyone (shared review); else it stays "suggested" until a consensus decision
        (independent review: the coder's own decision says they accept it)."""
        code_row = self._codebook.row(uow.session, code)
        now = utcnow()
        row = uow.add(CodingRow(
            project_id=self.project_id, document_id=document_id, code_id=code_row.id,
            segment_id=segment_id, start=start, end=end, source="manual",
            status="accepted" if final else "suggested", confidence=1.0, evidence={},
            coder=coder, decided_by=coder if final else None, decided_at=now if final else None,
            created_at=now,
        ))
        return row.id

    def span_of(self, uow: UnitOfWork, coding_id: int) -> tuple[int, int, int, int | None, str]:
        """(document id, start, end, segment id, code key) of a coding."""
        row = self.row(uow, coding_id)
        key = uow.session.get(CodeRow, row.code_id)
        return row.document_id, row.start, row.end, row.segment_id, key.key if key else ""

    def document_of(self, uow: UnitOfWork, coding_id: int) -> int:
        """The document id of a coding."""
        return self.row(uow, coding_id).document_id

    def set_span(self, uow: UnitOfWork, coding_id: int, start: int, end: int) -> None:
        """Change a coding's span."""
        uow.update(self.row(uow, coding_id), start=start, end=end)

    def set_code(self, uow: UnitOfWork, coding_id: int, code: str) -> None:
        """Move a coding to another code."""
        target = self._codebook.row(uow.session, code)
        uow.update(self.row(uow, coding_id), code_id=target.id)

    def ids(self, *, code: str | None = None, source: str | None = None,
            status: str | None = None, min_confidence: float | None = None,
            max_confidence: float | None = None, document_id: int | None = None) -> list[int]:
        """Ids of the codings matching every filter given."""
        with self.read() as s:
            q = select(CodingRow.id).where(CodingRow.project_id == self.project_id)
            if code is not None:
                q = q.where(CodingRow.code_id == self._codebook.row(s, code).id)
            if source is not None:
                q = q.where(CodingRow.source == source)
            if status is not None:
                q = q.where(CodingRow.status == status)
            if min_confidence is not None:
                q = q.where(CodingRow.confidence >= min_confidence)
            if max_confidence is not None:
                q = q.where(CodingRow.confidence <= max_confidence)
            if document_id is not None:
                q = q.where(CodingRow.document_id == document_id)
            return list(s.scalars(q.order_by(CodingRow.id)).all())

    def evidence(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The evidence of the codings ``ids`` (those that exist)."""
        out: dict[int, dict[str, Any]] = {}
        wanted = sorted({int(i) for i in ids})
        with self.read() as s:
            for lo in range(0, len(wanted), 500):
                q = select(CodingRow.id, CodingRow.evidence).where(
                    CodingRow.project_id == self.project_id, CodingRow.id.in_(wanted[lo:lo + 500]))
                out.update({int(i): dict(ev or {}) for i, ev in s.execute(q).all()})
        return out

    def frame(self, *, status: str | None = None, document_id: int | None = None,
              evidence: bool = True) -> pd.DataFrame:
        """One row per coding with its document, participant, speaker, role, turn (its index in
        the document), times and text.

        ``evidence=False`` leaves the evidence column None (reading 50k engines' evidence is
        most of the time of a big read; :meth:`evidence` reads it for the few shown).
        """
        c = CodingRow
        with self.read() as s:
            q = (  # plain columns, not ORM objects: 50k codings load in a fraction of the time
                select(c.id, c.document_id, c.start, c.end, c.source, c.status, c.confidence,
                       c.evidence if evidence else null(), c.coder, c.run_id, c.decided_by,
                       c.decided_at, c.version,
                       c.segment_id, CodeRow.key, DocumentRow.name)
                .join(CodeRow, CodeRow.id == CodingRow.code_id)
                .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
                .where(CodingRow.project_id == self.project_id)
                .order_by(DocumentRow.name, CodingRow.start, CodeRow.key)
            )
            if status is not None:
                q = q.where(CodingRow.status == status)
            if document_id is not None:
                q = q.where(CodingRow.document_id == document_id)
            rows = s.execute(q).all()
            tq = (
                select(TurnRow.document_id, TurnRow.start, TurnRow.end, TurnRow.speaker, TurnRow.role,
                       TurnRow.time_start, TurnRow.time_end, ParticipantRow.key, TurnRow.idx)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .join(DocumentRow, DocumentRow.id == TurnRow.document_id)
                .where(DocumentRow.project_id == self.project_id)
            )
            if document_id is not None:
                tq = tq.where(TurnRow.document_id == document_id)
            turns = s.execute(tq).all()
            texts = dict(s.execute(  # each document's text read once, not once per coding
                select(DocumentRow.id, DocumentRow.text)
                .where(DocumentRow.id.in_({r.document_id for r in rows}))
            ).all()) if rows else {}
        return _coding_frame(rows, turns, texts)


_ROW_COLUMNS = ["coding_id", "document_id", "start", "end", "source", "status", "confidence",
                "evidence", "coder", "run_id", "decided_by", "decided_at", "version",
                "segment_id", "code", "document"]
_TURN_FIELDS = {"speaker": 3, "role": 4, "time_start": 5, "time_end": 6, "participant": 7, "turn": 8}


def _coding_frame(rows: Sequence[Any], turns: Sequence[Any], texts: dict[int, str]) -> pd.DataFrame:
    """The codings frame from the query's rows, the turns and the documents' texts: column-wise
    (50k codings in well under a second), each coding placed in the turn holding its start."""
    import numpy as np

    if not rows:
        return pd.DataFrame(columns=CODING_COLUMNS)
    columns: dict[str, list[Any]] = {name: [r[i] for r in rows] for i, name in enumerate(_ROW_COLUMNS)}
    docs, starts, ends = columns["document_id"], columns["start"], columns["end"]
    doc_texts = [texts[d] for d in docs]
    columns["text"] = [t[a:b] for t, a, b in zip(doc_texts, starts, ends, strict=True)]
    columns["context_before"] = [t[max(0, a - 150):a] for t, a in zip(doc_texts, starts, strict=True)]
    columns["context_after"] = [t[b:b + 150] for t, b in zip(doc_texts, ends, strict=True)]
    by_doc: dict[int, list[Any]] = {}
    for t in sorted(turns, key=lambda t: (t[0], t[1])):
        by_doc.setdefault(t[0], []).append(t)
    found: list[Any] = [None] * len(rows)
    positions: dict[int, list[int]] = {}
    for i, d in enumerate(docs):
        positions.setdefault(d, []).append(i)
    for d, where in positions.items():
        held = by_doc.get(d, [])
        if not held:
            continue
        turn_starts = np.fromiter((t[1] for t in held), dtype=np.int64, count=len(held))
        turn_ends = np.fromiter((max(t[2], t[1] + 1) for t in held), dtype=np.int64, count=len(held))
        offsets = np.fromiter((starts[i] for i in where), dtype=np.int64, count=len(where))
        k = np.searchsorted(turn_starts, offsets, side="right") - 1
        inside = (k >= 0) & (offsets < turn_ends[np.clip(k, 0, None)])
        for i, j, ok in zip(where, k.tolist(), inside.tolist(), strict=True):
            if ok:
                found[i] = held[j]
    for name, index in _TURN_FIELDS.items():
        columns[name] = [t[index] if t is not None else None for t in found]
    return pd.DataFrame(columns, columns=CODING_COLUMNS)
