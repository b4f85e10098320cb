"""Per-code thresholds of the semantic engine (the method is in :mod:`thematic.suggest.semantic`).

Pure numpy functions: the leave-one-out anchor of a code's examples and the calibration of
thresholds from the corpus distribution of a code's scores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MIN_SPREAD = 1e-3


def loo_anchor(
    desc: np.ndarray, examples: np.ndarray, definition_weight: float, example_weight: float
) -> float:
    """Mean leave-one-out score of a code's positive examples.

    Each example is scored like a segment, against the description and the *other* examples:
    ``max(definition_weight * cos(ex, desc), example_weight * max_other cos(ex, other))``.

    Parameters
    ----------
    desc
        The description vector, shape ``(dim,)``.
    examples
        The positive example vectors, shape ``(k, dim)``, ``k >= 1``.
    definition_weight, example_weight
        The engine's weights.
    """
    import numpy as np

    to_desc = examples @ desc
    if len(examples) > 1:
        sims = examples @ examples.T
        np.fill_diagonal(sims, -np.inf)
        to_ex = sims.max(axis=1)
    else:
        to_ex = np.full(len(examples), -np.inf)
    loo = np.maximum(definition_weight * to_desc, example_weight * to_ex)
    return float(loo.mean())


def calibrate(
    score: np.ndarray,
    anchors: np.ndarray,
    *,
    threshold: str | float,
    z: float,
    anchor: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Background, spread, threshold and confidence scale of every code.

    Parameters
    ----------
    score
        Scores, shape ``(n_segments, n_codes)``.
    anchors
        Leave-one-out anchors, shape ``(n_codes,)``; nan for codes without examples.
    threshold
        ``"calibrated"`` or a fixed threshold for every code.
    z, anchor
        See :class:`~thematic.suggest.semantic.SemanticEngine`.

    Returns
    -------
    background, spread, threshold, tau : numpy.ndarray
        Each of shape ``(n_codes,)``: median score, ``1.4826 * MAD`` (at least 1e-3),
        ``background + max(z * spread, anchor * (anchors - background))`` (or the fixed
        value), and ``max(spread, (threshold - background) / z)``.
    """
    import numpy as np

    n_codes = score.shape[1]
    if score.shape[0]:
        background = np.median(score, axis=0)
        spread = 1.4826 * np.median(np.abs(score - background[None, :]), axis=0)
    else:
        background = np.zeros(n_codes)
        spread = np.zeros(n_codes)
    spread = np.maximum(spread, MIN_SPREAD)
    if isinstance(threshold, str):
        lift = np.where(np.isnan(anchors), 0.0, anchor * (anchors - background))
        thresholds = background + np.maximum(z * spread, lift)
    else:
        thresholds = np.full(n_codes, float(threshold))
    above = (thresholds - background) / max(z, 1e-9)
    tau = np.maximum(np.maximum(spread, above), MIN_SPREAD)
    return background, spread, thresholds, tau
