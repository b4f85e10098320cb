"""Combine the suggestions of several engines: one suggestion per (segment, code).

:func:`combine_many` takes any set of engines. Engines are *finders* (they report what they
match: rules, topics) or *scorers* (they score every pair asked about and say whether it
``passed`` their threshold: semantic, classifier). For each pair:

- a veto from any engine removes it;
- two or more engines passing it: a weighted noisy-OR of their confidences, source
  ``"combined"``;
- one finder alone: its confidence times the weakest support any scorer that ran gives it;
- one scorer alone: its confidence; no engine passing it: dropped.

With the two built-in engines, ``r`` the rule confidence and ``s`` the semantic confidence:

- a veto from either engine removes the pair: an exclusion rule that matched
  (``evidence["excluded_by"]``) or a near-miss veto (``evidence["near_miss"]["vetoed"]``);
- rule hit and semantic score above threshold: ``1 - (1 - r)**w_rule * (1 - s)**w_semantic``
  (a weighted noisy-OR), source ``"combined"``;
- rule hit, semantic below threshold: ``r * factor``, source ``"rule"``, where
  ``factor = max(floor, 1 - slope * gap)`` and ``gap`` is how far the semantic score lies
  below the code's threshold in units of the code's spread; when the semantic engine ran but
  did not report the pair at all, ``factor = unsupported``. A keyword alone therefore does not
  outweigh the definitions;
- semantic alone (above threshold): ``s``, source ``"semantic"``; below threshold: dropped.

When ``semantic_suggestions`` is ``None`` (the semantic engine did not run) rule suggestions
pass unchanged.

Confidence shown: the formulas above give a score (a keyword hit and a weak semantic score
make a noisy-OR near 1), so the confidence shown is that score through a monotone calibrator
by source (:class:`~thematic.suggest.calibrators.SourceCalibration`: ``rule`` for a finding
engine's lone hit, ``combined`` for two or more engines), fitted across corpora
(:data:`thematic.suggest.shipped_confidence.COMBINED_CALIBRATION`, chosen by
``benchmarks/bench_confidence.py``), never above 0.99
(:data:`~thematic.suggest.calibrators.RULE_CEILING`). The formulas read each engine's own
score before its calibration (``evidence["raw_confidence"]`` where an engine keeps one, as the rule engine
does), so the calibration never changes which pairs are suggested nor their order within a
source; ``min_confidence`` applies to the score. ``evidence["combine"]`` keeps the score
(``raw``). Evidence keeps each engine's evidence under its name (``"rule"``,
``"semantic"``) and the combination's own figures under ``"combine"``.
:class:`CombinedEngine` runs both engines so that vetoes and below-threshold scores reach
the combiner (``keep_vetoed=True`` and ``also=`` the rule hits).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence, Set
from dataclasses import asdict, dataclass, replace
from typing import Any

from thematic.models import Codebook, Segment, Suggestion
from thematic.suggest.base import Engine, ParamsMixin, Progress, check_number
from thematic.suggest.calibrators import RULE_CEILING, SourceCalibration
from thematic.suggest.rules import RuleEngine
from thematic.suggest.semantic import SemanticEngine

_Key = tuple[int, int | None, int, int, str]


@dataclass(frozen=True)
class CombineWeights:
    """Weights of :func:`combine` (see the module docstring for the formulas).

    Attributes
    ----------
    rule, semantic : float
        Exponents of the weighted noisy-OR when both engines support a pair.
    unsupported : float
        Factor on a rule hit the semantic engine did not report.
    slope : float
        Factor lost per spread unit the semantic score lies below the threshold.
    floor : float
        Lowest factor for a rule hit with a reported semantic score.
    min_confidence : float
        Pairs below this confidence are dropped.
    """

    rule: float = 1.0
    semantic: float = 1.0
    unsupported: float = 0.6
    slope: float = 0.1
    floor: float = 0.3
    min_confidence: float = 0.0

    def check(self) -> None:
        """Raise ``ValueError`` for an out-of-range weight."""
        for name in ("rule", "semantic", "slope"):
            check_number(f"weights.{name}", getattr(self, name), low=0.0)
        for name in ("unsupported", "floor", "min_confidence"):
            check_number(f"weights.{name}", getattr(self, name), low=0.0, high=1.0)


def combine(
    rule_suggestions: Sequence[Suggestion],
    semantic_suggestions: Sequence[Suggestion] | None,
    *,
    weights: CombineWeights = CombineWeights(),
    calibration: SourceCalibration = SourceCalibration(),
) -> list[Suggestion]:
    """One suggestion per (segment, code) from the rule and semantic engines' suggestions.

    Parameters
    ----------
    rule_suggestions
        From :class:`~thematic.suggest.rules.RuleEngine` (vetoed pairs included, ideally).
    semantic_suggestions
        From :class:`~thematic.suggest.semantic.SemanticEngine`, or ``None`` when it did not
        run.
    weights
        See :class:`CombineWeights`.
    calibration
        Maps the combined scores to the confidence shown (default: none, the scores
        themselves; :class:`CombinedEngine` uses the shipped one).

    Returns
    -------
    list of Suggestion
        Ordered by document, span, then first appearance.
    """
    outputs: dict[str, Sequence[Suggestion] | None] = {"rule": rule_suggestions}
    outputs["semantic"] = semantic_suggestions
    return combine_many(outputs, scorers={"semantic"}, weights=weights, calibration=calibration)


def combine_many(
    outputs: Mapping[str, Sequence[Suggestion] | None],
    *,
    scorers: Set[str] = frozenset(),
    weights: CombineWeights = CombineWeights(),
    exponents: Mapping[str, float] | None = None,
    calibration: SourceCalibration = SourceCalibration(),
) -> list[Suggestion]:
    """One suggestion per (segment, code) from any set of engines (see the module docstring).

    Parameters
    ----------
    outputs
        Engine source -> its suggestions (``None``: the engine did not run).
    scorers
        Sources of the engines that score the pairs other engines find (their evidence has
        ``passed``); a finding engine's lone hit is weighed by their verdict.
    weights
        See :class:`CombineWeights`; ``weights.rule`` and ``weights.semantic`` are the
        exponents of those two sources.
    exponents
        Noisy-OR exponents of other sources (default 1.0).
    calibration
        Maps the scores of a finding engine's lone hit and of a combined pair to the
        confidence shown (default: none).

    Returns
    -------
    list of Suggestion
        Ordered by document, span, then first appearance.
    """
    weights.check()
    power = {"rule": weights.rule, "semantic": weights.semantic, **(exponents or {})}
    by_source = {src: {_key(s): s for s in out or ()} for src, out in outputs.items()}
    ran_scorers = [src for src in scorers if outputs.get(src) is not None]
    keys = list(dict.fromkeys(k for table in by_source.values() for k in table))
    out: list[Suggestion] = []
    for key in keys:
        reports = {src: table[key] for src, table in by_source.items() if key in table}
        merged = _merge(reports, ran_scorers, weights, power)
        if merged is not None and _score(merged) >= weights.min_confidence:
            out.append(merged)
    out = _calibrated(out, calibration)
    order = {k: i for i, k in enumerate(keys)}
    out.sort(key=lambda s: (s.document_id, s.start, s.end, order[_key(s)]))
    return out


def _own_score(s: Suggestion) -> float:
    """An engine's score of a pair before its calibration (its confidence when it keeps none)."""
    return float(s.evidence.get("raw_confidence", s.confidence))


def _score(s: Suggestion) -> float:
    """A merged suggestion's score before the combiner's calibration."""
    return float((s.evidence.get("combine") or {}).get("raw", s.confidence))


def _calibrated(merged: list[Suggestion], calibration: SourceCalibration) -> list[Suggestion]:
    """The suggestions with the confidence shown for their scores, one calibrator call per
    source (a scorer's lone suggestion unchanged)."""
    import numpy as np

    out = list(merged)
    for source, calibrator in (("combined", calibration.combined), ("rule", calibration.rule)):
        at = [i for i, s in enumerate(out) if s.source == source and "combine" in s.evidence]
        if not at:
            continue
        shown = np.clip(calibrator.apply(np.array([_score(out[i]) for i in at])), 0.0, RULE_CEILING)
        for i, value in zip(at, shown.tolist(), strict=True):
            out[i] = replace(out[i], confidence=round(float(value), 6))
    return out


def _vetoed(s: Suggestion) -> bool:
    return bool(s.evidence.get("excluded_by")) or bool((s.evidence.get("near_miss") or {}).get("vetoed"))


def _merge(
    reports: Mapping[str, Suggestion], ran_scorers: Sequence[str], w: CombineWeights,
    power: Mapping[str, float],
) -> Suggestion | None:
    if any(_vetoed(s) for s in reports.values()):
        return None
    evidence: dict[str, Any] = {src: s.evidence for src, s in reports.items()}
    passed = {src: s for src, s in reports.items() if bool(s.evidence.get("passed", True))}
    if not passed:
        return None
    if len(passed) > 1:
        keep = 1.0
        for src, s in passed.items():
            keep *= (1.0 - _own_score(s)) ** power.get(src, 1.0)
        conf, source = 1.0 - keep, "combined"
        evidence["combine"] = {}
    else:
        (source, only), = passed.items()
        conf = only.confidence
        if "passed" not in only.evidence and ran_scorers:  # a finding engine's lone hit
            factor = min(_support(reports.get(src), w) for src in ran_scorers)
            evidence["combine"] = {"factor": round(factor, 6)}
            conf = _own_score(only) * factor
    if "combine" in evidence:
        evidence["combine"]["raw"] = round(min(1.0, max(0.0, conf)), 6)
    base = next(iter(reports.values()))
    return Suggestion(
        document_id=base.document_id,
        start=base.start,
        end=base.end,
        code_id=base.code_id,
        source=source,
        confidence=round(min(1.0, max(0.0, conf)), 6),
        evidence=evidence,
        segment_id=base.segment_id,
    )


def _support(s: Suggestion | None, w: CombineWeights) -> float:
    """How much a scorer's verdict on a pair it did not pass leaves of a finding engine's hit."""
    if s is None:
        return w.unsupported
    spread = max(float(s.evidence.get("spread") or 0.0), 1e-3)
    gap = max(0.0, (float(s.evidence["threshold"]) - float(s.evidence["score"])) / spread)
    return max(w.floor, 1.0 - w.slope * gap)


def _key(s: Suggestion) -> _Key:
    return (s.document_id, s.segment_id, s.start, s.end, s.code_id)


class CombinedEngine(ParamsMixin):
    """Run several engines and :func:`combine_many` their suggestions.

    Engines run in order; an engine whose ``suggest`` takes ``also=`` (a scorer) also scores
    the pairs the engines before it found, and every engine that takes ``keep_vetoed=`` keeps
    its vetoes so that they reach the combiner.

    Parameters
    ----------
    engines : sequence of Engine or None, default=None
        ``None`` makes the default pair: a :class:`RuleEngine` and a :class:`SemanticEngine`.
    weights : CombineWeights or None, default=None
        ``None`` uses :class:`CombineWeights` defaults.
    calibration : SourceCalibration or None, default=None
        Maps the combined scores to the confidence shown; ``None``: the shipped one
        (:data:`~thematic.suggest.shipped_confidence.COMBINED_CALIBRATION`),
        ``SourceCalibration()``: the scores themselves.
    """

    name = "combined"

    def __init__(
        self,
        engines: Sequence[Engine] | None = None,
        weights: CombineWeights | None = None,
        calibration: SourceCalibration | None = None,
    ) -> None:
        self.engines = engines
        self.weights = weights
        self.calibration = calibration

    def get_params(self) -> dict[str, Any]:
        """Each engine's parameters (by name), the weights and the calibration."""
        engines, weights = self._parts()
        return {
            "engines": {e.name: e.get_params() for e in engines},
            "weights": asdict(weights),
            "calibration": asdict(self.calibrator()),
        }

    def calibrator(self) -> SourceCalibration:
        """The calibration of the shown confidence (the shipped one unless given)."""
        from thematic.suggest.shipped_confidence import COMBINED_CALIBRATION

        return self.calibration if self.calibration is not None else COMBINED_CALIBRATION

    def versions(self) -> dict[str, str]:
        """Every engine's versions."""
        engines, _ = self._parts()
        out: dict[str, str] = {}
        for engine in engines:
            out.update(engine.versions())
        return out

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> list[Suggestion]:
        """Every engine's suggestions (scorers also score earlier hits), combined."""
        engines, weights = self._parts()
        outputs: dict[str, Sequence[Suggestion] | None] = {}
        scorers: set[str] = set()
        hits: list[tuple[int, str]] = []
        for i, engine in enumerate(engines):
            accepts = inspect.signature(engine.suggest).parameters
            kwargs: dict[str, Any] = {"progress": _phase(progress, i, len(engines))}
            if "keep_vetoed" in accepts:
                kwargs["keep_vetoed"] = True
            if "also" in accepts:
                kwargs["also"] = list(hits)
                scorers.add(engine.name)
            found = engine.suggest(segments, codebook, **kwargs)
            outputs[engine.name] = found
            hits += [(s.segment_id, s.code_id) for s in found
                     if s.segment_id is not None and s.evidence.get("passed", True)]
        return combine_many(outputs, scorers=scorers, weights=weights, calibration=self.calibrator())

    def members(self) -> list[Engine]:
        """The engines this combiner runs, in order."""
        return list(self._parts()[0])

    def set_params(self, **params: Any) -> CombinedEngine:
        """Set parameters; returns ``self``."""
        self.__dict__.pop("parts_", None)
        super().set_params(**params)
        return self

    def _parts(self) -> tuple[list[Engine], CombineWeights]:
        if not hasattr(self, "parts_"):
            engines: list[Engine] = (list(self.engines) if self.engines is not None
                                     else [RuleEngine(), SemanticEngine()])
            self.parts_ = (engines, self.weights if self.weights is not None else CombineWeights())
        return self.parts_


def _phase(progress: Progress | None, index: int, n_phases: int = 2) -> Progress | None:
    """Map a phase's ``(done, total)`` onto a 0..1000*n_phases overall scale."""
    if progress is None:
        return None
    outer = progress

    def inner(stage: str, done: int, total: int) -> None:
        frac = done / total if total else 1.0
        outer("suggest", index * 1000 + int(frac * 1000), n_phases * 1000)

    return inner
