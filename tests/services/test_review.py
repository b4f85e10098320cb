"""Review operations: decisions, hand coding, codebook edits, undo, history, concurrency."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import ConflictError, NotFoundError, ParameterError, ReviewError
from thematic.models import Suggestion
from thematic.services.learning import passage_sizes

TEXT = ("Interviewer: How was the circle?\n\n"
        "P01: Honestly she really listened to me. I felt heard. She really listened to me again.\n\n"
        "Interviewer: And before?\n\n"
        "P01: I was so ashamed. People judged me at the clinic.\n")


@pytest.fixture
def coded(project: Project, tmp_path: Path, small_codebook) -> Project:
    path = tmp_path / "P01_a.txt"
    path.write_text(TEXT)
    project.documents.ingest([path], actor="ana")
    project.codebook.load(small_codebook, actor="ana")
    return project


def _suggest(project: Project, code: str, quote: str, confidence: float = 0.7) -> int:
    """Store one suggestion the way an engine run does (through the store, with a run)."""
    doc = project.documents.get("P01_a")
    start = doc.text.index(quote)
    store = project.store
    with store.unit("engine", "suggest") as uow:
        run = store.runs.start(uow, engine="rule", params={}, versions={}, codebook_version_id=None,
                              input_hash="x", seed=0)
        store.runs.add_suggestions(uow, run, [Suggestion(doc.id, start, start + len(quote), code, "rule",
                                                    confidence, {"rules": ["r"]})])
    return int(project.review.codings().query("text == @quote and code == @code")["coding_id"].iloc[0])


def test_accept_and_reject_record_who_and_when(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    b = _suggest(coded, "stigma", "People judged me at the clinic.")
    assert coded.review.accept([a], actor="ana") == 1
    assert coded.review.reject([b], actor="ben") == 1
    rows = coded.review.codings().set_index("coding_id")
    assert rows.loc[a, "status"] == "accepted" and rows.loc[a, "decided_by"] == "ana"
    assert rows.loc[b, "status"] == "rejected" and rows.loc[b, "decided_by"] == "ben"
    assert rows.loc[a, "decided_at"] is not None
    assert {"ana", "ben"} <= set(coded.coders.names())


def test_a_decision_needs_a_person(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    with pytest.raises(ParameterError, match="name of the person"):
        coded.review.accept([a], actor="")


def test_rerunning_never_duplicates_nor_overwrites_a_decision(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.", 0.5)
    coded.review.reject([a], actor="ana")
    again = _suggest(coded, "heard", "I felt heard.", 0.9)
    assert again == a
    row = coded.review.codings().set_index("coding_id").loc[a]
    assert row["status"] == "rejected" and row["confidence"] == 0.5
    assert len(coded.review.codings()) == 1


def test_stale_decision_is_a_conflict(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    version = coded.store.codings.get(a).version
    coded.review.accept([a], actor="ana")
    with pytest.raises(ConflictError, match="changed by ana"):
        coded.review.reject([a], actor="ben", expected_versions={a: version})


def test_code_by_quote_is_exact_and_ambiguity_is_an_error(coded: Project) -> None:
    with pytest.raises(ReviewError, match="occurs 2 times"):
        coded.review.code_span("P01_a", "heard", quote="really listened to me", actor="ana")
    second = coded.review.code_span("P01_a", "heard", quote="really listened to me", occurrence=2, actor="ana")
    first = coded.review.code_span("P01_a", "heard", quote="she really listened to me", actor="ana")
    rows = coded.review.codings().set_index("coding_id")
    text = coded.documents.get("P01_a").text
    assert rows.loc[first, "text"] == "she really listened to me"
    assert rows.loc[second, "start"] == text.index("really listened to me again")
    assert rows.loc[first, "source"] == "manual" and rows.loc[first, "status"] == "accepted"
    with pytest.raises(ReviewError, match="not in the document"):
        coded.review.code_span("P01_a", "heard", quote="never said", actor="ana")
    with pytest.raises(NotFoundError, match="no code 'nope'"):
        coded.review.code_span("P01_a", "nope", start=0, end=5, actor="ana")
    with pytest.raises(ReviewError, match="outside the document"):
        coded.review.code_span("P01_a", "heard", start=10, end=10_000, actor="ana")


def test_edit_span_recode_and_bulk(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.", 0.9)
    b = _suggest(coded, "stigma", "I was so ashamed.", 0.3)
    c = _suggest(coded, "stigma", "People judged me at the clinic.", 0.8)
    doc = coded.documents.get("P01_a")
    start = doc.text.index("felt heard")
    coded.review.edit_span(a, start, start + len("felt heard"), actor="ana")
    assert coded.review.codings().set_index("coding_id").loc[a, "text"] == "felt heard"
    coded.review.recode(c, "heard", actor="ana")
    assert coded.review.codings().set_index("coding_id").loc[c, "code"] == "heard"
    assert coded.review.bulk_decide("rejected", actor="ana", max_confidence=0.5) == 1
    assert coded.review.codings().set_index("coding_id").loc[b, "status"] == "rejected"


def test_merge_moves_codings_and_undo_restores_everything(coded: Project) -> None:
    a = _suggest(coded, "stigma", "I was so ashamed.")
    coded.review.accept([a], actor="ana")
    moved = coded.codebook.merge_codes(["stigma"], "heard", actor="ana")
    assert moved == 1
    assert "stigma" not in {c.id for c in coded.codebook.current().codes}
    assert coded.review.codings()["code"].tolist() == ["heard"]
    assert coded.review.undo(actor="ana") == ["merge codes"]
    assert "stigma" in {c.id for c in coded.codebook.current().codes}
    rows = coded.review.codings().set_index("coding_id")
    assert rows.loc[a, "code"] == "stigma" and rows.loc[a, "status"] == "accepted"


def test_split_move_delete_and_undo(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    b = _suggest(coded, "heard", "She really listened to me again.")
    coded.codebook.split_code("heard", {"heard_peer": [a]}, names={"heard_peer": "Heard by a peer"}, actor="ana")
    book = coded.codebook.current().by_id()
    assert book["heard_peer"].parent_id == "heard"
    rows = coded.review.codings().set_index("coding_id")
    assert rows.loc[a, "code"] == "heard_peer" and rows.loc[b, "code"] == "heard"
    with pytest.raises(ReviewError, match="own descendant"):
        coded.codebook.move_code("heard", "heard_peer", actor="ana")
    coded.codebook.move_code("heard_peer", None, actor="ana")
    assert coded.codebook.current().by_id()["heard_peer"].parent_id is None
    assert coded.codebook.delete_code("heard", actor="ana") == 1
    assert set(coded.review.codings()["code"]) == {"heard_peer"}
    coded.review.undo(actor="ana")
    assert set(coded.review.codings()["code"]) == {"heard", "heard_peer"}
    assert coded.codebook.current().by_id()["heard"].parent_id == "support"


def test_undo_refuses_when_someone_changed_the_row_since(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    coded.review.accept([a], actor="ana")
    coded.review.reject([a], actor="ben")
    with pytest.raises(ConflictError, match="was changed since"):
        coded.review.undo(actor="ana", mine_only=True)
    coded.review.undo(actor="ana")  # ben's own decision can be undone
    assert coded.review.codings()["status"].tolist() == ["accepted"]


def test_undo_of_a_run_removes_only_its_undecided_suggestions(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    coded.review.accept([a], actor="ana")
    _suggest(coded, "stigma", "I was so ashamed.")
    coded.review.undo(actor="ana")
    assert coded.review.codings()["coding_id"].tolist() == [a]


def test_history_lists_changes_newest_first(coded: Project) -> None:
    a = _suggest(coded, "heard", "I felt heard.")
    coded.review.accept([a], actor="ana")
    coded.review.undo(actor="ana")
    hist = coded.review.history()
    assert hist["action"].tolist()[:3] == ["undo", "accept", "suggest"]
    assert hist.iloc[1]["undone"] and hist.iloc[1]["actor"] == "ana"
    with pytest.raises(ReviewError, match="nothing to undo"):
        Project.open(coded.store.url.removeprefix("sqlite:///")).review.undo(actor="zoe", mine_only=True)


def test_two_analysts_at_once_lose_no_decision(coded: Project, tmp_path: Path) -> None:
    ids = [_suggest(coded, "heard", q) for q in ("I felt heard.", "She really listened to me again.",
                                                 "Honestly she really listened to me.")]
    ids += [_suggest(coded, "stigma", q) for q in ("I was so ashamed.", "People judged me at the clinic.")]
    path = coded.store.url.removeprefix("sqlite:///")
    errors: list[BaseException] = []

    def work(coder: str, mine: list[int], status: str) -> None:
        try:
            with Project.open(path) as p:
                for cid in mine:
                    p.store and (p.review.accept if status == "accepted" else p.review.reject)([cid], actor=coder)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t1 = threading.Thread(target=work, args=("ana", ids[:3], "accepted"))
    t2 = threading.Thread(target=work, args=("ben", ids[3:], "rejected"))
    t1.start(), t2.start()
    t1.join(), t2.join()
    assert errors == []
    rows = coded.review.codings().set_index("coding_id")
    assert (rows.loc[ids[:3], "decided_by"] == "ana").all()
    assert (rows.loc[ids[3:], "status"] == "rejected").all()


def test_a_run_that_suggests_the_same_span_twice_stores_it_once(coded: Project) -> None:
    doc = coded.documents.get("P01_a")
    start = doc.text.index("I felt heard.")
    twice = [Suggestion(doc.id, start, start + 13, "heard", "rule", 0.6, {"rules": ["r"]})] * 2
    store = coded.store
    with store.unit("engine", "suggest") as uow:
        run = store.runs.start(uow, engine="rule", params={}, versions={}, codebook_version_id=None,
                              input_hash="x", seed=0)
        stats = store.runs.add_suggestions(uow, run, twice)
    assert stats["added"] == 1 and len(coded.review.codings()) == 1


def test_a_turn_suggested_sentence_by_sentence_is_decided_as_one_passage(coded: Project) -> None:
    first = _suggest(coded, "heard", "Honestly she really listened to me.")
    second = _suggest(coded, "heard", "I felt heard.")
    third = _suggest(coded, "heard", "She really listened to me again.")
    other_code = _suggest(coded, "stigma", "I felt heard.")
    other_turn = _suggest(coded, "heard", "I was so ashamed.")
    assert coded.review.turn_suggestions([second]) == [second, first, third]
    turns = coded.review.codings().set_index("coding_id")["turn"]
    assert turns[[first, second, third, other_code, other_turn]].tolist() == [1, 1, 1, 1, 3]
    pending = coded.review.codings(status="suggested")
    sizes = dict(zip(pending["coding_id"], passage_sizes(pending), strict=True))
    assert [sizes[i] for i in (first, second, third, other_code, other_turn)] == [3, 3, 3, 1, 1]
    assert coded.review.accept(coded.review.turn_suggestions([second]), actor="ana") == 3
    rows = coded.review.codings().set_index("coding_id")["status"]
    assert rows[[first, second, third]].tolist() == ["accepted"] * 3
    assert rows[[other_code, other_turn]].tolist() == ["suggested", "suggested"]
    # a decided coding still finds what is left of its passage
    fourth = _suggest(coded, "heard", "She really listened")
    assert coded.review.turn_suggestions([first]) == [first, fourth]
    with pytest.raises(NotFoundError, match="no coding 9999"):
        coded.review.turn_suggestions([9999])
