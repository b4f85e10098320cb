"""A team reviewing one project: blind (independent) coding that holds, and undo per person
that never takes another person's work."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CODEBOOK, ROOT
from thematic import Project
from thematic.errors import AccessError, ConflictError
from thematic.models import Suggestion

QDPX = ROOT / "tests" / "data" / "refi" / "qc.qdpx"
TEXT = ("Interviewer: How was the circle?\n\n"
        "P01: Honestly she really listened to me. I felt heard.\n\n"
        "Interviewer: And before?\n\nP01: I was so ashamed. People judged me at the clinic.\n")


@pytest.fixture
def blind(project: Project, tmp_path: Path, small_codebook) -> Project:
    """Independent review of two rule suggestions (ids in ``project.ids``)."""
    (tmp_path / "P01_a.txt").write_text(TEXT, encoding="utf-8")
    project.documents.ingest([tmp_path / "P01_a.txt"], actor="setup")
    project.codebook.load(small_codebook, actor="setup")
    doc = project.documents.get("P01_a")
    with project.store.unit("engine", "suggest") as uow:
        run = project.store.runs.start(uow, engine="rule", params={}, versions={},
                                       codebook_version_id=None, input_hash="x", seed=0)
        project.store.runs.add_suggestions(uow, run, [
            Suggestion(doc.id, doc.text.index(q), doc.text.index(q) + len(q), c, "rule", 0.7, {})
            for c, q in [("heard", "I felt heard."), ("stigma", "People judged me at the clinic.")]])
    project.settings.set_review_mode("independent", actor="setup")
    project.ids = sorted(project.review.codings()["coding_id"])  # type: ignore[attr-defined]
    return project


def _status(project: Project, cid: int) -> str:
    return str(project.review.codings().set_index("coding_id").loc[cid, "status"])


def _mine(project: Project, coder: str) -> list[list[object]]:
    return project.review.decisions(coder=coder)[["coding_id", "status"]].values.tolist()


def test_a_recode_by_one_coder_changes_nobody_elses_decision_nor_the_final_status(blind: Project) -> None:
    a, _ = blind.ids
    blind.review.accept([a], actor="alice")
    mine = blind.review.recode(a, "stigma", actor="bob")
    assert mine != a
    codings = blind.review.codings().set_index("coding_id")
    assert codings.loc[a, "code"] == "heard" and codings.loc[a, "status"] == "suggested"
    assert (codings.loc[mine, "code"], codings.loc[mine, "status"]) == ("stigma", "suggested")
    assert _mine(blind, "alice") == [[a, "accepted"]]
    assert _mine(blind, "bob") == [[a, "rejected"], [mine, "accepted"]]
    assert not blind.review.decisions()["final"].any()


def test_a_span_edit_by_one_coder_changes_nobody_elses_work(blind: Project) -> None:
    a, _ = blind.ids
    before = blind.review.codings().set_index("coding_id").loc[a, ["start", "end"]].tolist()
    blind.review.accept([a], actor="alice")
    text = blind.documents.get("P01_a").text
    start = text.index("I felt heard")
    mine = blind.review.edit_span(a, start, start + len("I felt heard"), actor="bob")
    codings = blind.review.codings().set_index("coding_id")
    assert codings.loc[a, ["start", "end"]].tolist() == before and _status(blind, a) == "suggested"
    assert codings.loc[mine, "text"] == "I felt heard" and codings.loc[mine, "coder"] == "bob"
    assert _mine(blind, "alice") == [[a, "accepted"]]
    # bob's own coding, decided by nobody else, changes in place
    assert blind.review.edit_span(mine, start, start + len("I felt heard."), actor="bob") == mine
    assert blind.review.codings().set_index("coding_id").loc[mine, "text"] == "I felt heard."


def test_a_plain_undo_in_independent_review_is_the_coders_own(blind: Project) -> None:
    a, b = blind.ids
    blind.review.accept([a], actor="alice")
    blind.review.reject([b], actor="bob")
    blind.review.accept([b], actor="alice")  # alice's is the newest change
    assert blind.review.undo(actor="bob") == ["reject"]
    assert _mine(blind, "alice") == [[a, "accepted"], [b, "accepted"]]
    assert _mine(blind, "bob") == []
    history = blind.review.history().set_index("action")
    assert bool(history.loc["reject", "undone"]) and not history.loc["accept", "undone"].any()


def test_hand_codings_are_blind_until_consensus_and_only_consensus_sets_the_final_status(
        blind: Project) -> None:
    from thematic.views import as_seen_by

    cid = blind.review.code_span("P01_a", "heard", actor="bob", quote="she really listened to me")
    assert _status(blind, cid) == "suggested" and _mine(blind, "bob") == [[cid, "accepted"]]
    seen = as_seen_by(blind.review.codings(), blind.review.decisions(), "alice", "independent")
    assert cid not in set(seen["coding_id"])  # alice does not see bob's coding
    seen = as_seen_by(blind.review.codings(), blind.review.decisions(), "bob", "independent")
    assert seen.set_index("coding_id").loc[cid, "status"] == "accepted"
    blind.review.consensus([cid], "accepted", actor="carol")
    assert _status(blind, cid) == "accepted"
    seen = as_seen_by(blind.review.codings(), blind.review.decisions(), "alice", "independent")
    assert seen.set_index("coding_id").loc[cid, "status"] == "accepted"  # decided for everyone


def test_agreement_is_computed_from_the_coders_own_decisions_not_the_consensus(blind: Project) -> None:
    a, b = blind.ids
    blind.review.accept([a, b], actor="alice")
    blind.review.accept([a], actor="bob")
    blind.review.reject([b], actor="bob")
    before = blind.analysis.agreement(["alice", "bob"], n_boot=0).table
    blind.review.consensus([a, b], "accepted", actor="bob")  # bob runs the consensus step too
    after = blind.analysis.agreement(["alice", "bob"], n_boot=0).table
    assert before.equals(after) and before.iloc[-1]["a_only"] == 1
    assert set(blind.coders.codings("bob")["coding_id"]) == {a}
    assert set(blind.coders.codings("alice")["coding_id"]) == {a, b}


def test_undo_mine_refuses_to_remove_an_import_whose_document_another_coded(project: Project) -> None:
    project.exchange.import_project(QDPX, actor="alice")
    bob = project.review.code_span("interview-05", "silence", actor="bob",
                                   quote="What do you code first?")
    with pytest.raises(ConflictError) as caught:
        project.review.undo(actor="alice", mine_only=True)
    assert str(caught.value).startswith(
        "cannot undo alice's 'import': it would remove later work: bob's 'code' (1 coding, 1 decision)")
    assert bob in set(project.review.codings()["coding_id"]) and len(project.review.codings()) == 3
    assert not project.review.history()["undone"].any()  # nothing undone, and the history says so
    assert project.review.undo(actor="bob", mine_only=True) == ["code"]
    assert project.review.undo(actor="alice", mine_only=True) == ["import"]
    assert project.documents.frame().empty
    assert project.review.history().set_index("action")["undone"].to_dict() == {
        "undo": False, "code": True, "import": True}
    assert project.review.history(by="bob")[["action", "undone"]].values.tolist() == [
        ["undo", False], ["code", True]]


def test_undo_mine_refuses_to_remove_a_topic_adoption_whose_suggestions_another_decided(
        sample_project: Project) -> None:
    from tests.services.test_topic_decisions import _store_run

    sample_project.codebook.load(CODEBOOK, actor="alice")
    ids = _store_run(sample_project)
    key = sample_project.topics.adopt(ids[0], actor="alice", name="Early days")
    made = sample_project.review.codings().query("code == @key")["coding_id"].tolist()
    sample_project.review.accept(made[:7], actor="bob")
    sample_project.review.reject(made[7:9], actor="carol")
    with pytest.raises(ConflictError, match=r"^cannot undo alice's 'adopt topic': it would remove "
                                            r"later work: bob's 'accept' \(7 codings, 7 decisions\), "
                                            r"carol's 'reject' \(2 codings, 2 decisions\)"):
        sample_project.review.undo(actor="alice", mine_only=True)
    assert len(sample_project.review.decisions()) == 9
    assert key in {c.id for c in sample_project.codebook.current().codes}


def test_undoing_needs_the_role_the_change_needed(tmp_path: Path, cheap_hashing: None,
                                                  small_codebook) -> None:
    with Project.create(tmp_path / "p.thematic") as project:
        (tmp_path / "P01_a.txt").write_text(TEXT, encoding="utf-8")
        project.documents.ingest([tmp_path / "P01_a.txt"], actor="setup")
        project.codebook.load(small_codebook, actor="setup")
        project.accounts.add("alice", "owner", "long enough password", actor="alice")
        project.accounts.add("bob", "coder", "long enough password", actor="alice")
        project.codebook.merge_codes(["stigma"], "heard", actor="alice")
        with pytest.raises(AccessError, match="bob is a coder: a coder cannot change the codebook"):
            project.review.undo(actor="bob")
        assert "stigma" not in {c.id for c in project.codebook.current().codes}
        assert project.review.undo(actor="alice") == ["merge codes"]
