"""The semantic engine's similarities of texts to codes, and their standardisation.

From the embedded texts (unit vectors: a dot product is a cosine) of the segments and of the
codes (per code, in order: its description, its positive examples, its near-miss examples, its
exclusion text when it has one; :func:`~thematic.suggest.code_texts.code_texts`):
:func:`raw_scores` (the raw score of :mod:`thematic.suggest.semantic`'s docstring),
:func:`robust_z` (each code's scores on its own scale), :func:`other_view` (a segment's best
score over its other views) and :func:`anchors` (how close a code's own examples come to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from thematic.suggest.calibration import loo_anchor, robust_stats
from thematic.suggest.code_texts import code_vector_rows
from thematic.suggest.semantic_scores import RawScores

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.suggest.code_texts import CodeTexts


@dataclass(frozen=True)
class SimilarityWeights:
    """How the raw score weighs definition, examples, near misses and exclusion (the
    parameters of the same names of :class:`~thematic.suggest.semantic.SemanticEngine`)."""

    definition_weight: float = 1.0
    example_weight: float = 1.0
    near_miss: str = "veto"
    near_miss_weight: float = 1.0
    near_miss_margin: float = 0.05
    exclusion_weight: float = 0.5


def raw_scores(seg_v: np.ndarray, code_v: np.ndarray, texts: list[CodeTexts],
               weights: SimilarityWeights) -> RawScores:
    """Raw similarity scores of the texts ``seg_v`` to every code (module docstring)."""
    import numpy as np

    shape = (len(seg_v), len(texts))
    neg_inf = np.full(shape, -np.inf, dtype=np.float32)
    d, e, nm, x = (np.zeros(shape, np.float32), neg_inf.copy(), neg_inf.copy(), neg_inf.copy())
    e_idx = np.full(shape, -1, dtype=np.int32)
    nm_idx = np.full(shape, -1, dtype=np.int32)
    for c, (t, (first, positives, near_misses)) in enumerate(zip(texts, code_vector_rows(texts), strict=True)):
        desc, pv, mv = code_v[first], code_v[positives], code_v[near_misses]
        d[:, c] = seg_v @ desc
        if len(pv) and len(seg_v):
            sims = seg_v @ pv.T
            e_idx[:, c] = sims.argmax(axis=1)
            e[:, c] = sims.max(axis=1)
        if len(mv) and len(seg_v):
            sims = seg_v @ mv.T
            nm_idx[:, c] = sims.argmax(axis=1)
            nm[:, c] = sims.max(axis=1)
        if t.exclusion:
            x[:, c] = seg_v @ code_v[first + len(t.embedded()) - 1]
    unpen = np.maximum(weights.definition_weight * d, weights.example_weight * e)
    ref = np.where(np.isfinite(e), e, d)
    with np.errstate(invalid="ignore"):
        gap = nm - ref  # -inf where no near-miss
    score = unpen.astype(np.float64)
    if weights.near_miss != "ignore":
        score = score - weights.near_miss_weight * np.maximum(0.0, gap + weights.near_miss_margin)
    score = score - weights.exclusion_weight * np.maximum(0.0, x - d)
    vetoed = (gap > 0) if weights.near_miss == "veto" else np.zeros(shape, dtype=bool)
    return RawScores(score, d, e, e_idx, nm, nm_idx, unpen, vetoed)


def robust_z(raw: np.ndarray) -> np.ndarray:
    """Each code's (column's) scores minus their median, over ``1.4826 * MAD``
    (:func:`~thematic.suggest.calibration.robust_stats`)."""
    background, spread = robust_stats(raw)
    return (raw - background[None, :]) / spread[None, :]


def other_view(own: np.ndarray, view_v: np.ndarray, code_v: np.ndarray, texts: list[CodeTexts],
               view_idx: list[int], seg_idx: list[int], weights: SimilarityWeights) -> np.ndarray:
    """Each segment's best standardised score over its other views (a turn's best sentence; a
    sentence's turn): view ``view_idx[k]`` belongs to segment ``seg_idx[k]``; a segment with
    none keeps ``own``."""
    import numpy as np

    pooled = np.full(own.shape, -np.inf)
    other_z = robust_z(raw_scores(view_v, code_v, texts, weights).score)
    np.maximum.at(pooled, np.asarray(seg_idx), other_z[np.asarray(view_idx)])
    return np.where(np.isfinite(pooled), pooled, own)


def anchors(code_v: np.ndarray, texts: list[CodeTexts], dw: float, ew: float) -> np.ndarray:
    """Per code, the leave-one-out anchor of its positive examples
    (:func:`~thematic.suggest.calibration.loo_anchor`; nan without examples)."""
    import numpy as np

    out = np.full(len(texts), np.nan)
    pos = 0
    for c, t in enumerate(texts):
        if t.positives:
            out[c] = loo_anchor(code_v[pos], code_v[pos + 1 : pos + 1 + len(t.positives)], dw, ew)
        pos += 1 + len(t.positives) + len(t.near_misses) + (1 if t.exclusion else 0)
    return out
