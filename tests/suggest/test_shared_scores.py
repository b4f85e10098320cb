"""The codebook scored once per suggestion run, whichever engines read it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.hashed_words import HashedWords
from thematic.suggest.embeddings import TfidfSvdBackend
from thematic.suggest.semantic import SemanticEngine
from thematic.suggest.shared_scores import scores_shared


@pytest.fixture
def computed(monkeypatch):
    """How many times a semantic engine computed its scores (the number of segments each time)."""
    calls: list[int] = []
    score = SemanticEngine._score

    def counting(self, segments, codebook, **kw):
        calls.append(len(segments))
        return score(self, segments, codebook, **kw)

    monkeypatch.setattr(SemanticEngine, "_score", counting)
    return calls


def test_in_a_run_two_engines_reading_the_same_input_score_once(computed, sentences, codebook):
    with scores_shared():
        first = SemanticEngine(HashedWords()).score(sentences, codebook)
        again = SemanticEngine(HashedWords()).score(list(sentences), codebook)
        other = SemanticEngine(HashedWords(), lexical=0.0).score(sentences, codebook)
    assert computed == [len(sentences), len(sentences)]
    assert again is first and other is not first
    with pytest.raises(ValueError, match="read-only"):
        first.score[0, 0] = 1.0
    outside = SemanticEngine(HashedWords()).score(sentences, codebook)
    assert len(computed) == 3 and outside is not first
    np.testing.assert_array_equal(outside.score, first.score)
    np.testing.assert_array_equal(outside.passed, first.passed)


def test_outside_a_run_and_through_tf_idf_every_scoring_computes(computed, sentences, codebook):
    SemanticEngine(HashedWords()).score(sentences, codebook)
    SemanticEngine(HashedWords()).score(sentences, codebook)
    with scores_shared():
        SemanticEngine(TfidfSvdBackend(n_components=6)).score(sentences, codebook)
        SemanticEngine(TfidfSvdBackend(n_components=6)).score(sentences, codebook)
    assert len(computed) == 4


def test_a_run_scope_ends_with_the_run(computed, sentences, codebook):
    with scores_shared():
        SemanticEngine(HashedWords()).score(sentences, codebook)
    with scores_shared():
        SemanticEngine(HashedWords()).score(sentences, codebook)
    assert len(computed) == 2
