"""ProjectStore: the one place that reads and writes a project's database.

Everything outside ``thematic.store`` gets dataclasses or pandas DataFrames from here (DESIGN
invariant 5). Reads use a short session; writes go through :meth:`ProjectStore.unit`, one
audited transaction per user action.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from thematic.errors import NotFoundError, ProjectError
from thematic.models import Document, Segment, Turn
from thematic.store import database as engines
from thematic.store.audit import UnitOfWork
from thematic.store.codings import CodingStore, _get
from thematic.store.orm import (
    AttributeRow,
    Base,
    CoderRow,
    CodingRow,
    DocumentRow,
    ParticipantAttributeRow,
    ParticipantRow,
    ProjectRow,
    SegmentRow,
    TurnRow,
)

DEFAULT_SETTINGS: dict[str, Any] = {"unit": "sentence", "interviewers": [], "language": "en"}


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


class ProjectStore(CodingStore):
    """Open (and create or migrate) the project database at ``target`` (path or URL)."""

    def __init__(self, target: str, *, create: bool = False, name: str | None = None) -> None:
        self.url = engines.to_url(target)
        path = engines.sqlite_path(self.url)
        if path is not None and not path.exists() and not create:
            raise ProjectError(
                "no project file here",
                path=str(path),
                hint="Create it with `thematic init PATH` (or Project.create).",
            )
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = engines.make_engine(self.url)
        try:
            engines.upgrade(self.engine, self.url)
        except ProjectError:
            raise
        except Exception as exc:  # a locked, corrupt or foreign file
            raise ProjectError(
                f"cannot open the project database ({exc.__class__.__name__}: {exc})",
                path=str(path or self.url),
                hint="Check the path; a project file is a SQLite database made by thematic.",
            ) from exc
        self.write_session = engines.sessionmaker_for(self.engine)
        self.read_engine = (
            engines.make_engine(self.url, writer=False) if self.url.startswith("sqlite") else self.engine
        )
        self.read_session = engines.sessionmaker_for(self.read_engine)
        self.project_id = self._ensure_project(name, create)

    def _ensure_project(self, name: str | None, create: bool) -> int:
        with self.write_session.begin() as s:
            rows = s.scalars(select(ProjectRow).order_by(ProjectRow.id)).all()
            if name is not None:
                rows = [r for r in rows if r.name == name]
            if rows:
                return rows[0].id
            if not create:
                raise ProjectError("no project in this database", path=self.url,
                                   hint="Create one with `thematic init`.")
            row = ProjectRow(name=name or "project", settings=dict(DEFAULT_SETTINGS))
            s.add(row)
            s.flush()
            return row.id

    def close(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()

    # ------------------------------------------------------------------ sessions
    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.read_session() as session:
            yield session

    @contextmanager
    def unit(self, actor: str | None, action: str) -> Iterator[UnitOfWork]:
        """One audited transaction: all of it is written, or none of it."""
        with self.write_session.begin() as session:
            if actor:
                _register_coder(session, actor)
            yield UnitOfWork(session, self.project_id, actor, action)

    def coders(self) -> list[str]:
        """Everyone who has changed the project (decided, coded, imported), by name."""
        with self.read() as s:
            return list(s.scalars(select(CoderRow.name).order_by(CoderRow.name)).all())

    # ------------------------------------------------------------------ project
    def project_name(self) -> str:
        with self.read() as s:
            return _get(s, ProjectRow, self.project_id).name

    def settings(self) -> dict[str, Any]:
        with self.read() as s:
            row = _get(s, ProjectRow, self.project_id)
            return {**DEFAULT_SETTINGS, **(row.settings or {})}

    def update_settings(self, uow: UnitOfWork, **changes: Any) -> dict[str, Any]:
        row = _get(uow.session, ProjectRow, self.project_id)
        uow.update(row, settings={**DEFAULT_SETTINGS, **(row.settings or {}), **changes})
        return dict(row.settings)

    # ------------------------------------------------------------------ documents
    def document_by_sha(self, sha256: str) -> StoredDocument | None:
        with self.read() as s:
            row = s.scalars(
                select(DocumentRow).where(
                    DocumentRow.project_id == self.project_id, DocumentRow.sha256 == sha256
                )
            ).first()
            return _doc(row) if row else None

    def document_by_name(self, name: str) -> StoredDocument | None:
        with self.read() as s:
            row = s.scalars(
                select(DocumentRow).where(
                    DocumentRow.project_id == self.project_id, DocumentRow.name == name
                )
            ).first()
            return _doc(row) if row else None

    def document(self, ref: int | str) -> StoredDocument:
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
                                    hint="`thematic status` lists the documents.")
            return _doc(row)

    def add_document(
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

    def replace_document_text(
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
        row = _get(s, DocumentRow, document_id)
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

    def documents_frame(self) -> pd.DataFrame:
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
            q = (
                select(SegmentRow, TurnRow.speaker, TurnRow.role, ParticipantRow.key)
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
                        DocumentRow.id.in_({r[0].document_id for r in rows})
                    )
                ).all()
            )
        return [
            Segment(seg.id, seg.document_id, seg.turn_id, seg.kind, seg.start, seg.end,
                    texts[seg.document_id][seg.start:seg.end], speaker, role, key)
            for seg, speaker, role, key in rows
        ]

    def segments_frame(self, kind: str) -> pd.DataFrame:
        """One row per segment with document, participant, speaker, role, times and attributes."""
        with self.read() as s:
            rows = s.execute(
                select(
                    DocumentRow.name, DocumentRow.text, ParticipantRow.key, TurnRow.speaker,
                    TurnRow.role, TurnRow.idx, SegmentRow.idx, SegmentRow.start, SegmentRow.end,
                    TurnRow.time_start, TurnRow.time_end, SegmentRow.id, DocumentRow.id,
                )
                .join(TurnRow, TurnRow.id == SegmentRow.turn_id)
                .join(DocumentRow, DocumentRow.id == SegmentRow.document_id)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .where(DocumentRow.project_id == self.project_id, SegmentRow.kind == kind)
                .order_by(DocumentRow.name, SegmentRow.start)
            ).all()
        frame = pd.DataFrame(
            [
                {
                    "segment_id": r[11], "document_id": r[12], "document": r[0],
                    "participant": r[2], "speaker": r[3], "role": r[4], "turn": r[5],
                    "segment": r[6], "start": r[7], "end": r[8], "time_start": r[9],
                    "time_end": r[10], "text": r[1][r[7]:r[8]],
                }
                for r in rows
            ],
            columns=["segment_id", "document_id", "document", "participant", "speaker", "role",
                     "turn", "segment", "start", "end", "time_start", "time_end", "text"],
        )
        attrs = self.participants_frame()
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

    # ------------------------------------------------------------------ participants
    def participants_with_turns(self) -> set[str]:
        """Ids of the participants who speak in at least one document."""
        with self.read() as s:
            return set(s.scalars(
                select(ParticipantRow.key).distinct()
                .join(TurnRow, TurnRow.participant_id == ParticipantRow.id)
                .where(ParticipantRow.project_id == self.project_id)
            ).all())

    def participant_names(self) -> dict[str, str | None]:
        with self.read() as s:
            return dict(
                s.execute(
                    select(ParticipantRow.key, ParticipantRow.name).where(
                        ParticipantRow.project_id == self.project_id
                    )
                ).all()
            )

    def ensure_participants(
        self, uow: UnitOfWork, keys: Mapping[str, str | None], *, role: str | None = None
    ) -> dict[str, int]:
        """Create the participants in ``keys`` (id -> name) that do not exist; return id -> pk."""
        s = uow.session
        existing = dict(
            s.execute(
                select(ParticipantRow.key, ParticipantRow.id).where(
                    ParticipantRow.project_id == self.project_id
                )
            ).all()
        )
        for key, name in keys.items():
            if key not in existing:
                row = uow.add(ParticipantRow(project_id=self.project_id, key=key, name=name, role=role))
                existing[key] = row.id
            elif name:
                row = _get(s, ParticipantRow, existing[key])
                if not row.name:
                    uow.update(row, name=name)
        return existing

    def set_attributes(
        self,
        uow: UnitOfWork,
        values: Mapping[str, Mapping[str, Any]],
        types: Mapping[str, str],
    ) -> None:
        """Set participant attributes (participant id -> {attribute: value}) with their types."""
        s = uow.session
        pks = self.ensure_participants(uow, {k: None for k in values})
        attr_ids = dict(
            s.execute(
                select(AttributeRow.name, AttributeRow.id).where(
                    AttributeRow.project_id == self.project_id
                )
            ).all()
        )
        for name, typ in types.items():
            if name not in attr_ids:
                attr_ids[name] = uow.add(
                    AttributeRow(project_id=self.project_id, name=name, type=typ)
                ).id
            else:
                attr_row = _get(s, AttributeRow, attr_ids[name])
                if attr_row.type != typ:
                    uow.update(attr_row, type=typ)
        for key, attrs in values.items():
            for name, value in attrs.items():
                if name not in attr_ids:
                    attr_ids[name] = uow.add(
                        AttributeRow(project_id=self.project_id, name=name, type=types.get(name, "text"))
                    ).id
                text = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
                current = s.get(ParticipantAttributeRow, (pks[key], attr_ids[name]))
                if current is None:
                    uow.add(ParticipantAttributeRow(participant_id=pks[key],
                                                    attribute_id=attr_ids[name], value=text))
                elif current.value != text:
                    uow.update(current, value=text)

    def attribute_types(self) -> dict[str, str]:
        with self.read() as s:
            return dict(
                s.execute(
                    select(AttributeRow.name, AttributeRow.type).where(
                        AttributeRow.project_id == self.project_id
                    ).order_by(AttributeRow.id)
                ).all()
            )

    def participants_frame(self) -> pd.DataFrame:
        """One row per participant: participant, name, then one typed column per attribute."""
        with self.read() as s:
            parts = s.execute(
                select(ParticipantRow.id, ParticipantRow.key, ParticipantRow.name, ParticipantRow.role)
                .where(ParticipantRow.project_id == self.project_id)
                .order_by(ParticipantRow.key)
            ).all()
            values = s.execute(
                select(ParticipantAttributeRow.participant_id, AttributeRow.name,
                       ParticipantAttributeRow.value)
                .join(AttributeRow)
                .where(AttributeRow.project_id == self.project_id)
            ).all()
        types = self.attribute_types()
        by_part: dict[int, dict[str, Any]] = {}
        for pid, name, value in values:
            by_part.setdefault(pid, {})[name] = value
        # a participant's role is researcher data: an attribute (participants.csv's "role")
        frame = pd.DataFrame(
            [{"participant": k, "name": n, **by_part.get(pid, {})} for pid, k, n, _ in parts],
            columns=["participant", "name", *types],
        )
        for name, typ in types.items():
            if typ == "number":
                frame[name] = pd.to_numeric(frame[name], errors="coerce")
            elif typ == "date":
                frame[name] = pd.to_datetime(frame[name], errors="coerce")
        return frame

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


def _register_coder(s: Session, name: str) -> None:
    if s.scalars(select(CoderRow.id).where(CoderRow.name == name)).first() is None:
        s.add(CoderRow(name=name))
        s.flush()


def _words(doc: Document) -> int:
    """Words spoken: of the turns (labels and preambles left out), or of the whole text."""
    if doc.turns:
        return sum(len(doc.text[t.start:t.end].split()) for t in doc.turns)
    return len(doc.text.split())


TURN_COLUMNS = ("document_id", "idx", "speaker", "participant_id", "role", "start", "end",
                "time_start", "time_end")
SEGMENT_COLUMNS = ("document_id", "turn_id", "kind", "idx", "start", "end")


def bulk_insert(s: Session, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert many rows (tuples in the order of ``columns``) fast, in the session's transaction.

    On SQLite the tuples go straight to the driver's ``executemany``: SQLAlchemy's
    per-row parameter processing costs more than SQLite's insert (measured in
    ``benchmarks/bench_ingest.py``). Other databases use Core's executemany.
    """
    if not rows:
        return
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        s.execute(insert(table), [dict(zip(columns, row)) for row in rows])
        return
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)


def _doc(row: DocumentRow) -> StoredDocument:
    return StoredDocument(row.id, row.name, row.original_name, row.format, row.sha256, row.text,
                          dict(row.meta or {}), row.revision)
