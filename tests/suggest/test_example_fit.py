"""The example models: a per-code logistic regression on the codebook's own texts, and the
``example_fit`` evidence it gives every (segment, code) pair."""

from __future__ import annotations

import numpy as np
from suggest_fixtures import EXPECTED

from thematic.models import Code, Codebook, Example
from thematic.suggest.calibration import evidence_features
from thematic.suggest.code_texts import CodeTexts, code_texts
from thematic.suggest.embeddings import TfidfSvdBackend
from thematic.suggest.example_fit import (
    ExampleModels,
    code_vector_rows,
    example_fit,
    fit_example_models,
)
from thematic.suggest.semantic import SemanticEngine


def _unit(*rows: list[float]) -> np.ndarray:
    v = np.array(rows, dtype=float)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_code_vector_rows_follow_the_engines_order_of_code_texts():
    texts = [CodeTexts("a", ["p1"], [], "not this"), CodeTexts("b", ["p2", "p3"], ["n1", "n2"], ""),
             CodeTexts("c", [], ["n3"], "")]
    # a: desc 0, p1 1, exclusion 2; b: desc 3, p2 4, p3 5, n1 6, n2 7; c: desc 8, n3 9
    assert code_vector_rows(texts) == [(0, [1], []), (3, [4, 5], [6, 7]), (8, [], [9])]


def test_a_segment_like_a_codes_examples_fits_it_and_not_the_others():
    texts = [CodeTexts("a", ["a1", "a2"], [], ""), CodeTexts("b", ["b1", "b2"], [], ""),
             CodeTexts("c", [], [], "")]
    vectors = _unit([1, 0.1, 0], [1, 0.2, 0.1], [0.9, 0, 0.2],  # a: description, examples
                    [0, 1, 0.1], [0.1, 1, 0], [0.2, 0.9, 0],  # b
                    [0, 0, 1])  # c: a description only
    models = fit_example_models(vectors, texts)
    assert models.fitted.tolist() == [True, True, False]
    segments = _unit([1, 0.05, 0.05], [0.05, 1, 0.05], [0.5, 0.5, 0.2])
    fit = example_fit(models, segments)
    assert fit[0, 0] > 0 > fit[1, 0]  # the a-like segment fits a, the b-like one does not
    assert fit[1, 1] > 0 > fit[0, 1]
    assert fit[:, 2].tolist() == [0.0, 0.0, 0.0]  # no examples: neutral
    np.testing.assert_allclose(np.median(fit, axis=0), 0.0, atol=1e-12)  # centred on the code's median


def test_a_codes_near_misses_count_against_it():
    positives = _unit([1, 0, 0], [1, 0.1, 0], [1, 0, 0.1])
    other = _unit([0, 0, 1], [0.1, 0, 1])
    near = _unit([0.6, 1, 0], [0.5, 1, 0.1])
    with_near = fit_example_models(np.vstack([positives, near, other]),
                                   [CodeTexts("a", ["x", "y"], ["n1", "n2"], ""), CodeTexts("b", ["z"], [], "")])
    without = fit_example_models(np.vstack([positives, other]),
                                 [CodeTexts("a", ["x", "y"], [], ""), CodeTexts("b", ["z"], [], "")])
    like_near_miss = _unit([0.6, 1, 0])
    assert with_near.log_odds(like_near_miss)[0, 0] < without.log_odds(like_near_miss)[0, 0]
    assert with_near.log_odds(like_near_miss)[0, 0] < 0


def test_a_lone_code_without_anything_to_contrast_is_neutral():
    models = fit_example_models(_unit([1, 0], [0.9, 0.1]), [CodeTexts("a", ["only"], [], "")])
    assert models.fitted.tolist() == [False]
    assert example_fit(models, _unit([1, 0], [0, 1])).tolist() == [[0.0], [0.0]]
    empty = ExampleModels(coef=np.zeros((1, 2)), intercept=np.zeros(1), fitted=np.array([True]))
    assert example_fit(empty, np.zeros((0, 2))).shape == (0, 1)


def test_fitting_is_deterministic():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(9, 8))
    texts = [CodeTexts("a", ["1", "2"], [], ""), CodeTexts("b", ["3", "4"], ["5"], ""), CodeTexts("c", ["6"], [], "")]
    one, two = fit_example_models(vectors, texts), fit_example_models(vectors, texts)
    np.testing.assert_array_equal(one.coef, two.coef)
    np.testing.assert_array_equal(one.intercept, two.intercept)


def test_the_engine_gives_every_pair_its_example_fit(codebook, participant_segments):
    # the fixture codebook's codes all have examples; a code added with a definition only does not
    bare = Code(id="bare", name="Transport", definition="Getting to and from the clinic.")
    book = Codebook([*codebook.codes, bare], name="with a bare code", content_hash="bare-v1")
    engine = SemanticEngine(TfidfSvdBackend())
    parts = engine.components(participant_segments, book)
    assert parts.example_fit is not None and parts.example_fit.shape == (len(participant_segments), 4)
    assert parts.example_fit[:, 3].tolist() == [0.0] * len(participant_segments)
    values = evidence_features(parts, engine.blend(parts), np.zeros(4, bool))
    np.testing.assert_allclose(values["example_fit"], np.clip(parts.example_fit, -6, 6))
    ids = [c.id for c in book.codes]
    for row, seg in enumerate(participant_segments):  # each coded turn fits its own code best
        code = EXPECTED[seg.turn_id]
        if code is not None:
            assert int(np.argmax(parts.example_fit[row, :3])) == ids.index(code), seg.text


def test_without_the_view_the_feature_is_neutral():
    from thematic.suggest.semantic_scores import RawScores, ScoreParts

    score = np.array([[1.0, -1.0], [0.0, 2.0]])
    zeros = np.zeros_like(score)
    parts = ScoreParts(raw=RawScores(score, score, score, zeros.astype(int), zeros, zeros.astype(int), score,
                                     zeros.astype(bool)),
                       own=score, other=score, prompt=zeros, lexical=zeros, matched=[{}, {}],
                       previous=np.full(2, -1), next=np.full(2, -1), anchor=np.full(2, np.nan))
    assert evidence_features(parts, score, np.zeros(2, bool))["example_fit"].tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_code_texts_of_a_codebook_code_map_to_its_rows():
    code = Code(id="x", name="X", definition="d", exclusion="never",
                examples=(Example("e1"), Example("n1", "near_miss"), Example("e2", "atypical")))
    assert code_vector_rows([code_texts(code)]) == [(0, [1, 2], [3])]


def test_the_engine_fits_the_example_models_once_per_codebook(codebook, participant_segments, monkeypatch):
    import thematic.suggest.example_fit as module

    calls: list[int] = []
    real = module.fit_example_models

    def counted(code_vectors, texts, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(len(texts))
        return real(code_vectors, texts, **kwargs)

    monkeypatch.setattr(module, "fit_example_models", counted)
    engine = SemanticEngine(TfidfSvdBackend())
    first = engine.components(participant_segments, codebook).example_fit
    again = engine.components(participant_segments, codebook).example_fit
    assert calls == [3]  # the same backend fit and code texts: fitted once
    np.testing.assert_array_equal(first, again)
    smaller = Codebook(list(codebook.codes)[:2], name="two codes", content_hash="two-v1")
    assert engine.components(participant_segments, smaller).example_fit.shape == (len(participant_segments), 2)
    assert calls == [3, 2]
