"""What the learned model is fitted on, and the order a reviewer decides in, as arrays.

- :func:`label_matrix`: people's decisions (:func:`~thematic.suggest.decision_labels.decision_labels`)
  as a label and a weight per (decided segment, code);
- :func:`decision_counts`: each code's positive and negative decisions in such a matrix;
- :func:`example_rows`: a codebook's descriptions and examples (positives) and near misses
  (negatives) as extra rows, each labelled for its own code only;
- :func:`review_queue`: undecided (segment, code) pairs, the least certain first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


def label_matrix(labels: pd.DataFrame, segment_ids: Sequence[int], codes: Sequence[str]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels ``Y`` and weights ``W`` (shape ``(n_rows, n_codes)``) of the decided segments, and
    ``rows``: their indices into ``segment_ids`` (labels of other segments or codes are left out).

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.DataFrame({"segment_id": [7, 9, 9], "code": ["a", "a", "b"],
    ...                        "label": [1, 0, 1], "weight": [1.0, 0.3, 1.0]})
    >>> Y, W, rows = label_matrix(labels, [9, 8, 7], ["a", "b"])
    >>> rows.tolist(), Y.tolist(), W.tolist()
    ([0, 2], [[0.0, 1.0], [1.0, 0.0]], [[0.3, 1.0], [1.0, 0.0]])
    """
    import numpy as np

    row_of = {int(s): i for i, s in enumerate(segment_ids)}
    col_of = {c: j for j, c in enumerate(codes)}
    known = labels[labels["segment_id"].astype(int).isin(row_of) & labels["code"].isin(col_of)]
    rows = np.array(sorted({row_of[int(s)] for s in known["segment_id"]}), dtype=np.int64)
    at = {int(r): k for k, r in enumerate(rows)}
    Y = np.zeros((len(rows), len(codes)))
    W = np.zeros((len(rows), len(codes)))
    for s, c, y, w in zip(known["segment_id"], known["code"], known["label"], known["weight"], strict=True):
        k, j = at[row_of[int(s)]], col_of[c]
        Y[k, j], W[k, j] = float(y), float(w)
    return Y, W, rows


def decision_counts(Y: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per code, the labelled rows (weight > 0) of :func:`label_matrix` that are positive and
    negative.

    Examples
    --------
    >>> import numpy as np
    >>> decision_counts(np.array([[1, 0], [0, 1], [1, 1]]), np.array([[1, 0.3], [1, 1], [0, 1]]))
    (array([1, 2]), array([1, 1]))
    """
    labelled = W > 0
    return (labelled & (Y == 1)).sum(axis=0), (labelled & (Y == 0)).sum(axis=0)


def example_rows(
    positives: Mapping[str, np.ndarray] | None, negatives: Mapping[str, np.ndarray] | None,
    p0: np.ndarray, codes: Sequence[str], *, dim: int, weight: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the codebook's texts: vectors, labels, weights (``weight`` for the text's own code,
    0 for the others) and offsets (each code's log-odds of its mean probability ``p0``)."""
    import numpy as np

    from thematic.suggest.learned import logit

    m = len(codes)
    base = logit(p0.mean(axis=0)) if len(p0) else np.zeros(m)
    vecs, ys, ws = [], [], []
    if weight > 0:
        for label, table in ((1.0, positives or {}), (0.0, negatives or {})):
            for j, code in enumerate(codes):
                v = np.asarray(table.get(code, np.zeros((0, dim))), dtype=np.float32).reshape(-1, dim)
                for row in v:
                    w = np.zeros(m)
                    w[j] = weight
                    vecs.append(row)
                    ys.append(np.full(m, label))
                    ws.append(w)
    if not vecs:
        empty = np.zeros((0, m))
        return np.zeros((0, dim), np.float32), empty, empty, empty
    return (np.vstack(vecs), np.vstack(ys), np.vstack(ws), np.tile(base, (len(vecs), 1)))


def review_queue(probability: np.ndarray, segment_ids: Sequence[int], codes: Sequence[str], *,
                 exclude: pd.DataFrame | None = None, limit: int | None = None) -> pd.DataFrame:
    """Undecided (segment, code) pairs, the least certain first: ``segment_id``, ``code``,
    ``probability``, ``uncertainty`` (``1 - 2 |p - 0.5|``), sorted by uncertainty (descending),
    then segment and code; the pairs of ``exclude`` left out."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({
        "segment_id": np.repeat(list(segment_ids), len(codes)),
        "code": np.tile(list(codes), len(segment_ids)),
        "probability": probability.ravel(),
    })
    if exclude is not None and len(exclude):
        done = pd.MultiIndex.from_arrays([exclude["segment_id"].astype(int), exclude["code"].astype(str)])
        frame = frame[~pd.MultiIndex.from_arrays([frame["segment_id"], frame["code"]]).isin(done)]
    frame = frame.assign(uncertainty=1.0 - 2.0 * (frame["probability"] - 0.5).abs())
    frame = frame.sort_values(["uncertainty", "segment_id", "code"], ascending=[False, True, True], kind="stable")
    return frame.head(limit).reset_index(drop=True) if limit else frame.reset_index(drop=True)
