"""The confidence of rule-based suggestions, moved by the project's own decisions.

How often a keyword hit, or a pair both engines pass, is right depends on the study more than
on its score: across the benchmark's corpora combined suggestions are right from 16% to 100% of
the time whatever their noisy-OR (``benchmarks/results/confidence.md``), so the calibration
shipped for them (:mod:`thematic.suggest.shipped_confidence`) can only say what is typical.
A project's decisions say what is true of *its* codebook and data. Per source (``"rule"``,
``"combined"``), with ``n`` decided suggestions of which ``k`` were accepted and whose calibrated
confidences average ``m``, the share right is estimated as ``(k + c m) / (n + c)`` (the shipped
calibration counts as ``c`` decisions, :data:`PRIOR_STRENGTH`), and every new suggestion of the
source moves by the same log-odds::

    shift = logit((k + c m) / (n + c)) - logit(m)
    shown = sigmoid(logit(calibrated) + shift)       (at most RULE_CEILING)

The shift is monotone (the order of a source's suggestions never changes), zero without
decisions, and grows with them. Each suggestion keeps its calibrated confidence
(``evidence["calibrated_confidence"]``, the value decisions are compared with in later runs)
and, when moved, what moved it (``evidence["confidence_from_decisions"]``). Pure functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from thematic.models import Suggestion
from thematic.suggest.calibrators import RULE_CEILING

#: The sources whose confidence decisions move (the semantic engine calibrates its own).
SHIFTED_SOURCES = ("rule", "combined")
#: How many decisions the shipped calibration counts as: of 2, 5, 10, 20 and 50, the one of
#: lowest mean ECE over the benchmark's 7 families (``benchmarks/bench_confidence.py --fit``;
#: chosen on the other families it was 5 in 5 of the 7 leave-one-family-out folds). Held out,
#: with every suggestion of 10% of a corpus's documents decided (at least one document), the
#: ECE of the other documents' suggestions fell from 0.258 to 0.130 (combined), 0.162 to
#: 0.066 (the rule engine alone) and 0.090 to 0.080 (a rule hit alone), mean over corpora
#: (``benchmarks/results/confidence.md``).
PRIOR_STRENGTH = 5.0
_EPS = 1e-4


def _logit(p: float) -> float:
    q = min(1 - _EPS, max(_EPS, p))
    return math.log(q / (1 - q))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class DecisionShift:
    """What a source's decisions say: ``decided`` suggestions, ``accepted`` of them, the mean
    calibrated confidence they were shown with, and the log-odds ``shift`` that follows."""

    source: str
    decided: int
    accepted: int
    mean_shown: float
    prior_strength: float
    shift: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as a run records it (no mean without decisions: None)."""
        return {k: (None if isinstance(v, float) and math.isnan(v) else round(v, 6) if isinstance(v, float) else v)
                for k, v in asdict(self).items()}


def decision_shift(source: str, shown: Sequence[float], accepted: Sequence[bool],
                   prior_strength: float = PRIOR_STRENGTH) -> DecisionShift:
    """The shift of a source from its decided suggestions' calibrated confidences ``shown``
    and whether each was accepted (module docstring).

    Examples
    --------
    >>> s = decision_shift("combined", [0.5] * 40, [True] * 36 + [False] * 4, prior_strength=10)
    >>> round(s.shift, 3), round(shifted(0.5, s.shift), 3)  # 36 of 40 right: (36 + 5) / 50
    (1.516, 0.82)
    >>> decision_shift("rule", [], []).shift
    0.0
    """
    n = len(shown)
    if n == 0 or prior_strength < 0:
        return DecisionShift(source, 0, 0, float("nan"), prior_strength, 0.0)
    k = int(sum(bool(a) for a in accepted))
    m = min(1 - _EPS, max(_EPS, sum(float(v) for v in shown) / n))
    estimate = (k + prior_strength * m) / (n + prior_strength)
    return DecisionShift(source, n, k, m, prior_strength, _logit(estimate) - _logit(m))


def shifted(calibrated: float, shift: float) -> float:
    """A calibrated confidence moved by ``shift`` log-odds, at most ``RULE_CEILING``."""
    if shift == 0.0:
        return min(RULE_CEILING, calibrated)
    return min(RULE_CEILING, _sigmoid(_logit(calibrated) + shift))


def apply_decisions(suggestions: Iterable[Suggestion],
                    shifts: Mapping[str, DecisionShift]) -> list[Suggestion]:
    """Every suggestion of a shifted source with its calibrated confidence kept in evidence and
    its confidence moved by its source's shift (others unchanged)."""
    out = []
    for s in suggestions:
        if s.source not in SHIFTED_SOURCES:
            out.append(s)
            continue
        calibrated = float(s.evidence.get("calibrated_confidence", s.confidence))
        evidence = {**s.evidence, "calibrated_confidence": round(calibrated, 6)}
        found = shifts.get(s.source)
        confidence = s.confidence
        if found is not None and found.decided:
            confidence = round(shifted(calibrated, found.shift), 6)
            evidence["confidence_from_decisions"] = {"decided": found.decided, "accepted": found.accepted}
        out.append(replace(s, confidence=confidence, evidence=evidence))
    return out
