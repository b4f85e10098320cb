"""What the learned model reads of a segment: its vector beside its turn's and the question it answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from suggest_fixtures import RecordingEncoder

from thematic.errors import ParameterError
from thematic.models import Code, Codebook, Segment
from thematic.suggest.classifier import decision_labels
from thematic.suggest.classifier_engine import ClassifierEngine
from thematic.suggest.code_texts import code_texts
from thematic.suggest.embeddings import InMemoryEmbeddingCache
from thematic.suggest.learning_features import learning_vectors, turn_rows, with_turns
from thematic.suggest.semantic import SemanticEngine

SQRT2 = np.sqrt(2.0)


def test_a_sentence_is_read_beside_its_turn_and_a_turn_beside_itself(encoder, sentences, codebook,
                                                                      participant_segments):
    engine = SemanticEngine(encoder)
    own = engine.segment_vectors(sentences, codebook)
    width = own.shape[1]
    X = learning_vectors(engine, sentences, codebook, "segment_and_turn")  # noqa: N806
    assert X.shape == (len(sentences), 2 * width)
    np.testing.assert_allclose(X[:, :width] * SQRT2, own, atol=1e-6)
    for i, seg in enumerate(sentences):
        turn = " ".join(s.text for s in sentences if s.turn_id == seg.turn_id)
        np.testing.assert_allclose(X[i, width:] * SQRT2, encoder.inner.encode([turn])[0], atol=1e-5)
    turns = learning_vectors(engine, participant_segments, codebook, "segment_and_turn")
    np.testing.assert_allclose(turns[:, :width], turns[:, width:])
    np.testing.assert_allclose(np.linalg.norm(turns, axis=1),
                               np.linalg.norm(engine.segment_vectors(participant_segments, codebook), axis=1),
                               atol=1e-6)
    np.testing.assert_allclose(learning_vectors(engine, sentences, codebook, "segment"), own)


def test_a_sentence_alone_in_its_turn_is_its_own_turn():
    own = np.eye(3)
    rows = turn_rows([Segment(1, 1, 0, "sentence", 0, 5, "Hello", "P1", "participant"),
                      Segment(2, 1, 1, "sentence", 6, 9, "Yes", "P1", "participant"),
                      Segment(3, 1, 1, "sentence", 10, 13, "Yes", "P1", "participant")],
                     view_index=[0, 0], segment_index=[1, 2])
    assert rows == [None, 0, 0]
    out = with_turns(own, np.array([[0.0, 0.6, 0.8]]), rows)
    np.testing.assert_allclose(out[0], np.r_[own[0], own[0]] / SQRT2)
    np.testing.assert_allclose(out[1], np.r_[own[1], [0.0, 0.6, 0.8]] / SQRT2)


def test_learn_on_must_be_one_it_knows(encoder, sentences, codebook):
    with pytest.raises(ParameterError, match="learn_on must be one of"):
        learning_vectors(SemanticEngine(encoder), sentences, codebook, "paragraph")


RELAPSE = Code(id="relapse", name="Relapse", definition="Using again, or nearly using again, after a time clean.")
GARDEN = Code(id="garden", name="Gardening", definition="Growing vegetables or flowers.")
AFTER = "That was the week."  # a sentence that says nothing of itself: its turn decides


def _interviews(n: int = 8) -> list[Segment]:
    """``n`` documents, each with a relapse turn and a gardening turn that end on the same sentence."""
    out: list[Segment] = []
    for doc in range(1, n + 1):
        pos = 0
        for turn, opening in enumerate(("I nearly used again after the funeral.",
                                        "We planted tomatoes and beans in the yard.")):
            for k, text in enumerate((opening, AFTER)):
                out.append(Segment(doc * 100 + turn * 10 + k, doc, turn, "sentence", pos, pos + len(text), text,
                                   f"P{doc}", "participant", f"P{doc}"))
                pos += len(text) + 1
    return out


def _closing_probability(engine: ClassifierEngine, segments: list[Segment], unseen: set[int]) -> tuple[float, float]:
    """The learned probability of "relapse" of the closing sentence in the relapse and in the
    gardening turns of the ``unseen`` documents."""
    clf = engine.classifier_
    col = clf.codes_.index("relapse")
    row = {sid: i for i, sid in enumerate(clf.segment_ids_)}
    p = {turn: [clf.proba_[row[s.id], col] for s in segments
                if s.document_id in unseen and s.text == AFTER and s.turn_id == turn] for turn in (0, 1)}
    return float(np.mean(p[0])), float(np.mean(p[1]))


def test_a_code_its_turn_carries_is_learned_on_the_sentence_only_beside_the_turn():
    segments = _interviews()
    codebook = Codebook([RELAPSE, GARDEN], name="recovery", content_hash="turns-v1")
    corpus = [s.text for s in segments] + [t for c in codebook.codes for t in code_texts(c).embedded()]
    reviewed = {1, 2, 3, 4, 5}
    decided = [(s.id, "relapse", "accepted" if s.turn_id == 0 else "rejected")
               for s in segments if s.document_id in reviewed]
    labels = decision_labels(pd.DataFrame(decided, columns=["segment_id", "code", "status"]),
                             codes=["relapse", "garden"])
    gaps = {}
    for learn_on in ("segment", "segment_and_turn", "segment_turn_and_question"):
        engine = ClassifierEngine(RecordingEncoder(corpus), cache=InMemoryEmbeddingCache(),
                                  learn_on=learn_on).fit(segments, codebook, labels)
        in_relapse, in_garden = _closing_probability(engine, segments, {6, 7, 8})
        gaps[learn_on] = in_relapse - in_garden
    assert gaps["segment_and_turn"] > 0.3
    assert gaps["segment_turn_and_question"] > 0.3
    assert abs(gaps["segment"]) < gaps["segment_and_turn"] / 3


def test_the_question_a_segment_answers_is_read_beside_it_and_none_reads_as_zeros(encoder, sentences, codebook):
    from dataclasses import replace

    asked = [replace(s, prompt="How long did you wait?") if s.turn_id in (4, 5) else s for s in sentences]
    engine = SemanticEngine(encoder)
    X = learning_vectors(engine, asked, codebook, "segment_turn_and_question")  # noqa: N806
    joined = learning_vectors(engine, asked, codebook, "segment_and_turn")
    width = joined.shape[1] // 2
    assert X.shape == (len(asked), 3 * width)
    np.testing.assert_allclose(X[:, : 2 * width] * np.sqrt(3.0), joined * SQRT2, atol=1e-6)
    question = encoder.inner.encode(["How long did you wait?"])[0]
    for i, seg in enumerate(asked):
        expected = question if seg.prompt else np.zeros(width)
        np.testing.assert_allclose(X[i, 2 * width :] * np.sqrt(3.0), expected, atol=1e-5)


def test_a_code_text_stands_for_a_segment_and_its_turn_and_answers_no_question():
    from thematic.suggest.learning_features import as_code_text

    v = np.array([[0.6, 0.8]])
    np.testing.assert_allclose(as_code_text(v, "segment"), v)
    np.testing.assert_allclose(as_code_text(v, "segment_and_turn"), [[0.6, 0.8, 0.6, 0.8]] / SQRT2)
    np.testing.assert_allclose(as_code_text(v, "segment_turn_and_question"),
                               [[0.6, 0.8, 0.6, 0.8, 0.0, 0.0]] / np.sqrt(3.0))


def test_the_learned_codes_of_a_turn_sit_on_what_it_says_not_on_its_fillers():
    segments = []
    for s in _interviews():  # each turn opens with "Um."
        if s.text != AFTER:
            segments.append(Segment(s.id + 5, s.document_id, s.turn_id, "sentence", s.start, s.start + 3, "Um.",
                                    s.speaker, s.role, s.participant))
        segments.append(s)
    codebook = Codebook([RELAPSE, GARDEN], name="recovery", content_hash="fillers-v1")
    corpus = [s.text for s in segments] + [t for c in codebook.codes for t in code_texts(c).embedded()]
    decided = [(s.id, "relapse", "accepted" if s.turn_id == 0 else "rejected")
               for s in segments if s.document_id in {1, 2, 3, 4, 5}]
    labels = decision_labels(pd.DataFrame(decided, columns=["segment_id", "code", "status"]),
                             codes=["relapse", "garden"])
    engine = ClassifierEngine(RecordingEncoder(corpus), cache=InMemoryEmbeddingCache()).fit(segments, codebook, labels)
    assert "relapse" in engine.classifier_.learned_
    clf = engine.classifier_
    um = np.array([segments[[s.id for s in segments].index(sid)].text == "Um." for sid in clf.segment_ids_])
    assert clf.passes()[um, clf.codes_.index("relapse")].any()  # the learned model alone codes "Um." too
    suggested = engine.suggest(segments, codebook)
    texts = {s.id: s.text for s in segments}
    relapse = [texts[s.segment_id] for s in suggested if s.code_id == "relapse"]
    assert relapse and "Um." not in relapse
