"""What the learned model starts from: computed once per input, kept between fits."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import numpy as np
import pytest

import thematic.suggest.learning_inputs as learning_inputs_module
from tests.hashed_words import HashedWords
from thematic.models import Codebook
from thematic.suggest.embeddings import TfidfSvdBackend
from thematic.suggest.learning_features import learning_vectors
from thematic.suggest.learning_inputs import forget_learning_inputs, learning_inputs
from thematic.suggest.semantic import SemanticEngine


@pytest.fixture
def counted(scorings):
    """A semantic engine on a pre-trained-like backend that describes itself, and the number of
    times it scored the codebook."""
    forget_learning_inputs()
    yield SemanticEngine(HashedWords()), scorings
    forget_learning_inputs()


def test_the_same_input_is_computed_once_and_gives_the_scores_and_vectors(counted, sentences, codebook):
    engine, calls = counted
    first = learning_inputs(engine, sentences, codebook, "segment_turn_and_question")
    again = learning_inputs(SemanticEngine(HashedWords()), list(sentences), codebook, "segment_turn_and_question")
    assert calls == [len(sentences)]
    assert again is first
    fresh = SemanticEngine(HashedWords())
    scores = fresh.score(sentences, codebook)
    np.testing.assert_array_equal(first.probability, scores.model_confidence())
    np.testing.assert_array_equal(first.passed, scores.passed & ~scores.vetoed)
    assert first.code_ids == tuple(scores.code_ids)
    np.testing.assert_array_equal(first.vectors,
                                  learning_vectors(fresh, sentences, codebook, "segment_turn_and_question"))
    assert first.vectors.shape[1] == 3 * HashedWords().dim


def test_the_kept_arrays_cannot_be_changed_by_a_fit(counted, sentences, codebook):
    kept = learning_inputs(counted[0], sentences, codebook)
    for array in (kept.probability, kept.passed, kept.vectors):
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = 1


def test_a_changed_input_is_computed_again(counted, sentences, codebook):
    engine, calls = counted
    learning_inputs(engine, sentences, codebook)
    edited = [replace(c, definition=c.definition + " Also waiting.") if i == 0 else c
              for i, c in enumerate(codebook.codes)]
    changed = {
        "a definition": (engine, sentences, replace(codebook, codes=edited)),
        "the codes' order": (engine, sentences, replace(codebook, codes=list(reversed(codebook.codes)))),
        "a segment's text": (engine, [replace(sentences[0], text=sentences[0].text + " Really."),
                                      *sentences[1:]], codebook),
        "a segment's question": (engine, [replace(sentences[0], prompt="And then?"), *sentences[1:]], codebook),
        "an engine parameter": (SemanticEngine(engine.backend, lexical=0.0), sentences, codebook),
        "a backend parameter": (SemanticEngine(HashedWords(dim=12)), sentences, codebook),
        "the segments' order": (engine, list(reversed(sentences)), codebook),
    }
    for what, (e, segs, book) in changed.items():
        before = len(calls)
        view = learning_inputs(e, segs, book)
        assert len(calls) == before + 1, what
        assert view.code_ids == tuple(c.id for c in book.codes), what
    before = len(calls)
    read = learning_inputs(engine, sentences, codebook, "segment_and_turn")  # what the model reads
    assert len(calls) == before + 1
    assert read.vectors.shape[1] == 2 * HashedWords().dim


def test_only_the_latest_are_kept_within_the_byte_budget(counted, sentences, codebook: Codebook, monkeypatch):
    engine, calls = counted
    size = learning_inputs(engine, sentences, codebook).nbytes
    monkeypatch.setattr(learning_inputs_module, "KEPT_BYTES", 3 * size)  # three sets of this size
    for k in range(1, 5):
        learning_inputs(engine, [*sentences[k:], *sentences[:k]], codebook)
    assert len(calls) == 5
    learning_inputs(engine, [*sentences[4:], *sentences[:4]], codebook)  # the newest: kept
    learning_inputs(engine, [*sentences[2:], *sentences[:2]], codebook)  # three back: kept
    assert len(calls) == 5
    learning_inputs(engine, [*sentences[1:], *sentences[:1]], codebook)  # four back: dropped
    assert len(calls) == 6
    monkeypatch.setattr(learning_inputs_module, "KEPT_BYTES", size - 1)  # too large to keep at all
    forget_learning_inputs()
    learning_inputs(engine, sentences, codebook)
    learning_inputs(engine, sentences, codebook)
    assert len(calls) == 8


def test_through_a_backend_fitted_by_the_scoring_or_that_does_not_describe_itself_they_are_computed_every_time(
        counted, encoder, sentences, codebook):
    _, calls = counted
    # TF-IDF is fitted on the segments by the scoring; the recording encoder's vectors depend on
    # what it was fitted on, which it does not say
    for engine in (SemanticEngine(TfidfSvdBackend(n_components=6)), SemanticEngine(encoder)):
        before = len(calls)
        first = learning_inputs(engine, sentences, codebook)
        again = learning_inputs(engine, sentences, codebook)
        assert len(calls) == before + 2
        np.testing.assert_array_equal(first.probability, again.probability)


def test_a_projects_scores_are_read_again_by_the_next_process(counted, sentences, codebook, tmp_path):
    from thematic import Project
    from thematic.suggest.learning_inputs import SCORES_KIND, persistent_key

    engine, calls = counted
    path = tmp_path / "p.thematic"
    with Project.create(path) as project:
        first = learning_inputs(engine, sentences, codebook, cache=project.store.embedding_cache())
    assert calls == [len(sentences)]
    forget_learning_inputs()  # a new process: nothing kept in memory
    with Project.open(path) as project:
        again = learning_inputs(SemanticEngine(HashedWords()), sentences, codebook,
                                cache=project.store.embedding_cache())
    assert calls == [len(sentences)]  # read, not scored
    for name in ("probability", "passed", "vectors"):
        np.testing.assert_array_equal(getattr(again, name), getattr(first, name))
    assert again.code_ids == first.code_ids
    # a payload that cannot be read (truncated, foreign) is scored again and replaced
    with sqlite3.connect(path) as db:
        db.execute("UPDATE derived_arrays SET payload = ? WHERE key = ?",
                   (b"truncated", persistent_key(engine, sentences, codebook)))
    forget_learning_inputs()
    with Project.open(path) as project:
        cache = project.store.embedding_cache()
        mended = learning_inputs(engine, sentences, codebook, cache=cache)
        assert len(calls) == 2
        np.testing.assert_array_equal(mended.probability, first.probability)
        forget_learning_inputs()
        learning_inputs(engine, sentences, codebook, cache=cache)
        assert len(calls) == 2  # the payload was replaced
        project.store.runs.put_derived("x" * 64, SCORES_KIND, b"not an npz")
        assert cache.get_arrays("x" * 64) is None
        for k in range(1, 5):  # the newest four scorings of a project are kept, not every one
            learning_inputs(engine, [*sentences[k:], *sentences[:k]], codebook, cache=cache)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM derived_arrays").fetchone() == (4,)


def test_a_suggestion_run_keeps_its_scores_for_the_first_queue_after_it(counted, sentences, codebook, tmp_path):
    from thematic import Project

    _, calls = counted
    with Project.create(tmp_path / "p.thematic") as project:
        cache = project.store.embedding_cache()
        run = SemanticEngine(HashedWords(), cache=cache).score(sentences, codebook)  # as `thematic code` scores
        assert calls == [len(sentences)]
        forget_learning_inputs()  # the queue in another process
        start = learning_inputs(SemanticEngine(HashedWords(), cache=cache), sentences, codebook, cache=cache)
        assert calls == [len(sentences)]
        np.testing.assert_array_equal(start.probability, run.model_confidence())
        np.testing.assert_array_equal(start.passed, run.passed & ~run.vetoed)
        # TF-IDF is fitted by the scoring itself: nothing of it is kept
        SemanticEngine(TfidfSvdBackend(n_components=6), cache=cache).score(sentences, codebook)
        assert len(calls) == 2
    with sqlite3.connect(tmp_path / "p.thematic") as db:
        assert db.execute("SELECT count(*) FROM derived_arrays").fetchone() == (1,)
