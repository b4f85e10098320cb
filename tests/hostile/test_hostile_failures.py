"""Hostile inputs, classes *one line for every failure* and *data loss*: a full disk, a
read-only or immutable project, a lock held past the timeout, a URL that is no database, a young
project's report, bad ids; uploads, imports, memos and recordings that used to lose or keep
what they should not. Every failure is one ``error:`` line without SQL or transcript text, and
the project is unchanged."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from tests.conftest import CODEBOOK, SAMPLES
from thematic import Project
from thematic.cli import app
from thematic.errors import NotFoundError, ParameterError, ThematicError
from thematic.fileio import keep_file
from thematic.store import database

pytestmark = [pytest.mark.filterwarnings("ignore"),
              pytest.mark.filterwarnings("error:Project.*is deprecated:DeprecationWarning")]
runner = CliRunner()
DANA = SAMPLES / "P01_dana.txt"
QUOTE = "I'd sit at the back, I'd get a coffee"
SECRET = "standing in the shop looking at the wine"  # transcript text no message may print


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sample interviews, the codebook, one accepted hand coding (no co-occurrence)."""
    path = tmp_path_factory.mktemp("small") / "small.thematic"
    with Project.create(path) as project:
        project.documents.ingest([DANA, SAMPLES / "P02_marcus.txt"], actor="ana")
        project.codebook.load(CODEBOOK, actor="ana")
        project.review.code_span("P01_dana", "isolation", actor="ana", quote=QUOTE)
    return path


@pytest.fixture
def small(small_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "small.thematic"
    shutil.copy(small_file, target)
    return target


def _dump(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


def _one_line(result, *, expect: str) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, ThematicError)
    for leak in ("INSERT", "UPDATE ", "SELECT", "sqlalchemy", SECRET, "[SQL"):
        assert leak not in result.output, result.output
    assert expect in errors[0], errors[0]
    return errors[0]


def fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own 'database or disk is full': at most 4 more pages for every connection."""
    real = database.make_engine

    def make(url: str, *, writer: bool = True):
        engine = real(url, writer=writer)

        @event.listens_for(engine, "connect")
        def _cap(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            (pages,) = cur.execute("PRAGMA page_count").fetchone()
            cur.execute(f"PRAGMA max_page_count = {pages + 4}")
            cur.close()
        return engine
    monkeypatch.setattr(database, "make_engine", make)


# ------------------------------------------------------------------ full disk
def test_ingest_on_a_full_disk(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _dump(small)
    fill_disk(monkeypatch)
    big = [str(SAMPLES / n) for n in ("P03_priya_otter.txt", "P10_kevin.txt", "P06_rosa.srt")]
    result = runner.invoke(app, ["ingest", *big, "-p", str(small)])
    _one_line(result, expect="the disk is full: nothing was changed")
    assert _dump(small) == before


def test_import_on_a_full_disk(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    qdpx = tmp_path / "sample.qdpx"
    with Project.create(tmp_path / "src.thematic") as source:
        source.documents.ingest([SAMPLES / "P03_priya_otter.txt", SAMPLES / "P10_kevin.txt"], actor="ana")
        source.exchange.export_qdpx(qdpx)
    before = _dump(small)
    fill_disk(monkeypatch)
    result = runner.invoke(app, ["import", str(qdpx), "-p", str(small)])
    _one_line(result, expect="the disk is full")
    assert _dump(small) == before


def test_qdpx_export_on_a_full_disk(small: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import thematic.fileio

    def full(fd: int, mode: str):  # the archive's file, written through fileio, fills the disk
        import os

        os.close(fd)
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(thematic.fileio, "_fdopen", full)
    result = runner.invoke(app, ["export", "qdpx", str(tmp_path / "out.qdpx"), "-p", str(small)])
    _one_line(result, expect="cannot write out.qdpx: the disk is full")
    assert list(tmp_path.glob("*.qdpx")) == [] and list(tmp_path.glob(".out.qdpx.*")) == []


def test_qdpx_export_into_a_missing_folder_is_one_line(small: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "qdpx", str(tmp_path / "nofolder" / "x.qdpx"),
                                 "-p", str(small)])
    _one_line(result, expect="cannot write x.qdpx: the folder ")
    assert not (tmp_path / "nofolder").exists()


# ------------------------------------------------------------------ read-only, locked, URLs
@pytest.fixture
def immutable(small: Path) -> Iterator[Path]:
    done = subprocess.run(["chattr", "+i", str(small)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield small
    finally:
        subprocess.run(["chattr", "-i", str(small)], capture_output=True)


def test_an_immutable_project_opens_and_refuses_writes_in_one_line(immutable: Path) -> None:
    assert runner.invoke(app, ["status", "-p", str(immutable)]).exit_code == 0
    result = runner.invoke(app, ["code-span", "P01_dana", "isolation", "--quote",
                                 "This building is a maze", "--coder", "ana", "-p", str(immutable)])
    _one_line(result, expect="cannot write to the project: the file or its folder is read-only")


def test_a_lock_held_past_the_timeout(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    with Project.open(small):
        pass  # WAL mode set; a second program now holds the write lock
    holder = sqlite3.connect(small)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = runner.invoke(app, ["code-span", "P01_dana", "isolation", "--quote",
                                     "This building is a maze", "--coder", "ana", "-p", str(small)])
        _one_line(result, expect="the project is locked: another program is writing to it")
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.parametrize("url", ["file://etc/passwd", "http://evil.example/p", "ftp://x/y",
                                 "mysql+nope://u:secret@h/db"])
def test_a_url_that_is_no_database(url: str) -> None:
    line = _one_line(runner.invoke(app, ["status", "-p", url]),
                     expect="is neither a project file nor a database URL")
    assert "secret" not in line


# ------------------------------------------------------------------ reports
@pytest.mark.slow
def test_report_on_a_project_where_no_two_codes_co_occur(small: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "r"), "--no-ner", "-p", str(small)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "index.md").is_file() and (tmp_path / "r" / "cooccurrence.png").is_file()


@pytest.mark.slow
def test_a_failed_report_leaves_no_folder(small: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.errors import WriteError
    from thematic.export import registry

    real = registry.export

    def failing(kind, data, target, **kw):
        if kind == "methods":
            raise WriteError("cannot write methods.md: the disk is full", path=str(target))
        return real(kind, data, target, **kw)
    monkeypatch.setattr("thematic.export.report.export", failing)
    result = runner.invoke(app, ["report", str(tmp_path / "r"), "--no-ner", "-p", str(small)])
    _one_line(result, expect="the disk is full")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("small.thematic")] == []


def test_a_failed_report_leaves_an_existing_folder_as_it_was(small: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.errors import WriteError

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "notes.txt").write_text("mine")

    def failing(kind, data, target, **kw):
        raise WriteError("cannot write: the disk is full", path=str(target))
    monkeypatch.setattr("thematic.export.report.export", failing)
    result = runner.invoke(app, ["report", str(tmp_path / "r"), "--no-ner", "-p", str(small)])
    _one_line(result, expect="the disk is full")
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["notes.txt"]


# ------------------------------------------------------------------ bad ids and values
@pytest.mark.parametrize("args, expect", [
    (["memo", "hi", "--on", "coding", "--id", "abc"], "a coding id is a number. Got 'abc' instead"),
    (["memo", "hi", "--on", "coding", "--id", "99999"], "99999"),
    (["memo", "hi", "--on", "theme", "--id", "Ghost theme"], "no theme 'Ghost theme' in this project"),
    (["role", "Dana", "wizard"], "role must be one of participant, interviewer, moderator"),
], ids=["memo-coding-abc", "memo-coding-missing", "memo-theme-missing", "role-wizard"])
def test_bad_ids_and_values_change_nothing(args: list[str], expect: str, small: Path) -> None:
    before = _dump(small)
    _one_line(runner.invoke(app, [*args, "--coder", "ana", "-p", str(small)] if args[0] == "memo"
                            else [*args, "-p", str(small)]), expect=expect)
    assert _dump(small) == before


def test_a_memo_on_a_theme_that_exists(small: Path) -> None:
    with Project.open(small) as project:
        theme = project.themes.add("Being alone", codes=["isolation"], actor="ana")
        project.memos.add("note", actor="ana", target="theme", target_id="Being alone")
        project.memos.add("note 2", actor="ana", target="theme", target_id=str(theme))
        assert set(project.memos.frame("theme", "Being alone")["target_id"]) == {str(theme)}


def test_cli_hints_name_cli_options_not_the_api(small: Path, tmp_path: Path) -> None:
    line = _one_line(runner.invoke(app, ["ingest", str(DANA), "--max-mb", "0.001", "-p", str(small)]),
                     expect="larger than the limit")
    assert "--max-mb" in line and "ReadOptions" not in line
    survey = tmp_path / "s.csv"
    survey.write_text("a,answer\n1,A long free text answer that is surely text.\n"
                      "1,Another long free text answer that is text.\n", encoding="utf-8")
    out = runner.invoke(app, ["ingest", str(survey), "-p", str(small)])
    assert "ReadOptions" not in out.output


# ------------------------------------------------------------------ data kept, nothing left
def test_two_uploads_with_the_same_name_are_both_kept(tmp_path: Path) -> None:
    taken: set[Path] = set()
    first = keep_file(tmp_path, "P01.txt", b"Interviewer: Hi.\nP01: First.\n", taken=taken)
    second = keep_file(tmp_path, "P01.txt", b"Interviewer: Hi.\nP01: Second.\n", taken=taken)
    assert first != second and b"First" in first.read_bytes() and b"Second" in second.read_bytes()
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.documents.ingest([first, second], actor="ana")
        assert len(report.added) == 2


def test_a_failed_import_new_leaves_no_project_and_the_retry_works(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    new = tmp_path / "new.thematic"
    _one_line(runner.invoke(app, ["import", str(bad), "--new", str(new)]), expect="bad.qdpx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]
    good = tmp_path / "good.qdpx"
    with Project.create(tmp_path / "src.thematic") as source:
        source.documents.ingest([DANA], actor="ana")
        source.exchange.export_qdpx(good)
    result = runner.invoke(app, ["import", str(good), "--new", str(new)])
    assert result.exit_code == 0, result.output
    with Project.open(new) as project:
        assert project.status()["documents"] == 1


@pytest.mark.slow
def test_a_killed_import_new_leaves_no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.qdpx"
    with Project.create(tmp_path / "src.thematic") as source:
        source.documents.ingest([DANA], actor="ana")
        source.exchange.export_qdpx(good)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr("thematic.services.exchange.import_project", killed)
        result = runner.invoke(app, ["import", str(good), "--new", str(tmp_path / "n.thematic")])
        assert result.exit_code == 130 and "interrupted" in result.output
    assert not (tmp_path / "n.thematic").exists() and not list(tmp_path.glob(".n.thematic*"))
    (tmp_path / ".n.thematic.part").write_bytes(b"left by kill -9")
    assert runner.invoke(app, ["import", str(good), "--new", str(tmp_path / "n.thematic")]).exit_code == 0
    assert not list(tmp_path.glob(".n.thematic*"))


def test_import_new_never_overwrites(small: Path, tmp_path: Path) -> None:
    before = small.read_bytes()
    _one_line(runner.invoke(app, ["import", str(DANA), "--new", str(small)]),
              expect="a project file exists here already")
    assert small.read_bytes() == before


def test_an_undone_attachment_leaves_the_disk(small: Path, tmp_path: Path) -> None:
    audio = tmp_path / "talk.mp3"
    audio.write_bytes(b"ID3" + b"\0" * 64)
    with Project.open(small) as project:
        project.memos.attach("P01_dana", audio, actor="ana")
        (kept,) = project.memos.attachments()["path"]
        assert Path(kept).is_file()
        project.review.undo(actor="ana")
        assert project.memos.attachments().empty and not Path(kept).exists()


def test_a_failed_attachment_write_leaves_the_disk(small: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    audio = tmp_path / "talk.mp3"
    audio.write_bytes(b"ID3" + b"\1" * 64)
    with Project.open(small) as project:
        def refuse(*args, **kwargs):
            raise NotFoundError("document 1 no longer exists")
        monkeypatch.setattr(project.store.memos, "attach", refuse)
        with pytest.raises(NotFoundError):
            project.memos.attach("P01_dana", audio, actor="ana")
        folder = small.with_name(small.name + ".media")
        assert not folder.exists() or list(folder.iterdir()) == []


def test_a_recording_that_is_no_recording(small: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("x")
    with Project.open(small) as project, pytest.raises(ParameterError, match="audio or video"):
        project.memos.attach("P01_dana", text, actor="ana")
