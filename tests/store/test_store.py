"""The project store: schema and migrations, SQLite settings, backups, PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from thematic import Project
from thematic.errors import ProjectError
from thematic.store import ProjectStore
from thematic.store import database as engines


def test_migrations_match_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from thematic.store.orm import Base

    store = ProjectStore(str(tmp_path / "m.thematic"), create=True)
    with store.db_writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = ProjectStore(str(tmp_path / "p.thematic"), create=True)
    with store.db_writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == engines.BUSY_TIMEOUT_MS


def test_open_missing_project_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="Create the project first"):
        Project.open(tmp_path / "nope.thematic")


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    Project.create(tmp_path / "a.thematic").close()
    with pytest.raises(ProjectError, match="a project file exists here already"):
        Project.create(tmp_path / "a.thematic")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="not a thematic project"):
        Project.open(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "text.thematic"
    path.write_text("hello, I am not SQLite" * 100)
    with pytest.raises(ProjectError, match="cannot open the project database"):
        Project.open(path)


def test_settings_round_trip_and_unit_validation(project: Project) -> None:
    assert project.settings.current().unit == "sentence"
    project.settings.set_unit("turn", actor="ana")
    assert project.settings.current().unit == "turn"
    with pytest.raises(ValueError, match="unit must be one of turn, sentence. Got 'word' instead"):
        project.settings.set_unit("word", actor="ana")


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("THEMATIC_TEST_POSTGRES_URL"),
                    reason="set THEMATIC_TEST_POSTGRES_URL (CI starts a PostgreSQL server)")
def test_the_same_store_runs_on_postgresql(tmp_path: Path, small_codebook) -> None:
    url = os.environ["THEMATIC_TEST_POSTGRES_URL"]
    from sqlalchemy import create_engine

    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    doc = tmp_path / "P01_test.txt"
    doc.write_text("Interviewer: How did the group feel?\n\nP01: Honestly she really listened to me. "
                   "I felt heard.\n\nInterviewer: And the stigma?\n\nP01: I was so ashamed before.\n")
    with Project.create(url, name="pg") as project:
        report = project.documents.ingest([doc], actor="ana")
        assert report.added == ["P01_test"]
        project.codebook.load(small_codebook, actor="ana")
        cid = project.review.code_span("P01_test", "heard", quote="she really listened to me", actor="ana")
        project.review.accept([cid], actor="ana")
        project.codebook.delete_code("heard", actor="ana")
        assert project.review.codings().empty
        project.review.undo(actor="ana")
        codings = project.review.codings()
        assert codings["text"].tolist() == ["she really listened to me"]
    with Project.open(url) as again:
        assert again.status()["documents"] == 1
