"""Per-code thresholds of the semantic engine (the scores are in :mod:`thematic.suggest.semantic`).

Pure numpy functions. A similarity score means nothing on its own: MiniLM cosines of a code's
members sit around 0.3-0.6 for one codebook and 0.15-0.3 for another, and the scale moves with
how long the definition is. So the engine never compares a raw score with a constant. It
decides, per code, *how many* segments to suggest from an explicit prior and the shape of the
code's own score distribution over the project, and suggests the segments that score highest.

The prior (:func:`prevalence_prior`)
    In interview studies a coder codes a share ``coverage`` of the participants' segments
    (for scale: the sample gold codes 52% of participant sentences, the PDPilot study 64% of
    participant turns, AnnoMI's annotators 51% of utterances, SERDIF's and the OS focus
    groups' coders about 90% of turns), a coded segment carries
    ``codes_per_segment`` codes on average (default 1.2), and the codes share this mass.
    The engine's default ``coverage`` (0.5) was chosen across six corpora (leave-one-corpus-out
    in ``benchmarks/bench_agreement.py``). With ``k`` leaf codes the prior
    prevalence of a leaf code is ``coverage * codes_per_segment / k`` (clipped to
    ``[0.005, 0.5]``); a group code (one with children, applied "when no child fits") gets a
    quarter of it.

The evidence (:func:`separation`)
    A code the corpus really talks about has an upper tail of scores heavier than a normal
    distribution's: segments far above the code's background (median; spread ``1.4826 * MAD``).
    The separation of a code is the share of segments more than ``tail_z`` robust standard
    deviations above the background, relative to the median share over the codebook's codes.
    The prior prevalence is multiplied by ``separation ** strength`` (clipped to
    ``[1 / max_factor, max_factor]``): codes whose scores stand out get more suggestions,
    codes whose scores are a featureless blob fewer. (Validated across corpora, this did not
    help: the engine's default strength is 0, the prior alone, with the ``min_z`` floor.)

The threshold (:func:`prevalence_thresholds`)
    The ``1 - prevalence`` quantile of the code's scores, but never below
    ``background + min_z * spread`` (a segment must stand out from the code's background).
    Confidence is ``sigmoid((score - threshold) / spread)``.

Every constant above is a documented default and a parameter of
:class:`~thematic.suggest.semantic.SemanticEngine`; ``benchmarks/bench_agreement.py`` chose
them on one corpus and reports them on the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MIN_SPREAD = 1e-3
GAUSS_SD = 1.4826


@dataclass(frozen=True)
class Prior:
    """The expected-prevalence prior and how far the score distribution may move it.

    Attributes
    ----------
    coverage
        Share of segments a coder codes at all.
    codes_per_segment
        Mean number of codes on a coded segment.
    strength
        Exponent of the separation factor (0: the prior alone).
    max_factor
        Bound of the separation factor, both ways.
    tail_z
        Robust z above which a score counts as the code's upper tail.
    min_z
        A suggestion must score at least this many robust SDs above the code's background.
    group_share
        Prior of a group code relative to a leaf code.
    """

    coverage: float = 0.5
    codes_per_segment: float = 1.2
    strength: float = 0.0
    max_factor: float = 3.0
    tail_z: float = 2.0
    min_z: float = 0.5
    group_share: float = 0.25


def robust_stats(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median and ``1.4826 * MAD`` (at least 1e-3) of each column of ``score``."""
    import numpy as np

    if score.shape[0] == 0:
        zeros = np.zeros(score.shape[1])
        return zeros, np.full(score.shape[1], MIN_SPREAD)
    background = np.median(score, axis=0)
    spread = GAUSS_SD * np.median(np.abs(score - background[None, :]), axis=0)
    return background, np.maximum(spread, MIN_SPREAD)


def prevalence_prior(is_group: np.ndarray, prior: Prior) -> np.ndarray:
    """Prior prevalence of every code (see the module docstring).

    Parameters
    ----------
    is_group
        Boolean, shape ``(n_codes,)``: the code has children.
    prior
        The prior's parameters.
    """
    import numpy as np

    n_leaf = max(int((~is_group).sum()), 1)
    base = float(np.clip(prior.coverage * prior.codes_per_segment / n_leaf, 0.005, 0.5))
    return np.where(is_group, base * prior.group_share, base)


def separation(z: np.ndarray, prior: Prior) -> np.ndarray:
    """Upper-tail share of each code relative to the codebook's median share (>= 0).

    Parameters
    ----------
    z
        Robust z-scores, shape ``(n_segments, n_codes)``.
    prior
        Supplies ``tail_z``.
    """
    import numpy as np

    if z.shape[0] == 0:
        return np.ones(z.shape[1])
    tail = (z > prior.tail_z).mean(axis=0) + 1.0 / (z.shape[0] + 1)
    return tail / float(np.median(tail))


def prevalence_thresholds(
    score: np.ndarray, is_group: np.ndarray, prior: Prior
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Background, spread, prevalence and threshold of every code.

    Parameters
    ----------
    score
        Scores, shape ``(n_segments, n_codes)``.
    is_group
        Boolean, shape ``(n_codes,)``.
    prior
        The prior's parameters.

    Returns
    -------
    background, spread, prevalence, threshold : numpy.ndarray
        Each of shape ``(n_codes,)``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> score = rng.normal(0.2, 0.05, size=(1000, 2))
    >>> score[:100, 0] += 0.3  # code 0 has 100 clear members, code 1 none
    >>> prior = Prior(strength=1.0)  # let the separation move the prior
    >>> _, _, prevalence, threshold = prevalence_thresholds(score, np.zeros(2, bool), prior)
    >>> bool(prevalence[0] > prevalence[1]), int((score[:, 0] >= threshold[0]).sum()) > 100
    (True, True)
    """
    import numpy as np

    background, spread = robust_stats(score)
    z = (score - background[None, :]) / spread[None, :]
    factor = np.clip(separation(z, prior) ** prior.strength, 1 / prior.max_factor, prior.max_factor)
    prevalence = np.clip(prevalence_prior(is_group, prior) * factor, 0.0, 0.9)
    n = score.shape[0]
    threshold = np.empty(score.shape[1])
    for j in range(score.shape[1]):
        floor = background[j] + prior.min_z * spread[j]
        if n == 0:
            threshold[j] = floor
            continue
        k = int(round(prevalence[j] * n))
        top = np.partition(score[:, j], n - k)[n - k] if 0 < k <= n else np.inf
        threshold[j] = max(float(top), float(floor))
    return background, spread, prevalence, threshold


def loo_anchor(
    desc: np.ndarray, examples: np.ndarray, definition_weight: float, example_weight: float
) -> float:
    """Mean leave-one-out score of a code's positive examples.

    Each example is scored like a segment, against the description and the *other* examples:
    ``max(definition_weight * cos(ex, desc), example_weight * max_other cos(ex, other))``.
    Reported in the evidence: what a typical member scores under this model.
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
