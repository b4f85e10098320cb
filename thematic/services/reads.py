"""The read side of a project: frames and records from the store, for the services that only read.

:class:`ProjectReads` is the one object the analysis, export and report services read through
(never ``Project``). It holds no state besides the store, so a shell that wants its reads
cached (the app caches them on the project's revision) subclasses it and overrides the reads
it caches; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from thematic.models import Codebook, Settings
from thematic.store import ProjectStore, StoredDocument, StoredTurn

__all__ = ["ProjectReads"]


class ProjectReads:
    """Every read of a project that returns a frame or a record.

    Parameters
    ----------
    store
        The project's store.
    """

    def __init__(self, store: ProjectStore) -> None:
        self.store = store

    # ------------------------------------------------------------------ the project
    def name(self) -> str:
        """The project's name."""
        return self.store.project_name()

    def revision(self) -> int:
        """A number that changes whenever the project changes (the newest audit event id)."""
        return self.store.history.revision()

    def settings(self) -> Settings:
        """The project's settings, defaults filled in."""
        return self.store.settings()

    def status(self) -> dict[str, Any]:
        """Counts: documents, turns, sentences, participants, words, codes, codings by status,
        and the unit and codebook version."""
        counts: dict[str, Any] = dict(self.store.documents.counts())
        docs = self.documents()
        counts["words"] = int(docs["words"].sum()) if not docs.empty else 0
        counts["unit"] = self.settings().unit
        counts["codes"] = len(self.codebook().codes)
        counts["codings"] = self.store.codings.counts()
        version = self.store.codebook.latest_version()
        counts["codebook"] = version.label if version else None
        return counts

    def coders(self) -> list[str]:
        """Everyone who has changed the project, by name."""
        return self.store.coders()

    def runs(self) -> pd.DataFrame:
        """The suggestion and topic runs, one row each."""
        return self.store.runs.frame()

    # ------------------------------------------------------------------ documents and people
    def documents(self) -> pd.DataFrame:
        """One row per document: id, name, format, turns, words, participants, ..."""
        return self.store.documents.frame()

    def document(self, ref: int | str) -> StoredDocument:
        """One document by id or name (NotFoundError when there is none)."""
        return self.store.documents.get(ref)

    def turns(self, document: int | str) -> list[StoredTurn]:
        """The turns of a document, in order."""
        return self.store.documents.turns(self.store.documents.get(document).id)

    def segments(self, unit: str | None = None) -> pd.DataFrame:
        """One row per segment (``unit``: the project's by default) with attributes."""
        return self.store.documents.segments_frame(unit or self.settings().unit)

    def participants(self) -> pd.DataFrame:
        """One row per participant with their attributes."""
        return self.store.participants.frame()

    def attribute_types(self) -> dict[str, str]:
        """Each participant attribute's type (number, date, category, text)."""
        return self.store.participants.attribute_types()

    # ------------------------------------------------------------------ codes and codings
    def codebook(self) -> Codebook:
        """The project's current codebook."""
        return self.store.codebook.current()

    def codings(self, *, status: str | None = None,
                document: int | str | None = None, evidence: bool = True) -> pd.DataFrame:
        """The codings (of one status, of one document), with their provenance
        (``evidence=False``: without the engines' evidence, much faster on a big project;
        :meth:`coding_evidence` reads it for the few a page shows)."""
        doc_id = self.store.documents.get(document).id if document is not None else None
        return self.store.codings.frame(status=status, document_id=doc_id, evidence=evidence)

    def coding_evidence(self, coding_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The engines' evidence of the codings ``coding_ids``."""
        return self.store.codings.evidence(coding_ids)

    def decisions(self, *, coder: str | None = None) -> pd.DataFrame:
        """One row per decision: coding_id, coder, status, decided_at, final (``coder``: only
        that coder's)."""
        return self.store.decisions.frame(coder=coder)

    # ------------------------------------------------------------------ themes and pseudonyms
    def themes(self) -> pd.DataFrame:
        """Themes: theme_id, name, parent (name or None), definition, position."""
        return self.store.themes.frame()

    def theme_codes(self) -> pd.DataFrame:
        """The codes of each theme: theme (name), code (code id)."""
        return self.store.themes.codes_frame()

    def theme_quotes(self) -> pd.DataFrame:
        """Each theme's exemplar quotes: theme, coding_id, position."""
        return self.store.themes.quotes_frame()

    def framework_summaries(self) -> pd.DataFrame:
        """Framework summaries: participant, theme, code, summary, quote_ids, author, updated_at."""
        return self.store.themes.summaries_frame()

    def pseudonyms(self) -> pd.DataFrame:
        """The pseudonym list: original, replacement, kind."""
        return self.store.pseudonyms.frame()
