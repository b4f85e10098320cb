"""The checks behind a code's switch from the codebook to its learned model
(:class:`~thematic.suggest.classifier.DecisionClassifier`): the cross-validation groups and
folds, Cohen's kappa, and how surely one model beats the other on resampled data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def cohen_kappa(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Cohen's kappa of two boolean vectors (0 when either is constant and they differ; nan
    when empty).

    Examples
    --------
    >>> import numpy as np
    >>> cohen_kappa(np.array([1, 1, 0, 0], bool), np.array([1, 0, 0, 0], bool))
    0.5
    """
    import numpy as np

    a, b = np.asarray(predicted, bool), np.asarray(truth, bool)
    if len(a) == 0:
        return float("nan")
    counts = (np.array([float(len(a))]), np.array([float(b.sum())]), np.array([float(a.sum())]),
              np.array([float((a == b).sum())]))
    return float(_kappa_of_counts(*counts)[0])


def cross_validation_groups(documents: Sequence[object], speakers: Sequence[object | None]) -> list[str]:
    """The cross-validation group of each segment: its document, or, in a document that holds
    one answer each from three or more people (a survey read one document per question, every
    respondent's segments in one run), the person, across documents, as a researcher reviews a
    survey respondent by respondent.

    Examples
    --------
    >>> cross_validation_groups([1, 1, 1, 2, 2, 2], ["I", "P", "I", "a", "b", "c"])
    ['document 1', 'document 1', 'document 1', 'person a', 'person b', 'person c']
    """
    runs: dict[object, list[object]] = {}
    for doc, who in zip(documents, speakers, strict=True):
        seen = runs.setdefault(doc, [])
        if not seen or seen[-1] != who:
            seen.append(who)
    by_person = {doc for doc, seen in runs.items()
                 if len(seen) >= 3 and None not in seen and len(set(seen)) == len(seen)}
    return [f"person {who}" if doc in by_person else f"document {doc}"
            for doc, who in zip(documents, speakers, strict=True)]


def switch_support(learned: np.ndarray, codebook: np.ndarray, truth: np.ndarray, *,
                   groups: Sequence[object] | None = None, resamples: int = 200,
                   seed: int | tuple[int, ...] = 0) -> float:
    """Share of paired bootstrap resamples in which ``learned``'s Cohen's kappa against
    ``truth`` is higher than ``codebook``'s (three boolean vectors of one length).

    The resamples draw whole ``groups`` (the cross-validation's documents or respondents) with
    replacement, default each segment its own group: segments of one document resemble each
    other, so drawing them one by one would be surer than the data allow.

    Examples
    --------
    >>> import numpy as np
    >>> truth = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    >>> right, wrong = truth.copy(), ~truth
    >>> switch_support(right, wrong, truth), switch_support(wrong, right, truth)
    (1.0, 0.0)
    """
    import numpy as np

    a, b, t = (np.asarray(v, dtype=bool) for v in (learned, codebook, truth))
    if not len(t):
        return 0.0
    keys = np.arange(len(t)) if groups is None else np.unique(np.asarray(groups, dtype=str), return_inverse=True)[1]
    n_groups = int(keys.max()) + 1
    # per group: segments, truth, and for each model its positives and agreements with truth
    per_group = np.stack([np.bincount(keys, weights=w.astype(float), minlength=n_groups)
                          for w in (np.ones(len(t)), t, a, a == t, b, b == t)], axis=1)
    drawn = np.random.default_rng(seed).integers(0, n_groups, size=(resamples, n_groups))
    times = np.stack([np.bincount(row, minlength=n_groups) for row in drawn]).astype(float)
    n, pos, a_pos, a_agree, b_pos, b_agree = (times @ per_group).T
    return float((_kappa_of_counts(n, pos, a_pos, a_agree) > _kappa_of_counts(n, pos, b_pos, b_agree)).mean())


def _kappa_of_counts(n: np.ndarray, truth: np.ndarray, predicted: np.ndarray, agree: np.ndarray) -> np.ndarray:
    """Cohen's kappa (as :func:`cohen_kappa`) from counts: segments, true ones, predicted ones
    and agreements."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        po, pa, pt = agree / n, predicted / n, truth / n
        pe = pa * pt + (1 - pa) * (1 - pt)
        kappa = (po - pe) / (1 - pe)
    return np.where(pe < 1.0, kappa, np.where(po >= 1.0, 1.0, 0.0))


def folds(groups: np.ndarray, cv: int, seed: int) -> list[np.ndarray]:
    """Test indices of each fold: by group when there are two or more, else by row."""
    import numpy as np

    unique = list(dict.fromkeys(groups.tolist()))
    if len(unique) >= 2:
        k = min(cv, len(unique))
        at = {g: i % k for i, g in enumerate(unique)}
        fold = np.array([at[g] for g in groups.tolist()])
    else:
        k = min(cv, len(groups))
        if k < 2:
            return []
        fold = np.random.default_rng(seed).permutation(len(groups)) % k
    return [np.nonzero(fold == f)[0] for f in range(k)]
