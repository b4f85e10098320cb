"""Codes, codebook versions, runs, codings and the embedding cache (a ProjectStore mixin)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from thematic.errors import ConflictError, NotFoundError
from thematic.models import Code, Codebook, Coding, Example, Rule, Suggestion
from thematic.store.audit import UnitOfWork
from thematic.store.orm import (
    Base,
    CodebookVersionRow,
    CodeRow,
    CodingRow,
    DocumentRow,
    EmbeddingRow,
    ParticipantRow,
    RunRow,
    SegmentRow,
    TurnRow,
    utcnow,
)

CODE_FIELDS = ("name", "definition", "inclusion", "exclusion", "examples", "color", "rules")


RowT = TypeVar("RowT")


def _get(s: Session, cls: type[RowT], ident: Any) -> RowT:
    """The row of ``cls`` with primary key ``ident``; NotFoundError when it is gone."""
    row = s.get(cls, ident)
    if row is None:
        raise NotFoundError(f"{getattr(cls, '__tablename__', cls.__name__)} {ident} no longer exists",
                            hint="Someone may have deleted it; reload.")
    return row


def code_to_row_values(code: Code) -> dict[str, Any]:
    return {
        "name": code.name,
        "definition": code.definition or "",
        "inclusion": code.inclusion or "",
        "exclusion": code.exclusion or "",
        "examples": [asdict(e) for e in code.examples],
        "color": code.color,
        "rules": [{**asdict(r), "roles": list(r.roles) if r.roles else None} for r in code.rules],
    }


def row_to_code(row: CodeRow, keys: Mapping[int, str]) -> Code:
    return Code(
        id=row.key,
        name=row.name,
        parent_id=keys.get(row.parent_id) if row.parent_id else None,
        definition=row.definition or "",
        inclusion=row.inclusion or "",
        exclusion=row.exclusion or "",
        examples=tuple(Example(**e) for e in (row.examples or [])),
        color=row.color,
        rules=tuple(
            Rule(**{**r, "roles": tuple(r["roles"]) if r.get("roles") else None})
            for r in (row.rules or [])
        ),
    )


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


class CodingStore:
    """Mixin of :class:`ProjectStore` for everything about codes and codings."""

    project_id: int
    write_session: sessionmaker[Session]

    if TYPE_CHECKING:  # provided by ProjectStore, which this class is mixed into

        def read(self) -> AbstractContextManager[Session]: ...

    # ------------------------------------------------------------------ codes
    def _code_rows(self, s: Session) -> list[CodeRow]:
        return list(
            s.scalars(
                select(CodeRow).where(CodeRow.project_id == self.project_id).order_by(CodeRow.position, CodeRow.id)
            ).all()
        )

    def code_row(self, s: Session, key: str) -> CodeRow:
        row = s.scalars(
            select(CodeRow).where(CodeRow.project_id == self.project_id, CodeRow.key == key)
        ).first()
        if row is None:
            raise NotFoundError(f"no code '{key}' in this project", code_id=key,
                                hint="`thematic codebook export` lists the project's codes.")
        return row

    def codebook(self) -> Codebook:
        """The project's current codebook, as stored (with the last loaded version's label)."""
        with self.read() as s:
            rows = self._code_rows(s)
            keys = {r.id: r.key for r in rows}
            version = s.scalars(
                select(CodebookVersionRow)
                .where(CodebookVersionRow.project_id == self.project_id)
                .order_by(CodebookVersionRow.id.desc())
            ).first()
        return Codebook(
            codes=[row_to_code(r, keys) for r in rows],
            name=version.name if version else "codebook",
            label=version.label if version else "",
            content_hash=version.content_hash if version else "",
            source_path=version.source_path if version else None,
        )

    def latest_codebook_version(self) -> tuple[int, str, str] | None:
        with self.read() as s:
            row = s.scalars(
                select(CodebookVersionRow)
                .where(CodebookVersionRow.project_id == self.project_id)
                .order_by(CodebookVersionRow.id.desc())
            ).first()
            return (row.id, row.label, row.content_hash) if row else None

    def record_codebook_version(self, uow: UnitOfWork, codebook: Codebook, content: dict) -> int:
        row = uow.add(CodebookVersionRow(
            project_id=self.project_id, name=codebook.name, label=codebook.label,
            content_hash=codebook.content_hash, source_path=codebook.source_path, content=content,
        ))
        return row.id

    def sync_codes(self, uow: UnitOfWork, codebook: Codebook) -> dict[str, list[str]]:
        """Make the project's codes equal to ``codebook``'s.

        Codes that disappeared are deleted with their undecided suggestions, unless a person
        decided codings of theirs: those codes are kept and listed under ``kept``.
        """
        s = uow.session
        rows = {r.key: r for r in self._code_rows(s)}
        result: dict[str, list[str]] = {"added": [], "updated": [], "removed": [], "kept": []}
        for pos, code in enumerate(codebook.codes):
            values = code_to_row_values(code)
            if code.id in rows:
                row = rows[code.id]
                changes = {k: v for k, v in values.items() if getattr(row, k) != v}
                if row.position != pos:
                    changes["position"] = pos
                if changes:
                    uow.update(row, **changes)
                    if set(changes) - {"position"}:
                        result["updated"].append(code.id)
            else:
                rows[code.id] = uow.add(CodeRow(project_id=self.project_id, key=code.id,
                                                position=pos, **values))
                result["added"].append(code.id)
        for code in codebook.codes:
            parent = rows[code.parent_id].id if code.parent_id else None
            if rows[code.id].parent_id != parent:
                uow.update(rows[code.id], parent_id=parent)
        wanted = {c.id for c in codebook.codes}
        for key, row in rows.items():
            if key in wanted:
                continue
            decided = s.scalars(
                select(CodingRow.id).where(CodingRow.code_id == row.id, CodingRow.status != "suggested")
            ).first()
            if decided is not None:
                result["kept"].append(key)
                continue
            for coding in s.scalars(select(CodingRow).where(CodingRow.code_id == row.id)).all():
                uow.delete(coding)
            uow.delete(row)
            result["removed"].append(key)
        return result

    # ------------------------------------------------------------------ runs
    def start_run(self, uow: UnitOfWork, *, engine: str, params: dict, versions: dict,
                  codebook_version_id: int | None, input_hash: str, seed: int | None) -> int:
        row = uow.add(RunRow(
            project_id=self.project_id, engine=engine, params=params, versions=versions,
            codebook_version_id=codebook_version_id, input_hash=input_hash, seed=seed,
            actor=uow.actor,
        ))
        return row.id

    def finish_run(self, uow: UnitOfWork, run_id: int, stats: dict) -> None:
        row = _get(uow.session, RunRow, run_id)
        row.status = "finished"
        row.stats = stats
        row.finished_at = utcnow()

    def runs_frame(self) -> pd.DataFrame:
        with self.read() as s:
            rows = s.scalars(select(RunRow).where(RunRow.project_id == self.project_id).order_by(RunRow.id)).all()
            return pd.DataFrame(
                [{"run": r.id, "engine": r.engine, "status": r.status, "started_at": r.started_at,
                  "finished_at": r.finished_at, "input_hash": r.input_hash, "seed": r.seed,
                  "params": r.params, "versions": r.versions, "stats": r.stats,
                  "codebook_version_id": r.codebook_version_id} for r in rows],
                columns=["run", "engine", "status", "started_at", "finished_at", "input_hash",
                         "seed", "params", "versions", "stats", "codebook_version_id"],
            )

    # ------------------------------------------------------------------ suggestions
    def add_suggestions(self, uow: UnitOfWork, run_id: int, suggestions: Sequence[Suggestion]) -> dict[str, int]:
        """Store suggestions of a run without ever touching a person's decision.

        A suggestion for a (document, code, span) that already has a coding refreshes that
        coding's confidence and evidence while it is still ``suggested``, and is dropped when
        a person decided it (accepted or rejected): re-running never duplicates.
        """
        s = uow.session
        code_ids = {r.key: r.id for r in self._code_rows(s)}
        keys = {(sg.document_id, code_ids[sg.code_id], sg.start, sg.end) for sg in suggestions
                if sg.code_id in code_ids}
        existing: dict[tuple, CodingRow | None] = {}
        doc_ids = {k[0] for k in keys}
        if doc_ids:
            for row in s.scalars(select(CodingRow).where(CodingRow.document_id.in_(doc_ids))).all():
                existing[(row.document_id, row.code_id, row.start, row.end)] = row
        new_rows: list[dict[str, Any]] = []
        refreshed = kept = 0
        now = utcnow()
        for sg in suggestions:
            if sg.code_id not in code_ids:
                continue
            key = (sg.document_id, code_ids[sg.code_id], sg.start, sg.end)
            if key in existing and existing[key] is None:
                continue  # this run suggested the same span and code already
            found = existing.get(key)
            if found is None:
                new_rows.append({
                    "project_id": self.project_id, "document_id": sg.document_id,
                    "code_id": key[1], "segment_id": sg.segment_id, "start": sg.start, "end": sg.end,
                    "source": sg.source, "status": "suggested", "confidence": float(sg.confidence),
                    "evidence": sg.evidence, "run_id": run_id, "created_at": now, "version": 1,
                    "coder": None,
                })
                existing[key] = None  # taken by a new row of this run
            elif found.status == "suggested" and found.source != "manual":
                found.confidence = float(sg.confidence)
                found.evidence = sg.evidence
                found.source = sg.source
                found.run_id = run_id
                refreshed += 1
            else:
                kept += 1
        if new_rows:
            s.execute(insert(Base.metadata.tables["codings"]), new_rows)
        s.flush()
        return {"added": len(new_rows), "refreshed": refreshed, "decided_kept": kept}

    # ------------------------------------------------------------------ codings
    def coding(self, coding_id: int) -> Coding:
        with self.read() as s:
            row = s.get(CodingRow, coding_id)
            if row is None or row.project_id != self.project_id:
                raise NotFoundError(f"no coding {coding_id} in this project")
            return _coding(row, _get(s, CodeRow, row.code_id).key)

    def coding_counts(self) -> dict[str, int]:
        """Codings per status."""
        from sqlalchemy import func

        with self.read() as s:
            rows = s.execute(
                select(CodingRow.status, func.count(CodingRow.id))
                .where(CodingRow.project_id == self.project_id)
                .group_by(CodingRow.status)
            ).all()
        counts = {"suggested": 0, "accepted": 0, "rejected": 0}
        counts.update({status: int(n) for status, n in rows})
        return counts

    def coding_row(self, s: Session, coding_id: int, expected_version: int | None = None) -> CodingRow:
        row = s.get(CodingRow, coding_id)
        if row is None or row.project_id != self.project_id:
            raise NotFoundError(f"no coding {coding_id} in this project",
                                hint="It may have been deleted or undone; reload.")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                f"coding {coding_id} was changed by {row.decided_by or 'someone'} since you read it",
                hint="Reload and decide again.",
            )
        return row

    def coding_spans(self, uow: UnitOfWork, document_id: int) -> list[tuple[int, int, int]]:
        rows = uow.session.execute(
            select(CodingRow.id, CodingRow.start, CodingRow.end).where(CodingRow.document_id == document_id)
        ).all()
        return [(cid, start, end) for cid, start, end in rows]

    def move_coding(self, uow: UnitOfWork, coding_id: int, start: int, end: int) -> None:
        row = _get(uow.session, CodingRow, coding_id)
        if (row.start, row.end) != (start, end):
            uow.update(row, start=start, end=end)

    def delete_coding(self, uow: UnitOfWork, coding_id: int) -> None:
        uow.delete(_get(uow.session, CodingRow, coding_id))

    def coding_ids(self, *, code: str | None = None, source: str | None = None,
                   status: str | None = None, min_confidence: float | None = None,
                   max_confidence: float | None = None, document_id: int | None = None) -> list[int]:
        with self.read() as s:
            q = select(CodingRow.id).where(CodingRow.project_id == self.project_id)
            if code is not None:
                q = q.where(CodingRow.code_id == self.code_row(s, code).id)
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

    def codings_frame(self, *, status: str | None = None, document_id: int | None = None) -> pd.DataFrame:
        """One row per coding with its document, participant, speaker, role, times and text."""
        with self.read() as s:
            q = (
                select(CodingRow, CodeRow.key, DocumentRow.name, DocumentRow.text)
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
            turns = s.execute(
                select(TurnRow.document_id, TurnRow.start, TurnRow.end, TurnRow.speaker, TurnRow.role,
                       TurnRow.time_start, TurnRow.time_end, ParticipantRow.key)
                .outerjoin(ParticipantRow, ParticipantRow.id == TurnRow.participant_id)
                .join(DocumentRow, DocumentRow.id == TurnRow.document_id)
                .where(DocumentRow.project_id == self.project_id)
            ).all()
        by_doc: dict[int, list] = {}
        for t in turns:
            by_doc.setdefault(t[0], []).append(t)
        records = []
        for row, key, doc_name, text in rows:
            turn = next((t for t in by_doc.get(row.document_id, []) if t[1] <= row.start < max(t[2], t[1] + 1)), None)
            records.append({
                "coding_id": row.id, "document_id": row.document_id, "document": doc_name,
                "participant": turn[7] if turn else None, "speaker": turn[3] if turn else None,
                "role": turn[4] if turn else None, "code": key, "start": row.start, "end": row.end,
                "time_start": turn[5] if turn else None, "time_end": turn[6] if turn else None,
                "text": text[row.start:row.end],
                "context_before": text[max(0, row.start - 150):row.start],
                "context_after": text[row.end:row.end + 150],
                "source": row.source, "status": row.status, "confidence": row.confidence,
                "evidence": row.evidence, "coder": row.coder, "run_id": row.run_id,
                "decided_by": row.decided_by, "decided_at": row.decided_at, "version": row.version,
            })
        cols = ["coding_id", "document_id", "document", "participant", "speaker", "role", "code",
                "start", "end", "time_start", "time_end", "text", "context_before", "context_after",
                "source", "status", "confidence", "evidence", "coder", "run_id", "decided_by",
                "decided_at", "version"]
        return pd.DataFrame(records, columns=cols)

    def segment_for_span(self, s: Session, document_id: int, start: int, end: int, kind: str) -> int | None:
        return s.scalars(
            select(SegmentRow.id).where(
                SegmentRow.document_id == document_id, SegmentRow.kind == kind,
                SegmentRow.start <= start, SegmentRow.end >= end,
            )
        ).first()

    # ------------------------------------------------------------------ embedding cache
    def get_embeddings(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        keys = list(dict.fromkeys(keys))
        with self.read() as s:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                for key, dim, blob in s.execute(
                    select(EmbeddingRow.key, EmbeddingRow.dim, EmbeddingRow.vector).where(
                        EmbeddingRow.model == model, EmbeddingRow.key.in_(chunk)
                    )
                ).all():
                    out[key] = np.frombuffer(blob, dtype=np.float32, count=dim).copy()
        return out

    def put_embeddings(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        if not vectors:
            return
        with self.write_session.begin() as s:
            present: set[str] = set()
            keys = list(vectors)
            for i in range(0, len(keys), 500):
                present.update(s.scalars(select(EmbeddingRow.key).where(
                    EmbeddingRow.model == model, EmbeddingRow.key.in_(keys[i:i + 500]))).all())
            rows = [
                {"model": model, "key": k, "dim": int(v.shape[0]),
                 "vector": np.asarray(v, dtype=np.float32).tobytes()}
                for k, v in vectors.items() if k not in present
            ]
            if rows:
                s.execute(insert(Base.metadata.tables["embeddings"]), rows)

    # ------------------------------------------------------------------ history
    def revision(self) -> int:
        """The newest audit event id (0 for a new project): changes whenever the project does."""
        from sqlalchemy import func

        from thematic.store.orm import AuditEventRow as A

        with self.read() as s:
            return int(s.scalar(select(func.max(A.id)).where(A.project_id == self.project_id)) or 0)

    def history_frame(self, *, limit: int = 50) -> pd.DataFrame:
        """One row per transaction, newest first: txn, at, actor, action, changes, undone."""
        from sqlalchemy import func

        from thematic.store.orm import AuditEventRow as A

        with self.read() as s:
            rows = s.execute(
                select(A.txn, func.min(A.at), func.max(A.actor), func.max(A.action),
                       func.count(A.id), func.max(A.undo_of))
                .where(A.project_id == self.project_id)
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


class StoreEmbeddingCache:
    """The project's embedding cache behind the suggest engines' ``EmbeddingCache`` protocol."""

    def __init__(self, store: CodingStore) -> None:
        self.store = store

    def get(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        return self.store.get_embeddings(model, keys)

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self.store.put_embeddings(model, vectors)


__all__ = ["CodingStore", "StoreEmbeddingCache"]
