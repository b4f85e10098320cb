"""The project's pseudonym list: originals (names, places) and what replaces them in exports."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from thematic.errors import NotFoundError, ParameterError
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate
from thematic.store.orm import PseudonymRow

#: The kinds of entry: a person's name, a place, an organisation, or anything else.
KINDS = ("name", "place", "organisation", "other")


class Pseudonyms(Aggregate):
    """Originals and replacements the analyst edits (audited, undoable)."""

    def frame(self) -> pd.DataFrame:
        """Columns: original, replacement, kind (sorted by original)."""
        with self.read() as s:
            rows = s.execute(
                select(PseudonymRow.original, PseudonymRow.replacement, PseudonymRow.kind)
                .where(PseudonymRow.project_id == self.project_id)
                .order_by(PseudonymRow.original)
            ).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=["original", "replacement", "kind"])

    def set(self, uow: UnitOfWork, original: str, replacement: str, *, kind: str = "name") -> bool:
        """Add ``original -> replacement`` or change its replacement. True when added."""
        original, replacement = " ".join(original.split()), replacement.strip()
        if not original:
            raise ParameterError("the original must not be empty. Got an empty string instead.")
        if not replacement:
            raise ParameterError(f"the replacement for '{original}' must not be empty",
                                 hint="Give the text to print instead, e.g. '[a friend]'.")
        if kind not in KINDS:
            raise ParameterError(f"kind must be one of {list(KINDS)}. Got {kind!r} instead.")
        row = uow.session.scalars(select(PseudonymRow).where(
            PseudonymRow.project_id == self.project_id, PseudonymRow.original == original)).first()
        if row is None:
            uow.add(PseudonymRow(project_id=self.project_id, original=original,
                                 replacement=replacement, kind=kind))
            return True
        uow.update(row, replacement=replacement, kind=kind)
        return False

    def remove(self, uow: UnitOfWork, original: str) -> None:
        """Remove the entry for ``original`` (NotFoundError when there is none)."""
        row = uow.session.scalars(select(PseudonymRow).where(
            PseudonymRow.project_id == self.project_id,
            PseudonymRow.original == " ".join(original.split()))).first()
        if row is None:
            raise NotFoundError(f"no pseudonym for '{original}'",
                                remedy="list-pseudonyms")
        uow.delete(row)
