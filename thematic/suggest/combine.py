"""Combine rule and semantic suggestions: one suggestion per (segment, code).

For each pair, with ``r`` the rule confidence and ``s`` the semantic confidence:

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
pass unchanged. Evidence keeps each engine's evidence under its name (``"rule"``,
``"semantic"``) and the combination's own figures under ``"combine"``.
:class:`CombinedEngine` runs both engines so that vetoes and below-threshold scores reach
the combiner (``keep_vetoed=True`` and ``also=`` the rule hits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from thematic.models import Codebook, Segment, Suggestion
from thematic.suggest.base import ParamsMixin, Progress, check_number
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
) -> list[Suggestion]:
    """One suggestion per (segment, code) from both engines' suggestions.

    Parameters
    ----------
    rule_suggestions
        From :class:`~thematic.suggest.rules.RuleEngine` (vetoed pairs included, ideally).
    semantic_suggestions
        From :class:`~thematic.suggest.semantic.SemanticEngine`, or ``None`` when it did not
        run.
    weights
        See :class:`CombineWeights`.

    Returns
    -------
    list of Suggestion
        Ordered by document, span, then first appearance.
    """
    weights.check()
    rules: dict[_Key, Suggestion] = {_key(s): s for s in rule_suggestions}
    sems: dict[_Key, Suggestion] = {_key(s): s for s in semantic_suggestions or ()}
    keys = list(dict.fromkeys([*rules, *sems]))
    out: list[Suggestion] = []
    for key in keys:
        merged = _merge(rules.get(key), sems.get(key), semantic_suggestions is not None, weights)
        if merged is not None and merged.confidence >= weights.min_confidence:
            out.append(merged)
    order = {k: i for i, k in enumerate(keys)}
    out.sort(key=lambda s: (s.document_id, s.start, s.end, order[_key(s)]))
    return out


def _merge(
    r: Suggestion | None, s: Suggestion | None, semantic_ran: bool, w: CombineWeights
) -> Suggestion | None:
    if r is not None and r.evidence.get("excluded_by"):
        return None
    if s is not None and (s.evidence.get("near_miss") or {}).get("vetoed"):
        return None
    s_passed = s is not None and bool(s.evidence.get("passed", True))
    evidence: dict[str, Any] = {}
    if r is not None:
        evidence["rule"] = r.evidence
    if s is not None:
        evidence["semantic"] = s.evidence
    if r is not None and s is not None and s_passed:
        conf = 1.0 - (1.0 - r.confidence) ** w.rule * (1.0 - s.confidence) ** w.semantic
        source = "combined"
    elif r is not None:
        if not semantic_ran:
            factor = 1.0
        elif s is None:
            factor = w.unsupported
        else:
            spread = max(float(s.evidence.get("spread") or 0.0), 1e-3)
            gap = max(0.0, (float(s.evidence["threshold"]) - float(s.evidence["score"])) / spread)
            factor = max(w.floor, 1.0 - w.slope * gap)
        evidence["combine"] = {"factor": round(factor, 6)}
        conf = r.confidence * factor
        source = "rule"
    elif s is not None and s_passed:
        conf = s.confidence
        source = "semantic"
    else:
        return None
    base = r if r is not None else s
    assert base is not None
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


def _key(s: Suggestion) -> _Key:
    return (s.document_id, s.segment_id, s.start, s.end, s.code_id)


class CombinedEngine(ParamsMixin):
    """Run the rule and semantic engines and :func:`combine` their suggestions.

    Parameters
    ----------
    rules : RuleEngine or None, default=None
        ``None`` makes a default :class:`RuleEngine`.
    semantic : SemanticEngine or None, default=None
        ``None`` makes a default :class:`SemanticEngine`.
    weights : CombineWeights or None, default=None
        ``None`` uses :class:`CombineWeights` defaults.
    """

    name = "combined"

    def __init__(
        self,
        rules: RuleEngine | None = None,
        semantic: SemanticEngine | None = None,
        weights: CombineWeights | None = None,
    ) -> None:
        self.rules = rules
        self.semantic = semantic
        self.weights = weights

    def get_params(self) -> dict[str, Any]:
        """Both engines' parameters and the weights."""
        rules, semantic, weights = self._parts()
        return {
            "rules": rules.get_params(),
            "semantic": semantic.get_params(),
            "weights": asdict(weights),
        }

    def versions(self) -> dict[str, str]:
        """Both engines' versions."""
        rules, semantic, _ = self._parts()
        return {**rules.versions(), **semantic.versions()}

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> list[Suggestion]:
        """Rule suggestions, semantic suggestions (with the rule hits' scores), combined."""
        rules, semantic, weights = self._parts()
        rule_out = rules.suggest(
            segments, codebook, progress=_phase(progress, 0), keep_vetoed=True
        )
        hits = [(s.segment_id, s.code_id) for s in rule_out if s.segment_id is not None]
        sem_out = semantic.suggest(
            segments, codebook, progress=_phase(progress, 1), keep_vetoed=True, also=hits
        )
        return combine(rule_out, sem_out, weights=weights)

    def set_params(self, **params: Any) -> CombinedEngine:
        """Set parameters; returns ``self``."""
        self.__dict__.pop("parts_", None)
        super().set_params(**params)
        return self

    def _parts(self) -> tuple[RuleEngine, SemanticEngine, CombineWeights]:
        if "parts_" not in self.__dict__:
            self.parts_ = (
                self.rules if self.rules is not None else RuleEngine(),
                self.semantic if self.semantic is not None else SemanticEngine(),
                self.weights if self.weights is not None else CombineWeights(),
            )
        return self.parts_


def _phase(progress: Progress | None, index: int, n_phases: int = 2) -> Progress | None:
    """Map a phase's ``(done, total)`` onto a 0..1000*n_phases overall scale."""
    if progress is None:
        return None
    outer = progress

    def inner(done: int, total: int) -> None:
        frac = done / total if total else 1.0
        outer(index * 1000 + int(frac * 1000), n_phases * 1000)

    return inner
