"""Co-occurrence of codes (or themes): in the same segment, in overlapping spans, or nearby.

Three definitions, chosen with ``method``:

- ``"segment"``: codes *a* and *b* co-occur in a segment both code. ``count`` is the number
  of such segments, ``jaccard = |A & B| / |A | B|`` over the sets of segments coded *a* and *b*.
- ``"window"``: a segment coded *a* co-occurs with *b* when *b* codes a segment at most
  ``window`` positions away in the same document (segment order by ``start``). ``count`` is the
  number of segments coded *a* with *b* nearby or coded *b* with *a* nearby, and ``jaccard``
  that count over ``|A | B|``. ``window=0`` is ``"segment"``.
- ``"overlap"``: two codings of the same document overlap when their spans share a character.
  ``count`` is the number of overlapping pairs (a coding of *a*, a coding of *b*); ``jaccard``
  is the characters coded both *a* and *b* over the characters coded *a* or *b*.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from thematic.analysis._frames import (
    attach_segments,
    check_choice,
    filter_status,
    require_columns,
    unit_frame,
)
from thematic.errors import ParameterError

__all__ = ["COOCCURRENCE_COLUMNS", "cooccurrence"]

#: Columns of the long form of :func:`cooccurrence`.
COOCCURRENCE_COLUMNS = ["code_a", "code_b", "count", "jaccard", "n_a", "n_b"]
_METHODS = ("segment", "window", "overlap")


def cooccurrence(codings: pd.DataFrame, *, method: str = "segment", window: int = 1,
                 measure: str = "count", form: str = "long", by: str = "code",
                 segments: pd.DataFrame | None = None,
                 theme_codes: pd.DataFrame | None = None, themes: pd.DataFrame | None = None,
                 code_parents: Mapping[str, str | None] | None = None,
                 subthemes: bool = False, status: str | None = "accepted") -> pd.DataFrame:
    """Co-occurrence of every pair of codes or themes (see the module text for the methods).

    Parameters
    ----------
    codings : DataFrame
        ``project.review.codings()``: ``code``, ``document``, ``start``, ``end`` (and ``segment_id``,
        else ``segments`` places the codings; ``coding_id`` identifies codings, else the row).
    method : {"segment", "window", "overlap"}
    window : int, default 1
        For ``method="window"``: how many segments away still counts (>= 0).
    measure : {"count", "jaccard"}
        The value of the square form (the long form has both).
    form : {"long", "square"}
        Long: one row per unordered pair that co-occurs at least once. Square: a code x code
        frame whose diagonal holds each code's own total (``count``) or 1.0 (``jaccard``).
    segments : DataFrame, optional
        ``project.documents.segments(unit)``: needed by ``"window"`` (the segment order), and to place
        codings without ``segment_id``.
    by, theme_codes, themes, code_parents, subthemes, status
        As in :func:`~thematic.analysis.frequencies.frequencies`.

    Returns
    -------
    DataFrame
        Long form columns: ``code_a``, ``code_b`` (``code_a < code_b``), ``count``,
        ``jaccard`` (0-1), ``n_a`` and ``n_b`` (segments, or codings for ``"overlap"``, of
        each code); sorted by ``count`` descending. Square form: index and columns the codes.

    Examples
    --------
    >>> codings = pd.DataFrame({"code": ["a", "b", "a"], "document": "d",
    ...                         "start": [0, 0, 20], "end": [9, 9, 29], "segment_id": [1, 1, 2]})
    >>> cooccurrence(codings, status=None).to_dict("records")
    [{'code_a': 'a', 'code_b': 'b', 'count': 1, 'jaccard': 0.5, 'n_a': 2, 'n_b': 1}]
    """
    check_choice(method, _METHODS, "method")
    check_choice(measure, ("count", "jaccard"), "measure")
    check_choice(form, ("long", "square"), "form")
    if method == "window" and (not isinstance(window, int) or window < 0):
        raise ParameterError(f"window must be an integer >= 0. Got {window!r} instead.")
    if method == "window" and segments is None:
        raise ParameterError("method='window' needs segments (their order). Got None instead.")
    require_columns(codings, ("code", "document"), "codings")
    frame = filter_status(codings, status)
    if method != "overlap":
        frame = attach_segments(frame, segments)
        frame = frame[frame["segment_id"].notna()]
    else:
        require_columns(frame, ("start", "end"), "codings")
    frame, labels = unit_frame(frame, by, theme_codes=theme_codes, themes=themes,
                               code_parents=code_parents, subthemes=subthemes)
    frame = frame.assign(code=frame["code"].astype(str))
    if method == "overlap":
        count, jaccard, totals = _overlap(frame, labels)
    else:
        count, jaccard, totals = _segments(frame, labels, segments,
                                           window if method == "window" else 0)
    if form == "square":
        values = jaccard.copy() if measure == "jaccard" else count.astype(int)
        np.fill_diagonal(values, 1.0 if measure == "jaccard" else totals.astype(int))
        square = pd.DataFrame(values, index=labels, columns=labels)
        square.index.name = by
        return square
    rows, cols = np.triu_indices(len(labels), k=1)
    keep = count[rows, cols] > 0
    i, j = rows[keep], cols[keep]
    long = pd.DataFrame({"code_a": np.array(labels, dtype=object)[i],
                         "code_b": np.array(labels, dtype=object)[j],
                         "count": count[i, j].astype(int), "jaccard": jaccard[i, j],
                         "n_a": totals[i].astype(int), "n_b": totals[j].astype(int)})
    return long.sort_values(["count", "code_a", "code_b"], ascending=[False, True, True],
                            kind="stable").reset_index(drop=True)


def _segments(frame: pd.DataFrame, labels: list[str], segments: pd.DataFrame | None,
              window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, Jaccard and totals over segments (presence matrix dilated by ``window``)."""
    column = {c: k for k, c in enumerate(labels)}
    frame = frame[frame["code"].isin(column)]
    if segments is not None:
        require_columns(segments, ("segment_id", "document", "start"), "segments")
        order = segments.sort_values(["document", "start"], kind="stable")
        seg_ids = order["segment_id"].to_numpy()
        documents = order["document"].to_numpy()
    else:
        seg_ids = np.sort(frame["segment_id"].unique())
        documents = np.zeros(len(seg_ids))
    row = pd.Series(np.arange(len(seg_ids)), index=seg_ids)
    frame = frame[frame["segment_id"].isin(row.index)]
    mask = np.zeros((len(seg_ids), len(labels)), dtype=bool)
    mask[row.loc[frame["segment_id"]].to_numpy(), frame["code"].map(column).to_numpy()] = True
    presence = mask.astype(np.float32)  # float32 matmul is exact for counts below 2**24
    both = (presence.T @ presence).astype(np.float64)
    totals = np.diag(both).copy()
    if window == 0:
        count = both
    else:
        near = mask.copy()
        for shift in range(1, window + 1):
            same = (documents[shift:] == documents[:-shift])[:, None]
            near[:-shift] |= mask[shift:] & same
            near[shift:] |= mask[:-shift] & same
        a_near_b = (presence.T @ near.astype(np.float32)).astype(np.float64)
        count = a_near_b + a_near_b.T - both
    union = totals[:, None] + totals[None, :] - both
    return count, _ratio(count, union), totals


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` where ``den > 0``, else 0."""
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def _overlap(frame: pd.DataFrame, labels: list[str]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Overlapping coding pairs, character Jaccard and codings per code, by document."""
    k = len(labels)
    column = {c: i for i, c in enumerate(labels)}
    frame = frame[frame["code"].isin(column) & (frame["end"] > frame["start"])]
    ids = frame["coding_id"].to_numpy() if "coding_id" in frame.columns else \
        np.arange(len(frame))
    doc = pd.factorize(frame["document"])[0].astype(np.int64)
    start = frame["start"].to_numpy(dtype=np.int64)
    end = frame["end"].to_numpy(dtype=np.int64)
    cols = frame["code"].map(column).to_numpy(dtype=np.int64)
    # pairs: sort by (document, start); coding i overlaps every later j with start_j < end_i
    span = int(max(end.max(initial=0), 1)) + 1
    order = np.lexsort((start, doc))
    key = doc[order] * span + start[order]
    stop = np.searchsorted(key, doc[order] * span + end[order], side="left")
    lengths = stop - np.arange(len(order)) - 1
    first = np.repeat(np.arange(len(order)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    second = first + 1 + offsets
    i, j = order[first], order[second]
    keep = ids[i] != ids[j]
    pairs = np.zeros((k, k))
    np.add.at(pairs, (cols[i][keep], cols[j][keep]), 1.0)
    pairs = pairs + pairs.T
    np.fill_diagonal(pairs, 0.0)
    # characters: coverage of the elementary intervals between span boundaries, all
    # documents at once (keys doc * span + offset; depth is 0 between documents)
    cuts = np.unique(np.concatenate([doc * span + start, doc * span + end]))
    depth = np.zeros((len(cuts), k))
    np.add.at(depth, (np.searchsorted(cuts, doc * span + start), cols), 1.0)
    np.add.at(depth, (np.searchsorted(cuts, doc * span + end), cols), -1.0)
    covered = (np.cumsum(depth, axis=0)[:-1] > 0.5).astype(np.float64)
    shared = np.einsum("ik,il->kl", covered * np.diff(cuts)[:, None], covered)
    totals = np.bincount(cols, minlength=k).astype(float)
    chars = np.diag(shared).copy()
    union = chars[:, None] + chars[None, :] - shared
    return pairs, _ratio(shared, union), totals
