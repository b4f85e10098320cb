"""Documents, their turns and segments, speaker roles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from thematic.errors import NotFoundError
from thematic.models import Document, Segment, Turn
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, Reader, bulk_insert, get_row
from thematic.store.orm import (
    Base,
    CodingRow,
    DocumentRow,
    ParticipantRow,
    SegmentRow,
    TurnRow,
)
from thematic.store.participants import Participants


@dataclass(frozen=True)
class StoredDocument:
    id: int
    name: str
    original_name: str
    format: str
    sha256: str
    text: str
    metadata: dict[str, Any]
    revision: int


@dataclass(frozen=True)
class StoredTurn:
    id: int
    document_id: int
    idx: int
    speaker: str | None
    participant: str | None
    role: str | None
    start: int
    end: int
    time_start: float | None
    time_end: float | None

class Documents(Aggregate):
    """The project's documents with their turns and segments."""

    def __init__(self, project_id: int, read: Reader, participants: Participants) -> None:
        super().__init__(project_id, read)
        self._participants = participants

    def by_sha(self, sha256: str) -> StoredDocument | None:
        with self.read() as s:
            row = s.scalars(
                select(DocumentRow).where(
                    DocumentRow.project_id == self.project_id, DocumentRow.sha256 == sha256
                )
            ).first()
            return _doc(row) if row else None

    def by_name(self, name: str) -> StoredDocument | None:
        with self.read() as s:
            row = s.scalars(
                select(DocumentRow).where(
                    DocumentRow.project_id == self.project_id, DocumentRow.name == name
                )
            ).first()
            return _doc(row) if row else None

    def get(self, ref: int | str) -> StoredDocument:
        with self.read() as s:
            if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
                row = s.get(DocumentRow, int(ref))
                if row is not None and row.project_id != self.project_id:
                    row = None
            else:
                row = None
            if row is None:
                row = s.scalars(
                    select(DocumentRow).where(
                        DocumentRow.project_id == self.project_id, DocumentRow.name == str(ref)
                    )
                ).first()
            if row is None:
                raise NotFoundError(f"no document '{ref}' in this project",
                                    remedy="list-documents")
            return _doc(row)

    def add(
        self,
        uow: UnitOfWork,
        doc: Document,
        *,
        speaker_participants: Mapping[str | None, int | None],
        segments: Sequence[Any],
    ) -> int:
        row = DocumentRow(
            project_id=self.project_id,
            name=doc.name,
            original_name=doc.source_path or doc.name,
            format=doc.format,
            sha256=doc.sha256,
            text=doc.text,
            meta={**doc.metadata, "words": _words(doc)},
        )
        uow.add(row)
        self._write_turns(uow.session, row.id, doc.turns, speaker_participants, segments)
        return row.id

    def replace_text(
        self,
        uow: UnitOfWork,
        document_id: int,
        doc: Document,
        *,
        speaker_participants: Mapping[str | None, int | None],
        segments: Sequence[Any],
    ) -> None:
        """A changed version of a file: new text, turns and segments; codings kept by the caller."""
        s = uow.session
        row = get_row(s, DocumentRow, document_id)
        s.execute(
            update(Base.metadata.tables["codings"])
            .where(CodingRow.document_id == document_id)
            .values(segment_id=None)
        )
        s.execute(delete(Base.metadata.tables["segments"]).where(SegmentRow.document_id == document_id))
        s.execute(delete(Base.metadata.tables["turns"]).where(TurnRow.document_id == document_id))
        uow.update(row, text=doc.text, sha256=doc.sha256, format=doc.format,
                   meta={**doc.metadata, "words": _words(doc)},
                   revision=row.revision + 1, original_name=doc.source_path or doc.name)
        self._write_turns(s, document_id, doc.turns, speaker_participants, segments)

    @staticmethod
    def _write_turns(
        s: Session,
        document_id: int,
        turns: Sequence[Turn],
        speaker_participants: Mapping[str | None, int | None],
        segments: Sequence[Any],
    ) -> None:
        if not turns:
            return
        turn_rows = [
            (document_id, i, t.speaker, speaker_participants.get(t.speaker), t.role, t.start, t.end,
             t.time_start, t.time_end)
            for i, t in enumerate(turns)
        ]
        bulk_insert(s, Base.metadata.tables["turns"], TURN_COLUMNS, turn_rows)
        turn_ids = dict(
            s.execute(select(TurnRow.idx, TurnRow.id).where(TurnRow.document_id == document_id)).all()
        )
        seg_rows = [
            (document_id, turn_ids[seg.turn_index], seg.kind, seg.idx, seg.start, seg.end)
            for seg in segments
        ]
        bulk_insert(s, Base.metadata.tables["segments"], SEGMENT_COLUMNS, seg_rows)

    def frame(self) -> pd.DataFrame:
        """Columns: id, name, format, turns, speakers, participants, words, sha256, imported_at,
        revision, original_name, metadata (words: of the turns, counted at import)."""
        with self.read() as s:
            docs = s.execute(
                select(
                    DocumentRow.id, DocumentRow.name, DocumentRow.original_name, DocumentRow.format,
                    DocumentRow.meta, DocumentRow.sha256, DocumentRow.imported_at, DocumentRow.revision,
                ).where(DocumentRow.project_id == self.project_id).order_by(DocumentRow.name)
            ).all()
            turns = s.execute(
                select(TurnRow.document_id, TurnRow.speaker, ParticipantRow.key)
                .join(DocumentRow, DocumentRow.id == TurnRow.document_id)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .where(DocumentRow.project_id == self.project_id)
            ).all()
        by_doc: dict[int, list] = {}
        for t in turns:
            by_doc.setdefault(t[0], []).append(t)
        rows = []
        for d in docs:
            ts = by_doc.get(d.id, [])
            meta = d.meta or {}
            rows.append({
                "id": d.id,
                "name": d.name,
                "format": d.format,
                "turns": len(ts),
                "speakers": ", ".join(sorted({t[1] for t in ts if t[1]})),
                "participants": ", ".join(sorted({t[2] for t in ts if t[2]})),
                "words": int(meta.get("words", 0)),
                "sha256": d.sha256,
                "imported_at": d.imported_at,
                "revision": d.revision,
                "original_name": d.original_name,
                "metadata": meta,
            })
        cols = ["id", "name", "format", "turns", "speakers", "participants", "words", "sha256",
                "imported_at", "revision", "original_name", "metadata"]
        return pd.DataFrame(rows, columns=cols)

    def turns(self, document_id: int) -> list[StoredTurn]:
        with self.read() as s:
            rows = s.execute(
                select(TurnRow, ParticipantRow.key)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .where(TurnRow.document_id == document_id)
                .order_by(TurnRow.idx)
            ).all()
        return [
            StoredTurn(t.id, t.document_id, t.idx, t.speaker, key, t.role, t.start, t.end,
                       t.time_start, t.time_end)
            for t, key in rows
        ]

    def segments(
        self,
        kind: str,
        *,
        roles: Sequence[str] | None = None,
        exclude_roles: Sequence[str] | None = None,
        document_ids: Sequence[int] | None = None,
    ) -> list[Segment]:
        """Segments of ``kind`` with their text, speaker, role and participant id."""
        with self.read() as s:
            q = (  # plain columns, not ORM objects: 10k segments load in a third of the time
                select(SegmentRow.id, SegmentRow.document_id, SegmentRow.turn_id, SegmentRow.kind,
                       SegmentRow.start, SegmentRow.end, TurnRow.speaker, TurnRow.role, ParticipantRow.key)
                .join(TurnRow, TurnRow.id == SegmentRow.turn_id)
                .join(DocumentRow, DocumentRow.id == SegmentRow.document_id)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .where(DocumentRow.project_id == self.project_id, SegmentRow.kind == kind)
                .order_by(SegmentRow.document_id, SegmentRow.start)
            )
            if roles is not None:
                q = q.where(TurnRow.role.in_(list(roles)))
            if exclude_roles:
                q = q.where((TurnRow.role.is_(None)) | (TurnRow.role.not_in(list(exclude_roles))))
            if document_ids is not None:
                q = q.where(SegmentRow.document_id.in_(list(document_ids)))
            rows = s.execute(q).all()
            texts = dict(
                s.execute(
                    select(DocumentRow.id, DocumentRow.text).where(
                        DocumentRow.id.in_({r.document_id for r in rows})
                    )
                ).all()
            )
        return [
            Segment(sid, doc, turn, kind_, start, end, texts[doc][start:end], speaker, role, key)
            for sid, doc, turn, kind_, start, end, speaker, role, key in rows
        ]

    def segments_frame(self, kind: str) -> pd.DataFrame:
        """One row per segment with document, participant, speaker, role, times and attributes."""
        with self.read() as s:
            rows = s.execute(
                select(
                    DocumentRow.name, DocumentRow.id, ParticipantRow.key, TurnRow.speaker,
                    TurnRow.role, TurnRow.idx, SegmentRow.idx, SegmentRow.start, SegmentRow.end,
                    TurnRow.time_start, TurnRow.time_end, SegmentRow.id, DocumentRow.id,
                )
                .join(TurnRow, TurnRow.id == SegmentRow.turn_id)
                .join(DocumentRow, DocumentRow.id == SegmentRow.document_id)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .where(DocumentRow.project_id == self.project_id, SegmentRow.kind == kind)
                .order_by(DocumentRow.name, SegmentRow.start)
            ).all()
            texts = dict(s.execute(  # each document's text read once, not once per segment
                select(DocumentRow.id, DocumentRow.text).where(DocumentRow.project_id == self.project_id)
            ).all())
        frame = pd.DataFrame(
            [
                {
                    "segment_id": r[11], "document_id": r[12], "document": r[0],
                    "participant": r[2], "speaker": r[3], "role": r[4], "turn": r[5],
                    "segment": r[6], "start": r[7], "end": r[8], "time_start": r[9],
                    "time_end": r[10], "text": texts[r[1]][r[7]:r[8]],
                }
                for r in rows
            ],
            columns=["segment_id", "document_id", "document", "participant", "speaker", "role",
                     "turn", "segment", "start", "end", "time_start", "time_end", "text"],
        )
        attrs = self._participants.frame()
        if not attrs.empty:
            extra = attrs.drop(columns=["name"])
            extra.columns = ["participant"] + [f"attr:{c}" for c in extra.columns[1:]]
            frame = frame.merge(extra, on="participant", how="left")
        return frame

    def counts(self) -> dict[str, int]:
        with self.read() as s:
            pid = self.project_id
            n_docs = s.scalar(select(func.count(DocumentRow.id)).where(DocumentRow.project_id == pid))
            n_turns = s.scalar(
                select(func.count(TurnRow.id)).join(DocumentRow).where(DocumentRow.project_id == pid)
            )
            n_sent = s.scalar(
                select(func.count(SegmentRow.id))
                .join(DocumentRow, DocumentRow.id == SegmentRow.document_id)
                .where(DocumentRow.project_id == pid, SegmentRow.kind == "sentence")
            )
            n_part = s.scalar(
                select(func.count(ParticipantRow.id)).where(ParticipantRow.project_id == pid)
            )
        return {"documents": n_docs or 0, "turns": n_turns or 0, "sentences": n_sent or 0,
                "participants": n_part or 0}

    def speaker_roles(self) -> dict[str, str]:
        """Speaker label -> role, as the project has it (detected or set by a person)."""
        with self.read() as s:
            rows = s.execute(
                select(TurnRow.speaker, TurnRow.role).distinct()
                .join(DocumentRow, DocumentRow.id == TurnRow.document_id)
                .where(DocumentRow.project_id == self.project_id, TurnRow.speaker.is_not(None))
            ).all()
        return {speaker: role for speaker, role in rows if speaker and role}

    def set_speaker_role(self, uow: UnitOfWork, speaker: str, role: str) -> int:
        """Set the role of every turn by ``speaker`` in the project; returns the turns changed."""
        s = uow.session
        rows = s.scalars(
            select(TurnRow).join(DocumentRow).where(
                DocumentRow.project_id == self.project_id, TurnRow.speaker == speaker
            )
        ).all()
        for row in rows:
            if row.role != role:
                uow.update(row, role=role)
        return len(rows)


    def segment_for_span(self, uow: UnitOfWork, document_id: int, start: int, end: int,
                         kind: str) -> int | None:
        """The segment of ``kind`` that holds the span, if one does."""
        return uow.session.scalars(
            select(SegmentRow.id).where(
                SegmentRow.document_id == document_id, SegmentRow.kind == kind,
                SegmentRow.start <= start, SegmentRow.end >= end,
            )
        ).first()

def _words(doc: Document) -> int:
    """Words spoken: of the turns (labels and preambles left out), or of the whole text."""
    if doc.turns:
        return sum(len(doc.text[t.start:t.end].split()) for t in doc.turns)
    return len(doc.text.split())


TURN_COLUMNS = ("document_id", "idx", "speaker", "participant_id", "role", "start", "end",
                "time_start", "time_end")
SEGMENT_COLUMNS = ("document_id", "turn_id", "kind", "idx", "start", "end")



def _doc(row: DocumentRow) -> StoredDocument:
    return StoredDocument(row.id, row.name, row.original_name, row.format, row.sha256, row.text,
                          dict(row.meta or {}), row.revision)
