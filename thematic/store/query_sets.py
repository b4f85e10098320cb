"""Saved searches and coding queries: a name, how the set was found, and the spans it holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select

from thematic.errors import ConflictError, NotFoundError, ParameterError
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate
from thematic.store.orm import QuerySetRow, utcnow

SET_COLUMNS = ["set_id", "name", "kind", "query", "items", "author", "created_at"]


@dataclass(frozen=True)
class StoredSet:
    """A saved set: ``items`` are dicts with at least ``document_id``, ``start``, ``end``."""

    id: int
    name: str
    kind: str
    definition: dict[str, Any]
    items: tuple[dict[str, Any], ...]
    author: str | None
    created_at: str


class QuerySets(Aggregate):
    """The project's named sets (audited, undoable)."""

    def frame(self) -> pd.DataFrame:
        """One row per set, by name. Columns: ``SET_COLUMNS`` (``items``: how many)."""
        with self.read() as s:
            rows = s.scalars(select(QuerySetRow).where(QuerySetRow.project_id == self.project_id)
                             .order_by(QuerySetRow.name)).all()
            records = [(r.id, r.name, r.kind, str((r.definition or {}).get("query", "")),
                        len(r.items or []), r.author, r.created_at) for r in rows]
        return pd.DataFrame(records, columns=SET_COLUMNS)

    def get(self, name: str) -> StoredSet:
        """The set called ``name`` (NotFoundError when there is none)."""
        with self.read() as s:
            row = self._row(s, name)
            if row is None:
                raise NotFoundError(f"no saved set named {name!r}",
                                    hint="Save one from a search or a query first (--save NAME).")
            return StoredSet(row.id, row.name, row.kind, dict(row.definition or {}),
                             tuple(dict(i) for i in row.items or ()), row.author,
                             row.created_at.isoformat() if row.created_at else "")

    def save(self, uow: UnitOfWork, name: str, *, kind: str, definition: dict[str, Any],
             items: list[dict[str, Any]], author: str | None, replace: bool = False) -> int:
        """Save a set under ``name``; an existing name is refused unless ``replace``."""
        name = " ".join(str(name).split())
        if not name:
            raise ParameterError("a saved set needs a name. Got an empty name instead.")
        row = self._row(uow.session, name)
        if row is not None and not replace:
            raise ConflictError(f"a set named {name!r} exists already",
                                hint="Choose another name, or replace it.")
        if row is not None:
            uow.update(row, kind=kind, definition=definition, items=items, author=author,
                       created_at=utcnow())
            return row.id
        return uow.add(QuerySetRow(project_id=self.project_id, name=name, kind=kind,
                                   definition=definition, items=items, author=author,
                                   created_at=utcnow())).id

    def remove(self, uow: UnitOfWork, name: str) -> None:
        """Delete the set called ``name`` (undo brings it back)."""
        row = self._row(uow.session, name)
        if row is None:
            raise NotFoundError(f"no saved set named {name!r}")
        uow.delete(row)

    def _row(self, s: Any, name: str) -> QuerySetRow | None:
        return s.scalars(select(QuerySetRow).where(QuerySetRow.project_id == self.project_id,
                                                   QuerySetRow.name == name)).first()
