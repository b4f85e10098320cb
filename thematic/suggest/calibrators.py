"""Calibration of the confidence the engines show: "of the suggestions shown at confidence
about p, about p are right".

The same calibrators map the rule engine's noisy-OR and the combiner's scores to the
confidence they show (:class:`SourceCalibration`, :mod:`thematic.suggest.shipped_confidence`).

The evidence models (:mod:`thematic.suggest.calibration`) are logistic models fitted across
corpora; on a corpus unlike the ones they were fitted on their probabilities can be over- or
under-confident. A :class:`Calibrator` maps a model probability to the share of suggestions a
person would accept at that probability. Every kind is monotone (never reverses the order of
two suggestions) and bounded in ``[0, 1]``:

``"none"``
    the model probability itself;
``"platt"``
    ``sigmoid(a * logit(p) + b)`` with ``a > 0`` (a logistic regression on the logit);
``"temperature"``
    ``sigmoid(a * logit(p))`` with ``a > 0`` (``a = 1 / T``);
``"isotonic"``
    a non-decreasing step function through the knots ``(x, y)``, linear between them and
    flat beyond the ends.

A Platt or temperature calibrator may also have a ``ceiling``: the highest confidence it shows.
Fitted with a ``pseudo_count`` (:func:`fit_calibrator`), it is the share right of the fitting
data's highest-scored step, Laplace-shrunk, so that a curve fitted mostly on lower scores does
not extrapolate to near certainty where the data hold few pairs (a keyword rule's hit on four
terms showed 0.99 where hits like it were right about nine times in ten).

Which kind is shipped, and its numbers, is chosen across corpora by
``benchmarks/bench_agreement.py`` (:data:`thematic.suggest.shipped_evidence.DEFAULT_EVIDENCE`).
Pure numpy; fitting (:func:`fit_calibrator`) uses scikit-learn and scipy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

CALIBRATOR_KINDS = ("none", "platt", "temperature", "isotonic")
EPS = 1e-6
#: The highest confidence a suggestion from rules (alone or combined) shows: a matched keyword
#: or pattern is never certain, and no corpus of the benchmark bears out a share right of
#: 1.00 held out (``benchmarks/results/confidence.md``); a Platt calibrator's tail would
#: otherwise round to 1.00 for a segment matching six terms.
RULE_CEILING = 0.99


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))`` with ``p`` clipped to ``[1e-6, 1 - 1e-6]``."""
    import numpy as np

    q = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.asarray(np.log(q / (1 - q)))


@dataclass(frozen=True, repr=False)
class Calibrator:
    """A monotone map from a model probability to a calibrated one (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> Calibrator("temperature", a=0.5).apply(np.array([0.5, 0.9])).round(3).tolist()
    [0.5, 0.75]
    >>> Calibrator("isotonic", x=(0.1, 0.5), y=(0.2, 0.4)).apply(np.array([0.0, 0.3, 0.9])).tolist()
    [0.2, 0.3, 0.4]
    """

    kind: str = "none"
    a: float = 1.0
    b: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()
    ceiling: float = 1.0

    def __repr__(self) -> str:
        """The constructor call (printed as the literal to ship); without a ceiling, as it was
        before calibrators had one."""
        fields = f"kind={self.kind!r}, a={self.a!r}, b={self.b!r}, x={self.x!r}, y={self.y!r}"
        return f"Calibrator({fields}{'' if self.ceiling == 1.0 else f', ceiling={self.ceiling!r}'})"

    def __post_init__(self) -> None:
        from thematic.errors import ParameterError

        if self.kind not in CALIBRATOR_KINDS:
            raise ParameterError(f"kind must be one of {CALIBRATOR_KINDS}. Got {self.kind!r} instead.")
        if not 0.0 < self.ceiling <= 1.0:
            raise ParameterError(f"ceiling must be above 0 and at most 1. Got {self.ceiling!r} instead.")
        if self.kind in ("platt", "temperature") and not self.a > 0:
            raise ParameterError(f"a must be above 0 (a monotone calibrator). Got {self.a!r} instead.")
        if self.kind == "isotonic":
            ok = (len(self.x) == len(self.y) >= 1 and all(u < v for u, v in zip(self.x, self.x[1:], strict=False))
                  and all(u <= v for u, v in zip(self.y, self.y[1:], strict=False))
                  and all(0.0 <= v <= 1.0 for v in self.y))
            if not ok:
                raise ParameterError("isotonic knots must be increasing x with non-decreasing y in [0, 1]. "
                                     f"Got x={self.x!r}, y={self.y!r} instead.")

    def apply(self, p: np.ndarray) -> np.ndarray:
        """The calibrated probability of every element of ``p`` (same shape)."""
        import numpy as np

        p = np.asarray(p, dtype=float)
        if self.kind == "none":
            return p
        if self.kind == "isotonic":
            return np.asarray(np.interp(p, self.x, self.y))
        z = self.a * logit(p) + (self.b if self.kind == "platt" else 0.0)
        return np.asarray(np.minimum(self.ceiling, 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))))


def calibrator_from(fields: Mapping[str, Any]) -> Calibrator:
    """A :class:`Calibrator` from its fields as a run records them (``dataclasses.asdict``).

    >>> calibrator_from({"kind": "isotonic", "x": [0.1, 0.5], "y": [0.2, 0.4]}).x
    (0.1, 0.5)
    """
    values = dict(fields)
    for name in ("x", "y"):
        if name in values:
            values[name] = tuple(float(v) for v in values[name])
    return Calibrator(**values)


@dataclass(frozen=True)
class SourceCalibration:
    """The calibration of the confidence the combiner shows, by where a suggestion comes from.

    Attributes
    ----------
    rule : Calibrator
        A finding engine's lone hit (source ``"rule"``): maps the rule confidence times the
        scorers' support factor.
    combined : Calibrator
        Two or more engines pass the pair (source ``"combined"``): maps their weighted
        noisy-OR.

    A scorer's lone suggestion (``"semantic"``) keeps the confidence its engine shows (the
    semantic engine calibrates its own). Both calibrators are monotone, so within a source
    the order of two suggestions never changes. The shipped ones:
    :data:`thematic.suggest.shipped_confidence.COMBINED_CALIBRATION`.
    """

    rule: Calibrator = field(default_factory=Calibrator)
    combined: Calibrator = field(default_factory=Calibrator)


def fit_calibrator(kind: str, p: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None,
                   *, pseudo_count: float = 0.0) -> Calibrator:
    """Fit a :class:`Calibrator` of ``kind`` to model probabilities ``p`` and outcomes ``y``
    (1: a person coded it), each pair weighted by ``weights`` (default equally).

    A Platt or temperature fit whose slope comes out at or below 0 (the probabilities say
    nothing) keeps a slope of 0.01: nearly constant, still monotone. ``pseudo_count`` (isotonic
    only): each step's share right, over a weight ``n`` of pairs, is shrunk towards one half as
    ``(share * n + pseudo_count / 2) / (n + pseudo_count)`` (2: Laplace's rule), so that a step
    of a few pairs all right does not show certainty; with a ``pseudo_count``, a Platt or
    temperature fit gets as ``ceiling`` the highest step of that shrunk isotonic fit on the same
    pairs (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(0.05, 0.95, 4000)
    >>> y = rng.uniform(size=4000) < 0.5 * p  # the model is twice too confident
    >>> cal = fit_calibrator("platt", p, y)
    >>> bool(abs(cal.apply(np.array([0.8]))[0] - 0.4) < 0.07)
    True
    """
    import numpy as np

    p = np.asarray(p, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    w = np.ones_like(p) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    if kind == "none" or p.size == 0:
        return Calibrator("none")
    if kind == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
        iso.fit(p, y, sample_weight=w)
        ys_fit = np.asarray(iso.y_thresholds_, dtype=float)
        if pseudo_count > 0:
            ys_fit = _shrunk_steps(np.asarray(iso.X_thresholds_, dtype=float), ys_fit, p, w, pseudo_count)
        xs = np.round(np.asarray(iso.X_thresholds_, dtype=float), 6)  # stored as data: 6 places
        ys = np.maximum.accumulate(np.round(ys_fit, 6))
        keep = np.concatenate([[True], np.diff(xs) > 0])  # knots that rounding made equal: the first
        return Calibrator("isotonic", x=tuple(float(v) for v in xs[keep]), y=tuple(float(v) for v in ys[keep]))
    curve = _fit_curve(kind, p, y, w)
    if pseudo_count > 0:
        top = max(fit_calibrator("isotonic", p, y, w, pseudo_count=pseudo_count).y)
        return replace(curve, ceiling=max(top, EPS))
    return curve


def _fit_curve(kind: str, p: np.ndarray, y: np.ndarray, w: np.ndarray) -> Calibrator:
    """A Platt or temperature calibrator fitted to the pairs (:func:`fit_calibrator`)."""
    import numpy as np

    z = logit(p)
    if kind == "platt":
        from sklearn.linear_model import LogisticRegression

        if len(np.unique(y)) < 2:
            return Calibrator("platt", a=0.01, b=round(float(logit(np.array([y.mean()]))[0]), 6))
        lr = LogisticRegression(C=1e6, max_iter=1000).fit(z[:, None], y.astype(int), sample_weight=w)
        return Calibrator("platt", a=round(max(float(lr.coef_[0][0]), 0.01), 6), b=round(float(lr.intercept_[0]), 6))
    if kind == "temperature":
        from scipy.optimize import minimize_scalar

        def loss(log_a: float) -> float:
            q = np.clip(1.0 / (1.0 + np.exp(-np.exp(log_a) * z)), EPS, 1 - EPS)
            return float(-(w * (y * np.log(q) + (1 - y) * np.log(1 - q))).sum() / w.sum())

        best = minimize_scalar(loss, bounds=(np.log(0.01), np.log(100.0)), method="bounded")
        return Calibrator("temperature", a=round(float(np.exp(best.x)), 6))
    raise ValueError(f"kind must be one of {CALIBRATOR_KINDS}. Got {kind!r} instead.")


def _shrunk_steps(xs: np.ndarray, ys: np.ndarray, p: np.ndarray, w: np.ndarray, pseudo_count: float) -> np.ndarray:
    """The isotonic knots' values with each step (knots of one value) shrunk towards 1/2 by the
    weight of the pairs it spans (:func:`fit_calibrator`)."""
    import numpy as np

    out = ys.copy()
    for value in np.unique(ys):
        knots = np.flatnonzero(ys == value)
        lo, hi = xs[knots[0]], xs[knots[-1]]
        n = float(w[(p >= lo) & (p <= hi)].sum())
        out[knots] = (value * n + pseudo_count / 2) / (n + pseudo_count)
    return out


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: over ``bins`` equal-width bins of ``p``, the mean of
    ``|mean p - share right|`` weighted by the bin's share of the pairs (nan with no pairs).

    Examples
    --------
    >>> import numpy as np
    >>> expected_calibration_error(np.array([0.9, 0.9, 0.1, 0.1]), np.array([1, 0, 0, 0]))
    0.25
    """
    import numpy as np

    p = np.asarray(p, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    if p.size == 0:
        return float("nan")
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in np.unique(which):
        m = which == b
        total += m.sum() * abs(float(p[m].mean()) - float(y[m].mean()))
    return float(round(total / p.size, 12))


def brier(p: np.ndarray, y: np.ndarray) -> float:
    """Mean squared difference between ``p`` and the 0/1 outcomes ``y`` (nan with no pairs)."""
    import numpy as np

    p = np.asarray(p, dtype=float).reshape(-1)
    return float(np.mean((p - np.asarray(y, dtype=float).reshape(-1)) ** 2)) if p.size else float("nan")
