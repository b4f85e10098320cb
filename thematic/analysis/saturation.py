"""Saturation: code accumulation in interview order, and Guest, Namey & Chen (2020).

**Accumulation.** Documents are taken in interview order; for each, the codes it uses that no
earlier document used are *new*; the cumulative count of codes over the total is the
cumulative share.

**Guest, Namey & Chen (2020).** The *base* is the set of codes found in the first
``base_size`` interviews. A *run* is the next ``run_length`` interviews; its new information
is the number of codes it brings that no earlier interview had, as a share of the number of
codes in the base (the base count stays fixed). Runs roll forward one interview at a time.
Saturation is reached at the first run whose share is at or below the *new-information
threshold* (``threshold``: 0.05 for "<= 5%", 0.0 for "no new information"); the
*saturation point* is the number of interviews before that run (the run confirms it).
Reported as e.g. "saturation at 8 interviews (base 4, run 2, <= 5% new information)".
The bootstrap repeats this over random interview orders and reports the median and the
interquartile range of the saturation point.

Guest, G., Namey, E. and Chen, M. (2020). A simple method to assess and report thematic
saturation in qualitative research. *PLOS ONE* 15(5), e0232076.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from thematic.analysis._frames import filter_status, require_columns
from thematic.errors import ParameterError

__all__ = ["ACCUMULATION_COLUMNS", "RUN_COLUMNS", "SaturationBootstrap", "code_accumulation",
           "saturation_bootstrap", "saturation_point", "saturation_runs"]

#: Columns of :func:`code_accumulation`.
ACCUMULATION_COLUMNS = ["position", "document", "codes", "new_codes", "new_code_ids",
                        "cumulative", "cumulative_share"]
#: Columns of :func:`saturation_runs`.
RUN_COLUMNS = ["run", "run_start", "run_end", "base_codes", "new_codes", "new_share",
               "saturated"]


def _presence(codings: pd.DataFrame, order: Sequence[str] | None,
              status: str | None) -> tuple[list[str], list[str], np.ndarray]:
    """Documents in order, codes, and the document x code presence matrix."""
    require_columns(codings, ("document", "code"), "codings")
    frame = filter_status(codings, status)
    documents = [str(d) for d in order] if order is not None else \
        list(dict.fromkeys(frame["document"].astype(str)))
    if len(set(documents)) != len(documents):
        raise ParameterError(f"order must list each document once. Got {documents} instead.")
    codes = sorted(frame["code"].astype(str).unique())
    row = {d: i for i, d in enumerate(documents)}
    col = {c: j for j, c in enumerate(codes)}
    frame = frame[frame["document"].astype(str).isin(row)]
    presence = np.zeros((len(documents), len(codes)), dtype=bool)
    presence[frame["document"].astype(str).map(row).to_numpy(dtype=np.int64),
             frame["code"].astype(str).map(col).to_numpy(dtype=np.int64)] = True
    return documents, codes, presence


def code_accumulation(codings: pd.DataFrame, *, order: Sequence[str] | None = None,
                      status: str | None = "accepted") -> pd.DataFrame:
    """New codes per document in interview order, and their cumulative share.

    Parameters
    ----------
    codings : DataFrame
        ``project.review.codings()``: ``document`` and ``code`` (and ``status``).
    order : list of str, optional
        The documents in interview order (default: their order of first appearance in
        ``codings``). A document without codings still gets its row (no new codes).
    status : str or None, default "accepted"
        The codings that count (None: all).

    Returns
    -------
    DataFrame
        One row per document: ``position`` (1-based), ``document``, ``codes`` (distinct codes
        in it), ``new_codes`` (codes no earlier document had), ``new_code_ids`` (list),
        ``cumulative`` (codes so far) and ``cumulative_share`` (0-1 of all codes).

    Examples
    --------
    >>> codings = pd.DataFrame({"document": ["d1", "d1", "d2", "d3"],
    ...                         "code": ["a", "b", "b", "c"]})
    >>> code_accumulation(codings, status=None)[["new_codes", "cumulative"]].to_numpy().tolist()
    [[2, 2], [0, 2], [1, 3]]
    """
    documents, codes, presence = _presence(codings, order, status)
    seen = np.logical_or.accumulate(presence, axis=0) if len(documents) else presence
    before = np.vstack([np.zeros((1, len(codes)), dtype=bool), seen[:-1]]) if len(documents) \
        else presence
    new = presence & ~before
    cumulative = seen.sum(axis=1)
    total = max(len(codes), 1)
    return pd.DataFrame({
        "position": np.arange(1, len(documents) + 1),
        "document": documents,
        "codes": presence.sum(axis=1),
        "new_codes": new.sum(axis=1),
        "new_code_ids": [[codes[j] for j in np.flatnonzero(r)] for r in new],
        "cumulative": cumulative,
        "cumulative_share": cumulative / total,
    }, columns=ACCUMULATION_COLUMNS)


def _check(n_documents: int, base_size: int, run_length: int, threshold: float) -> None:
    if not isinstance(base_size, int) or base_size < 1:
        raise ParameterError(f"base_size must be an integer >= 1. Got {base_size!r} instead.")
    if not isinstance(run_length, int) or run_length < 1:
        raise ParameterError(f"run_length must be an integer >= 1. Got {run_length!r} instead.")
    if not 0.0 <= threshold < 1.0:
        raise ParameterError(f"threshold must be a share in [0, 1). Got {threshold!r} instead.")
    if n_documents < base_size + run_length:
        raise ParameterError(
            f"saturation needs at least base_size + run_length = {base_size + run_length} "
            f"documents with codings. Got {n_documents} instead. Code more interviews, or "
            "lower base_size and run_length.")


def _runs(presence: np.ndarray, base_size: int, run_length: int
          ) -> tuple[int, np.ndarray, np.ndarray]:
    """Base count, new codes per run and run starts (0-based) for one document order."""
    seen = np.logical_or.accumulate(presence, axis=0)
    base = int(seen[base_size - 1].sum())
    starts = np.arange(base_size, presence.shape[0] - run_length + 1)
    # codes seen up to the end of the run minus codes seen before it
    new = seen[starts + run_length - 1].sum(axis=1) - seen[starts - 1].sum(axis=1)
    return base, new, starts


def saturation_runs(codings: pd.DataFrame, *, order: Sequence[str] | None = None,
                    base_size: int = 4, run_length: int = 2, threshold: float = 0.05,
                    status: str | None = "accepted") -> pd.DataFrame:
    """Guest, Namey & Chen's runs over one interview order (see the module text).

    Parameters
    ----------
    codings, order, status
        As in :func:`code_accumulation`.
    base_size : int, default 4
        Interviews in the base.
    run_length : int, default 2
        Interviews in each run.
    threshold : float, default 0.05
        New-information threshold, a share of the base's codes (0.05 is "<= 5%").

    Returns
    -------
    DataFrame
        One row per run: ``run`` (1-based), ``run_start`` and ``run_end`` (1-based positions
        of its first and last interview), ``base_codes`` (codes in the base), ``new_codes``,
        ``new_share`` (``new_codes / base_codes``) and ``saturated`` (``new_share <=
        threshold``).

    Raises
    ------
    ParameterError
        If there are fewer than ``base_size + run_length`` documents, or a bad parameter.
    """
    documents, _, presence = _presence(codings, order, status)
    _check(len(documents), base_size, run_length, threshold)
    base, new, starts = _runs(presence, base_size, run_length)
    share = new / base if base else np.full(len(new), np.nan)
    return pd.DataFrame({"run": np.arange(1, len(starts) + 1), "run_start": starts + 1,
                         "run_end": starts + run_length, "base_codes": base,
                         "new_codes": new, "new_share": share,
                         "saturated": share <= threshold + 1e-12}, columns=RUN_COLUMNS)


def saturation_point(codings: pd.DataFrame, *, order: Sequence[str] | None = None,
                     base_size: int = 4, run_length: int = 2, threshold: float = 0.05,
                     status: str | None = "accepted") -> int | None:
    """The number of interviews at saturation (before the first saturated run), or None.

    Parameters and errors as in :func:`saturation_runs`.
    """
    runs = saturation_runs(codings, order=order, base_size=base_size, run_length=run_length,
                           threshold=threshold, status=status)
    hit = runs[runs["saturated"]]
    return None if hit.empty else int(hit["run_start"].iloc[0]) - 1


@dataclass(frozen=True)
class SaturationBootstrap:
    """The saturation point over random interview orders.

    Attributes
    ----------
    points : Series
        One saturation point per order (NaN where saturation was not reached).
    band : DataFrame
        The accumulation curve's spread per position: ``position``, ``median``, ``q25``,
        ``q75``, ``q05``, ``q95`` of the cumulative share (0-1).
    median, q25, q75 : float
        Median and interquartile range of the points reached (NaN if none).
    share_saturated : float
        The share of orders that reached saturation.
    base_size, run_length, threshold, n_boot : parameters used.
    """

    points: pd.Series
    band: pd.DataFrame
    median: float
    q25: float
    q75: float
    share_saturated: float
    base_size: int
    run_length: int
    threshold: float
    n_boot: int

    def summary(self) -> pd.DataFrame:
        """One row: ``base_size``, ``run_length``, ``threshold``, ``n_boot``, ``median``,
        ``q25``, ``q75``, ``share_saturated``."""
        return pd.DataFrame([{k: getattr(self, k) for k in (
            "base_size", "run_length", "threshold", "n_boot", "median", "q25", "q75",
            "share_saturated")}])


def saturation_bootstrap(codings: pd.DataFrame, *, base_size: int = 4, run_length: int = 2,
                         threshold: float = 0.05, n_boot: int = 1000,
                         random_state: int | np.random.Generator | None = None,
                         documents: Sequence[str] | None = None,
                         status: str | None = "accepted") -> SaturationBootstrap:
    """Guest, Namey & Chen's saturation point over ``n_boot`` random interview orders.

    Parameters
    ----------
    codings, base_size, run_length, threshold, status
        As in :func:`saturation_runs`.
    n_boot : int, default 1000
        Number of random orders.
    random_state : int, Generator or None
        Seed of ``numpy.random.default_rng`` (the same seed gives the same result).
    documents : list of str, optional
        The documents to shuffle (default: those with codings).

    Returns
    -------
    SaturationBootstrap
    """
    if not isinstance(n_boot, int) or n_boot < 1:
        raise ParameterError(f"n_boot must be an integer >= 1. Got {n_boot!r} instead.")
    names, _, presence = _presence(codings, documents, status)
    _check(len(names), base_size, run_length, threshold)
    rng = np.random.default_rng(random_state)
    points = np.full(n_boot, np.nan)
    curves = np.zeros((n_boot, len(names)))
    total = max(presence.shape[1], 1)
    for b in range(n_boot):
        shuffled = presence[rng.permutation(len(names))]
        base, new, starts = _runs(shuffled, base_size, run_length)
        hit = np.flatnonzero(new <= threshold * base + 1e-9) if base else np.array([])
        if hit.size:
            points[b] = starts[hit[0]]
        curves[b] = np.logical_or.accumulate(shuffled, axis=0).sum(axis=1) / total
    reached = points[~np.isnan(points)]
    quantiles = np.quantile(curves, [0.5, 0.25, 0.75, 0.05, 0.95], axis=0)
    band = pd.DataFrame({"position": np.arange(1, len(names) + 1), "median": quantiles[0],
                         "q25": quantiles[1], "q75": quantiles[2], "q05": quantiles[3],
                         "q95": quantiles[4]})
    stats = np.quantile(reached, [0.5, 0.25, 0.75]) if reached.size else [np.nan] * 3
    return SaturationBootstrap(points=pd.Series(points, name="saturation_point"), band=band,
                               median=float(stats[0]), q25=float(stats[1]),
                               q75=float(stats[2]), share_saturated=reached.size / n_boot,
                               base_size=base_size, run_length=run_length,
                               threshold=threshold, n_boot=n_boot)
