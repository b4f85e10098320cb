"""The question a segment answers and its neighbours."""

from __future__ import annotations

from thematic.models import Segment
from thematic.suggest.interview_context import attach_prompts, neighbours


def _turn(i: int, doc: int, start: int, text: str, role: str) -> Segment:
    return Segment(i, doc, i, "turn", start, start + len(text), text, role=role)


TURNS = [
    _turn(1, 1, 0, "Tell me about the waiting times you had.", "interviewer"),
    _turn(2, 1, 50, "Months, honestly.", "participant"),
    _turn(3, 1, 70, "Mm-hmm, right.", "interviewer"),
    _turn(4, 1, 90, "And then the letter came.", "participant"),
    _turn(5, 1, 120, "What about the cost of getting there?", "interviewer"),
    _turn(6, 1, 160, "Parking was dear.", "participant"),
    _turn(7, 2, 0, "It started at school.", "participant"),
    _turn(8, 2, 30, "How did your family react?", "interviewer"),
]


def test_each_answer_gets_the_last_real_question_of_its_document():
    answers = [t for t in TURNS if t.role == "participant"]
    got = {s.id: s.prompt for s in attach_prompts(answers, reversed(TURNS))}
    assert got == {
        2: "Tell me about the waiting times you had.",
        4: "Tell me about the waiting times you had.",  # a backchannel is no question
        6: "What about the cost of getting there?",
        7: None,  # before any question of its own document
    }


def test_sentences_get_their_turns_question_and_interviewer_segments_none():
    sentence = Segment(20, 1, 6, "sentence", 160, 177, "Parking was dear.", role="participant")
    asked = Segment(21, 1, 5, "sentence", 120, 157, "What about the cost?", role="interviewer")
    out = attach_prompts([sentence, asked], TURNS)
    assert out[0].prompt == "What about the cost of getting there?"
    assert out[1].prompt is None
    assert sentence.prompt is None  # the input is not changed


def test_without_interviewer_turns_nothing_is_attached():
    answers = [t for t in TURNS if t.role == "participant"]
    assert all(s.prompt is None for s in attach_prompts(answers, answers))


def test_neighbours_stay_in_their_document_in_text_order():
    segs = [TURNS[5], TURNS[1], TURNS[6], TURNS[3]]  # out of order, two documents
    prev, nxt = neighbours(segs)
    assert prev.tolist() == [3, -1, -1, 1]
    assert nxt.tolist() == [-1, 3, -1, 0]
    assert [a.tolist() for a in neighbours([])] == [[], []]
