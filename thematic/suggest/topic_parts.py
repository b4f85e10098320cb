"""Pure parts of topic candidates: keywords, quotes, nearest codes, stability, matching.

Used by :class:`thematic.suggest.topics.TopicModeler`; :func:`match_codes` compares topics with
people's codes (benchmarks and reports).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


@dataclass
class Quote:
    """A representative member of a topic."""

    segment_id: int
    document: str
    participant: str | None
    text: str
    probability: float
    similarity: float


def keywords(
    words: list[str],
    centroid: np.ndarray,
    embedder: Callable[[list[str]], np.ndarray] | None,
    top_n: int,
) -> list[str]:
    """The topic's keywords: c-TF-IDF candidates, re-ranked KeyBERT-style when possible.

    A candidate's score is its cosine to the topic centroid; a candidate sharing a word with
    one already kept (a bigram and its unigrams, a plural and its singular) is skipped.
    """
    import numpy as np

    candidates = [w for w in words if w.strip()]
    if embedder is not None and candidates:
        vecs = np.asarray(embedder(candidates), dtype=np.float32)
        order = np.argsort(-(vecs @ centroid), kind="stable")
        candidates = [candidates[i] for i in order]
    kept: list[str] = []
    seen: set[str] = set()
    for w in candidates:
        parts = {_singular(p) for p in w.split()}
        if parts & seen:
            continue
        kept.append(w)
        seen |= parts
        if len(kept) == top_n:
            break
    return kept


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def quotes(
    segments: pd.DataFrame,
    rows: np.ndarray,
    probs: np.ndarray,
    sims: np.ndarray,
    n: int,
) -> list[Quote]:
    """``n`` representative members: nearest the centroid, one document in turn.

    Round-robin over documents (each document's best member first), so quotes come from
    several interviews when the topic spans them.
    """
    import numpy as np


    order = np.argsort(-sims, kind="stable")
    by_doc: dict[str, list[int]] = {}
    for i in order:
        by_doc.setdefault(str(segments["document"].iloc[rows[i]]), []).append(int(i))
    picked: list[int] = []
    queues = list(by_doc.values())
    while len(picked) < min(n, len(rows)):
        for q in queues:
            if q and len(picked) < n:
                picked.append(q.pop(0))
        queues = [q for q in queues if q]
    picked.sort(key=lambda i: -sims[i])
    out = []
    for i in picked:
        row = segments.iloc[rows[i]]
        part = row["participant"]
        out.append(Quote(
            segment_id=int(row["segment_id"]), document=str(row["document"]),
            participant=None if part is None or str(part) in ("", "nan", "None") else str(part),
            text=str(row["text"]), probability=round(float(probs[i]), 6),
            similarity=round(float(sims[i]), 6),
        ))
    return out


def nearest(
    centroid: np.ndarray, code_ids: Sequence[str], code_embeddings: np.ndarray | None, n: int
) -> list[tuple[str, float]]:
    """The ``n`` codes whose definition embedding is nearest the centroid, with cosine."""
    import numpy as np

    if code_embeddings is None or not len(code_ids) or n == 0:
        return []
    sims = np.asarray(code_embeddings, dtype=np.float32) @ centroid
    order = np.argsort(-sims, kind="stable")[:n]
    return [(str(code_ids[i]), round(float(sims[i]), 4)) for i in order]


def stability(member: np.ndarray, refits: Sequence[np.ndarray]) -> float:
    """Mean over re-fits of the best Jaccard overlap between ``member`` and a re-fit candidate.

    Each re-fit is either a label array (one topic per segment, -1 not grouped) or a boolean
    matrix with one row per candidate (leaves and parents: a segment may be in several).
    """
    import numpy as np

    scores = []
    for refit in refits:
        arr = np.asarray(refit)
        if arr.ndim == 1:
            arr = np.vstack([arr == t for t in sorted(set(arr.tolist()) - {-1})] or
                            [np.zeros(len(member), dtype=bool)])
        arr = arr.astype(bool)
        inter = (arr & member).sum(axis=1)
        union = (arr | member).sum(axis=1)
        ratio = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        scores.append(float(ratio.max()) if len(ratio) else 0.0)
    return round(float(np.mean(scores)), 4)


def match_codes(members: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Per code, the topic whose members best match the code's segments (Jaccard).

    Parameters
    ----------
    members
        segment_id, topic (-1 not grouped): ``TopicModeler.members_`` (leaf topics) or
        ``TopicModeler.candidate_members()`` (every candidate, parents too: a segment may be
        in several).
    labels
        A 0/1 matrix, index segment_id, one column per code (the universe is its index:
        members outside it are ignored, segments of it absent from ``members`` count as
        not grouped).

    Returns
    -------
    pandas.DataFrame
        code, segments (coded), best_topic, jaccard, topic_size; sorted by jaccard.
    """
    import pandas as pd

    inside = members[members["segment_id"].isin(labels.index) & (members["topic"] != -1)]
    groups = {int(t): set(g) for t, g in inside.groupby("topic")["segment_id"]}
    rows = []
    for code in labels.columns:
        coded = set(labels.index[labels[code].astype(bool)])
        best, best_t = 0.0, -1
        for t, seg in groups.items():
            union = len(coded | seg)
            j = len(coded & seg) / union if union else 0.0
            if j > best:
                best, best_t = j, t
        rows.append({"code": code, "segments": len(coded), "best_topic": best_t,
                     "jaccard": round(best, 4), "topic_size": len(groups.get(best_t, ()))})
    out = pd.DataFrame(rows, columns=["code", "segments", "best_topic", "jaccard", "topic_size"])
    return out.sort_values("jaccard", ascending=False, kind="stable").reset_index(drop=True)
