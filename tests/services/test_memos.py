"""Memos, read marks and recordings: audited, undoable, targets checked, media kept by hash."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from thematic import Project
from thematic.cli import app
from thematic.errors import NotFoundError, ParameterError


@pytest.fixture
def project(tmp_path: Path) -> Project:
    proj = Project.create(tmp_path / "m.thematic")
    proj.documents.ingest([SAMPLES / "P01_dana.txt", SAMPLES / "P02_marcus.txt"], actor="ana")
    return proj


def _recording(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000)
    return path


def test_memos_on_each_target_are_listed_and_undone(project: Project) -> None:
    first = project.memos.add("Dana speaks of shame early on.", actor="ana", target="document",
                             target_id="P01_dana", title="first read")
    project.memos.add("Overall: hope vs fear.", actor="ana")
    frame = project.memos.frame()
    assert list(frame["body"]) == ["Dana speaks of shame early on.", "Overall: hope vs fear."]
    doc_id = str(project.documents.get("P01_dana").id)
    assert project.memos.frame("document", "P01_dana")["memo_id"].tolist() == [first]
    assert frame.iloc[0]["target_id"] == doc_id
    project.memos.edit(first, actor="ben", body="Shame, then pride.")
    assert project.memos.frame().iloc[0]["body"] == "Shame, then pride."
    project.review.undo(actor="ana")
    assert project.memos.frame().iloc[0]["body"] == "Dana speaks of shame early on."
    project.memos.delete(first, actor="ana")
    assert len(project.memos.frame()) == 1
    project.review.undo(actor="ana")
    assert len(project.memos.frame()) == 2


def test_a_memo_on_something_missing_is_refused(project: Project) -> None:
    with pytest.raises(NotFoundError, match="no document 'P99'"):
        project.memos.add("x", actor="ana", target="document", target_id="P99")
    with pytest.raises(ParameterError, match="target must be one of project, document"):
        project.memos.add("x", actor="ana", target="folder")
    with pytest.raises(ParameterError, match="needs the code's id"):
        project.memos.add("x", actor="ana", target="code")
    assert project.memos.frame().empty


def test_read_marks_per_coder(project: Project) -> None:
    assert project.memos.mark_read("P01_dana", actor="ana") is True
    assert project.memos.mark_read("P01_dana", actor="ana") is False
    project.memos.mark_read("P02_marcus", actor="ben")
    assert project.memos.read_marks("ana")["document"].tolist() == ["P01_dana"]
    assert project.memos.mark_read("P01_dana", actor="ana", read=False) is True
    assert project.memos.read_marks("ana").empty


def test_a_recording_is_copied_once_by_hash(project: Project, tmp_path: Path) -> None:
    wav = _recording(tmp_path / "dana.wav")
    first = project.memos.attach("P01_dana", wav, actor="ana")
    again = project.memos.attach("P01_dana", wav, actor="ana")
    assert first == again
    row = project.memos.attachments("P01_dana").iloc[0]
    stored = Path(row["path"])
    assert stored.parent == tmp_path / "m.thematic.media"
    assert stored.read_bytes() == wav.read_bytes()
    assert row["media_type"] == "audio/x-wav"
    text = tmp_path / "notes.txt"
    text.write_text("not a recording")
    with pytest.raises(ParameterError, match="must be an audio or video file"):
        project.memos.attach("P01_dana", text, actor="ana")


def test_cli_memo_memos_attach(project: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    target = project.store.url.removeprefix("sqlite:///")
    out = runner.invoke(app, ["memo", "Note on stigma", "--on", "code", "--id", "stigma", "-p", target,
                              "--coder", "ana"])
    assert out.exit_code == 1 and "no code 'stigma'" in out.output
    out = runner.invoke(app, ["memo", "Project note", "-p", target, "--coder", "ana"])
    assert out.exit_code == 0, out.output
    listed = runner.invoke(app, ["memos", "-p", target])
    assert "Project note" in listed.output
    wav = _recording(tmp_path / "a.wav")
    out = runner.invoke(app, ["attach", "P02_marcus", str(wav), "-p", target, "--coder", "ana"])
    assert out.exit_code == 0 and "recording attached to P02_marcus" in out.output
