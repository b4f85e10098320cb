"""Engines, sessions and schema migrations for a project store.

A project is one SQLite file by default (WAL journal, foreign keys on, busy timeout), or any
SQLAlchemy URL (PostgreSQL for a team server). The schema is created and upgraded only by
Alembic. Opening never writes unless it migrates: a SQLite file is checked read-only first
(not a database, another program's database, a newer schema: a clear error, bytes
unchanged), then copied aside once and upgraded; a server database is upgraded only by
:func:`migrate` (``Project.migrate``, which the command line runs).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from thematic.errors import ProjectError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
#: A database server must answer a connection within this (``$THEMATIC_CONNECT_TIMEOUT``, s)
CONNECT_TIMEOUT_S = 5
#: ... and every statement within this (``$THEMATIC_STATEMENT_TIMEOUT``, s); lock waits too
STATEMENT_TIMEOUT_S = 60
SQLITE_MAGIC = b"SQLite format 3\x00"


#: Database URL schemes a project may live at (a file path needs none).
URL_SCHEMES = ("sqlite", "postgresql", "postgres")


def to_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite file) or a database URL given as is.

    Raises
    ------
    ProjectError
        A URL of another kind (``file://``, ``http://``...): one line saying what is accepted.
    """
    text = str(target)
    if "://" in text:
        scheme = text.split("://", 1)[0].split("+", 1)[0].lower()
        if scheme not in URL_SCHEMES:
            shown = mask_url(text)[:80]
            raise ProjectError(f"{shown!r} is neither a project file nor a database URL",
                               hint="Give the path of a .thematic file, or a URL starting "
                                    "sqlite:/// or postgresql://.")
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def mask_url(url: str) -> str:
    """``url`` with its password hidden (``postgresql://u:***@host/db``), for messages."""
    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: hide whatever sits between ':' and '@'
        head, sep, tail = url.partition("://")
        if "@" in tail:
            cred, _, host = tail.rpartition("@")
            user = cred.split(":", 1)[0]
            return f"{head}{sep}{user}:***@{host}"
        return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def make_engine(url: str, *, writer: bool = True) -> Engine:
    """Create an engine; SQLite connections get WAL, foreign keys and a busy timeout.

    SQLite ``writer`` engines take the write lock when a transaction begins (``BEGIN
    IMMEDIATE``), so concurrent writers queue on the busy timeout; reader engines begin
    deferred transactions and read a consistent snapshot while someone writes.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # pysqlite's own transaction handling is off (isolation_level=None): writers take
            # the write lock at BEGIN so two writers queue instead of failing late.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_timeout=_seconds("THEMATIC_CONNECT_TIMEOUT",
                                                                        CONNECT_TIMEOUT_S) * 2,
                         connect_args=server_connect_args(url))


def _seconds(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def server_connect_args(url: str) -> dict[str, Any]:
    """Timeouts for a PostgreSQL server: a connection (even to a server that accepts and
    never answers) fails after ``CONNECT_TIMEOUT_S``; a statement or a lock wait after
    ``STATEMENT_TIMEOUT_S``. Other servers get nothing (their drivers differ)."""
    if not url.startswith("postgresql"):
        return {}
    connect = _seconds("THEMATIC_CONNECT_TIMEOUT", CONNECT_TIMEOUT_S)
    statement = _seconds("THEMATIC_STATEMENT_TIMEOUT", STATEMENT_TIMEOUT_S) * 1000
    return {"connect_timeout": connect,
            "options": f"-c statement_timeout={statement} -c lock_timeout={statement} "
                       f"-c idle_in_transaction_session_timeout={statement * 5}"}


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def known_revisions() -> set[str]:
    """Every schema revision this version of thematic knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database (None: no thematic schema)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str:
    """The newest schema revision this version of thematic knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head() or ""


def _newer(current: str | None, url: str) -> None:
    if current is not None and current not in known_revisions():
        raise ProjectError(
            f"this project was saved by a newer version of thematic (schema {current})",
            path=mask_url(url), hint="Upgrade thematic (pip install -U thematic) to open it.")


def _inspect_sqlite_file(path: Path, url: str) -> tuple[bool, str | None]:
    """Look at an existing SQLite file without writing: (has tables, schema revision)."""
    label = str(path)
    if path.is_dir():
        raise ProjectError("this is a folder, not a project file", path=label,
                           hint="Give the path of a .thematic file.")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if not head:
        raise ProjectError("this file is empty: not a thematic project", path=label,
                           remedy="create-project")
    if head != SQLITE_MAGIC:
        raise ProjectError("cannot open the project database: this file is not a thematic project "
                           "(not a SQLite database)", path=label,
                           hint="Give the path of a .thematic project file.")
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise database_error(exc, url) from exc
    if tables and "alembic_version" not in tables:
        raise ProjectError("this database holds tables that are not a thematic project",
                           path=label, hint="Choose a new file for the project.")
    return bool(tables - {"alembic_version"}), revision


def is_contention(exc: BaseException) -> bool:
    """Whether a database error is two transactions meeting on the same rows (a deadlock, a
    serialization failure, a lock wait that timed out): retrying is right."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if code in ("40001", "40P01", "55P03"):
        return True
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "deadlock detected" in text or "lock timeout" in text


def database_error(exc: BaseException, url: str) -> ProjectError:
    """A clear ProjectError for a database failure: locked, read-only, full, corrupt."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    where = mask_url(str(sqlite_path(url) or url))
    if "locked" in text or "busy" in text:
        return ProjectError("the project is locked: another program is writing to it (the "
                            f"lock was held for more than {BUSY_TIMEOUT_MS / 1000:g} s)", path=where,
                            hint="Wait for it to finish (or close it: the app, another command) "
                                 "and try again; nothing was changed.")
    if "readonly" in text or "read-only" in text or "permission" in text or "unable to open" in text:
        return ProjectError("cannot write to the project: the file or its folder is read-only",
                            path=where, hint="Copy the project to a folder you can write to.")
    if "statement timeout" in text or "canceling statement" in text or "lock timeout" in text:
        return ProjectError("the database server took too long to answer a query; nothing was "
                            "changed", path=where,
                            hint="Try again; if it lasts, ask the server's administrator.")
    if "timeout" in text or "timed out" in text:
        return ProjectError("the database server did not answer in time", path=where,
                            hint="Check that the server is up and the URL's host and port are "
                                 "right (a firewall that drops packets looks like this).")
    if "full" in text or "no space" in text or "quota" in text:
        return ProjectError("the disk is full: nothing was changed", path=where,
                            hint="Free some disk space and try again.")
    if "not a database" in text or "malformed" in text:
        return ProjectError("cannot open the project database: the file is damaged or not a "
                            "thematic project", path=where,
                            hint="Restore it from a backup (.bak files sit next to it).")
    if "i/o error" in text:
        return ProjectError("the disk reported an input/output error: nothing was changed",
                            path=where, hint="Check the disk (full? removed? a network drive?) "
                                             "and try again.")
    # never the statement or its parameters (SQL, transcript text): the driver's first line only
    first = str(getattr(exc, "orig", None) or exc.__class__.__name__).splitlines()[0][:120]
    return ProjectError(f"the project database failed ({exc.__class__.__name__}: "
                        f"{mask_url(first)})", path=where,
                        hint="Check that the database server is running and the URL is right.")


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a database driver's failure inside the block into :func:`database_error`."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        raise database_error(exc, url) from exc


def open_database(url: str, *, create: bool = False) -> tuple[Engine, Engine]:
    """The writer and reader engines of a project database, its schema checked (or made).

    Raises
    ------
    ProjectError
        No such file (without ``create``), not a thematic project, a newer schema, a server
        database that needs :func:`migrate`, or the database cannot be opened.
    """
    path = sqlite_path(url)
    has_tables, revision = False, None
    if path is not None:
        if not path.exists():
            if not create:
                raise ProjectError("no project file here", path=str(path),
                                   remedy="create-project")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise database_error(exc, url) from exc
        else:
            has_tables, revision = _inspect_sqlite_file(path, url)
            _newer(revision, url)
    engine = make_engine(url)
    try:
        if path is None:
            revision = current_revision(engine)
            _newer(revision, url)
            has_tables = bool(inspect(engine).get_table_names())
            if has_tables and revision is None:
                raise ProjectError("this database holds tables that are not a thematic project",
                                   path=mask_url(url), hint="Choose a new database for the project.")
            if revision != head_revision(engine):
                if has_tables:
                    raise ProjectError(
                        f"this project database has an older schema ({revision}); it is not "
                        "migrated on open", path=mask_url(url),
                        remedy="migrate")
                upgrade(engine, url)  # a new, empty database: create the schema
        elif revision != head_revision(engine):
            upgrade(engine, url, has_tables=has_tables, current=revision)
    except ProjectError:
        engine.dispose()
        raise
    except Exception as exc:  # locked, read-only, full, unreachable
        engine.dispose()
        raise database_error(exc, url) from exc
    reader = make_engine(url, writer=False) if url.startswith("sqlite") else engine
    return engine, reader


def upgrade(engine: Engine, url: str, *, has_tables: bool | None = None,
            current: str | None = None) -> None:
    """Bring the schema to the newest revision, backing an existing SQLite file up first."""
    from alembic import command

    if has_tables is None:
        current = current_revision(engine)
        has_tables = bool(set(inspect(engine).get_table_names()) - {"alembic_version"})
    head = head_revision(engine)
    if current == head:
        return
    path = sqlite_path(url)
    if path is not None and has_tables and path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = path.with_name(f"{path.name}.{current}.{stamp}.bak")
        engine.dispose()
        shutil.copy2(path, backup)
        log.info("backed up %s to %s before migrating %s -> %s", path, backup, current, head)
    command.upgrade(_alembic_config(engine), "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Bring the schema to ``revision`` (tests build old projects with it)."""
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)


def migrate(url: str) -> tuple[str | None, str]:
    """Upgrade the project database at ``url`` to the newest schema; returns (from, to)."""
    engine = make_engine(url)
    try:
        current = current_revision(engine)
        _newer(current, url)
        names = set(inspect(engine).get_table_names())
        if names and current is None:
            raise ProjectError("this database holds tables that are not a thematic project",
                               path=mask_url(url), hint="Choose another database.")
        upgrade(engine, url, has_tables=bool(names - {"alembic_version"}), current=current)
        return current, head_revision(engine)
    except ProjectError:
        raise
    except Exception as exc:
        raise database_error(exc, url) from exc
    finally:
        engine.dispose()


def sessionmaker_for(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep their objects readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
