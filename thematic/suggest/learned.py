"""Multi-label logistic regression on top of the codebook's probabilities (pure numpy + scipy).

The learned model of code ``c`` for a segment with embedding ``x`` is::

    p_learned(c | x) = sigmoid(a_c * logit(p_codebook(c | x)) + x . w_c + b_c)

The codebook's calibrated probability (:mod:`thematic.suggest.calibration`) is the
*offset*, and L2 regularisation pulls ``w_c`` and ``b_c`` toward 0 and the offset's scale
``a_c`` toward 1 (or holds it at 1): with few decisions the learned model *is* the codebook's,
and every decision moves it only as far as the data supports. The scale lets a project's
decisions say how far to trust the codebook's log-odds of a code (its calibration was fitted
on other studies), with one number per code. All codes are fitted at once (one L-BFGS run over
a ``(dim + 1) x n_codes`` parameter matrix and the scales; with fewer rows than dimensions, over
the rows' own coordinates, which gives the same optimum with fewer parameters).

Rows carry a weight per code (0: no label for that code), so one design matrix holds accepted,
rejected, hand-coded and inferred labels of every code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

EPS = 1e-6


@dataclass(frozen=True)
class LogisticFit:
    """Learned weights ``coef`` (dim, n_codes), intercepts ``intercept`` (n_codes,) and the
    offset's scale ``scale`` (n_codes,; ``None``: 1)."""

    coef: np.ndarray
    intercept: np.ndarray
    scale: np.ndarray | None = None

    def decision(self, X: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """Log-odds ``scale * offset + X @ coef + intercept``, shape ``(n, n_codes)``."""
        scaled = offset if self.scale is None else offset * self.scale[None, :]
        return scaled + X @ self.coef + self.intercept[None, :]

    def probability(self, X: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """``sigmoid`` of :meth:`decision`."""
        return sigmoid(self.decision(X, offset))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, clipped against overflow."""
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))`` with ``p`` clipped to ``[1e-6, 1 - 1e-6]``."""
    import numpy as np

    q = np.clip(p, EPS, 1 - EPS)
    return np.log(q / (1 - q))


def fit_offset_logistic(
    X: np.ndarray,
    Y: np.ndarray,
    weight: np.ndarray,
    offset: np.ndarray,
    *,
    C: float = 1.0,  # noqa: N803 - scikit-learn's name
    intercept_penalty: float = 1.0,
    scale_penalty: float | None = None,
    max_iter: int = 200,
) -> LogisticFit:
    """Minimise ``C * sum(weight * logloss) + |coef|^2 / 2 + intercept_penalty * |b|^2 / 2``
    (``+ scale_penalty * |a - 1|^2 / 2`` when the offset's scale ``a`` is learned).

    Parameters
    ----------
    X : ndarray of shape (n_rows, dim)
        Row features (unit-length embeddings).
    Y : ndarray of shape (n_rows, n_codes)
        0/1 labels.
    weight : ndarray of shape (n_rows, n_codes)
        Weight of each label; 0 where a row has no label for a code.
    offset : ndarray of shape (n_rows, n_codes)
        The fixed log-odds the model starts from (the codebook's).
    C : float, default=1.0
        Inverse regularisation strength (scikit-learn's convention).
    intercept_penalty : float, default=1.0
        L2 penalty of the intercepts, relative to the weights'.
    scale_penalty : float, optional
        L2 penalty pulling each code's offset scale toward 1, relative to the weights'
        (``None``: the scale is 1, the offset enters as it is).
    max_iter : int, default=200
        L-BFGS iterations.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 5)); y = (X[:, 0] > 0).astype(float)[:, None]
    >>> fit = fit_offset_logistic(X, y, np.ones_like(y), np.zeros_like(y))
    >>> bool(fit.coef[0, 0] > 1), bool(abs(fit.coef[1, 0]) < 0.5)
    (True, True)
    """
    import numpy as np

    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    W = np.asarray(weight, dtype=np.float64) * C
    base = np.asarray(offset, dtype=np.float64)
    n, d = X.shape
    m = Y.shape[1]
    if n == 0 or m == 0 or not W.any():
        return LogisticFit(np.zeros((d, m)), np.zeros(m), None if scale_penalty is None else np.ones(m))
    # the penalised optimum's weights lie in the span of the rows: with fewer rows than dimensions
    # (a few hundred decisions on 1,152 dimensions) the same problem is solved in the rows' own
    # coordinates, exactly, with a third of the parameters (benchmarks/results/semantic_speed.md)
    basis = _row_basis(X) if n < d else None
    features = X if basis is None else X @ basis
    coef, b, scale = _minimise(features, Y, W, base, intercept_penalty, scale_penalty, max_iter)
    return LogisticFit(coef if basis is None else basis @ coef, b, scale)


def _row_basis(X: np.ndarray) -> np.ndarray:
    """An orthonormal basis of a space that holds the rows of ``X``, shape ``(dim, n_rows)``."""
    import numpy as np

    return np.linalg.qr(X.T, mode="reduced")[0]


def _minimise(X: np.ndarray, Y: np.ndarray, W: np.ndarray, base: np.ndarray, intercept_penalty: float,
              scale_penalty: float | None, max_iter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """L-BFGS on the penalised, weighted log-loss of :func:`fit_offset_logistic`: ``(coef,
    intercept, scale)``."""
    import numpy as np
    from scipy.optimize import Bounds, minimize

    d, m = X.shape[1], Y.shape[1]
    k = 0 if scale_penalty is None else m  # learned scales, after the weights and intercepts
    pull = 0.0 if scale_penalty is None else float(scale_penalty)
    # each scale is searched in units of its code's typical log-odds, so that one step of it moves
    # the log-odds about as far as one step of an intercept (searched as a plain number it made the
    # largest benchmark fit 3.4 s instead of 2.7 s: benchmarks/results/semantic_speed.md)
    unit = (np.maximum(np.sqrt((W * base * base).sum(axis=0) / np.maximum(W.sum(axis=0), 1e-12)), 1.0)
            if k else np.ones(0))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef = theta[: d * m].reshape(d, m)
        b = theta[d * m : d * m + m]
        a = 1.0 + theta[d * m + m :] / unit if k else None
        z = (base if a is None else base * a[None, :]) + X @ coef + b[None, :]
        value = float(np.sum(W * (np.logaddexp(0.0, z) - Y * z)))
        value += 0.5 * float(np.sum(coef * coef)) + 0.5 * intercept_penalty * float(b @ b)
        g = W * (sigmoid(z) - Y)
        grad = [(X.T @ g + coef).ravel(), g.sum(axis=0) + intercept_penalty * b]
        if a is not None:
            value += 0.5 * pull * float((a - 1.0) @ (a - 1.0))
            grad.append(((g * base).sum(axis=0) + pull * (a - 1.0)) / unit)
        return value, np.concatenate(grad)

    # a scale never below 0; the weights and intercepts are free
    low = np.concatenate([np.full(d * m + m, -np.inf), -unit])
    bounds = Bounds(low, np.full(d * m + m + k, np.inf)) if k else None
    theta = minimize(loss, np.zeros(d * m + m + k), jac=True, method="L-BFGS-B", bounds=bounds,
                     options={"maxiter": max_iter}).x
    scale = 1.0 + theta[d * m + m :] / unit if k else None
    return theta[: d * m].reshape(d, m), theta[d * m : d * m + m], scale
