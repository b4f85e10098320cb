"""Topic candidates and their members, as :class:`~thematic.suggest.topics.TopicModeler`
returns them: one :class:`TopicCandidate` per topic (leaf or parent), every segment's topic
(:func:`members_frame`), the members of every candidate, parents included
(:func:`candidate_members`), and one fit's result (:class:`TopicFit`). Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from thematic.suggest.topic_parts import Quote

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

NOT_GROUPED = -1
"""The topic number of segments no topic holds."""

MEMBER_COLUMNS = ("segment_id", "topic", "probability", "reason")
CANDIDATE_MEMBER_COLUMNS = ("topic", "segment_id", "probability")


@dataclass
class TopicCandidate:
    """One topic: what it is about, who speaks in it, how stable it is, which codes it is near.

    ``nearest_codes`` holds ``(code id, cosine similarity)`` pairs, best first.
    ``stability`` is None when no re-fit was made; ``stable`` then is None too. ``parent`` is
    the topic number of the broader candidate above it (None at the top); a parent's
    ``children`` are the candidates it joins, and its members are the union of theirs.
    """

    topic: int
    label: str
    keywords: list[str]
    size: int
    participants: list[str]
    quotes: list[Quote]
    nearest_codes: list[tuple[str, float]] = field(default_factory=list)
    stability: float | None = None
    stable: bool | None = None
    parent: int | None = None
    children: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        out = asdict(self)
        out["nearest_codes"] = [list(pair) for pair in self.nearest_codes]
        return out


def candidate_members(members: pd.DataFrame, candidates: Sequence[TopicCandidate]) -> pd.DataFrame:
    """Members of every candidate, parents included (a parent's: the union of its leaves').

    Columns ``CANDIDATE_MEMBER_COLUMNS`` (topic, segment_id, probability); a segment
    appears once for its leaf topic and once for each parent above it.
    """
    import pandas as pd

    grouped = members[members["topic"] != NOT_GROUPED]
    parts = [grouped[list(CANDIDATE_MEMBER_COLUMNS)]]
    by_topic = {c.topic: c for c in candidates}
    for c in candidates:
        if not c.children:
            continue
        leaves, todo = [], list(c.children)
        while todo:
            node = by_topic[todo.pop()]
            todo += node.children
            leaves += [] if node.children else [node.topic]
        rows = grouped[grouped["topic"].isin(leaves)]
        parts.append(rows[list(CANDIDATE_MEMBER_COLUMNS)].assign(topic=c.topic))
    return pd.concat(parts, ignore_index=True)


def topics_frame(candidates: Sequence[TopicCandidate]) -> pd.DataFrame:
    """One row per candidate: topic, label, keywords, size, participants, stability,
    stable, nearest_codes, quotes (texts)."""
    import pandas as pd

    rows = [{
        "topic": c.topic, "label": c.label, "keywords": ", ".join(c.keywords),
        "size": c.size, "participants": ", ".join(c.participants),
        "stability": c.stability, "stable": c.stable,
        "nearest_codes": ", ".join(f"{k} ({s:.2f})" for k, s in c.nearest_codes),
        "quotes": [q.text for q in c.quotes],
    } for c in candidates]
    return pd.DataFrame(rows, columns=["topic", "label", "keywords", "size", "participants",
                                       "stability", "stable", "nearest_codes", "quotes"])


def members_frame(
    segments: pd.DataFrame, fit_idx: np.ndarray, labels: np.ndarray, probs: np.ndarray,
    moved: np.ndarray,
) -> pd.DataFrame:
    """Every segment's topic (``NOT_GROUPED`` when none), probability and why: ``topic`` (a
    member), ``nearest`` (an outlier reassigned), ``outlier``, or ``short`` (not fitted)."""
    import numpy as np
    import pandas as pd

    n = len(segments)
    topic = np.full(n, NOT_GROUPED, dtype=int)
    prob = np.zeros(n, dtype=float)
    reason = np.full(n, "short", dtype=object)
    topic[fit_idx] = labels
    prob[fit_idx] = probs
    reason[fit_idx] = np.where(labels == NOT_GROUPED, "outlier",
                               np.where(moved, "nearest", "topic"))
    return pd.DataFrame({
        "segment_id": segments["segment_id"].to_numpy(), "topic": topic,
        "probability": prob.round(6), "reason": reason,
    }, columns=list(MEMBER_COLUMNS))


class TopicFit(NamedTuple):
    """One fit: leaf labels and probabilities per fitted segment, which of them were outliers
    reassigned, and per candidate (leaf or parent) its words, its leaves, parent, children."""

    labels: np.ndarray
    probs: np.ndarray
    moved: np.ndarray
    words: dict[int, list[str]]
    groups: dict[int, list[int]]
    parent: dict[int, int]
    children: dict[int, list[int]]

    def masks(self) -> np.ndarray:
        """Boolean matrix, one row per candidate (leaves and parents), one column per segment."""
        import numpy as np

        if not self.groups:
            return np.zeros((0, len(self.labels)), dtype=bool)
        return np.vstack([np.isin(self.labels, under) for under in self.groups.values()])
