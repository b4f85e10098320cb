"""What the semantic engine computes (:class:`~thematic.suggest.semantic.SemanticEngine`): the
raw similarities, the standardised views and their blend, the scores and decisions of every
(segment, code) pair, the evidence a suggestion records, and the per-code report.

The formulas are in :mod:`thematic.suggest.semantic`'s docstring. Pure data and functions:
nothing here embeds text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from thematic.models import Code
from thematic.suggest.code_texts import NEAR_MISS_KINDS, POSITIVE_KINDS

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

PROBABILITY_SPREAD = 0.1  # the combiner's unit of "how far below the threshold" on probabilities


@dataclass
class RawScores:
    """Raw similarity scores of every (text, code) pair (:func:`~thematic.suggest.similarity.raw_scores`).

    ``score``: after the near-miss and exclusion penalties; ``unpenalised``: before them;
    ``definition``/``example``/``near_miss``: the closest similarities (``-inf``: none), with
    the index of the closest example (-1: none); ``vetoed``: closer to a near-miss example
    than to every positive one (``near_miss="veto"``).
    """

    score: np.ndarray
    definition: np.ndarray
    example: np.ndarray
    example_index: np.ndarray
    near_miss: np.ndarray
    near_miss_index: np.ndarray
    unpenalised: np.ndarray
    vetoed: np.ndarray


@dataclass
class SemanticScores:
    """Scores of every (segment, code) pair and the per-code thresholds.

    Arrays have shape ``(n_segments, n_codes)`` unless noted; ``-inf`` marks "not defined".
    ``score`` is the blended robust-z score; ``raw`` the segment's own similarity score before
    standardisation. With ``threshold="calibrated"`` the ``threshold`` of every code is the
    evidence model's probability threshold and ``probability`` decides; otherwise ``threshold``
    is on the ``score`` scale.
    """

    code_ids: list[str]
    score: np.ndarray
    raw: np.ndarray
    definition: np.ndarray
    example: np.ndarray
    example_index: np.ndarray
    near_miss: np.ndarray
    near_miss_index: np.ndarray
    unpenalised: np.ndarray
    vetoed: np.ndarray
    threshold: np.ndarray  # (n_codes,)
    background: np.ndarray  # (n_codes,)
    spread: np.ndarray  # (n_codes,)
    prevalence: np.ndarray  # (n_codes,), nan for a fixed threshold
    anchor: np.ndarray  # (n_codes,), nan without examples
    matched: list[dict[int, list[str]]] | None = None  # per code: segment row -> codebook words
    probability: np.ndarray | None = None  # calibrated probability (confidence) of every pair
    passed: np.ndarray | None = None  # the pairs that pass (before near-miss vetoes)
    backchannel: np.ndarray | None = None  # (n_segments,) scored only through their question
    code_tail: np.ndarray | None = None  # (n_codes,) how far each code's scores stand out
    turn_probability: np.ndarray | None = None  # sentences: the probability of their turn
    shown: np.ndarray | None = None  # the confidence shown: ``probability`` calibrated
    shown_threshold: np.ndarray | None = None  # (n_codes,) ``threshold`` on the shown scale
    shown_turn: np.ndarray | None = None  # sentences: their turn's shown confidence
    shown_turn_threshold: float | None = None  # sentences: the turn threshold on the shown scale
    wordless: np.ndarray | None = None  # (n_codes,) bool: a word space, and no word of the code in the data

    def confidence(self) -> np.ndarray:
        """The confidence of every pair: the evidence model's probability calibrated
        (``shown``; the probability itself when there is no calibration), or
        ``sigmoid((score - threshold) / spread)`` for a prior or fixed threshold."""
        import numpy as np

        if self.shown is not None:
            return self.shown
        if self.probability is not None:
            return self.probability
        z = (self.score - self.threshold[None, :]) / self.spread[None, :]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def model_confidence(self) -> np.ndarray:
        """:meth:`confidence` before the calibration of the shown confidence: the evidence
        model's own probability (what the learned models start from, as they were measured)."""
        return self.probability if self.probability is not None else self.confidence()


@dataclass
class EvidenceInputs:
    """What the evidence models read (:meth:`SemanticEngine.evidence_inputs`): the views and
    blended score of the segments, their evidence features, and, for sentences, the evidence
    of their turns and the row of each sentence's turn."""

    parts: ScoreParts
    score: np.ndarray
    values: dict[str, np.ndarray]
    turn_values: dict[str, np.ndarray] | None = None
    turn_of: np.ndarray | None = None
    turn_parts: ScoreParts | None = None
    turn_score: np.ndarray | None = None


@dataclass
class ScoreParts:
    """The views of every (segment, code) pair, each standardised per code.

    ``own``: the segment's own similarity (robust z); ``other``: its other view (a sentence's
    turn, a turn's best sentence; ``own`` where there is none); ``prompt``: the interviewer's
    question it answers (0 without one); ``lexical``: the codebook's words
    (:meth:`~thematic.suggest.lexical.LexicalScores.standardised`); ``previous``/``next``: the
    neighbouring rows (-1: none); ``backchannel``: rows scored only through their question.
    """

    raw: RawScores
    own: np.ndarray
    other: np.ndarray
    prompt: np.ndarray
    lexical: np.ndarray
    matched: list[dict[int, list[str]]]
    previous: np.ndarray
    next: np.ndarray
    anchor: np.ndarray
    backchannel: np.ndarray | None = None  # (n_segments,) bool: not scored on its own words
    technical: np.ndarray | None = None  # (n_segments,) bool: scored only through its question
    words: np.ndarray | None = None  # (n_segments,) words of each segment
    example_fit: np.ndarray | None = None  # fit to the code's examples (:mod:`thematic.suggest.example_fit`)


def blend_scores(
    parts: ScoreParts,
    *,
    context: float,
    question: float,
    lexical: float,
    neighbours: float,
    competition: float,
) -> np.ndarray:
    """``score`` of the module docstring from the standardised views. Pure."""
    import numpy as np

    own = (1 - context) * parts.own + lexical * parts.lexical
    if parts.backchannel is not None and parts.backchannel.any():
        own = np.where(parts.backchannel[:, None], 0.0, own)
    score = own + context * parts.other + question * parts.prompt
    if neighbours and len(score) > 1:
        padded = np.vstack([score, np.zeros((1, score.shape[1]))])  # row -1 reads zeros
        score = score + neighbours * (padded[parts.previous] + padded[parts.next]) / 2
    if parts.technical is not None and parts.technical.any():
        score = np.where(parts.technical[:, None], question * parts.prompt, score)
    if competition and score.shape[1] > 1:
        score = score - competition * score.mean(axis=1, keepdims=True)
    return score


def pair_evidence(sc: SemanticScores, code: Code, i: int, j: int, *, passed: bool, calibrated: bool,
                  near_miss_margin: float) -> dict[str, Any]:
    """The evidence a suggestion of ``code`` (column ``j``) on segment row ``i`` records: its
    score on the combiner's scale, the similarities, the closest example and near miss, the
    codebook words found. ``calibrated``: the evidence model decided (``threshold="calibrated"``)."""
    positives = [ex.text for ex in code.examples if ex.kind in POSITIVE_KINDS]
    near = [ex.text for ex in code.examples if ex.kind in NEAR_MISS_KINDS]
    k = int(sc.example_index[i, j])
    ev: dict[str, Any] = {
        # the combiner reads score, threshold and spread on one scale: the probability for
        # the evidence model, the blended robust z otherwise
        "score": round_finite(sc.probability[i, j]) if calibrated and sc.probability is not None
        else round_finite(sc.score[i, j]),
        "threshold": round_finite(sc.threshold[j]),
        "passed": passed,
        "z": round_finite(sc.score[i, j]),
        "similarity": round_finite(sc.raw[i, j]),
        "closest_example": positives[k] if k >= 0 else None,
        "closest_example_score": round_finite(sc.example[i, j]) if k >= 0 else None,
        "definition_score": round_finite(sc.definition[i, j]),
        "background": round_finite(sc.background[j]),
        "spread": PROBABILITY_SPREAD if calibrated else round_finite(sc.spread[j]),
        "prevalence": round_finite(sc.prevalence[j]),
    }
    if calibrated:  # the confidence shown; the model's own probability is the combiner's score
        ev["probability"] = round_finite(sc.confidence()[i, j])
        ev["model_probability"] = ev["score"]
    if sc.backchannel is not None and sc.backchannel[i]:
        ev["backchannel"] = True
    if sc.turn_probability is not None:
        turn = sc.shown_turn if sc.shown_turn is not None else sc.turn_probability
        ev["turn_probability"] = round_finite(turn[i, j])
    words = (sc.matched[j].get(i) if sc.matched else None) or []
    if words:
        ev["codebook_words"] = words[:6]
    m = int(sc.near_miss_index[i, j])
    ref = sc.example[i, j] if k >= 0 else sc.definition[i, j]
    if m >= 0 and sc.near_miss[i, j] > ref - near_miss_margin:
        ev["near_miss"] = {
            "example": near[m],
            "score": round_finite(sc.near_miss[i, j]),
            "vetoed": bool(sc.vetoed[i, j]),
        }
    return ev


def code_report(sc: SemanticScores, emitted: np.ndarray, *, by_turn: bool = False) -> pd.DataFrame:
    """Per code: how many segments it gets and why (the evidence, in words).

    Columns ``code``, ``suggested``, ``best`` (its highest confidence shown; with ``by_turn``,
    for sentences, of the turns they make up, which decide), ``stands_out`` (the share of
    segments whose scores stand out, :func:`~thematic.suggest.calibration.evidence_features`'
    ``code_tail``) and ``why``.
    """
    import numpy as np
    import pandas as pd

    by_turn = by_turn and sc.turn_probability is not None and sc.shown_turn_threshold is not None
    conf = sc.shown_turn if by_turn and sc.shown_turn is not None else sc.confidence()
    threshold = sc.shown_threshold if sc.shown_threshold is not None else sc.threshold
    rows = []
    n = len(sc.score)
    floor = sc.shown_turn_threshold if by_turn else None
    for j, code in enumerate(sc.code_ids):
        k = int(emitted[:, j].sum())
        best = float(conf[:, j].max()) if n else float("nan")
        need = float(threshold[j]) if floor is None else float(floor)
        if k:  # the lowest confidence it admitted (with a count rule, not a fixed threshold)
            need = max(need, float(conf[:, j][emitted[:, j]].min()))
        tail = float(sc.code_tail[j]) if sc.code_tail is not None else float("nan")
        where = "turn" if by_turn else "segment"
        share = (f"; its scores stand out on {100 * tail:.1f}% of segments"
                 if np.isfinite(tail) and tail > 0 else "")
        if sc.wordless is not None and sc.wordless[j]:
            why = ("abstains: no word of its definition or examples occurs in the data, and the "
                   "TF-IDF model compares words; give it examples in the participants' words, or "
                   "use a sentence-embedding model")
        elif k == 0 and best >= need:  # a count rule gave it none
            why = (f"abstains: its best {where}s (confidence {best:.2f}) stand out neither from its "
                   "other segments nor from a typical pair enough to expect a coder to agree"
                   + (share or "; the data does not seem to talk about it"))
        elif k == 0:
            why = (f"abstains: no {where} reaches confidence {need:.2f} (best {best:.2f})"
                   + (share or "; the data does not seem to talk about it"))
        elif by_turn:
            why = f"{k} sentence{'s' * (k != 1)} of turns at confidence >= {need:.2f}{share}"
        else:
            why = f"{k} segment{'s' * (k != 1)} at confidence >= {need:.2f}{share}"
        rows.append((code, k, round(best, 4), round(tail, 4), why))
    return pd.DataFrame(rows, columns=["code", "suggested", "best", "stands_out", "why"])


def round_finite(value: Any) -> float:
    """``value`` as a float rounded to 6 places (infinities and nan unchanged)."""
    v = float(value)
    return round(v, 6) if math.isfinite(v) else v
