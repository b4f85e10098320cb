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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from thematic.suggest.calibrators import Calibrator

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.suggest.semantic_scores import ScoreParts

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


# ---------------------------------------------------------------------------- the evidence model
#: Standardised features are clipped to +-this: a sparse backend (TF-IDF, where most
#: similarities are 0) has a tiny spread and would otherwise give scores no corpus showed.
FEATURE_BOUND = 6.0
#: Every feature :func:`evidence_features` computes (the evidence model uses a subset).
FEATURES = ("blend", "own", "other", "prompt", "lexical", "raw", "margin", "code_tail",
            "code_raw95", "raw_rel", "log_k", "group", "log_words", "backchannel", "rank", "quota",
            "example_fit", "turn_logit")


#: How many segments the prior belief "this code's scores do not stand out" (a tail share of 0)
#: is worth in :func:`shrunk_tail`. Measured on the benchmark corpora (the eight of
#: ``benchmarks/bench_agreement.py``, turns and sentences, 40 random sub-projects of each size):
#: the least-squares factor ``b`` that best predicts a code's full-corpus tail share from the
#: share on ``n`` of its segments (the sub-project's scores re-standardised on their own median
#: and MAD, as a small project's are) was 0.14, 0.30, 0.51, 0.71, 0.85, 0.94 at n = 8, 16, 32,
#: 64, 128, 256; ``n / (n + 30)`` follows it (0.21, 0.35, 0.52, 0.68, 0.81, 0.90).
TAIL_PRIOR_SEGMENTS = 30.0


def tail_share(score: np.ndarray) -> np.ndarray:
    """Per code, the share of segments scoring above +2 robust SDs minus the share below -2
    (how far the code's scores stand out over the project; 0 for a normal-shaped blob)."""
    import numpy as np

    if score.shape[0] == 0:
        return np.zeros(score.shape[1])
    return (score > 2).mean(axis=0) - (score < -2).mean(axis=0)


def shrunk_tail(tail: np.ndarray, n: int) -> np.ndarray:
    """The tail share of a project of ``n`` segments trusted in proportion to its evidence:
    ``tail * n / (n + TAIL_PRIOR_SEGMENTS)``.

    A share over ``n`` segments moves in steps of ``1 / n`` and the robust z it counts is itself
    estimated from those ``n`` segments, so on eight segments one segment more or less above
    +2 moves the share by 0.125, and every pair of the code by half a logit under an evidence
    model that weighs the share by -4. This is the empirical-Bayes (best linear) predictor of
    the share the code would have over a large project, with the prior centred on 0 (no code
    stands out) and worth :data:`TAIL_PRIOR_SEGMENTS` segments, measured on the corpora the
    evidence models are fitted on (see there). On the corpora themselves (105 to 4,193 segments)
    it keeps 78-99% of the share, so the models read it as before; on a project of eight
    segments it keeps a fifth.

    Examples
    --------
    >>> import numpy as np
    >>> shrunk_tail(np.array([0.25, -0.25]), 8).round(3).tolist()
    [0.053, -0.053]
    >>> float(shrunk_tail(np.array([0.05]), 3000)[0].round(4))
    0.0495
    """
    return tail * (n / (n + TAIL_PRIOR_SEGMENTS))


def evidence_features(
    parts: ScoreParts, score: np.ndarray, is_group: np.ndarray, *, turn_logit: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """The evidence of every (segment, code) pair, each an array of shape ``(n_segments, n_codes)``.

    ``blend``: the blended score (robust z, :func:`~thematic.suggest.semantic_scores.blend_scores`);
    ``own``, ``other``, ``prompt``, ``lexical``: its views; ``raw``: the plain cosine similarity
    to the code's definition or closest example (an absolute scale); ``margin``: the blended
    score minus the segment's best other code's; ``code_tail``: how far the code's scores stand
    out over the project (share above +2 robust SDs minus share below -2, the same for every
    segment; :func:`tail_share`, shrunk toward 0 by :func:`shrunk_tail`: on a small project the
    share is mostly noise); ``code_raw95``: the code's 95th percentile raw similarity; ``raw_rel``: ``raw``
    minus that (raw similarities are standardised over all the project's pairs first, median
    and ``1.4826 * MAD`` (at least half the SD): backends with narrow and wide ranges of
    cosines read alike); every standardised feature is clipped to +-:data:`FEATURE_BOUND`; ``log_k``: log of the number of leaf codes; ``group``: the code has children;
    ``log_words``: log(1 + words in the segment); ``backchannel``: the segment is scored only
    through its question; ``rank``: log of the pair's rank share among the code's segments
    (``(rank + 0.5) / n``, best first); ``quota``: ``rank`` minus the log of the code's prior
    prevalence (:func:`prevalence_prior`): above 0 outside the share a coder would typically
    give a code of a codebook this size; ``turn_logit`` (sentences only, when given): the
    log-odds the turn evidence model gives the sentence's turn; ``example_fit``: how well the
    segment fits the code's examples against the other codes' (log-odds of a per-code logistic
    regression on the codebook's texts, centred on the code's median over the segments;
    :mod:`thematic.suggest.example_fit`; 0 for a code without examples or when not computed).
    """
    import numpy as np

    n, m = score.shape
    if m > 1:
        ordered = np.sort(score, axis=1)
        top, second = ordered[:, -1:], ordered[:, -2:-1]
        best_other = np.where(score >= top, second, top)
    else:
        best_other = np.zeros_like(score)
    raw = np.where(np.isfinite(parts.raw.score), parts.raw.score, 0.0)
    if raw.size:  # on the project's own scale: backends differ in their range of cosines
        centre = float(np.median(raw))
        scale = max(GAUSS_SD * float(np.median(np.abs(raw - centre))), float(raw.std()) / 2, MIN_SPREAD)
        raw = (raw - centre) / scale
    raw95 = np.quantile(raw, 0.95, axis=0) if n else np.zeros(m)
    tail = shrunk_tail(tail_share(score), n)
    words = parts.words if parts.words is not None else np.ones(n)
    back = parts.backchannel if parts.backchannel is not None else np.zeros(n, dtype=bool)
    order = np.argsort(np.argsort(-score, axis=0, kind="stable"), axis=0, kind="stable")
    rank = np.log((order + 0.5) / max(n, 1))
    quota = rank - np.log(prevalence_prior(np.asarray(is_group, dtype=bool), Prior()))[None, :]
    column = lambda v: np.broadcast_to(np.asarray(v, dtype=float)[None, :], (n, m))  # noqa: E731
    row = lambda v: np.broadcast_to(np.asarray(v, dtype=float)[:, None], (n, m))  # noqa: E731
    clip = lambda v: np.clip(v, -FEATURE_BOUND, FEATURE_BOUND)  # noqa: E731
    return {
        "blend": clip(score), "own": clip(parts.own), "other": clip(parts.other),
        "prompt": clip(parts.prompt), "lexical": clip(parts.lexical), "raw": clip(raw),
        "margin": clip(score - best_other), "code_tail": column(tail),
        "code_raw95": column(clip(raw95)), "raw_rel": clip(raw - raw95[None, :]),
        "log_k": np.full((n, m), float(np.log(max(int((~is_group).sum()), 1)))),
        "group": column(is_group), "log_words": row(np.log1p(words)), "backchannel": row(back),
        "rank": rank, "quota": quota,
        "example_fit": clip(parts.example_fit) if parts.example_fit is not None else np.zeros((n, m)),
        **({"turn_logit": turn_logit} if turn_logit is not None else {}),
    }


@dataclass(frozen=True)
class EvidenceModel:
    """A logistic model of "a person would code this" from the evidence of a pair.

    ``probability = sigmoid(intercept + sum(coef[k] * feature[k]))`` over ``features``
    (names of :data:`FEATURES`); a pair is suggested when its probability reaches
    ``threshold``. Fitted across human-coded corpora by ``benchmarks/bench_agreement.py``
    (:data:`~thematic.suggest.shipped_evidence.DEFAULT_EVIDENCE` for the shipped numbers and how they were chosen).
    """

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """The calibrated probability of every pair from :func:`evidence_features`."""
        import numpy as np

        z = np.full(values["blend"].shape, self.intercept, dtype=float)
        for name, c in zip(self.features, self.coef, strict=True):
            z = z + c * values[name]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))




@dataclass(frozen=True)
class ConfidenceCalibration:
    """How the confidence shown for a suggestion follows from its evidence model's probability:
    one :class:`~thematic.suggest.calibrators.Calibrator` per unit (the turn model's and the
    sentence model's probabilities are calibrated apart). Monotone: it never reorders two
    suggestions of a unit."""

    turn: Calibrator = field(default_factory=Calibrator)
    sentence: Calibrator = field(default_factory=Calibrator)


#: What a count rule reads: the evidence model's probability, or its calibrated probability.
COUNT_PROBABILITIES = ("model", "calibrated")


@dataclass(frozen=True)
class Evidence:
    """The evidence models of both units and how a sentence's suggestion follows its turn.

    A turn passes when the ``turn`` model's probability reaches its threshold. A sentence
    passes when its turn passes (the turn model on the sentences of the turn, joined) and it
    is either the turn's most probable sentence for the code or its own probability (the
    ``sentence`` model, which also reads the turn's log-odds) reaches ``sentence_floor``:
    people code stretches of talk, so the turn decides whether a code applies and the
    sentences say where.

    ``best_floor`` (``None``: off): a turn also gets its most probable code when that
    probability reaches the floor, whatever the count rule gave the code (a short survey
    answer people nearly always code). ``calibration`` maps the probabilities to the confidence
    shown (:meth:`shown`); ``count_on="calibrated"`` makes the ``"kappa"`` count read the
    calibrated turn probabilities instead of the model's.
    """

    turn: EvidenceModel
    sentence: EvidenceModel
    sentence_floor: float
    min_best_match: float = 0.25
    count: str = "threshold"
    best_floor: float | None = None
    calibration: ConfidenceCalibration = field(default_factory=ConfidenceCalibration)
    count_on: str = "model"

    def shown(self, p: np.ndarray, unit: str) -> np.ndarray:
        """The confidence shown for probabilities ``p`` of the ``unit`` ("turn" or "sentence")
        model: calibrated by :attr:`calibration`."""
        return (self.calibration.turn if unit == "turn" else self.calibration.sentence).apply(p)

    def decide_turns(self, values: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Probability and pass of every (turn, code) pair.

        With ``count="threshold"`` a pair passes when its probability reaches the turn model's
        threshold; with ``count="kappa"`` each code gets the number of segments that maximises
        its *expected* Cohen's kappa under these probabilities (:func:`expected_kappa_counts`),
        so a rare code is given what its evidence supports and a common one more (the
        probabilities calibrated first with ``count_on="calibrated"``). With ``best_floor`` each
        turn also gets its most probable code at that probability or above. Either way a
        code whose best matches are hardly closer than the project's typical (segment, code)
        pair (``code_raw95`` at most ``min_best_match`` robust SDs) is not talked about: it
        passes nowhere, whatever its ranks say."""
        import numpy as np

        p = self.turn.probability(values)
        if self.count == "kappa":
            q = self.calibration.turn.apply(p) if self.count_on == "calibrated" else p
            k = expected_kappa_counts(q)
            rank = np.argsort(np.argsort(-p, axis=0, kind="stable"), axis=0, kind="stable")
            passed = (rank < k[None, :]) & (p >= self.turn.threshold)
        else:
            passed = p >= self.turn.threshold
        if self.best_floor is not None and p.shape[1]:
            passed |= (p >= p.max(axis=1, keepdims=True)) & (p >= self.best_floor)
        if "code_raw95" in values:
            passed &= values["code_raw95"] > self.min_best_match
        return p, passed

    def decide_sentences(
        self, values: dict[str, np.ndarray], turn_values: dict[str, np.ndarray], turn_of: np.ndarray,
        *, off_fillers: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Probability and pass of every (sentence, code) pair (class docstring).

        ``turn_of[i]`` is the row in ``turn_values`` of sentence ``i``'s turn. With
        ``off_fillers`` a turn's codes sit on its sentences that say something, not on its
        "Um." (:func:`~thematic.suggest.fillers.off_fillers`; the sentences' words and
        backchannels read from ``values``, as :func:`evidence_features` gives them); each turn's
        codes are the same either way.
        """
        import numpy as np

        from thematic.suggest import fillers

        p_turn, turn_passed = self.decide_turns(turn_values)
        q = np.clip(p_turn[turn_of], 1e-6, 1 - 1e-6)
        p = self.sentence.probability({**values, "turn_logit": np.log(q / (1 - q))})
        best = np.full(p_turn.shape, -np.inf)
        np.maximum.at(best, turn_of, p)
        passed = turn_passed[turn_of] & ((p >= best[turn_of]) | (p >= self.sentence_floor))
        if off_fillers and p.shape[1] and {"log_words", "backchannel"} <= values.keys():
            words = np.rint(np.expm1(values["log_words"][:, 0]))
            filler = fillers.fillers(words, values["backchannel"][:, 0] > 0)
            passed = fillers.off_fillers(passed, p, filler, turn_of)
        return p, passed


def admitted_confidence(p: np.ndarray, passed: np.ndarray, floor: float) -> np.ndarray:
    """Per column, the lowest probability among the pairs that passed (``floor`` where none did,
    and never below it): with the expected-kappa count, what a code's suggestions needed.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.array([[0.9, 0.1], [0.4, 0.05]])
    >>> admitted_confidence(p, np.array([[True, False], [True, False]]), 0.0).tolist()
    [0.4, 0.0]
    """
    import numpy as np

    low = np.where(passed, p, np.inf).min(axis=0) if len(p) else np.full(p.shape[1], np.inf)
    return np.where(np.isfinite(low), np.maximum(low, floor), floor)


def expected_kappa_counts(p: np.ndarray) -> np.ndarray:
    """Per column, the number of top segments whose suggestion maximises the expected Cohen's
    kappa when ``p`` are calibrated probabilities (0 when no count beats chance).

    With the ``k`` most probable segments suggested, the expected true positives are the sum of
    their probabilities, the expected positives the sum of all; kappa follows from those counts.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.array([[0.9, 0.02], [0.8, 0.02], [0.1, 0.02], [0.05, 0.02]])
    >>> expected_kappa_counts(p).tolist()  # the second code: nothing beats its base rate
    [2, 0]
    """
    import numpy as np

    n, m = p.shape
    if n == 0:
        return np.zeros(m, dtype=int)
    ordered = -np.sort(-p, axis=0)
    tp = np.cumsum(ordered, axis=0)
    k = np.arange(1, n + 1, dtype=float)[:, None]
    total = ordered.sum(axis=0)[None, :]
    fn = total - tp
    tn = n - k - fn
    po = (tp + tn) / n
    pe = (k * total + (n - k) * (n - total)) / n**2
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.where(pe < 1, (po - pe) / (1 - pe), 0.0)
    best = kappa.argmax(axis=0)
    return np.where(kappa.max(axis=0) > 0, best + 1, 0).astype(int)


def fit_evidence_model(
    values: list[dict[str, np.ndarray]], gold: list[np.ndarray], features: tuple[str, ...],
    *, threshold: float, weights: list[float] | None = None, C: float = 1.0,  # noqa: N803
) -> EvidenceModel:
    """Fit an :class:`EvidenceModel` on corpora (each corpus weighted by ``weights``, default
    equally, whatever its size). ``values[k]`` are :func:`evidence_features` of corpus ``k``
    restricted to its evaluated codes, ``gold[k]`` the people's 0/1 matrix of the same shape.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for k, (v, g) in enumerate(zip(values, gold, strict=True)):
        xs.append(np.stack([np.asarray(v[f], dtype=float).reshape(-1) for f in features], axis=1))
        ys.append(np.asarray(g, dtype=int).reshape(-1))
        share = 1.0 if weights is None else weights[k]
        ws.append(np.full(ys[-1].size, share / max(ys[-1].size, 1)))
    X, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    lr = LogisticRegression(C=C, max_iter=2000).fit(X, y, sample_weight=w * len(y))
    return EvidenceModel(features=tuple(features), coef=tuple(round(float(c), 4) for c in lr.coef_[0]),
                         intercept=round(float(lr.intercept_[0]), 4), threshold=threshold)
