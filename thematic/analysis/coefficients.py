"""Agreement coefficients of two coders on presence/absence (0/1) data, from 2x2 tables.

For one code, two coders A and B and ``n`` units both coded, the table is

=========  =============  =============
           B applies it   B does not
=========  =============  =============
A applies  ``a``          ``b``
A doesn't  ``c``          ``d``
=========  =============  =============

and, with ``p_o = (a + d) / n``, ``p_A = (a + b) / n``, ``p_B = (a + c) / n``:

- percent agreement ``p_o``;
- positive agreement ``2a / (2a + b + c)`` (NaN when neither applies the code);
- Cohen's kappa ``(p_o - p_e) / (1 - p_e)``, ``p_e = p_A p_B + (1 - p_A)(1 - p_B)``;
- Brennan-Prediger ``(p_o - 1/q) / (1 - 1/q)`` with ``q = 2`` categories, i.e. ``2 p_o - 1``;
- Gwet's AC1 ``(p_o - p_e) / (1 - p_e)``, ``p_e = 2 pi (1 - pi)``, ``pi = (p_A + p_B) / 2``;
- Krippendorff's alpha (nominal) ``1 - (N - 1)(b + c) / (n_0 n_1)`` where ``N = 2n`` values
  are pairable, ``n_1 = 2a + b + c`` of them 1 and ``n_0 = 2d + b + c`` of them 0.

Where a chance-corrected coefficient divides by zero (both coders constant), it is 1.0 when
the coders agree on every unit and 0.0 otherwise, as :func:`thematic.analysis.cohens_kappa`.
Every function takes arrays of counts (broadcasting), so that a bootstrap computes thousands
of tables at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["COEFFICIENTS", "bootstrap_tables", "coefficients", "percentile_interval"]

#: The coefficients :func:`coefficients` returns, in order.
COEFFICIENTS = ["percent_agreement", "positive_agreement", "cohen_kappa", "brennan_prediger",
                "gwet_ac1", "krippendorff_alpha"]


def _chance_corrected(p_o: np.ndarray, p_e: np.ndarray) -> np.ndarray:
    """``(p_o - p_e) / (1 - p_e)``; 1.0 (all agree) or 0.0 where ``p_e == 1``."""
    degenerate = np.isclose(p_e, 1.0)
    den = np.where(degenerate, 1.0, 1.0 - p_e)
    value = (p_o - p_e) / den
    return np.where(degenerate, np.where(np.isclose(p_o, 1.0), 1.0, 0.0), value)


def coefficients(a: np.ndarray | float, b: np.ndarray | float, c: np.ndarray | float,
                 d: np.ndarray | float) -> dict[str, np.ndarray]:
    """Every coefficient of :data:`COEFFICIENTS` from the counts of 2x2 tables.

    Parameters
    ----------
    a, b, c, d : array-like of numbers
        Both apply the code, only A, only B, neither (see the module text). Tables with
        ``n = a + b + c + d == 0`` give NaN everywhere.

    Returns
    -------
    dict of str to ndarray
        One array (the broadcast shape of the inputs) per coefficient.

    Examples
    --------
    >>> {k: round(float(v), 4) for k, v in coefficients(1, 1, 0, 2).items()}
    {'percent_agreement': 0.75, 'positive_agreement': 0.6667, 'cohen_kappa': 0.5, 'brennan_prediger': 0.5, 'gwet_ac1': 0.5294, 'krippendorff_alpha': 0.5333}
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    empty = n == 0
    n_safe = np.where(empty, 1.0, n)
    p_o = (a + d) / n_safe
    p_a, p_b = (a + b) / n_safe, (a + c) / n_safe
    pos_den = 2 * a + b + c
    positive = np.where(pos_den > 0, 2 * a / np.where(pos_den > 0, pos_den, 1.0), np.nan)
    kappa = _chance_corrected(p_o, p_a * p_b + (1 - p_a) * (1 - p_b))
    pi = (p_a + p_b) / 2
    ac1 = _chance_corrected(p_o, 2 * pi * (1 - pi))
    n1, n0 = 2 * a + b + c, 2 * d + b + c
    spread = n0 * n1
    alpha = np.where(spread > 0,
                     1 - (2 * n - 1) * (b + c) / np.where(spread > 0, spread, 1.0),
                     np.where(b + c == 0, 1.0, 0.0))
    out = {"percent_agreement": p_o, "positive_agreement": positive, "cohen_kappa": kappa,
           "brennan_prediger": 2 * p_o - 1, "gwet_ac1": ac1, "krippendorff_alpha": alpha}
    return {k: np.where(empty, np.nan, v) for k, v in out.items()}


def bootstrap_tables(table: tuple[int, int, int, int], n_boot: int,
                     rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` tables resampled from one: units drawn with replacement.

    Drawing ``n`` units with replacement from the table's units is a multinomial draw of
    the four cells with probabilities ``cell / n``.

    Returns
    -------
    ndarray of shape (n_boot, 4)
        Columns ``a, b, c, d``.
    """
    counts = np.asarray(table, dtype=float)
    n = int(counts.sum())
    if n == 0:
        return np.zeros((n_boot, 4))
    return rng.multinomial(n, counts / n, size=n_boot).astype(float)


def percentile_interval(values: np.ndarray, level: float) -> tuple[float, float]:
    """The percentile interval of bootstrap values at ``level`` (NaN draws left out)."""
    finite = values[~np.isnan(values)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return float(low), float(high)
