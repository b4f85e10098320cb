"""Codebook edits in the store: merges that would corrupt the tree, imports and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic import Project
from thematic.codebook import dump_codebook_yaml
from thematic.errors import CodebookError, ReviewError
from thematic.models import Code, Codebook, Example, Rule

TEXT = "Interviewer: How was it?\n\nP01: She really listened to me. I felt heard. I was ashamed.\n"


@pytest.fixture
def coded(project: Project, tmp_path: Path, small_codebook) -> Project:
    path = tmp_path / "P01_a.txt"
    path.write_text(TEXT)
    project.documents.ingest([path], actor="ana")
    project.codebook.load(small_codebook, actor="ana")
    return project


def test_merging_a_parent_into_its_own_child_is_refused(coded: Project) -> None:
    coded.review.code_span("P01_a", "support", quote="She really listened to me.", actor="ana")
    with pytest.raises(ReviewError, match="cannot merge 'support' into its own descendant 'heard'"):
        coded.codebook.merge_codes(["support"], "heard", actor="ana")
    codebook = coded.codebook.current()
    assert [c.id for c in codebook.codes] == ["support", "heard", "stigma"]
    assert dump_codebook_yaml(codebook).count("id: ") == 3
    assert len(coded.review.codings()) == 1


def test_merging_a_child_into_its_parent_reparents_correctly(coded: Project) -> None:
    coded.codebook.add_code(Code("deep", "Deep", parent_id="heard"), actor="ana")
    coded.codebook.merge_codes(["heard"], "support", actor="ana")
    parents = {c.id: c.parent_id for c in coded.codebook.current().codes}
    assert parents == {"support": None, "stigma": None, "deep": "support"}


def test_an_export_never_drops_codes_of_a_cycle() -> None:
    cycle = Codebook(codes=[Code("a", "A", parent_id="b"), Code("b", "B", parent_id="a"), Code("c", "C")])
    with pytest.raises(CodebookError, match="2 code\\(s\\) sit in a parent cycle .*: a, b"):
        dump_codebook_yaml(cycle)


def test_two_codebook_imports_then_undo_restore_the_first(coded: Project) -> None:
    second = Codebook(codes=[Code("other", "Other"), Code("child", "Child", parent_id="other")],
                      name="second", label="second@1", content_hash="h2")
    coded.codebook.load(second, actor="ana")
    assert [c.id for c in coded.codebook.current().codes] == ["other", "child"]
    third = Codebook(codes=[Code("x", "X")], name="third", label="third@1", content_hash="h3")
    coded.codebook.load(third, actor="ana")
    coded.review.undo(actor="ana")
    assert [c.id for c in coded.codebook.current().codes] == ["other", "child"]
    coded.review.undo(actor="ana")
    assert {c.id: c.parent_id for c in coded.codebook.current().codes} == {
        "support": None, "heard": "support", "stigma": None}


def test_undo_of_a_delete_then_of_an_earlier_accept_is_no_conflict(coded: Project) -> None:
    cid = coded.review.code_span("P01_a", "stigma", quote="I was ashamed.", actor="ana")
    coded.review.reject([cid], actor="ana")
    coded.review.accept([cid], actor="ben")
    coded.codebook.delete_code("stigma", actor="ana")
    assert coded.review.undo(actor="ana") == ["delete code"]
    assert coded.review.undo(actor="ana") == ["accept"]
    row = coded.review.codings().set_index("coding_id").loc[cid]
    assert (row["status"], row["decided_by"]) == ("rejected", "ana")


def test_update_code_takes_every_field_and_model_objects(coded: Project) -> None:
    coded.codebook.update_code("stigma", actor="ana", name="Stigma felt", definition="d", inclusion="i",
                      exclusion="e", examples=(Example("I was ashamed."),), color="#aa0000",
                      rules=(Rule("stigma/r2", "keywords", ["ashamed"]),))
    code = coded.codebook.current().by_id()["stigma"]
    assert (code.name, code.definition, code.inclusion, code.exclusion, code.color) == (
        "Stigma felt", "d", "i", "e", "#aa0000")
    assert code.examples == (Example("I was ashamed."),)
    assert [r.id for r in code.rules] == ["stigma/r2"]
    with pytest.raises(ReviewError, match="cannot edit parent"):
        coded.codebook.update_code("stigma", actor="ana", parent="support")
