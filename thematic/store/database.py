"""Engines, sessions and schema migrations for a project store.

A project is one SQLite file by default (WAL journal, foreign keys on, busy timeout), or any
SQLAlchemy URL (PostgreSQL for a team server). The schema is created and upgraded only by
Alembic; the SQLite file is copied aside before a migration touches it.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from thematic.errors import ProjectError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000


def to_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite file) or a URL given as is."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
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
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # noqa: ANN001
            # pysqlite's own transaction handling is off (isolation_level=None): writers take
            # the write lock at BEGIN so two writers queue instead of failing late.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine):  # noqa: ANN202
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head() or ""


def upgrade(engine: Engine, url: str) -> None:
    """Bring the schema to the newest revision, backing an existing SQLite file up first."""
    from alembic import command

    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return
    has_tables = bool(inspect(engine).get_table_names())
    if has_tables and current is None:
        raise ProjectError(
            "this database holds tables that are not a thematic project",
            path=url,
            hint="Choose a new file for the project.",
        )
    path = sqlite_path(url)
    if path is not None and has_tables and path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = path.with_name(f"{path.name}.{current}.{stamp}.bak")
        engine.dispose()
        shutil.copy2(path, backup)
        log.info("backed up %s to %s before migrating %s -> %s", path, backup, current, head)
    command.upgrade(_alembic_config(engine), "head")


def sessionmaker_for(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
