"""Per-coder decisions: shared and independent review, consensus, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import ConflictError, ParameterError
from thematic.models import Suggestion

TEXT = ("Interviewer: How was the circle?\n\n"
        "P01: Honestly she really listened to me. I felt heard.\n\n"
        "Interviewer: And before?\n\nP01: I was so ashamed. People judged me at the clinic.\n")


@pytest.fixture
def coded(project: Project, tmp_path: Path, small_codebook) -> Project:
    path = tmp_path / "P01_a.txt"
    path.write_text(TEXT)
    project.documents.ingest([path], actor="ana")
    project.codebook.load(small_codebook, actor="ana")
    doc = project.documents.get("P01_a")
    store = project.store
    with store.unit("engine", "suggest") as uow:
        run = store.runs.start(uow, engine="rule", params={}, versions={}, codebook_version_id=None,
                               input_hash="x", seed=0)
        quotes = [("heard", "I felt heard."), ("stigma", "People judged me at the clinic.")]
        store.runs.add_suggestions(uow, run, [
            Suggestion(doc.id, doc.text.index(q), doc.text.index(q) + len(q), c, "rule", 0.7, {})
            for c, q in quotes])
    return project


def _ids(project: Project) -> list[int]:
    return sorted(project.review.codings()["coding_id"].tolist())


def test_shared_review_has_one_current_decision_anyone_may_change(coded: Project) -> None:
    a, _ = _ids(coded)
    coded.review.accept([a], actor="ana")
    coded.review.reject([a], actor="ben")
    decisions = coded.review.decisions()
    assert decisions[["coding_id", "coder", "status", "final"]].values.tolist() == [
        [a, "ben", "rejected", True]]
    row = coded.review.codings().set_index("coding_id").loc[a]
    assert (row["status"], row["decided_by"]) == ("rejected", "ben")
    assert "segment_id" in coded.review.codings().columns
    from thematic.services import review

    review.decide(coded.store, [a], "suggested", actor="ana")
    assert coded.review.decisions().empty
    assert coded.review.codings().set_index("coding_id").loc[a, "status"] == "suggested"


def test_shared_review_detects_a_stale_version(coded: Project) -> None:
    a, _ = _ids(coded)
    version = int(coded.review.codings().set_index("coding_id").loc[a, "version"])
    coded.review.accept([a], actor="ana")
    with pytest.raises(ConflictError, match="changed by ana"):
        coded.review.reject([a], actor="ben", expected_versions={a: version})


def test_independent_review_keeps_both_coders_decisions_blind(coded: Project) -> None:
    a, b = _ids(coded)
    coded.settings.set_review_mode("independent", actor="ana")
    assert coded.review.accept([a, b], actor="ana") == 2
    assert coded.review.reject([a], actor="ben") == 1
    mine = coded.review.decisions(coder="ana")
    assert mine[["coding_id", "status"]].values.tolist() == [[a, "accepted"], [b, "accepted"]]
    both = coded.review.decisions().query("coding_id == @a")
    assert sorted(both[["coder", "status"]].values.tolist()) == [["ana", "accepted"], ["ben", "rejected"]]
    assert not both["final"].any()
    # the codings stay suggested until the consensus decision
    assert set(coded.review.codings()["status"]) == {"suggested"}
    assert coded.review.consensus([a], "rejected", actor="ana") == 1
    codings = coded.review.codings().set_index("coding_id")
    assert (codings.loc[a, "status"], codings.loc[a, "decided_by"]) == ("rejected", "ana")
    assert codings.loc[b, "status"] == "suggested"
    assert len(coded.review.decisions().query("coding_id == @a")) == 3  # ana's, ben's and the final one


def test_undo_restores_decisions_and_the_derived_status(coded: Project) -> None:
    a, _ = _ids(coded)
    coded.settings.set_review_mode("independent", actor="ana")
    coded.review.accept([a], actor="ana")
    coded.review.consensus([a], "accepted", actor="ana")
    assert coded.review.undo(actor="ana") == ["consensus"]
    assert coded.review.codings().set_index("coding_id").loc[a, "status"] == "suggested"
    assert coded.review.decisions()["final"].tolist() == [False]
    assert coded.review.undo(actor="ana") == ["accept"]
    assert coded.review.decisions().empty


def test_review_mode_is_validated(coded: Project) -> None:
    with pytest.raises(ParameterError, match="review mode must be one of shared, independent"):
        coded.settings.set_review_mode("blind", actor="ana")
    assert coded.settings.current().review_mode == "shared"


def test_deleting_a_code_and_undoing_it_brings_decisions_back(coded: Project) -> None:
    a, _ = _ids(coded)
    coded.review.accept([a], actor="ana")
    coded.codebook.delete_code("heard", actor="ana")
    assert coded.review.decisions().empty
    coded.review.undo(actor="ana")
    assert coded.review.decisions()[["coding_id", "coder", "status"]].values.tolist() == [[a, "ana", "accepted"]]


def test_coders_belong_to_their_project(tmp_path: Path) -> None:
    url = tmp_path / "two.thematic"
    with Project.create(url, name="one") as one:
        one.settings.set_unit("turn", actor="ana")
    from thematic.store import ProjectStore

    other = ProjectStore(str(url), create=True, name="two")
    with other.unit("ben", "settings") as uow:
        other.update_settings(uow, unit="turn")
    assert other.coders() == ["ben"]
    other.close()
    with Project.open(url) as one:
        assert one.coders.names() == ["ana"]
