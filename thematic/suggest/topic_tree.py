"""Interview context, outlier reassignment and the tree of broader candidates.

Pure functions used by :class:`thematic.suggest.topics.TopicModeler`:

- :func:`interview_prompts`: each participant segment's *prompt*, the text of the last
  substantive interviewer turn before it (what the answer is an answer to).
- :func:`with_context`: a segment's vector mixed with its prompt's vector, so that "Yeah, it
  was fine" lands near the question it answers.
- :func:`document_positions`, :func:`with_position`: where in its document a segment is (0 at
  the start, towards 1 at the end), appended to its vector, so that turns at the same stage of
  interviews that follow one guide lean together.
- :func:`reassign_outliers`: an outlier joins its nearest topic only when it is as close to
  the topic's centroid as the topic's own members usually are; the others stay outliers.
- :func:`merge_tree`: leaf topics merged bottom-up (Ward linkage on their centroids) into
  broader parent candidates, each the union of its children.
- :func:`cut_tree`, :func:`group_by_code`: flat groups of leaves at a codebook's granularity
  (the Ward tree cut into as many groups as the codebook has codes; leaves by nearest code),
  compared with the tree in ``benchmarks/bench_topics.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from thematic.models import INTERVIEWER_ROLES
from thematic.suggest.interview_context import MIN_PROMPT_WORDS, prompts_by_turn

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


def interview_prompts(
    frame: pd.DataFrame,
    turns: pd.DataFrame | None = None,
    *,
    min_words: int = MIN_PROMPT_WORDS,
    interviewer_roles: Collection[str] = INTERVIEWER_ROLES,
) -> pd.Series:
    """The preceding interviewer turn of every segment, or None.

    The frame version of :func:`thematic.suggest.interview_context.attach_prompts`: both apply
    :func:`~thematic.suggest.interview_context.prompts_by_turn`, so prompts share the embedding
    cache with the semantic engine.

    Parameters
    ----------
    frame
        ``project.documents.segments(unit)`` rows (columns ``document_id``, ``turn``, ``role``); the
        segments of one turn share its prompt.
    turns
        ``project.documents.segments("turn")`` rows of every role (columns ``document_id``, ``turn``,
        ``role``, ``start``, ``text``); ``None`` when ``frame`` is that already.
    min_words
        Interviewer turns shorter than this ("Mm-hmm.", "Right.") are backchannels, not
        questions: the prompt stays the last longer one.
    interviewer_roles
        Roles whose turns are prompts.

    Returns
    -------
    pandas.Series
        Aligned with ``frame``: the prompt's text, None for interviewer segments and for
        segments before the first question of their document.
    """
    import pandas as pd

    turns = frame if turns is None else turns
    if frame.empty or turns.empty:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    prompt = prompts_by_turn(
        zip(turns["document_id"], turns["turn"], turns["start"], turns["role"],
            turns["text"].astype(str), strict=True),
        min_words=min_words, interviewer_roles=interviewer_roles)
    keys = zip(frame["document_id"], frame["turn"], strict=True)
    return pd.Series([prompt.get(k) for k in keys], index=frame.index, dtype=object)


def with_context(x: np.ndarray, prompts: np.ndarray | None, weight: float) -> np.ndarray:
    """Unit rows of ``x + weight * prompts`` (a zero prompt row leaves its segment as it is).

    Parameters
    ----------
    x
        Segment vectors, unit rows.
    prompts
        Prompt vectors aligned with ``x`` (zero rows where a segment has no prompt), or None.
    weight
        How much of the question goes in: 0 is none, 1 the question as much as the answer.
    """
    import numpy as np

    if prompts is None or weight == 0:
        return np.asarray(x, dtype=np.float32)
    y = np.asarray(x, dtype=np.float64) + weight * np.asarray(prompts, dtype=np.float64)
    norms = np.linalg.norm(y, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (y / norms).astype(np.float32)


def document_positions(segments: pd.DataFrame) -> np.ndarray:
    """Each segment's relative position in its document: its rank there over the document's
    segment count (0 for the first, ``(n - 1) / n`` for the last).

    Documents are told apart by ``document_id`` (else ``document``); segments are ranked by
    ``start`` when the frame has it, else in row order.
    """
    import numpy as np

    if segments.empty:
        return np.zeros(0, dtype=np.float64)
    key = "document_id" if "document_id" in segments.columns else "document"
    frame = segments.reset_index(drop=True)
    if "start" in frame.columns:
        frame = frame.sort_values([key, "start"], kind="stable")
    groups = frame.groupby(key, sort=False, dropna=False)
    rank = groups.cumcount().to_numpy(dtype=np.float64)
    size = groups[key].transform("size").to_numpy(dtype=np.float64)
    out = np.empty(len(frame), dtype=np.float64)
    out[frame.index.to_numpy()] = rank / size
    return out


def with_position(x: np.ndarray, positions: np.ndarray | None, weight: float) -> np.ndarray:
    """``x`` with two columns appended: ``weight * (cos(pi r), sin(pi r))`` for each row's
    relative position ``r`` in its document (:func:`document_positions`).

    Two rows at positions ``r`` and ``s`` are ``2 * weight * sin(pi * |r - s| / 2)`` apart in
    the added columns (about ``weight * pi * |r - s|`` when near): with a small weight, what is said still decides, and the
    stage of the interview separates turns that say alike things at its start and at its end.
    ``x`` unchanged (no columns added) when ``weight`` is 0 or ``positions`` is None.
    """
    import numpy as np

    x = np.asarray(x, dtype=np.float32)
    if positions is None or weight == 0:
        return x
    r = np.asarray(positions, dtype=np.float64)
    extra = np.column_stack([weight * np.cos(np.pi * r), weight * np.sin(np.pi * r)])
    return np.hstack([x, extra.astype(np.float32)])


def centroids(v: np.ndarray, labels: np.ndarray, topics: Sequence[int]) -> np.ndarray:
    """Unit mean vector of each topic's members (rows in the order of ``topics``)."""
    import numpy as np

    c = np.vstack([v[labels == t].mean(axis=0) for t in topics]).astype(np.float64)
    norms = np.linalg.norm(c, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return c / norms


def reassign_outliers(
    v: np.ndarray, labels: np.ndarray, probs: np.ndarray, quantile: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outliers close enough to a topic join it; the far ones stay outliers.

    An outlier joins its nearest topic (cosine to the centroid) when its cosine reaches the
    ``quantile`` of the topic's own members' cosines: it is as central as that share of the
    members. Its probability is the share of members it is at least as central as (so at least
    ``quantile``), half-weighted as a weaker link than a clustered member's.

    Returns
    -------
    labels, probs, moved
        New labels and probabilities, and a boolean mask of the segments that moved.
    """
    import numpy as np

    labels, probs = labels.copy(), probs.copy()
    topics = sorted(set(labels.tolist()) - {-1})
    moved = np.zeros(len(labels), dtype=bool)
    out = np.flatnonzero(labels == -1)
    if not topics or not len(out):
        return labels, probs, moved
    c = centroids(v, labels, topics)
    member_sims = [np.sort(v[labels == t] @ c[k]) for k, t in enumerate(topics)]
    cut = np.array([np.quantile(s, quantile) for s in member_sims])
    sims = v[out] @ c.T
    best = sims.argmax(axis=1)
    top = sims[np.arange(len(out)), best]
    for i, k, s in zip(out, best, top, strict=True):
        if s >= cut[k]:
            share = np.searchsorted(member_sims[k], s, side="right") / len(member_sims[k])
            labels[i], probs[i], moved[i] = topics[k], 0.5 * share, True
    return labels, probs, moved


def merge_tree(
    v: np.ndarray, labels: np.ndarray, *, max_share: float
) -> list[tuple[int, int]]:
    """Parent candidates above the leaf topics: pairs of merged nodes, bottom-up.

    Leaf centroids are merged with Ward linkage (scipy); node ``k`` of the result (numbered
    after the leaves: ``n_leaves + k``) joins the two nodes it names, and its members are the
    union of its children's. Only merges holding at most ``max_share`` of the grouped segments
    are kept (a node that holds most of the talk is no theme); a kept node's children are leaves
    or kept nodes, since sizes grow towards the root.

    Returns
    -------
    list of (int, int)
        For each kept parent, in merge order, its two children as node numbers: leaf topics
        are ``0 .. n_leaves - 1`` (the sorted topic numbers' positions), parents follow.
    """
    from scipy.cluster.hierarchy import linkage

    topics = sorted(set(labels.tolist()) - {-1})
    if len(topics) < 3 or max_share <= 0:
        return []
    size = {k: int((labels == t).sum()) for k, t in enumerate(topics)}
    limit = max_share * float((labels >= 0).sum())
    z = linkage(centroids(v, labels, topics), method="ward")
    n = len(topics)
    kept: list[tuple[int, int]] = []
    number: dict[int, int] = {k: k for k in range(n)}  # scipy node -> our node number
    for k, (a, b, _, _) in enumerate(z):
        node = n + k
        size[node] = size[int(a)] + size[int(b)]
        if size[node] > limit:  # its ancestors are larger still; later merges may be small
            continue
        number[node] = n + len(kept)
        kept.append((number[int(a)], number[int(b)]))
    return kept


def leaves_of(parents: list[tuple[int, int]], n_leaves: int) -> list[list[int]]:
    """The leaf nodes under each parent of :func:`merge_tree` (positions, sorted)."""
    out: list[list[int]] = []
    for a, b in parents:
        parts = []
        for child in (a, b):
            parts += [child] if child < n_leaves else out[child - n_leaves]
        out.append(sorted(parts))
    return out


def parent_words(c_tf_idf: object, rows: Sequence[int], weights: Sequence[float],
                 vocabulary: Sequence[str], top_n: int) -> list[str]:
    """A parent's c-TF-IDF words: its children's rows summed, weighted by their sizes."""
    import numpy as np

    matrix = c_tf_idf[list(rows)]  # type: ignore[index]
    dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
    score = (dense * np.asarray(weights, dtype=float)[:, None]).sum(axis=0)
    order = np.argsort(-score, kind="stable")[:top_n]
    return [str(vocabulary[i]) for i in order if score[i] > 0]


def cut_tree(v: np.ndarray, labels: np.ndarray, k: int) -> list[list[int]]:
    """Leaf topics cut into at most ``k`` flat groups of the Ward tree over their centroids.

    The granularity of a codebook: with ``k`` its number of codes, each group is a candidate
    theme as broad as a code. Returns the groups (lists of topic numbers, each sorted), largest
    first; all topics in one group each when there are no more than ``k`` of them.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    topics = sorted(set(labels.tolist()) - {-1})
    if k < 1:
        raise ValueError(f"k must be at least 1. Got {k} instead.")
    if len(topics) <= k or len(topics) < 2:
        return [[t] for t in topics]
    cut = fcluster(linkage(centroids(v, labels, topics), method="ward"), k, criterion="maxclust")
    return _groups(topics, cut.tolist(), labels)


def group_by_code(x: np.ndarray, labels: np.ndarray, code_vectors: np.ndarray) -> list[list[int]]:
    """Leaf topics grouped by the code whose definition is nearest their centroid.

    Vectors are centred on the segments' mean first (all talk shares a direction; the codes'
    definitions share it less), so a topic goes to the code it differs towards. Returns the
    groups (lists of topic numbers, each sorted), largest first.
    """
    import numpy as np

    topics = sorted(set(labels.tolist()) - {-1})
    if not topics or len(code_vectors) == 0:
        return [[t] for t in topics]
    mean = np.asarray(x, dtype=np.float64).mean(axis=0)
    own = centroids(x, labels, topics) - mean
    codes = np.asarray(code_vectors, dtype=np.float64) - mean
    own /= np.maximum(np.linalg.norm(own, axis=1, keepdims=True), 1e-12)
    codes /= np.maximum(np.linalg.norm(codes, axis=1, keepdims=True), 1e-12)
    nearest = (own @ codes.T).argmax(axis=1)
    return _groups(topics, nearest.tolist(), labels)


def _groups(topics: Sequence[int], keys: Sequence[object], labels: np.ndarray) -> list[list[int]]:
    by_key: dict[object, list[int]] = {}
    for topic, key in zip(topics, keys, strict=True):
        by_key.setdefault(key, []).append(topic)
    size = {t: int((labels == t).sum()) for t in topics}
    groups = [sorted(g) for g in by_key.values()]
    return sorted(groups, key=lambda g: (-sum(size[t] for t in g), g[0]))
