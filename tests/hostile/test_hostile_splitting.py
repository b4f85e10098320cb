"""Hostile inputs, class *text splitting*: non-verbal cues and their brackets stay whole.

"Awful. [laughs] No..." used to become "Awful. [" and "laughs] No..." (49 of 1,369 sentences
of a new study ended in a lone "[").
"""

from __future__ import annotations

import pytest

from thematic.nlp import load_nlp
from thematic.segment import keep_cues_whole, sentence_offsets

CASES = {
    "laughs": ("Honestly? Awful. [laughs] No, it was fine.",
               ["Honestly?", "Awful.", "[laughs] No, it was fine."]),
    "pause": ("Um. [pause] Yeah. There was a thing.", ["Um.", "[pause] Yeah.", "There was a thing."]),
    "round": ("He said no. (laughs) Then he left.", ["He said no.", "(laughs) Then he left."]),
    "cue-with-a-full-stop": ("Yes! [Laughter.] No.", ["Yes!", "[Laughter.]", "No."]),
    "timestamped-cue": ("He said no. [inaudible 00:12] Then.", ["He said no.", "[inaudible 00:12] Then."]),
    "cue-inside-a-sentence": ("It was fine [laughs]. Really.", ["It was fine [laughs].", "Really."]),
    "unclosed-bracket": ("Oops (unbalanced. Next one.", ["Oops (unbalanced.", "Next one."]),
    "two-cues": ("Awful. [laughs] [coughs] Fine.", ["Awful.", "[laughs] [coughs] Fine."]),
}


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_cues_stay_whole(case: str, nlp) -> None:
    text, expected = CASES[case]
    (offsets,) = list(sentence_offsets([text], nlp))
    assert [text[a:b] for a, b in offsets] == expected


def test_a_long_aside_in_brackets_is_not_a_cue() -> None:
    text = "First. (" + "word " * 30 + "and more. Then this.) End."
    then = text.index("Then")
    spans = [(0, 6), (7, then - 1), (then, len(text))]
    assert keep_cues_whole(text, spans) == spans
    short = "First. (aside. Then) End."
    assert keep_cues_whole(short, [(0, 6), (7, 14), (15, 25)]) == [(0, 6), (7, 25)]


def test_no_sentence_of_the_sample_ends_in_a_lone_bracket(sample_project) -> None:
    texts = sample_project.documents.segments("sentence")["text"]
    assert not [t for t in texts if t.rstrip().endswith(("[", "("))]
    assert not [t for t in texts if t.split(" ", 1)[0].endswith("]") and "[" not in t.split(" ", 1)[0]]
