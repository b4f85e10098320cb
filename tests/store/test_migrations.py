"""Schema revisions: 0001 -> 0002 migrates decisions and coders; opening never writes otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from thematic import Project
from thematic.errors import ProjectError
from thematic.store import database

HEAD = max(database.known_revisions())

ROWS_0001 = [
    "INSERT INTO projects (id, name, created_at, settings) VALUES (1, 'old', '2026-01-01', '{}')",
    "INSERT INTO coders (id, name) VALUES (1, 'ana'), (2, 'ben')",
    "INSERT INTO documents (id, project_id, name, original_name, format, sha256, text, metadata, "
    "imported_at, revision) VALUES (1, 1, 'P01', 'P01.txt', 'txt', 'x', 'P01: I felt heard.', "
    "'{}', '2026-01-01', 1)",
    "INSERT INTO codes (id, project_id, key, name, definition, inclusion, exclusion, examples, "
    "rules, position, created_at) VALUES (1, 1, 'heard', 'Heard', '', '', '', '[]', '[]', 0, "
    "'2026-01-01')",
    "INSERT INTO codings (id, project_id, document_id, code_id, start, end, source, status, "
    "evidence, coder, created_at, decided_by, decided_at, version) VALUES "
    "(1, 1, 1, 1, 5, 18, 'rule', 'accepted', '{}', NULL, '2026-01-01', 'ana', '2026-01-02', 2), "
    "(2, 1, 1, 1, 0, 4, 'rule', 'rejected', '{}', NULL, '2026-01-01', 'ben', '2026-01-03', 2), "
    "(3, 1, 1, 1, 0, 18, 'manual', 'accepted', '{}', 'ana', '2026-01-01', NULL, NULL, 1), "
    "(4, 1, 1, 1, 9, 18, 'rule', 'suggested', '{}', NULL, '2026-01-01', NULL, NULL, 1)",
]


HEAD = database.head_revision(create_engine("sqlite://"))


def make_0001(path: Path) -> None:
    """A project file at schema revision 0001 with decided and undecided codings."""
    engine = create_engine(f"sqlite:///{path}")
    database.upgrade_to(engine, "0001")
    with engine.begin() as conn:
        for sql in ROWS_0001:
            conn.exec_driver_sql(sql)
    engine.dispose()


def test_0001_project_upgrades_with_its_decisions(tmp_path: Path) -> None:
    path = tmp_path / "old.thematic"
    make_0001(path)
    before = path.read_bytes()
    with Project.open(path) as project:
        decisions = project.review.decisions()
        codings = project.review.codings().set_index("coding_id")
        coders = project.coders.names()
    assert decisions[["coding_id", "coder", "status"]].values.tolist() == [
        [1, "ana", "accepted"], [2, "ben", "rejected"], [3, "ana", "accepted"]]
    assert decisions["final"].all()
    assert str(decisions["decided_at"][0]).startswith("2026-01-02")
    assert codings.loc[[1, 2, 3, 4], "status"].tolist() == ["accepted", "rejected", "accepted", "suggested"]
    assert codings.loc[1, "version"] == 2
    assert coders == ["ana", "ben"]
    backups = list(tmp_path.glob("old.thematic.0001.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    assert con.execute("SELECT project_id FROM coders").fetchall() == [(1,), (1,)]
    con.close()
    Project.open(path).close()  # already at head: no second backup
    assert len(list(tmp_path.glob("old.thematic.*.bak"))) == 1


def test_newer_schema_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.thematic"
    Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer version of thematic"):
        Project.open(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00"[:0] + b"not sqlite" * 50])
def test_status_on_a_non_project_file_changes_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.thematic"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match="not a thematic project"):
        Project.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.thematic"]


def test_another_apps_sqlite_file_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="not a thematic project"):
        Project.open(path)
    assert path.read_bytes() == before  # no schema written, no switch to WAL
    assert not (tmp_path / "other.db-wal").exists()


def test_locked_database_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.thematic"
    make_0001(path)  # opening must migrate, which needs the write lock
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    con = sqlite3.connect(path)
    con.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ProjectError, match="locked: another program is writing"):
            Project.open(path)
    finally:
        con.rollback()
        con.close()


def test_read_only_folder_says_so(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ProjectError, match="read-only"):
            Project.create(folder / "p.thematic")
    finally:
        folder.chmod(0o700)


def test_disk_full_says_so() -> None:
    err = database.database_error(sqlite3.OperationalError("database or disk is full"), "sqlite:///x")
    assert "the disk is full" in err.message


def test_passwords_in_urls_are_masked() -> None:
    assert database.mask_url("postgresql://u:secret@host/db") == "postgresql://u:***@host/db"
    err = database.database_error(RuntimeError("could not connect to postgresql://u:secret@h/db"),
                                  "postgresql://u:secret@h/db")
    assert "secret" not in str(err) + (err.path or "") + (err.hint or "")
    assert err.path == "postgresql://u:***@h/db"


def test_server_database_is_not_migrated_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a server database is anything that is not a SQLite file: simulate one with a file URL
    path = tmp_path / "server.db"
    make_0001(path)
    url = f"sqlite:///{path}"
    monkeypatch.setattr(database, "sqlite_path", lambda u: None)
    with pytest.raises(ProjectError, match="upgrade it to this version.s schema"):
        Project.open(url)
    assert Project.migrate(url) == ("0001", HEAD)
    with Project.open(url) as project:
        assert len(project.review.decisions()) == 3


def test_a_read_only_project_says_so() -> None:
    exc = sqlite3.OperationalError("attempt to write a readonly database")
    err = database.database_error(exc, "sqlite:////data/p.thematic")
    assert err.message == "cannot write to the project: the file or its folder is read-only"
    assert err.path == "/data/p.thematic"
