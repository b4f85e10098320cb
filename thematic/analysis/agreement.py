"""Agreement between codings of the same units: engine against gold, and coder against coder.

Pure functions over DataFrames. Two uses.

**An engine against a reference** (a person's coding, a gold file)::

    gold = segment_labels(segments, gold_codings, codes)
    pred = segment_labels(segments, suggested_codings, codes)
    table = agreement_table(gold, pred)

``segment_labels`` turns span codings into a 0/1 matrix (one row per segment, one column per
code); ``agreement_table`` scores two such matrices code by code (precision, recall, F1 and
Cohen's kappa, with ``gold`` as the reference) and adds ``micro`` and ``macro`` rows;
``cohens_kappa`` is the chance-corrected agreement of two label vectors.

**Inter-coder agreement** at a declared unit (segment, turn or document: the ``units`` frame)::

    labels = unit_labels(codings, units)           # codings with a ``coder`` column
    table = intercoder_agreement(labels, ["ana", "ben"], random_state=0)
    diffs = disagreements(labels, ["ana", "ben"], units=units)

``labels`` is a long frame (:data:`LABEL_COLUMNS`: ``unit``, ``coder``, ``code``, ``value``).
A coder *covers* a unit when the frame has any row for that (unit, coder); a code without a
row for a covered unit is 0 there; a unit a coder does not cover is missing for that coder.
``unit_labels`` writes the positives and one ``code=None, value=0`` row for each covered unit
without a code; a coder covers every unit of the documents it coded (or of ``covered``).
Any coder may be an engine (``coder="engine:semantic"``), so that an engine is compared with a
person the same way. :func:`intercoder_agreement` reports, per code and pooled over every
(unit, code) cell, the coefficients of :mod:`thematic.analysis.coefficients` with bootstrap
intervals, and the share of units double-coded; :func:`multi_coder_alpha` gives
Krippendorff's alpha over two or more coders with missing data (the ``krippendorff`` package).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from thematic.errors import ParameterError

__all__ = ["TABLE_COLUMNS", "agreement_table", "cohens_kappa", "segment_labels"]

#: Columns of :func:`agreement_table`, in order.
TABLE_COLUMNS = ["support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1",
                 "cohen_kappa"]
_COUNT_COLUMNS = TABLE_COLUMNS[:5]
_SEGMENT_COLUMNS = ("segment_id", "document", "start", "end")
_CODING_COLUMNS = ("document", "code", "start", "end")


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{name} must have the columns {list(columns)}. "
                         f"Got {list(frame.columns)} instead (missing {missing}).")


def segment_labels(segments: pd.DataFrame, codings: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Label segments with the codes of span codings that cover them.

    A coding labels a segment of the same document with its code when either

    - the two spans overlap by at least half of the segment
      (``min(ends) - max(starts) > 0`` and ``2 * overlap >= segment length``), or
    - the coding lies within the segment (``seg.start <= coding.start < coding.end <= seg.end``),
      so that a short quote inside a long segment still labels it.

    Spans are half-open character offsets ``[start, end)`` into the document text. A coding
    that covers less than half of a segment and is not inside it (a span that only clips the
    segment's edge) does not label it. Codings whose code is not in ``codes``, or whose
    document has no segment in ``segments``, are ignored; an empty coding (``start == end``)
    labels nothing.

    Parameters
    ----------
    segments : DataFrame
        One row per segment, with columns ``segment_id`` (unique), ``document``, ``start`` and
        ``end`` (other columns are ignored), e.g. ``project.documents.segments("sentence")`` restricted to
        the segments to evaluate.
    codings : DataFrame
        One row per coding, with columns ``document``, ``code``, ``start`` and ``end``, e.g.
        ``project.review.codings(status="suggested")``. ``document`` must use the same keys as in
        ``segments`` (names or ids, but the same in both).
    codes : list of str
        The code ids to report, in column order.

    Returns
    -------
    DataFrame
        A 0/1 ``int`` matrix indexed by ``segment_id`` in the order of ``segments``, with one
        column per code of ``codes``.

    Raises
    ------
    ParameterError
        If a column is missing, ``segment_id`` has duplicates, or ``codes`` has duplicates.

    Examples
    --------
    >>> segments = pd.DataFrame({"segment_id": [1, 2], "document": ["d", "d"],
    ...                          "start": [0, 10], "end": [10, 30]})
    >>> codings = pd.DataFrame({"document": ["d", "d"], "code": ["a", "b"],
    ...                         "start": [0, 12], "end": [15, 16]})
    >>> segment_labels(segments, codings, ["a", "b"]).to_dict("index")
    {1: {'a': 1, 'b': 0}, 2: {'a': 0, 'b': 1}}

    Coding ``a`` covers all of segment 1 and only 5 of the 20 characters of segment 2; coding
    ``b`` covers 4 characters of segment 2 but lies within it.
    """
    _require_columns(segments, _SEGMENT_COLUMNS, "segments")
    _require_columns(codings, _CODING_COLUMNS, "codings")
    codes = list(codes)
    if len(set(codes)) != len(codes):
        raise ParameterError(f"codes must be unique. Got {codes} instead.")
    if segments["segment_id"].duplicated().any():
        dupes = segments.loc[segments["segment_id"].duplicated(), "segment_id"].tolist()[:5]
        raise ParameterError(f"segment_id must be unique in segments. Got duplicates {dupes} instead.")

    labels = np.zeros((len(segments), len(codes)), dtype=int)
    column_of = {code: j for j, code in enumerate(codes)}
    relevant = codings[codings["code"].isin(column_of)]
    row_positions = pd.Series(np.arange(len(segments)), index=segments.index)
    by_document = dict(tuple(relevant.groupby("document", sort=False)))
    for document, segs in segments.groupby("document", sort=False):
        cods = by_document.get(document)
        if cods is None or cods.empty:
            continue
        s_start = segs["start"].to_numpy(dtype=np.int64)[:, None]
        s_end = segs["end"].to_numpy(dtype=np.int64)[:, None]
        c_start = cods["start"].to_numpy(dtype=np.int64)[None, :]
        c_end = cods["end"].to_numpy(dtype=np.int64)[None, :]
        overlap = np.minimum(s_end, c_end) - np.maximum(s_start, c_start)
        half = (overlap > 0) & (2 * overlap >= (s_end - s_start))
        inside = (s_start <= c_start) & (c_start < c_end) & (c_end <= s_end)
        hit_rows, hit_cols = np.nonzero(half | inside)
        if hit_rows.size == 0:
            continue
        rows = row_positions.loc[segs.index].to_numpy()[hit_rows]
        cols = np.array([column_of[c] for c in cods["code"].to_numpy()[hit_cols]])
        labels[rows, cols] = 1
    index = pd.Index(segments["segment_id"].to_numpy(), name="segment_id")
    return pd.DataFrame(labels, index=index, columns=codes)


LabelVector: TypeAlias = Sequence[int] | np.ndarray | pd.Series


def cohens_kappa(a: LabelVector, b: LabelVector) -> float:
    """Cohen's kappa of two binary label vectors.

    ``kappa = (p_o - p_e) / (1 - p_e)``, where ``p_o`` is the share of positions where ``a``
    and ``b`` agree and ``p_e = p_a * p_b + (1 - p_a) * (1 - p_b)`` the agreement expected by
    chance from each vector's share of ones (``p_a``, ``p_b``). It equals
    ``sklearn.metrics.cohen_kappa_score`` wherever that is defined.

    Degenerate cases (``p_e == 1``, where the formula divides by zero) are defined as follows:
    both vectors constant and equal (all 0 or all 1 in both) give **1.0**, perfect agreement;
    scikit-learn returns NaN there. Both constant and different (all 0 against all 1) give
    ``p_o = p_e = 0`` and so **0.0** by the formula. One constant vector against a varying one
    also gives 0.0.

    Parameters
    ----------
    a, b : array-like of {0, 1} or bool
        Two label vectors of the same, non-zero length.

    Returns
    -------
    float
        Kappa in [-1, 1].

    Raises
    ------
    ParameterError
        If the vectors are empty, differ in length, or hold values other than 0 and 1.

    Examples
    --------
    >>> cohens_kappa([1, 1, 0, 0], [1, 0, 0, 0])
    0.5
    >>> cohens_kappa([0, 0, 0], [0, 0, 0])
    1.0
    """
    x = _binary_vector(a, "a")
    y = _binary_vector(b, "b")
    if x.shape != y.shape:
        raise ParameterError(f"a and b must have the same length. Got {x.size} and {y.size} instead.")
    if x.size == 0:
        raise ParameterError("a and b must not be empty. Got two empty vectors instead.")
    p_o = float(np.mean(x == y))
    p_a, p_b = float(np.mean(x)), float(np.mean(y))
    p_e = p_a * p_b + (1.0 - p_a) * (1.0 - p_b)
    if math.isclose(p_e, 1.0):
        return 1.0  # both constant and equal (p_e == 1 only then)
    return (p_o - p_e) / (1.0 - p_e)


def _binary_vector(values: LabelVector, name: str) -> np.ndarray:
    arr: np.ndarray = np.asarray(values)
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be a 1-dimensional vector. Got shape {arr.shape} instead.")
    if arr.dtype == bool:
        return arr.astype(np.int8)
    bad = ~np.isin(arr, (0, 1))
    if bad.any():
        raise ParameterError(f"{name} must hold only 0 and 1. Got {arr[bad][:5].tolist()} instead.")
    return arr.astype(np.int8)


def _ratio(num: float, den: float, zero_division: float) -> float:
    return num / den if den else zero_division


def _scores(tp: int, fp: int, fn: int, zero_division: float) -> tuple[float, float, float]:
    precision = _ratio(tp, tp + fp, zero_division)
    recall = _ratio(tp, tp + fn, zero_division)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)
    return precision, recall, f1


def _aligned(gold: pd.DataFrame, predicted: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The codes of both matrices (``gold``'s first) and the two as 0/1 arrays over the same
    rows and columns, after checking rows, code names and values (:func:`agreement_table`)."""
    for name, frame in (("gold", gold), ("predicted", predicted)):
        if frame.index.duplicated().any():
            raise ParameterError(f"{name} must have one row per segment. Got duplicate index values "
                             f"{frame.index[frame.index.duplicated()].tolist()[:5]} instead.")
    if set(gold.index) != set(predicted.index):
        only_gold = [i for i in gold.index if i not in set(predicted.index)][:5]
        only_pred = [i for i in predicted.index if i not in set(gold.index)][:5]
        raise ParameterError("gold and predicted must label the same segments. Got rows only in gold "
                         f"{only_gold} and only in predicted {only_pred} instead.")
    codes = list(gold.columns) + [c for c in predicted.columns if c not in set(gold.columns)]
    reserved = {"micro", "macro"} & set(codes)
    if reserved:
        raise ParameterError("code ids must not be 'micro' or 'macro'. "
                         f"Got {sorted(reserved)} instead.")
    g = gold.reindex(columns=codes, fill_value=0)
    p = predicted.reindex(index=gold.index, columns=codes, fill_value=0)
    g_arr = np.column_stack([_binary_vector(g[c].to_numpy(), f"gold[{c!r}]") for c in codes]) \
        if codes else np.zeros((len(g), 0), dtype=np.int8)
    p_arr = np.column_stack([_binary_vector(p[c].to_numpy(), f"predicted[{c!r}]") for c in codes]) \
        if codes else np.zeros((len(p), 0), dtype=np.int8)
    return codes, g_arr, p_arr


def agreement_table(gold: pd.DataFrame, predicted: pd.DataFrame, *,
                    zero_division: float = float("nan")) -> pd.DataFrame:
    """Score a predicted 0/1 label matrix against a reference one, code by code.

    ``gold`` is the reference: ``support`` counts its positives, recall is measured against it.

    Per code (one row each, in the column order of ``gold``, then codes found only in
    ``predicted``):

    - ``support``: gold positives; ``predicted``: predicted positives;
    - ``tp``, ``fp``, ``fn``: true positives, false positives, false negatives;
    - ``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``,
      ``f1 = 2 tp / (2 tp + fp + fn)`` (the harmonic mean of precision and recall, as in
      scikit-learn); each is ``zero_division`` (NaN by default) when its denominator is 0;
    - ``cohen_kappa``: :func:`cohens_kappa` of the two columns (so 1.0 when the code is absent
      from both).

    Two summary rows follow:

    - ``micro``: precision, recall and F1 from the counts pooled over all codes, and kappa
      over all (segment, code) cells at once;
    - ``macro``: the unweighted mean of the per-code precision, recall, F1 and kappa over the
      codes that occur in ``gold`` or ``predicted`` (``support + predicted > 0``), skipping
      undefined (NaN) values. Codes absent from both are left out of the mean: they say
      nothing about agreement and would add a kappa of 1.0.

    The count columns of both summary rows hold the totals over all codes.

    Parameters
    ----------
    gold, predicted : DataFrame
        0/1 (or bool) matrices as returned by :func:`segment_labels`: one row per segment
        (same index values in both, any order), one column per code. A code missing from one
        of them counts as all 0 there.
    zero_division : float, default NaN
        The value of precision, recall or F1 when its denominator is 0 (as in scikit-learn's
        ``zero_division``; pass 0.0 to score an unpredicted code as precision 0).

    Returns
    -------
    DataFrame
        Indexed by code id, then ``micro`` and ``macro`` (index name ``code``), with the
        columns of :data:`TABLE_COLUMNS`; counts are ``int``, scores ``float``.

    Raises
    ------
    ParameterError
        If the two matrices do not have the same rows, a row index has duplicates, a code is
        named ``micro`` or ``macro``, or a value is not 0/1.

    Examples
    --------
    >>> gold = pd.DataFrame({"a": [1, 1, 0, 0], "b": [0, 0, 0, 1]})
    >>> pred = pd.DataFrame({"a": [1, 0, 0, 0], "b": [0, 0, 0, 1]})
    >>> table = agreement_table(gold, pred)
    >>> table.loc["a", ["tp", "fp", "fn", "precision", "recall", "cohen_kappa"]].tolist()
    [1.0, 0.0, 1.0, 1.0, 0.5, 0.5]
    >>> table.loc[["micro", "macro"], "recall"].round(3).tolist()
    [0.667, 0.75]
    """
    codes, g_arr, p_arr = _aligned(gold, predicted)
    rows: dict[str, dict[str, float]] = {}
    for j, code in enumerate(codes):
        gj, pj = g_arr[:, j], p_arr[:, j]
        tp = int(np.sum((gj == 1) & (pj == 1)))
        fp = int(np.sum((gj == 0) & (pj == 1)))
        fn = int(np.sum((gj == 1) & (pj == 0)))
        precision, recall, f1 = _scores(tp, fp, fn, zero_division)
        kappa = cohens_kappa(gj, pj) if len(gj) else float("nan")
        rows[code] = {"support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                      "precision": precision, "recall": recall, "f1": f1, "cohen_kappa": kappa}
    per_code = pd.DataFrame.from_dict(rows, orient="index", columns=TABLE_COLUMNS)

    totals = {c: int(per_code[c].sum()) for c in _COUNT_COLUMNS}
    precision, recall, f1 = _scores(totals["tp"], totals["fp"], totals["fn"], zero_division)
    micro_kappa = cohens_kappa(g_arr.ravel(), p_arr.ravel()) if g_arr.size else float("nan")
    micro = {**totals, "precision": precision, "recall": recall, "f1": f1,
             "cohen_kappa": micro_kappa}
    present = per_code[(per_code["support"] + per_code["predicted"]) > 0]
    macro = {**totals, **{c: float(present[c].mean(skipna=True)) if len(present) else float("nan")
                          for c in ("precision", "recall", "f1", "cohen_kappa")}}

    table = pd.concat([per_code, pd.DataFrame.from_dict({"micro": micro, "macro": macro},
                                                        orient="index", columns=TABLE_COLUMNS)])
    table = table.astype({c: int for c in _COUNT_COLUMNS} | {c: float for c in TABLE_COLUMNS[5:]})
    table.index.name = "code"
    return table

