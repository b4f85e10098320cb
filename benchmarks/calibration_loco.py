"""Choosing the calibration of the shown confidence across corpus families (used by
``bench_agreement.py``).

The data are, per family and unit, the suggestions' model probabilities and whether a person
coded them, *out of family*: predicted by evidence models that never saw that family. A
calibrator kind (:data:`~thematic.suggest.calibrators.CALIBRATOR_KINDS`) is scored leave one
family out on those data (fitted on the others, families weighted equally; expected calibration
error and Brier score on the one left out) and the kind with the lowest mean ECE (then Brier)
is chosen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from thematic.suggest.calibrators import (
    CALIBRATOR_KINDS,
    Calibrator,
    brier,
    expected_calibration_error,
    fit_calibrator,
)

#: family -> (model probabilities, 0/1 outcomes) of the suggestions of one unit
Pairs = dict[str, tuple[np.ndarray, np.ndarray]]


def merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of several corpora of one family, together."""
    if not parts:
        return np.zeros(0), np.zeros(0)
    return np.concatenate([p for p, _ in parts]), np.concatenate([y for _, y in parts])


def fit_on(kind: str, data: Pairs, *, pseudo_count: float = 0.0) -> Calibrator:
    """A calibrator of ``kind`` fitted on every family of ``data``, each family weighing the same
    (``pseudo_count``: see :func:`~thematic.suggest.calibrators.fit_calibrator`)."""
    ps, ys, ws = [], [], []
    for p, y in data.values():
        if len(p):
            ps.append(p)
            ys.append(y)
            ws.append(np.full(len(p), 1.0 / len(p)))
    if not ps:
        return Calibrator()
    w = np.concatenate(ws)
    return fit_calibrator(kind, np.concatenate(ps), np.concatenate(ys), w * len(w) / w.sum(),
                          pseudo_count=pseudo_count)


def kinds_left_out(data: Pairs, *, pseudo_count: float = 0.0) -> pd.DataFrame:
    """Per kind, the mean over families of the ECE and Brier score on the family when fitted on
    the others (the pairs' own probabilities for ``"none"``)."""
    rows = []
    for kind in CALIBRATOR_KINDS:
        eces, briers = [], []
        for family, (p, y) in data.items():
            if not len(p):
                continue
            cal = fit_on(kind, {f: d for f, d in data.items() if f != family}, pseudo_count=pseudo_count)
            eces.append(expected_calibration_error(cal.apply(p), y))
            briers.append(brier(cal.apply(p), y))
        rows.append({"kind": kind, "ece": float(np.mean(eces)) if eces else float("nan"),
                     "brier": float(np.mean(briers)) if briers else float("nan")})
    return pd.DataFrame(rows).set_index("kind")


def choose_kind(table: pd.DataFrame) -> str:
    """The kind of lowest mean ECE (then Brier) in a :func:`kinds_left_out` table."""
    return str(table.sort_values(["ece", "brier"], kind="stable").index[0])
