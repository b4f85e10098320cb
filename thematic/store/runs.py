"""Suggestion runs, the suggestions they store, and the derived caches: embeddings, and arrays
computed from the project (the codebook's scores the learned model starts from)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from thematic.models import Suggestion
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, Reader, get_row
from thematic.store.orm import (
    Base,
    CodeRow,
    CodingRow,
    DerivedArraysRow,
    EmbeddingRow,
    RunRow,
    utcnow,
)


class Runs(Aggregate):
    """Runs of the suggestion engines and what they stored."""

    def __init__(self, project_id: int, read: Reader, write: sessionmaker[Session]) -> None:
        super().__init__(project_id, read)
        self._write = write

    def start(self, uow: UnitOfWork, *, engine: str, params: dict[str, Any],
              versions: dict[str, Any], codebook_version_id: int | None, input_hash: str,
              seed: int | None) -> int:
        """Record a run as started; returns its id (undoing it removes what it suggested)."""
        row = uow.add(RunRow(
            project_id=self.project_id, engine=engine, params=params, versions=versions,
            codebook_version_id=codebook_version_id, input_hash=input_hash, seed=seed,
            actor=uow.actor,
        ))
        return row.id

    def finish(self, uow: UnitOfWork, run_id: int, stats: dict[str, Any]) -> None:
        """Mark the run finished with its ``stats``."""
        row = get_row(uow.session, RunRow, run_id)
        row.status = "finished"
        row.stats = stats
        row.finished_at = utcnow()

    def frame(self) -> pd.DataFrame:
        """One row per run: run, engine, status, started_at, finished_at, input_hash, seed,
        params, versions, stats, codebook_version_id."""
        cols = ["run", "engine", "status", "started_at", "finished_at", "input_hash",
                "seed", "params", "versions", "stats", "codebook_version_id"]
        with self.read() as s:
            rows = s.scalars(select(RunRow).where(RunRow.project_id == self.project_id)
                             .order_by(RunRow.id)).all()
            return pd.DataFrame(
                [{"run": r.id, "engine": r.engine, "status": r.status, "started_at": r.started_at,
                  "finished_at": r.finished_at, "input_hash": r.input_hash, "seed": r.seed,
                  "params": r.params, "versions": r.versions, "stats": r.stats,
                  "codebook_version_id": r.codebook_version_id} for r in rows],
                columns=cols,
            )

    def add_suggestions(self, uow: UnitOfWork, run_id: int,
                        suggestions: Sequence[Suggestion]) -> dict[str, int]:
        """Store suggestions of a run without ever touching a person's decision.

        A suggestion for a (document, code, span) that already has a coding refreshes that
        coding's confidence, evidence, source and run while it is still ``suggested`` (an
        audited update, so undoing the run restores it exactly), and is left alone when a
        person decided it. New codings are inserted in bulk; undoing the run deletes those.
        Suggestions for a code the codebook lacks are counted under ``unknown_code``.

        Returns
        -------
        dict
            ``added``, ``refreshed``, ``decided_kept``, ``unknown_code``.
        """
        s = uow.session
        code_ids = {key: pk for key, pk in s.execute(
            select(CodeRow.key, CodeRow.id).where(CodeRow.project_id == self.project_id)).all()}
        known = [sg for sg in suggestions if sg.code_id in code_ids]
        existing: dict[tuple[int, int, int, int], CodingRow | None] = {}
        doc_ids = {sg.document_id for sg in known}
        if doc_ids:
            for row in s.scalars(select(CodingRow).where(CodingRow.document_id.in_(doc_ids))).all():
                existing[(row.document_id, row.code_id, row.start, row.end)] = row
        new_rows: list[dict[str, Any]] = []
        refresh: list[tuple[CodingRow, dict[str, Any]]] = []
        kept = 0
        now = utcnow()
        for sg in known:
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
                refresh.append((found, {"confidence": float(sg.confidence), "evidence": sg.evidence,
                                        "source": sg.source, "run_id": run_id}))
            else:
                kept += 1
        uow.refresh_many(refresh)
        if new_rows:
            s.execute(insert(Base.metadata.tables["codings"]), new_rows)
        s.flush()
        return {"added": len(new_rows), "refreshed": len(refresh), "decided_kept": kept,
                "unknown_code": len(suggestions) - len(known)}

    # ------------------------------------------------------------------ embedding cache
    def get_embeddings(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors of ``model`` by content key (missing keys are left out)."""
        out: dict[str, np.ndarray] = {}
        wanted = list(dict.fromkeys(keys))
        with self.read() as s:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                for key, dim, blob in s.execute(
                    select(EmbeddingRow.key, EmbeddingRow.dim, EmbeddingRow.vector).where(
                        EmbeddingRow.model == model, EmbeddingRow.key.in_(chunk)
                    )
                ).all():
                    out[key] = np.frombuffer(blob, dtype=np.float32, count=dim).copy()
        return out

    def put_embeddings(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Cache vectors (a derived cache: its own transaction, not audited)."""
        if not vectors:
            return
        with self._write.begin() as s:
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

    # ------------------------------------------------------------------ derived arrays
    def get_derived(self, key: str) -> bytes | None:
        """The payload kept under ``key``, or None."""
        with self.read() as s:
            return s.scalar(select(DerivedArraysRow.payload).where(DerivedArraysRow.key == key))

    def has_derived(self, key: str) -> bool:
        """Whether a payload is kept under ``key``."""
        with self.read() as s:
            return s.scalar(select(DerivedArraysRow.key).where(DerivedArraysRow.key == key)) is not None

    def put_derived(self, key: str, kind: str, payload: bytes, *, keep: int = 4) -> None:
        """Keep ``payload`` under ``key`` (a derived cache: its own transaction, not audited), and
        only the ``keep`` newest payloads of its ``kind``. Not kept, silently, when another process
        kept the same key at the same moment (the same payload) or the project cannot be written
        (read-only, locked): what is derived is computed again next time."""
        from sqlalchemy.exc import IntegrityError, OperationalError

        try:
            self._put_derived(key, kind, payload, keep)
        except (IntegrityError, OperationalError):
            pass

    def _put_derived(self, key: str, kind: str, payload: bytes, keep: int) -> None:
        with self._write.begin() as s:
            row = s.get(DerivedArraysRow, key)
            if row is None:
                s.add(DerivedArraysRow(key=key, kind=kind, payload=payload, created_at=utcnow()))
            else:  # kept before but unreadable: replaced
                row.kind, row.payload, row.created_at = kind, payload, utcnow()
            s.flush()
            old = s.scalars(select(DerivedArraysRow.key).where(DerivedArraysRow.kind == kind)
                            .order_by(DerivedArraysRow.created_at.desc(), DerivedArraysRow.key)
                            .offset(keep)).all()
            for stale in old:
                if stale != key:
                    s.delete(s.get(DerivedArraysRow, stale))


class StoreEmbeddingCache:
    """The project's embedding cache behind the suggest engines' ``EmbeddingCache`` protocol."""

    def __init__(self, runs: Runs) -> None:
        self.runs = runs

    def get(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """Cached vectors by key."""
        return self.runs.get_embeddings(model, keys)

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Cache vectors."""
        self.runs.put_embeddings(model, vectors)

    def get_arrays(self, key: str) -> dict[str, np.ndarray] | None:
        """The arrays kept under ``key`` (:meth:`put_arrays`), or None (also when unreadable)."""
        import io

        payload = self.runs.get_derived(key)
        if payload is None:
            return None
        try:
            with np.load(io.BytesIO(payload), allow_pickle=False) as kept:
                return {name: kept[name] for name in kept.files}
        except (OSError, ValueError):  # a truncated or foreign payload is computed again
            return None

    def has_arrays(self, key: str) -> bool:
        """Whether arrays are kept under ``key``."""
        return self.runs.has_derived(key)

    def put_arrays(self, key: str, kind: str, arrays: Mapping[str, np.ndarray]) -> None:
        """Keep ``arrays`` under ``key`` (the newest four of their ``kind``)."""
        import io

        buffer = io.BytesIO()
        np.savez_compressed(buffer, **dict(arrays))  # type: ignore[arg-type]  # numeric and str arrays: no pickle
        self.runs.put_derived(key, kind, buffer.getvalue())
