"""ProjectStore: the one place that reads and writes a project's database.

Everything outside ``thematic.store`` gets dataclasses or pandas DataFrames from here (DESIGN
invariant 5). The store is composed of one object per aggregate (``documents``,
``participants``, ``codebook``, ``runs``, ``codings``, ``decisions``, ``history``); reads use a
short session, writes go through :meth:`ProjectStore.unit`, one audited transaction per user
action, whose :class:`~thematic.store.audit.UnitOfWork` the aggregates' write methods take.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from thematic.errors import ContentionError, ParameterError, ProjectError
from thematic.models import Settings
from thematic.store import database
from thematic.store.accounts import Accounts
from thematic.store.audit import UnitOfWork
from thematic.store.base import get_row
from thematic.store.codebook import CodebookStore
from thematic.store.codings import Codings
from thematic.store.decisions import Decisions
from thematic.store.documents import Documents
from thematic.store.history import History
from thematic.store.memos import Memos
from thematic.store.orm import CoderRow, ProjectRow
from thematic.store.participants import Participants
from thematic.store.pseudonyms import Pseudonyms
from thematic.store.query_sets import QuerySets
from thematic.store.runs import Runs, StoreEmbeddingCache
from thematic.store.themes import Themes
from thematic.store.topics import Topics

T = TypeVar("T")

class ProjectStore:
    """Open (and create or migrate) the project database at ``target`` (path or URL).

    Attributes
    ----------
    documents, participants, codebook, runs, codings, decisions, history, memos, themes, topics, pseudonyms, query_sets, accounts
        The aggregates (see their modules in ``thematic.store``).
    """

    def __init__(self, target: str, *, create: bool = False, name: str | None = None,
                 settings: Settings | None = None, new: bool = False) -> None:
        self.url = database.to_url(target)
        self.db_writer, self.db_reader = database.open_database(self.url, create=create)
        self.write_session = database.sessionmaker_for(self.db_writer)
        self.read_session = database.sessionmaker_for(self.db_reader)
        try:
            with database.database_errors(self.url):
                self.project_id = self._ensure_project(name, create, settings or Settings(), new)
        except BaseException:
            self.close()
            raise
        pid, read = self.project_id, self.read
        self.participants = Participants(pid, read)
        self.documents = Documents(pid, read, self.participants)
        self.codebook = CodebookStore(pid, read)
        self.runs = Runs(pid, read, self.write_session)
        self.codings = Codings(pid, read, self.codebook)
        self.decisions = Decisions(pid, read, self.codings)
        self.history = History(pid, read)
        self.memos = Memos(pid, read)
        self.themes = Themes(pid, read)
        self.topics = Topics(pid, read)
        self.pseudonyms = Pseudonyms(pid, read)
        self.query_sets = QuerySets(pid, read)
        self.accounts = Accounts(pid, read, self.write)
        self._coders_seen: set[str] = set()

    def _ensure_project(self, name: str | None, create: bool, settings: Settings,
                        new: bool = False) -> int:
        if not create:  # opening reads only (a read-only project file opens)
            with self.read_session() as s:
                found = s.scalars(select(ProjectRow.id).order_by(ProjectRow.id)
                                  .where(*([ProjectRow.name == name] if name is not None else []))
                                  ).first()
            if found is None:
                raise ProjectError("no project in this database", path=database.mask_url(self.url),
                                   remedy="create-project")
            return int(found)
        with self.write_session.begin() as s:
            rows = s.scalars(select(ProjectRow).order_by(ProjectRow.id)).all()
            if name is not None:
                rows = [r for r in rows if r.name == name]
            if rows and new:
                raise ProjectError(
                    "this database holds a project already" + (f" named {name!r}" if name else ""),
                    path=database.mask_url(self.url),
                    hint="Open it, or give another database or another project name.")
            if rows:
                return rows[0].id
            if not create:
                raise ProjectError("no project in this database", path=database.mask_url(self.url),
                                   remedy="create-project")
            row = ProjectRow(name=name or "project", settings=settings.as_dict())
            s.add(row)
            s.flush()
            return row.id

    def remove_project(self) -> None:
        """Delete this project and everything in it from the database (a new project whose
        first import failed; not an audited change)."""
        with database.database_errors(self.url), self.write_session.begin() as s:
            s.delete(get_row(s, ProjectRow, self.project_id))

    def close(self) -> None:
        """Release the database connections."""
        self.db_writer.dispose()
        self.db_reader.dispose()

    # ------------------------------------------------------------------ sessions
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read session (for the store's own modules)."""
        with database.database_errors(self.url), self.read_session() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A short write session outside the audit (sign-in bookkeeping); begin it yourself."""
        with database.database_errors(self.url), self.write_session() as session:
            yield session

    @contextmanager
    def unit(self, actor: str, action: str) -> Iterator[UnitOfWork]:
        """One audited transaction by ``actor``: all of it is written, or none of it. A
        database failure (disk full, read-only file, lock held past the timeout) is one
        ProjectError line; a change that met another at the same moment is a
        ContentionError (see :meth:`retry`).

        Raises
        ------
        ParameterError
            ``actor`` is empty: every change records the person who made it.
        AccessError
            The project has accounts and ``actor`` is none of them, or its role does not
            allow ``action`` (:mod:`thematic.access`); nothing is written.
        """
        who = check_actor(actor, action)
        with database.database_errors(self.url), _contention(action), \
                self.write_session.begin() as session:
            who = self.accounts.authorize(session, who, action) or who  # the account's spelling
            if who not in self._coders_seen:
                _register_coder(session, who, self.project_id)
            yield UnitOfWork(session, self.project_id, who, action)
        self._coders_seen.add(who)  # registered and committed: no need to look again

    def retry(self, change: Callable[[], T], *, attempts: int = 6) -> T:
        """Run ``change`` (one or more units of work), again after a short random wait when
        it met a concurrent change (ContentionError): many people deciding at once on one
        server never see a deadlock, and nothing is lost."""
        wait = random.Random()
        for attempt in range(1, attempts + 1):
            try:
                return change()
            except ContentionError:
                if attempt == attempts:
                    raise
                time.sleep(wait.uniform(0, 0.02 * 2 ** attempt))
        raise AssertionError("unreachable")

    def embedding_cache(self) -> StoreEmbeddingCache:
        """The project's embedding cache for the suggestion engines."""
        return StoreEmbeddingCache(self.runs)

    # ------------------------------------------------------------------ project
    def coders(self) -> list[str]:
        """Everyone who has changed the project (decided, coded, imported), by name."""
        with self.read() as s:
            return list(s.scalars(select(CoderRow.name).where(CoderRow.project_id == self.project_id)
                                  .order_by(CoderRow.name)).all())

    def project_name(self) -> str:
        """The project's name."""
        with self.read() as s:
            return get_row(s, ProjectRow, self.project_id).name

    def settings(self) -> Settings:
        """The project's settings, defaults filled in."""
        with self.read() as s:
            return Settings.from_mapping(get_row(s, ProjectRow, self.project_id).settings or {})

    def settings_in(self, uow: UnitOfWork) -> Settings:
        """The settings as the unit of work's transaction sees them (no second connection)."""
        return Settings.from_mapping(get_row(uow.session, ProjectRow, self.project_id).settings or {})

    def update_settings(self, uow: UnitOfWork, **changes: Any) -> Settings:
        """Change settings (audited); returns them all."""
        row = get_row(uow.session, ProjectRow, self.project_id)
        unknown = sorted(set(changes) - set(Settings().as_dict()))
        if unknown:
            raise ParameterError(f"unknown setting {', '.join(unknown)}",
                                 hint=f"Settings: {', '.join(Settings().as_dict())}.")
        current = Settings.from_mapping(row.settings or {})
        settings = Settings.from_mapping({**current.as_dict(), **changes})
        uow.update(row, settings=settings.as_dict())
        return settings


def check_actor(actor: str | None, action: str) -> str:
    """The name of the person making a change, stripped; ParameterError when there is none.

    Every change records who made it; :meth:`ProjectStore.unit` checks it, and a service that
    works long before it writes (an ingest, a run) checks it first with this function.
    """
    who = str(actor or "").strip()
    if not who:
        raise ParameterError(f"{action}: a change needs the name of the person making it",
                             hint="Pass actor='your name'.")
    return who


@contextmanager
def _contention(action: str) -> Iterator[None]:
    """A stale row, a deadlock or a lock wait past the timeout inside the block: a
    ContentionError (nothing was written; the change can be made again)."""
    try:
        yield
    except StaleDataError as exc:
        raise ContentionError(f"'{action}' met a change someone made at the same moment; "
                              "nothing was written", hint="Reload and try again.") from exc
    except DBAPIError as exc:
        if not database.is_contention(exc):
            raise
        raise ContentionError(f"'{action}' waited for another change to the same rows; "
                              "nothing was written", hint="Try again.") from exc


def _register_coder(s: Session, name: str, project_id: int) -> None:
    found = s.scalars(select(CoderRow.id).where(CoderRow.name == name,
                                                CoderRow.project_id == project_id)).first()
    if found is not None:
        return
    # two processes may register the same new name at once: the second does nothing
    dialect = s.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = importlib.import_module(f"sqlalchemy.dialects.{dialect}")
        s.execute(module.insert(CoderRow).values(name=name, project_id=project_id)
                  .on_conflict_do_nothing(index_elements=["project_id", "name"]))
    else:
        s.add(CoderRow(name=name, project_id=project_id))
        s.flush()
