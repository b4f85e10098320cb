"""Memos (notes on the project, a document, a code, a theme or a coding), documents marked as
read by a coder, and recordings attached to documents."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select

from thematic.errors import NotFoundError
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, get_row
from thematic.store.orm import AttachmentRow, DocumentReadRow, DocumentRow, MemoRow, utcnow

MEMO_COLUMNS = ["memo_id", "target_type", "target_id", "title", "body", "author", "created_at",
                "updated_at"]
READ_COLUMNS = ["document_id", "document", "coder", "read_at"]
ATTACHMENT_COLUMNS = ["attachment_id", "document_id", "document", "path", "sha256", "media_type",
                      "added_at"]


class Memos(Aggregate):
    """Memos, read marks and attachments of the project's documents."""

    # ------------------------------------------------------------------ memos
    def frame(self, *, target_type: str | None = None, target_id: str | None = None) -> pd.DataFrame:
        """Memos, oldest first. Columns: ``MEMO_COLUMNS``."""
        with self.read() as s:
            q = select(MemoRow).where(MemoRow.project_id == self.project_id)
            if target_type is not None:
                q = q.where(MemoRow.target_type == target_type)
            if target_id is not None:
                q = q.where(MemoRow.target_id == target_id)
            rows = s.scalars(q.order_by(MemoRow.id)).all()
            records = [(r.id, r.target_type, r.target_id, r.title, r.body, r.author, r.created_at,
                        r.updated_at) for r in rows]
        return pd.DataFrame(records, columns=MEMO_COLUMNS)

    def add(self, uow: UnitOfWork, *, target_type: str, target_id: str | None, title: str,
            body: str, author: str | None) -> int:
        """A new memo; returns its id."""
        now = utcnow()
        row = uow.add(MemoRow(project_id=self.project_id, target_type=target_type,
                              target_id=target_id, title=title, body=body, author=author,
                              created_at=now, updated_at=now))
        return row.id

    def edit(self, uow: UnitOfWork, memo_id: int, *, title: str | None = None,
             body: str | None = None) -> None:
        """Change a memo's title and/or body."""
        row = self._memo(uow, memo_id)
        changes: dict[str, Any] = {"updated_at": utcnow()}
        if title is not None:
            changes["title"] = title
        if body is not None:
            changes["body"] = body
        uow.update(row, **changes)

    def delete(self, uow: UnitOfWork, memo_id: int) -> None:
        """Delete a memo (undo brings it back)."""
        uow.delete(self._memo(uow, memo_id))

    def _memo(self, uow: UnitOfWork, memo_id: int) -> MemoRow:
        row = uow.session.get(MemoRow, memo_id)
        if row is None or row.project_id != self.project_id:
            raise NotFoundError(f"no memo {memo_id} in this project", remedy="list-memos")
        return row

    # ------------------------------------------------------------------ read marks
    def mark_read(self, uow: UnitOfWork, document_id: int, coder: str, *, read: bool = True) -> bool:
        """Mark (or unmark) a document as read by ``coder``; returns whether anything changed."""
        current = uow.session.get(DocumentReadRow, (document_id, coder))
        if read and current is None:
            uow.add(DocumentReadRow(document_id=document_id, coder=coder, read_at=utcnow()))
            return True
        if not read and current is not None:
            uow.delete(current)
            return True
        return False

    def reads(self, *, coder: str | None = None) -> pd.DataFrame:
        """Who has read which document. Columns: ``READ_COLUMNS``."""
        with self.read() as s:
            q = (select(DocumentReadRow.document_id, DocumentRow.name, DocumentReadRow.coder,
                        DocumentReadRow.read_at)
                 .join(DocumentRow, DocumentRow.id == DocumentReadRow.document_id)
                 .where(DocumentRow.project_id == self.project_id))
            if coder is not None:
                q = q.where(DocumentReadRow.coder == coder)
            rows = [tuple(r) for r in s.execute(q.order_by(DocumentRow.name)).all()]
        return pd.DataFrame(rows, columns=READ_COLUMNS)

    # ------------------------------------------------------------------ attachments
    def attach(self, uow: UnitOfWork, document_id: int, *, path: str, sha256: str,
               media_type: str) -> int:
        """Record a recording attached to a document; returns the attachment id."""
        get_row(uow.session, DocumentRow, document_id)
        row = uow.add(AttachmentRow(document_id=document_id, path=path, sha256=sha256,
                                    media_type=media_type, added_at=utcnow()))
        return row.id

    def attachments(self, *, document_id: int | None = None) -> pd.DataFrame:
        """Attachments, newest first. Columns: ``ATTACHMENT_COLUMNS``."""
        with self.read() as s:
            q = (select(AttachmentRow.id, AttachmentRow.document_id, DocumentRow.name,
                        AttachmentRow.path, AttachmentRow.sha256, AttachmentRow.media_type,
                        AttachmentRow.added_at)
                 .join(DocumentRow, DocumentRow.id == AttachmentRow.document_id)
                 .where(DocumentRow.project_id == self.project_id))
            if document_id is not None:
                q = q.where(AttachmentRow.document_id == document_id)
            rows = [tuple(r) for r in s.execute(q.order_by(AttachmentRow.id.desc())).all()]
        return pd.DataFrame(rows, columns=ATTACHMENT_COLUMNS)


