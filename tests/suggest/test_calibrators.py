"""Calibrators of the shown confidence: monotone, bounded, fitted to what people did, shipped as data."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from thematic.errors import ParameterError
from thematic.suggest.calibration import (
    ConfidenceCalibration,
    Evidence,
    EvidenceModel,
)
from thematic.suggest.calibrators import (
    CALIBRATOR_KINDS,
    Calibrator,
    brier,
    expected_calibration_error,
    fit_calibrator,
)
from thematic.suggest.shipped_evidence import DEFAULT_EVIDENCE, SPARSE_EVIDENCE

GRID = np.linspace(0.0, 1.0, 201)


def _over_confident(n: int = 6000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Model probabilities and outcomes where a pair shown at p is right with probability p / 2 + 0.1."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.02, 0.98, n)
    return p, rng.uniform(size=n) < p / 2 + 0.1


@pytest.mark.parametrize("kind", CALIBRATOR_KINDS)
def test_every_fitted_calibrator_is_monotone_and_bounded(kind):
    p, y = _over_confident()
    out = fit_calibrator(kind, p, y).apply(GRID)
    assert out.shape == GRID.shape
    assert (np.diff(out) >= -1e-12).all()
    assert ((out >= 0) & (out <= 1)).all()


@pytest.mark.parametrize("kind", ["platt", "isotonic"])
def test_a_fitted_calibrator_says_how_often_suggestions_are_right(kind):
    p, y = _over_confident()
    cal = fit_calibrator(kind, p, y)
    held_p, held_y = _over_confident(seed=1)
    before = expected_calibration_error(held_p, held_y)
    after = expected_calibration_error(cal.apply(held_p), held_y)
    assert before > 0.15 and after < 0.04
    assert brier(cal.apply(held_p), held_y) < brier(held_p, held_y)
    assert cal.apply(np.array([0.9]))[0] == pytest.approx(0.55, abs=0.06)


def test_temperature_only_flattens_or_sharpens_around_one_half():
    p, y = _over_confident()
    cal = fit_calibrator("temperature", p, y)
    assert cal.a < 1  # over-confident: flattened
    assert cal.apply(np.array([0.5]))[0] == pytest.approx(0.5)


def test_a_calibrator_that_would_reverse_the_order_is_refused():
    with pytest.raises(ParameterError, match="a must be above 0"):
        Calibrator("platt", a=-1.0)
    with pytest.raises(ParameterError, match="non-decreasing"):
        Calibrator("isotonic", x=(0.1, 0.5), y=(0.6, 0.4))
    with pytest.raises(ParameterError, match="kind must be one of"):
        Calibrator("sigmoid")
    # outcomes that do not follow the probabilities at all: nearly flat, still monotone
    rng = np.random.default_rng(0)
    p = rng.uniform(size=500)
    flat = fit_calibrator("platt", p, p < 0.3)  # right only when the model is unsure
    assert flat.a > 0 and (np.diff(flat.apply(GRID)) >= 0).all()


def test_expected_calibration_error_weighs_bins_by_their_pairs():
    p = np.array([0.95, 0.95, 0.95, 0.95, 0.25])
    y = np.array([1, 1, 1, 0, 0])
    assert expected_calibration_error(p, y) == pytest.approx((4 * 0.2 + 1 * 0.25) / 5)
    assert np.isnan(expected_calibration_error(np.zeros(0), np.zeros(0)))


@pytest.mark.parametrize("evidence", [DEFAULT_EVIDENCE, SPARSE_EVIDENCE], ids=["default", "sparse"])
def test_the_shipped_calibration_reads_back_monotone_and_bounded(evidence):
    for unit, cal in (("turn", evidence.calibration.turn), ("sentence", evidence.calibration.sentence)):
        assert cal.kind in CALIBRATOR_KINDS
        again = Calibrator(**asdict(cal))  # the recorded parameters give the same calibrator
        out = evidence.shown(GRID, unit)
        np.testing.assert_allclose(out, again.apply(GRID))
        assert (np.diff(out) >= -1e-12).all() and ((out >= 0) & (out <= 1)).all()


ONE = EvidenceModel(features=("blend",), coef=(1.0,), intercept=0.0, threshold=0.0)


def test_shown_confidence_is_the_units_calibrator():
    cal = ConfidenceCalibration(turn=Calibrator("temperature", a=0.5), sentence=Calibrator("platt", a=1.0, b=-1.0))
    evidence = Evidence(turn=ONE, sentence=ONE, sentence_floor=0.5, calibration=cal)
    p = np.array([[0.9], [0.2]])
    np.testing.assert_allclose(evidence.shown(p, "turn"), cal.turn.apply(p))
    np.testing.assert_allclose(evidence.shown(p, "sentence"), cal.sentence.apply(p))
    assert (evidence.shown(p, "sentence") < p).all()


def test_isotonic_knots_closer_than_the_stored_precision_are_kept_once():
    p = np.array([0.3328481, 0.3328482, 0.3328483, 0.5, 0.7])
    cal = fit_calibrator("isotonic", p, np.array([0, 1, 0, 1, 1]))
    assert all(u < v for u, v in zip(cal.x, cal.x[1:], strict=False))
    assert (np.diff(cal.apply(GRID)) >= 0).all()


def test_isotonic_steps_of_a_few_pairs_all_right_do_not_show_certainty():
    """Laplace's rule on each step: 4 pairs all right show 5/6, not 1; a step of 200 pairs
    hardly moves; the knots stay non-decreasing."""
    p = np.array([0.1] * 100 + [0.2] * 100 + [0.9] * 4)
    y = np.array([0] * 80 + [1] * 20 + [0] * 40 + [1] * 60 + [1] * 4)
    plain = fit_calibrator("isotonic", p, y)
    shrunk = fit_calibrator("isotonic", p, y, pseudo_count=2.0)
    assert plain.apply(np.array([0.9]))[0] == 1.0
    assert shrunk.apply(np.array([0.9]))[0] == pytest.approx(5 / 6, abs=1e-6)
    assert shrunk.apply(np.array([0.1]))[0] == pytest.approx(21 / 102, abs=1e-6)
    assert (np.diff(shrunk.apply(GRID)) >= 0).all()


@pytest.mark.parametrize("kind", ["platt", "temperature"])
def test_a_curve_never_shows_more_than_its_best_scored_pairs_bore_out(kind):
    """Fitted with Laplace's rule, a Platt or temperature curve stops at the share right of the
    highest-scored step (shrunk): a steep curve fitted on low scores does not reach 0.99."""
    rng = np.random.default_rng(0)
    low = rng.uniform(0.2, 0.8, 3000)
    p = np.concatenate([low, [0.97] * 10])
    y = np.concatenate([rng.uniform(size=3000) < low ** 3, [1] * 8 + [0] * 2])
    plain = fit_calibrator(kind, p, y)
    capped = fit_calibrator(kind, p, y, pseudo_count=2.0)
    top = max(fit_calibrator("isotonic", p, y, pseudo_count=2.0).y)
    assert capped.ceiling == pytest.approx(top) and top < 0.9
    assert capped.apply(np.array([0.999]))[0] == pytest.approx(top)
    assert plain.apply(np.array([0.999]))[0] > top  # what the curve alone would show
    assert (np.diff(capped.apply(GRID)) >= 0).all()  # still monotone
    low_end = np.array([0.3, 0.5])
    assert capped.apply(low_end) == pytest.approx(plain.apply(low_end))  # only the top is bounded


def test_a_ceiling_is_recorded_read_back_and_checked():
    from thematic.suggest.calibrators import calibrator_from

    cal = Calibrator("platt", a=2.0, b=-1.0, ceiling=0.9)
    assert calibrator_from(asdict(cal)) == cal
    assert repr(cal).endswith(", ceiling=0.9)") and eval(repr(cal)) == cal  # noqa: S307
    assert "ceiling" not in repr(Calibrator("platt", a=2.0))  # as printed before ceilings
    assert calibrator_from({"kind": "platt", "a": 2.0}).ceiling == 1.0  # a run recorded before them
    with pytest.raises(ParameterError, match="ceiling must be above 0 and at most 1"):
        Calibrator("platt", a=1.0, ceiling=1.5)
