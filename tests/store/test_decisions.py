"""Per-coder decisions: shared and independent review, consensus, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import ConflictError, ReviewError
from thematic.models import Suggestion

TEXT = ("Interviewer: How was the circle?\n\n"
        "P01: Honestly she really listened to me. I felt heard.\n\n"
        "Interviewer: And before?\n\nP01: I was so ashamed. People judged me at the clinic.\n")


@pytest.fixture
def coded(project: Project, tmp_path: Path, small_codebook) -> Project:
    path = tmp_path / "P01_a.txt"
    path.write_text(TEXT)
    project.ingest([path])
    project.load_codebook(small_codebook)
    doc = project.document("P01_a")
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
    return sorted(project.codings()["coding_id"].tolist())


def test_shared_review_has_one_current_decision_anyone_may_change(coded: Project) -> None:
    a, _ = _ids(coded)
    coded.accept([a], coder="ana")
    coded.reject([a], coder="ben")
    decisions = coded.decisions()
    assert decisions[["coding_id", "coder", "status", "final"]].values.tolist() == [
        [a, "ben", "rejected", True]]
    row = coded.codings().set_index("coding_id").loc[a]
    assert (row["status"], row["decided_by"]) == ("rejected", "ben")
    assert "segment_id" in coded.codings().columns
    from thematic.services import review

    review.decide(coded.store, [a], "suggested", coder="ana")
    assert coded.decisions().empty
    assert coded.codings().set_index("coding_id").loc[a, "status"] == "suggested"


def test_shared_review_detects_a_stale_version(coded: Project) -> None:
    a, _ = _ids(coded)
    version = int(coded.codings().set_index("coding_id").loc[a, "version"])
    coded.accept([a], coder="ana")
    with pytest.raises(ConflictError, match="changed by ana"):
        coded.reject([a], coder="ben", expected_versions={a: version})


def test_independent_review_keeps_both_coders_decisions_blind(coded: Project) -> None:
    a, b = _ids(coded)
    coded.set_review_mode("independent")
    assert coded.accept([a, b], coder="ana") == 2
    assert coded.reject([a], coder="ben") == 1
    mine = coded.decisions(coder="ana")
    assert mine[["coding_id", "status"]].values.tolist() == [[a, "accepted"], [b, "accepted"]]
    both = coded.decisions().query("coding_id == @a")
    assert sorted(both[["coder", "status"]].values.tolist()) == [["ana", "accepted"], ["ben", "rejected"]]
    assert not both["final"].any()
    # the codings stay suggested until the consensus decision
    assert set(coded.codings()["status"]) == {"suggested"}
    assert coded.consensus([a], "rejected", coder="ana") == 1
    codings = coded.codings().set_index("coding_id")
    assert (codings.loc[a, "status"], codings.loc[a, "decided_by"]) == ("rejected", "ana")
    assert codings.loc[b, "status"] == "suggested"
    assert len(coded.decisions().query("coding_id == @a")) == 3  # ana's, ben's and the final one


def test_undo_restores_decisions_and_the_derived_status(coded: Project) -> None:
    a, _ = _ids(coded)
    coded.set_review_mode("independent")
    coded.accept([a], coder="ana")
    coded.consensus([a], "accepted", coder="ana")
    assert coded.undo() == ["consensus"]
    assert coded.codings().set_index("coding_id").loc[a, "status"] == "suggested"
    assert coded.decisions()["final"].tolist() == [False]
    assert coded.undo() == ["accept"]
    assert coded.decisions().empty


def test_review_mode_is_validated(coded: Project) -> None:
    with pytest.raises(ReviewError, match="review mode must be one of shared, independent"):
        coded.set_review_mode("blind")
    assert coded.settings()["review_mode"] == "shared"


def test_deleting_a_code_and_undoing_it_brings_decisions_back(coded: Project) -> None:
    a, _ = _ids(coded)
    coded.accept([a], coder="ana")
    coded.delete_code("heard", coder="ana")
    assert coded.decisions().empty
    coded.undo()
    assert coded.decisions()[["coding_id", "coder", "status"]].values.tolist() == [[a, "ana", "accepted"]]


def test_coders_belong_to_their_project(tmp_path: Path) -> None:
    url = tmp_path / "two.thematic"
    with Project.create(url, name="one") as one:
        one.set_unit("turn", actor="ana")
    from thematic.store import ProjectStore

    other = ProjectStore(str(url), create=True, name="two")
    with other.unit("ben", "settings") as uow:
        other.update_settings(uow, unit="turn")
    assert other.coders() == ["ben"]
    other.close()
    with Project.open(url) as one:
        assert one.coders() == ["ana"]
