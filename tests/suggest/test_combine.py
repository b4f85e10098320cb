"""combine() and CombinedEngine: vetoes cross engines, rule hits need semantic support."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict

import numpy as np
import pytest

from thematic.models import Suggestion
from thematic.suggest import (
    CombinedEngine,
    CombineWeights,
    Engine,
    RuleEngine,
    SemanticEngine,
    combine,
    combine_many,
)
from thematic.suggest.calibrators import RULE_CEILING, Calibrator, SourceCalibration
from thematic.suggest.embeddings import TfidfSvdBackend
from thematic.suggest.shipped_confidence import COMBINED_CALIBRATION


def _rule(conf: float = 0.6, *, seg: int = 1, code: str = "c", excluded: list[str] | None = None):
    ev = {"rules": ["r1"], "matched": [], "excluded_by": excluded or []}
    return Suggestion(1, 0, 10, code, "rule", 0.0 if excluded else conf, ev, seg)


def _sem(conf: float = 0.7, *, seg: int = 1, code: str = "c", score: float = 0.5,
         threshold: float = 0.4, vetoed: bool | None = None):
    ev = {"score": score, "threshold": threshold, "spread": 0.05, "passed": score >= threshold}
    if vetoed is not None:
        ev["near_miss"] = {"example": "x", "score": 0.9, "vetoed": vetoed}
    return Suggestion(1, 0, 10, code, "semantic", 0.0 if vetoed else conf, ev, seg)


def test_both_engines_agree_gives_combined_source():
    (out,) = combine([_rule(0.6)], [_sem(0.7)])
    assert out.source == "combined"
    assert out.confidence == pytest.approx(1 - 0.4 * 0.3)
    assert set(out.evidence) == {"rule", "semantic", "combine"}
    assert out.evidence["combine"]["raw"] == pytest.approx(1 - 0.4 * 0.3)


def test_rule_hit_without_semantic_support_is_lowered():
    (absent,) = combine([_rule(0.6)], [])
    assert absent.source == "rule" and absent.confidence == pytest.approx(0.6 * 0.6)
    (near,) = combine([_rule(0.6)], [_sem(0.45, score=0.38, threshold=0.4)])
    (far,) = combine([_rule(0.6)], [_sem(0.01, score=0.0, threshold=0.4)])
    assert far.confidence < near.confidence < 0.6
    assert far.confidence == pytest.approx(0.6 * CombineWeights().floor)


def test_semantic_not_run_leaves_rule_hits_alone():
    (out,) = combine([_rule(0.6)], None)
    assert out.confidence == 0.6 and out.evidence["rule"]["rules"] == ["r1"]


def test_vetoes_cross_engines():
    assert combine([_rule(0.9)], [_sem(vetoed=True)]) == []
    assert combine([_rule(excluded=["x1"])], [_sem(0.9)]) == []
    (kept,) = combine([_rule(0.6)], [_sem(0.7, vetoed=False)])
    assert kept.source == "combined"


def test_semantic_alone_and_below_threshold():
    (alone,) = combine([], [_sem(0.7)])
    assert alone.source == "semantic" and alone.confidence == 0.7
    assert combine([], [_sem(0.3, score=0.1)]) == []


def test_one_suggestion_per_segment_and_code_in_order():
    rules = [_rule(seg=2, code="b"), _rule(seg=1, code="a")]
    sems = [_sem(seg=1, code="a"), _sem(seg=1, code="z")]
    out = combine(rules, sems)
    assert [(s.segment_id, s.code_id) for s in out] == [(2, "b"), (1, "a"), (1, "z")]


def test_min_confidence_and_weight_errors():
    assert combine([_rule(0.6)], [], weights=CombineWeights(min_confidence=0.5)) == []
    with pytest.raises(ValueError, match="weights.floor must be a number"):
        combine([], [], weights=CombineWeights(floor=2.0))


def test_combined_engine_end_to_end(nlp, codebook, participant_segments):
    engine = CombinedEngine([RuleEngine(nlp), SemanticEngine(TfidfSvdBackend())])
    assert isinstance(engine, Engine)
    calls: list[tuple[int, int]] = []
    out = engine.suggest(participant_segments, codebook, progress=lambda stage, d, t: calls.append((d, t)))
    by_turn = {s.id: s.turn_id for s in participant_segments}
    got = {(by_turn[s.segment_id], s.code_id): s for s in out}
    assert got[(1, "heard")].source == "combined"
    assert (8, "heard") not in got  # vetoed by the exclusion rule and the near-miss
    assert (9, "wait") not in got  # "can't wait": keyword hit, vetoed by the near-miss example
    assert calls[-1] == (2000, 2000)
    params = engine.get_params()
    assert set(params) == {"engines", "weights", "calibration"}
    assert params["calibration"] == asdict(COMBINED_CALIBRATION)
    assert set(params["engines"]) == {"rule", "semantic"}
    assert engine.suggest(participant_segments, codebook) == out


@pytest.mark.parametrize("engine", [RuleEngine(), SemanticEngine(), CombinedEngine()])
def test_engines_follow_the_protocol(engine):
    assert isinstance(engine, Engine)
    assert engine.name in {"rule", "semantic", "combined"}


def test_import_is_light():
    code = (
        "import sys, thematic.suggest; "
        "heavy = [m for m in ('spacy', 'numpy', 'sklearn', 'torch', 'sentence_transformers') "
        "if m in sys.modules]; print(heavy); assert not heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_combine_many_weighs_a_lone_finder_by_every_scorer():
    """Three engines: a rule hit passed by one scorer is combined; a lone hit takes the
    weakest support of the scorers that ran."""
    rule = _rule(0.8)
    passed = _sem(0.7)
    failed = _sem(0.2, score=0.3)
    both = combine_many({"rule": [rule], "semantic": [passed], "classifier": [failed]},
                        scorers={"semantic", "classifier"})
    assert [s.source for s in both] == ["combined"]
    assert both[0].confidence == pytest.approx(1 - 0.2 * 0.3)
    alone = combine_many({"rule": [rule], "semantic": [], "classifier": [failed]},
                         scorers={"semantic", "classifier"})
    weights = CombineWeights()
    assert alone[0].source == "rule"
    assert alone[0].confidence == pytest.approx(0.8 * weights.unsupported)


def _rule_raw(raw: float, **kw):
    """A rule hit as the rule engine reports it: calibrated confidence, noisy-OR in evidence."""
    hit = _rule(0.25, **kw)
    return Suggestion(hit.document_id, hit.start, hit.end, hit.code_id, "rule", 0.25,
                      {**hit.evidence, "raw_confidence": raw}, hit.segment_id)


def test_a_keyword_match_with_weak_semantic_support_does_not_show_certainty():
    """The Review page's case: four keywords (noisy-OR 0.97) and a semantic confidence of 0.24."""
    (out,) = combine([_rule_raw(0.9744)], [_sem(0.24)], calibration=COMBINED_CALIBRATION)
    assert out.source == "combined"
    assert out.evidence["combine"]["raw"] == pytest.approx(1 - 0.0256 * 0.76, abs=1e-6)
    assert f"{out.confidence:.2f}" != "1.00" and out.confidence <= RULE_CEILING
    assert out.confidence == pytest.approx(
        float(COMBINED_CALIBRATION.combined.apply(np.array([out.evidence["combine"]["raw"]]))[0]), abs=1e-6)
    (alone,) = combine([_rule_raw(0.9999)], [_sem(0.01, score=0.0)], calibration=COMBINED_CALIBRATION)
    assert alone.source == "rule" and f"{alone.confidence:.2f}" != "1.00"


STEEP = SourceCalibration(rule=Calibrator("platt", a=2.0, b=0.5), combined=Calibrator("platt", a=3.0, b=1.0))
GRID = (0.05, 0.3, 0.6, 0.84, 0.936, 0.9744, 0.999)


@pytest.mark.parametrize("calibration", [COMBINED_CALIBRATION, STEEP, SourceCalibration()])
def test_combined_confidence_is_monotone_in_its_inputs(calibration):
    """More rule evidence or a higher semantic confidence never lowers what is shown."""
    def both(r: float, s: float) -> float:
        (out,) = combine([_rule_raw(r)], [_sem(s)], calibration=calibration)
        return out.confidence

    def rule_only(r: float, score: float) -> float:
        (out,) = combine([_rule_raw(r)], [_sem(0.1, score=score, threshold=0.4)], calibration=calibration)
        return out.confidence

    table = np.array([[both(r, s) for s in (0.05, 0.24, 0.5, 0.8)] for r in GRID])
    assert (np.diff(table, axis=0) >= 0).all() and (np.diff(table, axis=1) >= 0).all()
    lone = np.array([[rule_only(r, score) for score in (0.0, 0.2, 0.35, 0.39)] for r in GRID])
    assert (np.diff(lone, axis=0) >= 0).all() and (np.diff(lone, axis=1) >= 0).all()
    below = table[:-1] < RULE_CEILING  # strictly increasing in the rule score below the ceiling
    assert (np.diff(table, axis=0)[below & (table[1:] < RULE_CEILING)] > 0).all()
    assert table.max() <= RULE_CEILING


def test_the_calibration_changes_neither_the_pairs_nor_their_order():
    rules = [_rule_raw(0.6, seg=2, code="b"), _rule_raw(0.84, seg=1, code="a"), _rule_raw(0.9, seg=3, code="c")]
    sems = [_sem(0.3, seg=1, code="a"), _sem(0.4, seg=1, code="z"), _sem(0.1, seg=2, code="b", score=0.2)]
    raw = combine(rules, sems)
    shown = combine(rules, sems, calibration=COMBINED_CALIBRATION)
    assert [(s.segment_id, s.code_id, s.source) for s in raw] == [
        (s.segment_id, s.code_id, s.source) for s in shown]
    assert [s.evidence for s in raw] == [s.evidence for s in shown]
    assert [s.confidence for s in shown] != [s.confidence for s in raw]
    assert next(s for s in shown if s.source == "semantic").confidence == 0.4  # its own, unchanged
