"""The project as pseudonymised outputs see it: every frame cites public ids.

:class:`PublicReads` is a :class:`~thematic.services.reads.ProjectReads` over another one and
a :class:`~thematic.pseudonymise.Pseudonymiser` that carries
:class:`~thematic.public_ids.PublicIds`. Its frames name documents, participants and speakers
by public id and drop participants' names and file paths, so an exporter that reads them
cannot cite ``P01_dana`` or ``Dana``. Texts (quotes, transcripts) stay as stored: exporters
pseudonymise them and record each replacement.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from thematic.errors import NotFoundError
from thematic.pseudonymise import Pseudonymiser
from thematic.public_ids import PublicIds
from thematic.services.reads import ProjectReads
from thematic.store import StoredDocument

__all__ = ["PublicReads", "public_reads"]


class PublicReads(ProjectReads):
    """The reads of ``reads`` with public ids (the other reads are ``reads``' own)."""

    def __init__(self, reads: ProjectReads, ids: PublicIds) -> None:
        super().__init__(reads.store)
        self._reads = reads
        self.public_ids = ids
        self._names = {v: k for k, v in ids.documents.items()}

    def participants(self) -> pd.DataFrame:
        return self.public_ids.frame(self._reads.participants())

    def documents(self) -> pd.DataFrame:
        return self.public_ids.frame(self._reads.documents())

    def codings(self, *, status: str | None = None, document: int | str | None = None,
                evidence: bool = True) -> pd.DataFrame:
        stored = self._stored(document) if isinstance(document, str) else document
        return self.public_ids.frame(self._reads.codings(status=status, document=stored,
                                                         evidence=evidence))

    def segments(self, unit: str | None = None) -> pd.DataFrame:
        return self.public_ids.frame(self._reads.segments(unit))

    def framework_summaries(self) -> pd.DataFrame:
        return self.public_ids.frame(self._reads.framework_summaries())

    def document(self, ref: int | str) -> StoredDocument:
        """The stored document, named by its public id (its original file name left out)."""
        stored = self._reads.document(self._stored(ref) if isinstance(ref, str) else ref)
        return dataclasses.replace(stored, name=self.public_ids.document(stored.name),
                                   original_name="")

    def _stored(self, public: str) -> str:
        if public not in self._names:
            raise NotFoundError(f"no document cited as {public!r}",
                                hint="Use the public ids the outputs cite (P01, D01...).")
        return self._names[public]


def public_reads(reads: ProjectReads, pseudonymiser: Pseudonymiser | None) -> ProjectReads:
    """``reads`` seen through ``pseudonymiser``'s public ids (``reads`` itself when None)."""
    if pseudonymiser is None or pseudonymiser.public is None:
        return reads
    return PublicReads(reads, pseudonymiser.public)
