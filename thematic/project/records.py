"""The namespaces of a project's records: documents, participants, codebook, settings, memos,
coders. Each method is one call into :mod:`thematic.services` (or one read)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.models import Code, Codebook, Settings
from thematic.progress import Progress
from thematic.project.base import Namespace, deprecated
from thematic.services import codebook as codebook_service
from thematic.services import coders as coders_service
from thematic.services import memos as memos_service
from thematic.services import settings as settings_service
from thematic.store import StoredDocument, StoredTurn

if TYPE_CHECKING:
    from thematic.services.codebook import CodebookLoadReport
    from thematic.services.ingest import IngestReport
    from thematic.suggest.languages import LanguageFit


class Documents(Namespace):
    """Transcripts: import them, read them (``project.documents``)."""

    def ingest(self, paths: Iterable[str | Path], *, actor: str,
               participants: str | Path | None = None, progress: Progress | None = None,
               **options: Any) -> IngestReport:
        """Import files, folders or glob patterns in one transaction.

        ``options`` are the readers' (``thematic.ingest.ReadOptions``: ``encoding``,
        ``survey_layout``, ...) and :func:`thematic.services.ingest.ingest`'s own
        (``interviewers``, ``on_error``, ``replace``, ...).
        """
        from thematic.services.ingest import ingest, split_options

        read, own = split_options(options)
        return ingest(self._store, paths, participants=participants, options=read,
                      progress=progress, actor=actor, **own)

    def frame(self) -> pd.DataFrame:
        """One row per document: id, name, format, turns, words, participants, ..."""
        return self._reads.documents()

    def get(self, ref: int | str) -> StoredDocument:
        """One document by id or name."""
        return self._reads.document(ref)

    def turns(self, document: int | str) -> list[StoredTurn]:
        """A document's turns, in order."""
        return self._reads.turns(document)

    def segments(self, unit: str | None = None) -> pd.DataFrame:
        """One row per segment (``unit``: the project's by default) with attributes."""
        return self._reads.segments(unit)

    def lost_codings(self) -> pd.DataFrame:
        """Codings that new versions of documents lost (``ingest(..., allow_losing_codings=True)``),
        oldest first. See :func:`thematic.services.ingest.lost_codings`."""
        from thematic.services.ingest import lost_codings

        return lost_codings(self._store)

    def language(self, backend: str | None = None) -> LanguageFit:
        """The documents' language and whether the embedding model serves it (loads no model)."""
        from thematic.services.language import project_language

        return project_language(self._store, backend)

    def set_speaker_role(self, speaker: str, role: str, *, actor: str) -> int:
        """Override the detected role of a speaker label everywhere; returns the turns changed."""
        return settings_service.set_speaker_role(self._store, speaker, role, actor=actor)

    def __call__(self) -> pd.DataFrame:
        deprecated("documents()", "documents.frame()")
        return self.frame()


class Participants(Namespace):
    """The people of the study (REFI cases) and their attributes (``project.participants``)."""

    def frame(self) -> pd.DataFrame:
        """One row per participant with their attributes."""
        return self._reads.participants()

    def attribute_types(self) -> dict[str, str]:
        """Each attribute's type (number, date, category, text)."""
        return self._reads.attribute_types()

    def set_attributes(self, values: Mapping[str, Mapping[str, Any]], *, actor: str) -> int:
        """Set attribute values (participant id -> {attribute: value}), checked against their
        types, in one undoable step; returns how many changed. See
        :func:`thematic.services.participants.set_attributes`."""
        from thematic.services.participants import set_attributes

        return set_attributes(self._store, values, actor=actor)

    def add_attribute(self, name: str, kind: str = "text", *, actor: str) -> None:
        """Add an attribute (text, category, number or date), empty for everyone."""
        from thematic.services.participants import add_attribute

        add_attribute(self._store, name, kind, actor=actor)

    def __call__(self) -> pd.DataFrame:
        deprecated("participants()", "participants.frame()")
        return self.frame()


class CodebookNamespace(Namespace):
    """The codebook: load a file, edit codes (``project.codebook``). See
    :mod:`thematic.services.codebook`."""

    def current(self) -> Codebook:
        """The project's codebook as it is now."""
        return self._reads.codebook()

    def load(self, source: str | Path | Codebook, *, actor: str) -> CodebookLoadReport:
        """Load a codebook file (.yaml/.csv/.qdc) into the project; returns what changed."""
        return codebook_service.load_codebook_into(self._store, source, actor=actor)

    def add_code(self, code: Code, *, actor: str) -> None:
        """Add a code."""
        codebook_service.add_code(self._store, code, actor=actor)

    def update_code(self, code: str, *, actor: str, **fields: Any) -> None:
        """Change some fields of a code (name, definition, inclusion, ..., rules)."""
        codebook_service.update_code(self._store, code, actor=actor, **fields)

    def edit_code(self, code: Code, *, actor: str) -> None:
        """Replace every editable field of ``code.id`` with those of ``code`` (one undoable step)."""
        codebook_service.update_code(self._store, code.id, actor=actor, name=code.name,
                                     definition=code.definition, inclusion=code.inclusion,
                                     exclusion=code.exclusion, examples=code.examples,
                                     color=code.color, rules=code.rules)

    def move_code(self, code: str, parent: str | None, *, actor: str) -> None:
        """Move a code under ``parent`` (None: the top level)."""
        codebook_service.move_code(self._store, code, parent, actor=actor)

    def delete_code(self, code: str, *, actor: str) -> int:
        """Delete a code and its codings; returns the codings deleted."""
        return codebook_service.delete_code(self._store, code, actor=actor)

    def merge_codes(self, sources: Sequence[str], target: str, *, actor: str) -> int:
        """Merge codes into ``target``; returns the codings moved."""
        return codebook_service.merge_codes(self._store, sources, target, actor=actor)

    def split_code(self, code: str, into: Mapping[str, Sequence[int]], *, actor: str,
                   names: Mapping[str, str] | None = None,
                   as_children: bool = True) -> dict[str, int]:
        """Split a code into new codes (new id -> coding ids moved there)."""
        return codebook_service.split_code(self._store, code, into, actor=actor, names=names,
                                           as_children=as_children)

    def __call__(self) -> Codebook:
        deprecated("codebook()", "codebook.current()")
        return self.current()


class SettingsNamespace(Namespace):
    """The project's settings (``project.settings``). See :mod:`thematic.services.settings`."""

    def current(self) -> Settings:
        """The settings, defaults filled in."""
        return self._reads.settings()

    def set_unit(self, unit: str, *, actor: str) -> Settings:
        """The unit of coding and analysis: "turn" or "sentence"."""
        return settings_service.set_unit(self._store, unit, actor=actor)

    def set_approach(self, approach: str, *, actor: str) -> Settings:
        """The study's approach: "reflexive", "codebook" or "coding-reliability"."""
        return settings_service.set_approach(self._store, approach, actor=actor)

    def set_review_mode(self, mode: str, *, actor: str) -> Settings:
        """"shared" (one current decision) or "independent" (one decision per coder)."""
        return settings_service.set_review_mode(self._store, mode, actor=actor)

    def set_interviewers(self, names: Sequence[str], *, actor: str) -> Settings:
        """Speaker labels that are always interviewers (applied to existing turns too)."""
        return settings_service.set_interviewers(self._store, names, actor=actor)

    def __call__(self) -> dict[str, Any]:
        deprecated("settings()", "settings.current()")
        return self.current().as_dict()


class Memos(Namespace):
    """Memos, documents marked as read, recordings (``project.memos``). See
    :mod:`thematic.services.memos`."""

    def add(self, body: str, *, actor: str, target: str = "project",
            target_id: int | str | None = None, title: str = "") -> int:
        """Write a memo on the project, a document, a code, a theme or a coding; returns its id."""
        return memos_service.add_memo(self._store, body, actor=actor, target=target,
                                      target_id=target_id, title=title)

    def edit(self, memo_id: int, *, actor: str, title: str | None = None,
             body: str | None = None) -> None:
        """Change a memo's title and/or body."""
        memos_service.edit_memo(self._store, memo_id, actor=actor, title=title, body=body)

    def delete(self, memo_id: int, *, actor: str) -> None:
        """Delete a memo (undo brings it back)."""
        memos_service.delete_memo(self._store, memo_id, actor=actor)

    def frame(self, target: str | None = None, target_id: int | str | None = None) -> pd.DataFrame:
        """Memos, all or of one target."""
        return memos_service.memos(self._store, target=target, target_id=target_id)

    def mark_read(self, document: int | str, *, actor: str, read: bool = True) -> bool:
        """Mark a document as read (or unread) by ``actor``; returns whether it changed."""
        return memos_service.mark_read(self._store, document, actor=actor, read=read)

    def read_marks(self, coder: str | None = None) -> pd.DataFrame:
        """Which coder read which document: document_id, document, coder, read_at."""
        return self._store.memos.reads(coder=coder)

    def attach(self, document: int | str, media: str | Path, *, actor: str) -> int:
        """Attach an audio or video recording to a document (copied beside the project)."""
        return memos_service.attach(self._store, document, media, actor=actor)

    def attachments(self, document: int | str | None = None) -> pd.DataFrame:
        """Recordings attached to documents, newest first."""
        return memos_service.attachments(self._store, document)

    def __call__(self, target: str | None = None,
                 target_id: int | str | None = None) -> pd.DataFrame:
        deprecated("memos()", "memos.frame()")
        return self.frame(target, target_id)


class Coders(Namespace):
    """The people who code, and their codings (``project.coders``). See
    :mod:`thematic.services.coders`."""

    def names(self) -> list[str]:
        """Everyone who has changed the project, by name."""
        return self._reads.coders()

    def import_codings(self, path: str | Path, *, actor: str, coder: str | None = None) -> int:
        """Add a file of quoted codings (the gold format) as ``coder``'s (default: ``actor``'s),
        in one transaction; returns how many."""
        return coders_service.import_coder_codings(self._store, path, actor=actor, coder=coder)

    def codings(self, coder: str) -> pd.DataFrame:
        """The codings one coder (a person, or an engine such as ``"engine:rule"``) stands behind."""
        return coders_service.coder_codings(self._reads, coder)

    def __call__(self) -> list[str]:
        deprecated("coders()", "coders.names()")
        return self.names()
