"""The codebook scored once per suggestion run, whichever engines read it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.hashed_words import HashedWords
from thematic.suggest.embeddings import TfidfSvdBackend
from thematic.suggest.semantic import SemanticEngine
from thematic.suggest.shared_scores import scores_shared


def test_in_a_run_two_engines_reading_the_same_input_score_once(scorings, sentences, codebook):
    with scores_shared():
        first = SemanticEngine(HashedWords()).score(sentences, codebook)
        again = SemanticEngine(HashedWords()).score(list(sentences), codebook)
        other = SemanticEngine(HashedWords(), lexical=0.0).score(sentences, codebook)
    assert scorings == [len(sentences), len(sentences)]
    assert again is first and other is not first
    with pytest.raises(ValueError, match="read-only"):
        first.score[0, 0] = 1.0
    outside = SemanticEngine(HashedWords()).score(sentences, codebook)
    assert len(scorings) == 3 and outside is not first
    np.testing.assert_array_equal(outside.score, first.score)
    np.testing.assert_array_equal(outside.passed, first.passed)


def test_outside_a_run_and_through_tf_idf_every_scoring_computes(scorings, sentences, codebook):
    SemanticEngine(HashedWords()).score(sentences, codebook)
    SemanticEngine(HashedWords()).score(sentences, codebook)
    with scores_shared():
        SemanticEngine(TfidfSvdBackend(n_components=6)).score(sentences, codebook)
        SemanticEngine(TfidfSvdBackend(n_components=6)).score(sentences, codebook)
    assert len(scorings) == 4


def test_a_run_scope_ends_with_the_run(scorings, sentences, codebook):
    with scores_shared():
        SemanticEngine(HashedWords()).score(sentences, codebook)
    with scores_shared():
        SemanticEngine(HashedWords()).score(sentences, codebook)
    assert len(scorings) == 2
