"""``project.queries``: search the text, query the codings, keep and code what was found.

A thin namespace over :mod:`thematic.services.query_sets` (see it for the details).

Examples
--------
>>> import tempfile, pathlib
>>> from thematic import Project
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> project = Project.create(folder / "study.thematic")
>>> _ = (folder / "P01.txt").write_text("Interviewer: How long?\\nP01: We waited for months.\\n")
>>> _ = project.documents.ingest([folder / "P01.txt"], actor="ana")
>>> project.queries.search("wait")["matched"].tolist()
['waited']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from thematic.project.base import Namespace
from thematic.services import query_sets


class Queries(Namespace):
    """Full-text search, coding queries and saved sets of one project."""

    def search(self, text: str, *, match: str = "lemma", where: Iterable[str] | str | None = None,
               unit: str | None = None, **frames: Any) -> pd.DataFrame:
        """Segments whose text matches (``services.query_sets.search``)."""
        return query_sets.search(self._store, text, match=match, where=where, unit=unit, **frames)

    def query(self, text: str, *, where: Iterable[str] | str | None = None,
              statuses: Sequence[str] = ("accepted",), subcodes: bool = True,
              unit: str | None = None, **frames: Any) -> pd.DataFrame:
        """Segments a coding query finds (``services.query_sets.query``)."""
        return query_sets.query(self._store, text, where=where, statuses=statuses,
                                subcodes=subcodes, unit=unit, **frames)

    def code_found(self, found: pd.DataFrame, code: str, *, actor: str,
                   extent: str = "segment") -> int:
        """Code every row of a result; returns the codings added."""
        return query_sets.code_found(self._store, found, code, actor=actor, extent=extent)

    def save(self, name: str, found: pd.DataFrame, *, kind: str, query: str, actor: str,
             options: dict[str, Any] | None = None, replace: bool = False) -> int:
        """Save a result as a named set; returns its id."""
        return query_sets.save_set(self._store, name, found, kind=kind, query=query, actor=actor,
                                   options=options, replace=replace)

    def sets(self) -> pd.DataFrame:
        """The saved sets."""
        return query_sets.sets(self._store)

    def items(self, name: str) -> pd.DataFrame:
        """The spans of a saved set with their text."""
        return query_sets.set_items(self._store, name)

    def code_set(self, name: str, code: str, *, actor: str, extent: str = "segment") -> int:
        """Code every span of a saved set; returns the codings added."""
        return query_sets.code_set(self._store, name, code, actor=actor, extent=extent)

    def export_set(self, name: str, target: str | Path | IO[bytes], *,
                   fmt: str | None = None) -> int:
        """Write a saved set as ``.csv`` or ``.xlsx``; returns the rows written."""
        return query_sets.export_set(self._store, name, target, fmt=fmt)

    def remove_set(self, name: str, *, actor: str) -> None:
        """Delete a saved set (undo brings it back)."""
        query_sets.remove_set(self._store, name, actor=actor)


__all__ = ["Queries"]
