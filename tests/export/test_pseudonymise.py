"""Pseudonymisation: whole-word, case-aware, longest-first; every replacement recorded."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

import thematic.pseudonymise as module
from thematic.errors import ParameterError
from thematic.pseudonymise import (
    PseudonymEntry,
    Pseudonymiser,
    load_ner,
    participant_entries,
    speaker_entries,
)


@pytest.fixture
def names(participants, codings) -> Pseudonymiser:
    return Pseudonymiser.for_project(participants, speakers=codings, ner=None,
                                     pseudonyms=[PseudonymEntry("Carol", "[friend]"),
                                                 PseudonymEntry("Rose", "[sister]")])


def test_doctests():
    assert doctest.testmod(module).failed == 0


def test_whole_word_and_longest_first(names):
    result = names.apply("Dana Reyes met Dana at Danashire; Reyes's mum and Dana's dog.")
    assert result.text == "[P01] met [P01] at Danashire; [P01]'s mum and [P01]'s dog."
    assert [r.original for r in result.replacements] == ["Dana Reyes", "Dana", "Reyes", "Dana"]


def test_case_aware(names):
    result = names.apply("Rose gave me a rose. ROSE! carol singers, CAROL.")
    assert result.text == "[sister] gave me a rose. [SISTER]! carol singers, [FRIEND]."


def test_names_across_line_breaks(names):
    assert names("Marcus\nBell said so") == "[P02] said so"


def test_every_replacement_recorded_with_offsets(names):
    text = "Well, Marcus told Carol. Then Priya Shah laughed."
    result = names.apply(text)
    for r in result.replacements:
        assert text[r.start:r.end] == r.original
        assert result.text[r.new_start:r.new_end] == r.replacement
    assert [(r.original, r.replacement, r.source) for r in result.replacements] == [
        ("Marcus", "[P02]", "speaker"), ("Carol", "[friend]", "list"), ("Priya Shah", "[P03]", "participant")]


def test_shared_first_names_map_to_a_neutral_label():
    people = pd.DataFrame({"participant": ["P01", "P02"], "name": ["Sam Lee", "Sam Ortiz"]})
    entries = {e.original: e.replacement for e in participant_entries(people)}
    assert entries == {"Sam Lee": "[P01]", "Sam Ortiz": "[P02]", "Sam": "[participant]",
                       "Lee": "[P01]", "Ortiz": "[P02]"}


def test_chosen_pseudonym_for_a_participant(participants):
    listed = pd.DataFrame({"original": [None], "replacement": ["Jess"], "participant": ["P01"]})
    p = Pseudonymiser.for_project(participants, pseudonyms=listed, ner=None)
    assert p("Dana Reyes, or Dana.") == "Jess, or Jess."


def test_speaker_labels_that_are_not_names_are_left_alone():
    frame = pd.DataFrame({"speaker": ["I", "R", "P01", "Interviewer", "INT", "Maya", "Dana"],
                          "participant": [None, "P01", "P01", None, None, None, "P01"],
                          "role": ["interviewer", "participant", "participant", "interviewer",
                                   "interviewer", "interviewer", "participant"]})
    entries = {e.original: e.replacement for e in speaker_entries(frame)}
    assert entries == {"Maya": "[Interviewer]", "Dana": "[P01]"}
    p = Pseudonymiser(speaker_entries(frame))
    assert p("I said to Maya: I will. R and P01 too.") == "I said to [Interviewer]: I will. R and P01 too."


def test_detected_names_fill_in_but_lists_win(participants):
    def fake_ner(text):
        found = []
        for word, label in (("Carlos", "PERSON"), ("Leeds", "GPE"), ("Dana", "PERSON"), ("NHS", "ORG")):
            at = text.find(word)
            if at >= 0:
                found.append((at, at + len(word), label))
        return found
    p = Pseudonymiser.for_project(participants, ner=fake_ner)
    result = p.apply("Dana met Carlos in Leeds at the NHS.")
    assert result.text == "[P01] met [name] in [place] at the NHS."
    assert [r.source for r in result.replacements] == ["participant", "ner:PERSON", "ner:GPE"]


def test_no_ner_pipeline_says_so(monkeypatch):
    monkeypatch.setattr("spacy.util.get_installed_models", lambda: [])
    nlp, status = load_ner()
    assert nlp is None
    assert status.startswith("no trained spaCy pipeline with NER is installed (spacy.blank has no NER)")
    assert "python -m spacy download en_core_web_sm" in status


def test_named_pipeline_missing_is_a_clear_error():
    with pytest.raises(ParameterError, match="the spaCy pipeline 'xx_not_a_model' is not installed"):
        load_ner("xx_not_a_model")


def test_empty_original_is_refused():
    with pytest.raises(ParameterError, match="a pseudonym's original must not be empty"):
        Pseudonymiser([PseudonymEntry("  ", "[x]")])
