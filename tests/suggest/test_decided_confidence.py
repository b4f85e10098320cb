"""The confidence of rule-based suggestions follows the project's decisions."""

from __future__ import annotations

import pytest

from thematic.models import Suggestion
from thematic.suggest.calibrators import RULE_CEILING
from thematic.suggest.decided_confidence import (
    PRIOR_STRENGTH,
    apply_decisions,
    decision_shift,
    shifted,
)


def _made(source: str, confidence: float, seg: int = 1) -> Suggestion:
    return Suggestion(1, 0, 10, "c", source, confidence, {"rules": ["r1"]}, seg)


def test_decisions_move_a_source_towards_its_share_accepted():
    shown = [0.5] * 40
    mostly_right = decision_shift("combined", shown, [True] * 36 + [False] * 4)
    mostly_wrong = decision_shift("combined", shown, [True] * 4 + [False] * 36)
    assert mostly_right.shift > 0 > mostly_wrong.shift
    c = PRIOR_STRENGTH
    assert shifted(0.5, mostly_right.shift) == pytest.approx((36 + 0.5 * c) / (40 + c), abs=1e-9)
    assert shifted(0.5, mostly_wrong.shift) == pytest.approx((4 + 0.5 * c) / (40 + c), abs=1e-9)
    few = decision_shift("combined", [0.5] * 4, [True] * 4)  # four decisions move it less than forty
    many = decision_shift("combined", [0.5] * 40, [True] * 40)
    assert 0 < few.shift < many.shift
    assert shifted(0.9, many.shift) <= RULE_CEILING


def test_no_decisions_no_shift_and_the_order_of_a_source_is_kept():
    assert decision_shift("rule", [], []).shift == 0.0
    shift = decision_shift("rule", [0.3] * 10, [False] * 10).shift
    values = [0.05, 0.2, 0.3, 0.6, 0.9]
    moved = [shifted(v, shift) for v in values]
    assert moved == sorted(moved) and len(set(moved)) == len(values)
    assert all(m < v for m, v in zip(moved, values, strict=True))


def test_apply_decisions_moves_rule_based_sources_only_and_keeps_the_calibrated_value():
    shifts = {"rule": decision_shift("rule", [0.2] * 30, [True] * 24 + [False] * 6)}
    rule, sem, comb = _made("rule", 0.2), _made("semantic", 0.4), _made("combined", 0.5)
    out_rule, out_sem, out_comb = apply_decisions([rule, sem, comb], shifts)
    assert out_sem == sem
    assert out_rule.confidence > 0.2 and out_rule.evidence["calibrated_confidence"] == 0.2
    assert out_rule.evidence["confidence_from_decisions"] == {"decided": 30, "accepted": 24}
    assert out_comb.confidence == 0.5 and "confidence_from_decisions" not in out_comb.evidence
    assert out_comb.evidence["calibrated_confidence"] == 0.5
    # a re-run moves from the calibrated value, not from what an earlier run showed
    (again,) = apply_decisions([out_rule], shifts)
    assert again.confidence == out_rule.confidence
