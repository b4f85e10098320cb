"""The Python API: a :class:`Project` is one study, stored in one file (or database).

A project is shaped like its store: one namespace per area of work, each method one call into
:mod:`thematic.services` (``project.documents``, ``.participants``, ``.codebook``,
``.settings``, ``.suggestions``, ``.review``, ``.topics``, ``.themes``, ``.memos``,
``.analysis``, ``.exports``, ``.exchange``, ``.coders``, ``.queries``, ``.accounts``). Every change names the person making
it, ``actor``; the CLI and the app call these methods and nothing below them.

Examples
--------
>>> import tempfile, pathlib
>>> from thematic import Project
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> project = Project.create(folder / "study.thematic")
>>> (folder / "P01.txt").write_text("Interviewer: How was it?\\nP01: It helped me a lot.\\n")
50
>>> project.documents.ingest([folder / "P01.txt"], actor="ana").summary()
'1 added, 0 updated, 0 skipped; 2 turns, 8 words'
>>> project.status()["documents"]
1
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematic.errors import ParameterError, ProjectError
from thematic.models import UNITS, Settings
from thematic.project.accounts import Accounts
from thematic.project.coding import Review, Suggestions, Themes, Topics
from thematic.project.deprecated import add_deprecated_methods
from thematic.project.outputs import Analysis, Exchange, Exports
from thematic.project.queries import Queries
from thematic.project.records import (
    CodebookNamespace,
    Coders,
    Documents,
    Memos,
    Participants,
    SettingsNamespace,
)
from thematic.services.reads import ProjectReads
from thematic.store import ProjectStore

if TYPE_CHECKING:
    from thematic.services.exchange import ExchangeReport

__all__ = ["PROJECT_SUFFIX", "Project"]

PROJECT_SUFFIX = ".thematic"


class Project:
    """One study. Open with :meth:`open`, create with :meth:`create`.

    Parameters
    ----------
    store
        The project's store.
    reads
        How the project is read (default: straight from the store); the app passes one that
        caches its reads on the project's revision.
    """

    def __init__(self, store: ProjectStore, reads: ProjectReads | None = None) -> None:
        self.store = store
        self.reads = reads if reads is not None else ProjectReads(store)
        parts = (store, self.reads)
        self.documents = Documents(*parts)
        self.participants = Participants(*parts)
        self.codebook = CodebookNamespace(*parts)
        self.settings = SettingsNamespace(*parts)
        self.suggestions = Suggestions(*parts)
        self.review = Review(*parts)
        self.topics = Topics(*parts)
        self.themes = Themes(*parts)
        self.memos = Memos(*parts)
        self.analysis = Analysis(*parts)
        self.exports = Exports(*parts)
        self.exchange = Exchange(*parts)
        self.coders = Coders(*parts)
        self.queries = Queries(*parts)
        self.accounts = Accounts(*parts)

    # ------------------------------------------------------------------ open / create
    @classmethod
    def create(cls, target: str | Path, *, name: str | None = None, unit: str = "sentence",
               exist_ok: bool = False) -> Project:
        """Create a project file (or a project in the database at a URL).

        Every parameter is checked before anything is created: a bad one raises
        :class:`~thematic.errors.ParameterError` and leaves no file behind.
        """
        if unit not in UNITS:
            raise ParameterError(f"unit must be one of {', '.join(UNITS)}. Got {unit!r} instead.")
        path = None if "://" in str(target) else Path(target)
        if path is not None and path.exists() and not exist_ok:
            raise ProjectError("a project file exists here already", path=str(path),
                               hint="Open it, or choose another path.")
        return cls(ProjectStore(str(target), create=True, settings=Settings(unit=unit),
                                name=name or (path.stem if path else None),
                                new=path is None and not exist_ok))

    @classmethod
    def open(cls, target: str | Path, *, create: bool = False) -> Project:
        """Open an existing project (``create=True``: create it when missing)."""
        return cls(ProjectStore(str(target), create=create))

    @staticmethod
    def import_new(target: str | Path, source: str | Path, *, actor: str,
                   **options: Any) -> ExchangeReport:
        """Create the project file ``target`` by importing ``source``, all or nothing (a failed
        import leaves no file). See :func:`thematic.services.import_new.import_new`."""
        from thematic.services.import_new import import_new

        return import_new(target, source, actor=actor, **options)

    @staticmethod
    def migrate(target: str | Path) -> tuple[str | None, str]:
        """Upgrade a project database (required on a server) to this version's schema.

        Returns the schema revisions (before, after). A SQLite file is backed up first.
        """
        from thematic.store.database import migrate, to_url

        return migrate(to_url(target))

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the whole project
    @property
    def name(self) -> str:
        """The project's name."""
        return self.reads.name()

    def status(self) -> dict[str, Any]:
        """Counts: documents, turns, sentences, participants, words, codes, codings by status."""
        return self.reads.status()

    def revision(self) -> int:
        """A number that changes whenever the project changes (the newest audit event id).

        Cheap to read: the app keys its caches on it.
        """
        return self.reads.revision()


add_deprecated_methods(Project)
