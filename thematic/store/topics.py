"""Topic-model candidates of a run and their member segments.

A topics run stores one ``topics`` row per candidate (label, keywords, quotes and nearest
codes in ``representation``/``nearest``, stability) and one ``topic_members`` row per member
segment with its probability. A candidate of the tree above the leaf topics records its
parent's key in ``representation["parent"]`` (``frame`` gives the parent's topic id). A
person's decision on a candidate (adopt as a new code, map to an existing code, merge, rename,
reject) is an audited update of its row; the codings it makes are audited inserts, so undo
removes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select

from thematic.errors import NotFoundError
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, bulk_insert
from thematic.store.orm import Base, CodeRow, CodingRow, TopicMemberRow, TopicRow, utcnow

TOPIC_COLUMNS = ["topic_id", "run_id", "key", "label", "keywords", "size", "participants",
                 "stability", "stable", "nearest", "status", "code", "merged_into", "quotes",
                 "parent"]
MEMBER_COLUMNS = ["topic_id", "segment_id", "probability"]


class Topics(Aggregate):
    """Topic candidates and their members."""

    # ------------------------------------------------------------------ writes
    def add_run(self, uow: UnitOfWork, run_id: int, candidates: Sequence[Mapping[str, Any]],
                members: Sequence[tuple[int, int, float]]) -> dict[int, int]:
        """Store a run's candidates and members; returns topic key -> topic id.

        ``candidates`` hold key, label, keywords, size, participants (count), stability,
        stable, nearest, representation; ``members`` are (key, segment_id, probability) rows of
        grouped segments. Members are inserted in bulk: undoing the run deletes the topics, and
        their members with them.
        """
        ids: dict[int, int] = {}
        for c in candidates:
            row = uow.add(TopicRow(
                project_id=self.project_id, run_id=run_id, key=int(c["key"]),
                label=str(c["label"])[:300], keywords=list(c["keywords"]),
                representation=dict(c.get("representation", {})), size=int(c["size"]),
                participants=int(c["participants"]), stability=c.get("stability"),
                stable=bool(c.get("stable") or False), nearest=list(c.get("nearest", [])),
                status="candidate",
            ))
            ids[int(c["key"])] = row.id
        rows = [(ids[k], int(s), float(p)) for k, s, p in members if k in ids]
        bulk_insert(uow.session, Base.metadata.tables["topic_members"], MEMBER_COLUMNS, rows)
        return ids

    def set_decision(self, uow: UnitOfWork, topic_id: int, *, status: str,
                     code_key: str | None = None, merged_into: int | None = None) -> None:
        """Record a person's decision on a candidate (status, code, merge target)."""
        row = self._topic(uow, topic_id)
        code_id = None
        if code_key is not None:
            code_id = uow.session.scalars(select(CodeRow.id).where(
                CodeRow.project_id == self.project_id, CodeRow.key == code_key)).first()
            if code_id is None:
                raise NotFoundError(f"no code '{code_key}' in this project", code_id=code_key)
        uow.update(row, status=status, code_id=code_id, merged_into=merged_into)

    def rename(self, uow: UnitOfWork, topic_id: int, label: str) -> None:
        """Change a candidate's label."""
        uow.update(self._topic(uow, topic_id), label=label[:300])

    def add_members(self, uow: UnitOfWork, topic_id: int,
                    members: Sequence[tuple[int, float]]) -> int:
        """Add (segment_id, probability) members not yet in the topic (audited); returns how
        many were added, and updates the topic's size."""
        row = self._topic(uow, topic_id)
        have = set(uow.session.scalars(select(TopicMemberRow.segment_id).where(
            TopicMemberRow.topic_id == topic_id)).all())
        added = 0
        for segment_id, probability in members:
            if int(segment_id) in have:
                continue
            uow.add(TopicMemberRow(topic_id=topic_id, segment_id=int(segment_id),
                                   probability=float(probability)))
            have.add(int(segment_id))
            added += 1
        if added:
            uow.update(row, size=len(have))
        return added

    def add_codings(self, uow: UnitOfWork, topic_id: int, code_key: str,
                    spans: Sequence[Mapping[str, Any]]) -> int:
        """Members as suggested codings of ``code_key`` (source ``topic``; audited inserts).

        ``spans`` hold document_id, segment_id, start, end, probability. A span that already
        has a coding of the code is skipped. Returns the number of codings made.
        """
        row = self._topic(uow, topic_id)
        code_id = uow.session.scalars(select(CodeRow.id).where(
            CodeRow.project_id == self.project_id, CodeRow.key == code_key)).first()
        if code_id is None:
            raise NotFoundError(f"no code '{code_key}' in this project", code_id=code_key)
        existing = {(d, s, e) for d, s, e in uow.session.execute(
            select(CodingRow.document_id, CodingRow.start, CodingRow.end).where(
                CodingRow.code_id == code_id)).all()}
        now = utcnow()
        made = 0
        for span in spans:
            key = (int(span["document_id"]), int(span["start"]), int(span["end"]))
            if key in existing:
                continue
            existing.add(key)
            uow.add(CodingRow(
                project_id=self.project_id, document_id=key[0], code_id=code_id,
                segment_id=int(span["segment_id"]), start=key[1], end=key[2], source="topic",
                status="suggested", confidence=float(span["probability"]),
                evidence={"engine": "topics", "engine_version": "1", "topic_id": topic_id,
                          "topic": row.key, "label": row.label,
                          "probability": float(span["probability"])},
                coder=None, run_id=row.run_id, created_at=now, version=1,
            ))
            made += 1
        return made

    # ------------------------------------------------------------------ reads
    def frame(self, *, run_id: int | None = None, status: str | None = None) -> pd.DataFrame:
        """Topics, by run then key. Columns: ``TOPIC_COLUMNS`` (code is the code key)."""
        with self.read() as s:
            q = (select(TopicRow, CodeRow.key).outerjoin(CodeRow, CodeRow.id == TopicRow.code_id)
                 .where(TopicRow.project_id == self.project_id))
            if run_id is not None:
                q = q.where(TopicRow.run_id == run_id)
            if status is not None:
                q = q.where(TopicRow.status == status)
            found = s.execute(q.order_by(TopicRow.run_id, TopicRow.key)).all()
            parents = self._parent_ids([t for t, _ in found], s)
            records = [
                (t.id, t.run_id, t.key, t.label, list(t.keywords or []), t.size, t.participants,
                 t.stability, t.stable, list(t.nearest or []), t.status, code, t.merged_into,
                 list((t.representation or {}).get("quotes", [])), parents.get(t.id))
                for t, code in found
            ]
        return pd.DataFrame(records, columns=TOPIC_COLUMNS)

    def _parent_ids(self, topics: Sequence[TopicRow], s: Any) -> dict[int, int]:
        """Topic id -> its parent's topic id (the parent's key in ``representation``, same run)."""
        wanted = {(t.run_id, int(p)) for t in topics
                  if (p := (t.representation or {}).get("parent")) is not None}
        if not wanted:
            return {}
        runs = sorted({r for r, _ in wanted})
        ids = {(r, k): i for i, r, k in s.execute(
            select(TopicRow.id, TopicRow.run_id, TopicRow.key)
            .where(TopicRow.project_id == self.project_id, TopicRow.run_id.in_(runs))).all()}
        out = {}
        for t in topics:
            p = (t.representation or {}).get("parent")
            if p is not None and (t.run_id, int(p)) in ids:
                out[t.id] = ids[(t.run_id, int(p))]
        return out

    def members(self, topic_ids: Sequence[int]) -> pd.DataFrame:
        """Members of ``topic_ids``. Columns: ``MEMBER_COLUMNS``, by topic and probability."""
        ids = [int(t) for t in topic_ids]
        if not ids:
            return pd.DataFrame(columns=MEMBER_COLUMNS)
        with self.read() as s:
            rows = s.execute(
                select(TopicMemberRow.topic_id, TopicMemberRow.segment_id,
                       TopicMemberRow.probability)
                .where(TopicMemberRow.topic_id.in_(ids))
                .order_by(TopicMemberRow.topic_id, TopicMemberRow.probability.desc(),
                          TopicMemberRow.segment_id)
            ).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=MEMBER_COLUMNS)

    def latest_run(self) -> int | None:
        """The id of the newest run that stored topics."""
        with self.read() as s:
            return s.scalars(select(TopicRow.run_id).where(TopicRow.project_id == self.project_id)
                             .order_by(TopicRow.run_id.desc()).limit(1)).first()

    def _topic(self, uow: UnitOfWork, topic_id: int) -> TopicRow:
        row = uow.session.get(TopicRow, int(topic_id))
        if row is None or row.project_id != self.project_id:
            raise NotFoundError(f"no topic {topic_id} in this project",
                                remedy="list-topics")
        return row
