"""How well a segment fits a code's examples, learned from the codebook in the first run.

Before anyone has decided a suggestion, the codebook's own texts are labelled data: a code's
description and positive examples are members of it; the other codes' descriptions and
examples, and its own near-miss examples, are not. Per code (one against the rest), a logistic
regression on the embeddings of those texts (classes weighted to balance, ``C`` fixed, the
deterministic ``lbfgs`` solver) gives every segment log-odds of belonging to the code.

The evidence feature ``example_fit`` (:func:`~thematic.suggest.calibration.evidence_features`)
is those log-odds minus the code's median over the project's segments (0: a typical segment
for the code), clipped like the other features. A code without positive examples, or with no
text to contrast it with, gets 0 everywhere: its fit says nothing either way.

Pure numpy and scikit-learn on vectors already embedded: nothing here embeds text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from thematic.suggest.code_texts import CodeTexts, code_vector_rows  # noqa: F401  (public here too)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

#: Inverse regularisation of every per-code logistic regression (scikit-learn's default).
EXAMPLE_C = 1.0


@dataclass(frozen=True)
class ExampleModels:
    """One linear model per code: ``log_odds = vectors @ coef.T + intercept``.

    ``fitted[j]`` is false for a code without positive examples (or nothing to contrast it
    with): its row of ``coef`` and its intercept are 0.
    """

    coef: np.ndarray  # (n_codes, dim)
    intercept: np.ndarray  # (n_codes,)
    fitted: np.ndarray  # (n_codes,) bool

    def log_odds(self, vectors: np.ndarray) -> np.ndarray:
        """Log-odds of every (vector, code) pair, shape ``(n_vectors, n_codes)`` (0 for codes
        not fitted)."""
        import numpy as np

        z = np.asarray(vectors, dtype=float) @ self.coef.T + self.intercept[None, :]
        return np.where(self.fitted[None, :], z, 0.0)


def fit_example_models(code_vectors: np.ndarray, texts: Sequence[CodeTexts], *, C: float = EXAMPLE_C,  # noqa: N803
                       seed: int = 0) -> ExampleModels:
    """Fit one logistic regression per code with positive examples: its description and
    examples against the other codes' descriptions and examples and its own near misses.

    Parameters
    ----------
    code_vectors
        The embedded code texts in :func:`code_vector_rows`' order.
    texts
        The codes' texts (:func:`~thematic.suggest.code_texts.code_texts`).
    C, seed
        Regularisation and the solver's seed (``lbfgs`` does not draw; kept for the record).
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    vectors = np.asarray(code_vectors, dtype=float)
    rows = code_vector_rows(texts)
    m, dim = len(rows), vectors.shape[1] if vectors.ndim == 2 else 0
    coef, intercept, fitted = np.zeros((m, dim)), np.zeros(m), np.zeros(m, dtype=bool)
    members = [[desc, *pos] for desc, pos, _ in rows]
    for j, (_, pos, near) in enumerate(rows):
        if not pos:
            continue
        negatives = [r for k, rs in enumerate(members) if k != j for r in rs] + near
        if not negatives:
            continue
        x = vectors[members[j] + negatives]
        y = np.r_[np.ones(len(members[j]), dtype=int), np.zeros(len(negatives), dtype=int)]
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=1000, random_state=seed).fit(x, y)
        coef[j], intercept[j], fitted[j] = lr.coef_[0], lr.intercept_[0], True
    return ExampleModels(coef=coef, intercept=intercept, fitted=fitted)


def example_fit(models: ExampleModels, vectors: np.ndarray) -> np.ndarray:
    """The ``example_fit`` evidence of every (segment, code) pair: the log-odds of
    :class:`ExampleModels` minus each code's median over ``vectors`` (the project's segments);
    0 for codes not fitted.

    Examples
    --------
    >>> import numpy as np
    >>> models = ExampleModels(coef=np.array([[1.0, 0.0], [0.0, 0.0]]), intercept=np.zeros(2),
    ...                        fitted=np.array([True, False]))
    >>> example_fit(models, np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])).tolist()
    [[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]
    """
    import numpy as np

    z = models.log_odds(vectors)
    if len(z) == 0:
        return z
    return z - np.median(z, axis=0, keepdims=True)
