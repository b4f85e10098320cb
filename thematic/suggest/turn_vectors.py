"""A turn's vector from the vectors of its sentences.

A project coded per sentence scores each sentence with its turn as well (the turn gives it
the topic it belongs to), and a project coded per turn scores each turn with its sentences.
Embedding both the sentences and the turns they make up encodes the same words twice, and
the second pass costs as much as the first (a turn is several sentences long). A *pooled* turn
vector is the mean of its sentences' vectors weighed by their words, scaled to unit length:
no encoding beyond the sentences', and it reads the whole turn where an encoder reads only its
first 256 word pieces. On the benchmark corpora its median cosine with the embedded turn's
vector is 0.80-0.92 (``benchmarks/results/semantic_speed.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

#: how a turn of several known sentences and its sentences get their vectors: each encoded on its
#: own, the turn pooled from its sentences', or the turn read once with its sentences in it
#: (:mod:`thematic.suggest.in_context`)
TURN_VECTORS = ("embedded", "pooled", "in_context")


def word_weights(texts: Sequence[str]) -> np.ndarray:
    """Each text's number of words (at least one).

    Examples
    --------
    >>> word_weights(["Yes.", "It was a long wait."]).tolist()
    [1.0, 5.0]
    """
    import numpy as np

    return np.array([max(len(t.split()), 1) for t in texts], dtype=np.float64)


def pool(vectors: np.ndarray, groups: Sequence[Sequence[int]], weights: np.ndarray) -> np.ndarray:
    """Per group, the ``weights``-weighted mean of its rows of ``vectors``, scaled to unit
    length (a zero mean stays zero).

    Examples
    --------
    >>> import numpy as np
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    >>> pool(v, [[0, 1], [2]], np.array([3.0, 1.0, 1.0])).astype(float).round(3).tolist()
    [[0.949, 0.316], [0.0, 1.0]]
    """
    import numpy as np

    out = np.zeros((len(groups), vectors.shape[1]), dtype=np.float32)
    for g, rows in enumerate(groups):
        idx = np.asarray(rows, dtype=np.int64)
        mean = (vectors[idx].astype(np.float64) * weights[idx, None]).sum(axis=0)
        norm = np.linalg.norm(mean)
        out[g] = mean / norm if norm > 0 else mean
    return out
