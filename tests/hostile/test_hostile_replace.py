"""A file with a taken name never silently replaces a document or costs a decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import IngestError

FIRST = "Interviewer: How did it start?\nP01: I went to a meeting and felt heard for once.\n"
OTHER = "Interviewer: Tell me about the group.\nP01: Nobody judged me there, it was quiet.\n"


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "P01.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _code_by_hand(project: Project, document: str, quote: str) -> int:
    from thematic.models import Code

    if "heard" not in project.codebook.current().by_id():
        project.codebook.add_code(Code("heard", "Feeling heard"), actor="ana")
    return project.review.code_span(document, "heard", actor="ana", quote=quote)


def test_another_file_of_the_same_name_is_a_new_document(project: Project, tmp_path: Path) -> None:
    project.documents.ingest([_write(tmp_path / "a", FIRST)], actor="ana")
    _code_by_hand(project, "P01", "felt heard for once")
    report = project.documents.ingest([_write(tmp_path / "b", OTHER)], actor="ana")
    assert report.added == ["P01 (b)"] and report.updated == []
    assert report.renamed == [(str((tmp_path / "b" / "P01.txt").resolve()), "P01", "P01 (b)")]
    assert sorted(project.documents.frame()["name"]) == ["P01", "P01 (b)"]
    assert len(project.review.codings(status="accepted")) == 1  # the decision is still there


def test_two_same_named_files_in_one_import(project: Project, tmp_path: Path) -> None:
    report = project.documents.ingest([_write(tmp_path / "a", FIRST), _write(tmp_path / "b", OTHER)], actor="ana")
    assert report.added == ["P01", "P01 (b)"]


def test_replace_that_would_lose_decided_codings_is_refused(project: Project, tmp_path: Path) -> None:
    project.documents.ingest([_write(tmp_path / "a", FIRST)], actor="ana")
    coding = _code_by_hand(project, "P01", "felt heard for once")
    before = project.status()
    with pytest.raises(IngestError, match=r"would lose 1 decided coding.*--allow-losing-codings"):
        project.documents.ingest([_write(tmp_path / "b", OTHER)], replace=True, actor="ana")
    assert project.status() == before
    report = project.documents.ingest([_write(tmp_path / "b", OTHER)], replace=True, allow_losing_codings=True, actor="ana")
    assert report.updated == ["P01"] and [r["coding_id"] for r in report.lost_codings] == [coding]
    lost = project.documents.lost_codings()
    assert lost[["coding_id", "document", "code", "text", "status"]].values.tolist() == [
        [coding, "P01", "heard", "felt heard for once", "accepted"]]


def test_a_changed_version_of_the_same_file_keeps_what_it_can(project: Project, tmp_path: Path) -> None:
    path = _write(tmp_path / "a", FIRST)
    project.documents.ingest([path], actor="ana")
    _code_by_hand(project, "P01", "felt heard for once")
    path.write_text(FIRST + "Interviewer: And now?\nP01: Better.\n", encoding="utf-8")
    report = project.documents.ingest([path], actor="ana")
    assert report.updated == ["P01"] and report.reanchored == 1 and report.lost_codings == []
    with pytest.raises(IngestError, match="would lose 1 decided coding"):
        path.write_text(OTHER, encoding="utf-8")
        project.documents.ingest([path], actor="ana")
