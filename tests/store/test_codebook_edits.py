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
    project.ingest([path])
    project.load_codebook(small_codebook)
    return project


def test_merging_a_parent_into_its_own_child_is_refused(coded: Project) -> None:
    coded.code_span("P01_a", "support", quote="She really listened to me.", coder="ana")
    with pytest.raises(ReviewError, match="cannot merge 'support' into its own descendant 'heard'"):
        coded.merge_codes(["support"], "heard", coder="ana")
    codebook = coded.codebook()
    assert [c.id for c in codebook.codes] == ["support", "heard", "stigma"]
    assert dump_codebook_yaml(codebook).count("id: ") == 3
    assert len(coded.codings()) == 1


def test_merging_a_child_into_its_parent_reparents_correctly(coded: Project) -> None:
    coded.add_code(Code("deep", "Deep", parent_id="heard"), coder="ana")
    coded.merge_codes(["heard"], "support", coder="ana")
    parents = {c.id: c.parent_id for c in coded.codebook().codes}
    assert parents == {"support": None, "stigma": None, "deep": "support"}


def test_an_export_never_drops_codes_of_a_cycle() -> None:
    cycle = Codebook(codes=[Code("a", "A", parent_id="b"), Code("b", "B", parent_id="a"), Code("c", "C")])
    with pytest.raises(CodebookError, match="2 code\\(s\\) sit in a parent cycle .*: a, b"):
        dump_codebook_yaml(cycle)


def test_two_codebook_imports_then_undo_restore_the_first(coded: Project) -> None:
    second = Codebook(codes=[Code("other", "Other"), Code("child", "Child", parent_id="other")],
                      name="second", label="second@1", content_hash="h2")
    coded.load_codebook(second)
    assert [c.id for c in coded.codebook().codes] == ["other", "child"]
    third = Codebook(codes=[Code("x", "X")], name="third", label="third@1", content_hash="h3")
    coded.load_codebook(third)
    coded.undo()
    assert [c.id for c in coded.codebook().codes] == ["other", "child"]
    coded.undo()
    assert {c.id: c.parent_id for c in coded.codebook().codes} == {
        "support": None, "heard": "support", "stigma": None}


def test_undo_of_a_delete_then_of_an_earlier_accept_is_no_conflict(coded: Project) -> None:
    cid = coded.code_span("P01_a", "stigma", quote="I was ashamed.", coder="ana")
    coded.reject([cid], coder="ana")
    coded.accept([cid], coder="ben")
    coded.delete_code("stigma", coder="ana")
    assert coded.undo() == ["delete code"]
    assert coded.undo() == ["accept"]
    row = coded.codings().set_index("coding_id").loc[cid]
    assert (row["status"], row["decided_by"]) == ("rejected", "ana")


def test_update_code_takes_every_field_and_model_objects(coded: Project) -> None:
    coded.update_code("stigma", coder="ana", name="Stigma felt", definition="d", inclusion="i",
                      exclusion="e", examples=(Example("I was ashamed."),), color="#aa0000",
                      rules=(Rule("stigma/r2", "keywords", ["ashamed"]),))
    code = coded.codebook().by_id()["stigma"]
    assert (code.name, code.definition, code.inclusion, code.exclusion, code.color) == (
        "Stigma felt", "d", "i", "e", "#aa0000")
    assert code.examples == (Example("I was ashamed."),)
    assert [r.id for r in code.rules] == ["stigma/r2"]
    with pytest.raises(ReviewError, match="cannot edit parent"):
        coded.update_code("stigma", coder="ana", parent="support")
