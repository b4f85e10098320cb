"""Inter-coder agreement over a long label frame (see :mod:`thematic.analysis.agreement`,
which documents the label frame and labels segments with :func:`segment_labels`).
"""

from __future__ import annotations

from collections.abc import Sequence

import krippendorff
import numpy as np
import pandas as pd

from thematic.analysis._frames import require_columns
from thematic.analysis.agreement import segment_labels
from thematic.analysis.coefficients import (
    COEFFICIENTS,
    bootstrap_tables,
    coefficients,
    percentile_interval,
)
from thematic.errors import ParameterError

__all__ = ["AGREEMENT_COLUMNS", "LABEL_COLUMNS", "POOLED", "disagreements", "document_units",
           "intercoder_agreement", "multi_coder_alpha", "unit_labels"]

#: Columns of a label frame.
LABEL_COLUMNS = ["unit", "coder", "code", "value"]
#: The row of :func:`intercoder_agreement` pooled over every (unit, code) cell.
POOLED = "(pooled)"
#: Columns of :func:`intercoder_agreement`.
AGREEMENT_COLUMNS = ["code", "coder_a", "coder_b", "units", "double_coded",
                     "double_coded_share", "both", "a_only", "b_only", "neither",
                     *[f"{c}{s}" for c in COEFFICIENTS for s in ("", "_low", "_high")]]


def document_units(segments: pd.DataFrame) -> pd.DataFrame:
    """One unit per document, spanning its segments (for agreement at the document level).

    Returns
    -------
    DataFrame
        Columns ``segment_id`` (the ``document_id`` when there is one, else the document),
        ``document``, ``participant``, ``start``, ``end``, ``text`` (the document's name).
    """
    require_columns(segments, ("document", "start", "end"), "segments")
    key = "document_id" if "document_id" in segments.columns else "document"
    grouped = segments.groupby(key, sort=False)
    out = pd.DataFrame({"document": grouped["document"].first(),
                        "participant": grouped["participant"].first()
                        if "participant" in segments.columns else None,
                        "start": grouped["start"].min(), "end": grouped["end"].max()})
    out["text"] = out["document"].astype(str)
    out.index.name = "segment_id"
    return out.reset_index()[["segment_id", "document", "participant", "start", "end", "text"]]


def unit_labels(codings: pd.DataFrame, units: pd.DataFrame, *,
                codes: Sequence[str] | None = None,
                covered: pd.DataFrame | None = None) -> pd.DataFrame:
    """The label frame of span codings by several coders, at the declared unit.

    Parameters
    ----------
    codings : DataFrame
        Columns ``coder``, ``document``, ``code``, ``start``, ``end``: every coder's codings.
    units : DataFrame
        The units (``project.documents.segments("turn")``, a sentence selection, or
        :func:`document_units`): ``segment_id``, ``document``, ``start``, ``end``.
        A coding labels a unit by :func:`~thematic.analysis.agreement.segment_labels`' rule.
    codes : list of str, optional
        The codes to keep (default: every code of ``codings``).
    covered : DataFrame, optional
        Columns ``coder``, ``document``: the documents each coder coded (default: those
        where the coder has a coding).

    Returns
    -------
    DataFrame
        :data:`LABEL_COLUMNS`: one row per positive (``value`` 1), and one row with
        ``code=None, value=0`` per covered unit without a code.
    """
    require_columns(codings, ("coder", "document", "code", "start", "end"), "codings")
    code_list = sorted(codings["code"].astype(str).unique()) if codes is None else list(codes)
    if covered is None:
        covered = codings[["coder", "document"]].drop_duplicates()
    require_columns(covered, ("coder", "document"), "covered")
    parts = []
    for coder, docs in covered.groupby("coder", sort=True):
        scope = units[units["document"].isin(set(docs["document"]))]
        matrix = segment_labels(scope, codings[codings["coder"] == coder], code_list)
        values = matrix.to_numpy()
        rows, cols = np.nonzero(values)
        long = pd.DataFrame({"unit": matrix.index.to_numpy()[rows],
                             "code": np.array(code_list, dtype=object)[cols], "value": 1})
        empty = matrix.index[values.sum(axis=1) == 0]
        blank = pd.DataFrame({"unit": empty, "code": None, "value": 0})
        parts.append(pd.concat([long, blank], ignore_index=True).assign(coder=str(coder)))
    if not parts:
        return pd.DataFrame(columns=LABEL_COLUMNS)
    return pd.concat(parts, ignore_index=True)[LABEL_COLUMNS]


def _coders(labels: pd.DataFrame, coders: Sequence[str] | None, minimum: int) -> list[str]:
    require_columns(labels, LABEL_COLUMNS, "labels")
    present = sorted(labels["coder"].astype(str).unique())
    chosen = present if coders is None else [str(c) for c in coders]
    unknown = [c for c in chosen if c not in present]
    if unknown:
        raise ParameterError(f"coder(s) {unknown} have no codings here. The coders are "
                             f"{present}.")
    if len(set(chosen)) < minimum:
        raise ParameterError(f"agreement needs at least {minimum} different coders. Got "
                             f"{chosen} (the labels have {present}). Ask a second coder to "
                             "code the same documents, or name two coders.")
    return chosen


def _matrices(labels: pd.DataFrame, coders: Sequence[str], codes: Sequence[str] | None
              ) -> tuple[pd.Index, list[str], np.ndarray, np.ndarray]:
    """Units, codes, a (coder, unit, code) array (1, 0, NaN when not covered) and the
    (coder, unit) coverage."""
    frame = labels[labels["coder"].astype(str).isin(coders)]
    units = pd.Index(pd.unique(frame["unit"]), name="unit")
    positives = frame[frame["code"].notna() & (frame["value"].astype(int) == 1)]
    code_list = sorted(positives["code"].astype(str).unique()) if codes is None \
        else [str(c) for c in codes]
    cube = np.full((len(coders), len(units), len(code_list)), np.nan)
    covered = np.zeros((len(coders), len(units)), dtype=bool)
    col = pd.Index(code_list)
    for i, coder in enumerate(coders):
        own = frame[frame["coder"].astype(str) == coder]
        covered[i, units.get_indexer(own["unit"].unique())] = True
        cube[i, covered[i], :] = 0.0
        pos = positives[positives["coder"].astype(str) == coder]
        j = col.get_indexer(pos["code"].astype(str))
        keep = j >= 0
        cube[i, units.get_indexer(pos["unit"])[keep], j[keep]] = 1.0
    return units, code_list, cube, covered


def _alpha(values: np.ndarray) -> float:
    """Krippendorff's nominal alpha with the ``krippendorff`` package (coders x units, 0/1).

    The package gets the per-unit counts of each value (its ``value_counts`` input), which
    is the same data as the reliability matrix with missing values left out. 1.0 when every
    pairable value is the same (the package refuses one-value data).
    """
    ones = np.nansum(values == 1, axis=0)
    zeros = np.nansum(values == 0, axis=0)
    counts = np.column_stack([zeros, ones])
    counts = counts[counts.sum(axis=1) >= 2]  # pairable units
    if counts.size == 0:
        return float("nan")
    if (counts[:, 0].sum() == 0) or (counts[:, 1].sum() == 0):
        return 1.0
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


def intercoder_agreement(labels: pd.DataFrame, coders: Sequence[str], *,
                         codes: Sequence[str] | None = None, n_boot: int = 1000,
                         level: float = 0.95,
                         random_state: int | np.random.Generator | None = None
                         ) -> pd.DataFrame:
    """Agreement of two coders per code and pooled, with bootstrap intervals.

    Parameters
    ----------
    labels : DataFrame
        A label frame (:data:`LABEL_COLUMNS`), e.g. from :func:`unit_labels`.
    coders : two str
        The pair to compare (people or engines).
    codes : list of str, optional
        The codes to report (default: every code either coder applied).
    n_boot : int, default 1000
        Bootstrap draws (units resampled with replacement); 0 skips the intervals.
    level : float, default 0.95
        Level of the percentile intervals.
    random_state : int, Generator or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        :data:`AGREEMENT_COLUMNS`: one row per code, then ``"(pooled)"`` over every (unit,
        code) cell. ``units``: units either coder covers; ``double_coded``: units both
        cover (the coefficients use only these); ``both``, ``a_only``, ``b_only``,
        ``neither``: the 2x2 table; each coefficient of
        :data:`~thematic.analysis.coefficients.COEFFICIENTS` with ``_low`` and ``_high``.
        Krippendorff's alpha is computed in closed form from the table (two coders,
        pairable units only), which equals ``krippendorff.alpha`` on the same data (the
        tests check it); :func:`multi_coder_alpha` calls the package for 2+ coders.

    Raises
    ------
    ParameterError
        Fewer than two coders, an unknown coder, or no unit both coders cover.
    """
    pair = _coders(labels, coders, 2)
    if len(pair) != 2:
        raise ParameterError(f"intercoder_agreement compares two coders. Got {pair} instead; "
                             "use multi_coder_alpha for more.")
    if not 0.0 < level < 1.0 or not isinstance(n_boot, int) or n_boot < 0:
        raise ParameterError(f"level must be in (0, 1) and n_boot an integer >= 0. Got "
                             f"level={level!r}, n_boot={n_boot!r} instead.")
    units, code_list, cube, covered = _matrices(labels, pair, codes)
    both_cover = covered[0] & covered[1]
    if not both_cover.any():
        raise ParameterError(f"coders {pair[0]!r} and {pair[1]!r} have no unit in common "
                             f"({int(covered[0].sum())} and {int(covered[1].sum())} units "
                             "coded). Code the same documents twice to measure agreement.")
    x, y = cube[0][both_cover], cube[1][both_cover]
    cells = np.stack([(x == 1) & (y == 1), (x == 1) & (y == 0), (x == 0) & (y == 1),
                      (x == 0) & (y == 0)], axis=-1).astype(float)  # unit, code, cell
    rng = np.random.default_rng(random_state)
    per_code = cells.sum(axis=0)  # code, cell
    rows = []
    for j, code in enumerate([*code_list, POOLED]):
        table = per_code[j] if code != POOLED else per_code.sum(axis=0)
        point = coefficients(*table)  # alpha in closed form: equal to krippendorff.alpha
        if code != POOLED:
            draws = bootstrap_tables(tuple(table), n_boot, rng)
        else:  # resample whole units, keeping the codes of a unit together
            per_unit = cells.sum(axis=1)
            draws = np.array([np.bincount(rng.integers(0, len(x), len(x)),
                                          minlength=len(x)) @ per_unit
                              for _ in range(n_boot)]).reshape(n_boot, 4)
        boot = coefficients(*draws.T)
        row = {"code": code, "coder_a": pair[0], "coder_b": pair[1],
               "units": int((covered[0] | covered[1]).sum()),
               "double_coded": int(both_cover.sum()),
               "double_coded_share": both_cover.sum() / max((covered[0] | covered[1]).sum(), 1),
               **dict(zip(("both", "a_only", "b_only", "neither"), table.astype(int)))}
        for name in COEFFICIENTS:
            low, high = percentile_interval(boot[name], level) if n_boot else (np.nan, np.nan)
            row.update({name: float(point[name]), f"{name}_low": low, f"{name}_high": high})
        rows.append(row)
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def disagreements(labels: pd.DataFrame, coders: Sequence[str], *,
                  units: pd.DataFrame | None = None,
                  codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Every (unit, code) on which two coders differ, among the units both cover.

    Parameters
    ----------
    labels, coders, codes
        As in :func:`intercoder_agreement`.
    units : DataFrame, optional
        The units frame (``segment_id`` and ``document``, ``participant``, ``text``) to
        show each disagreement's text.

    Returns
    -------
    DataFrame
        Columns ``unit``, ``code``, ``coder_a``, ``coder_b``, ``value_a``, ``value_b``
        (0/1), ``document``, ``participant``, ``text`` (None without ``units``), in unit
        order then code order.
    """
    pair = _coders(labels, coders, 2)[:2]
    unit_index, code_list, cube, _ = _matrices(labels, pair, codes)
    x, y = cube[0], cube[1]
    i, j = np.nonzero(~np.isnan(x) & ~np.isnan(y) & (x != y))
    out = pd.DataFrame({"unit": unit_index.to_numpy()[i],
                        "code": np.array(code_list, dtype=object)[j],
                        "coder_a": pair[0], "coder_b": pair[1],
                        "value_a": x[i, j].astype(int), "value_b": y[i, j].astype(int)})
    info = ["document", "participant", "text"]
    if units is not None:
        lookup = units.drop_duplicates("segment_id").set_index("segment_id")
        for column in info:
            out[column] = out["unit"].map(lookup[column]) if column in lookup else None
    else:
        for column in info:
            out[column] = None
    return out


def multi_coder_alpha(labels: pd.DataFrame, *, coders: Sequence[str] | None = None,
                      codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Krippendorff's alpha (nominal) of two or more coders, per code and pooled.

    A unit a coder does not cover is missing data for that coder; a unit covered by fewer
    than two coders is not pairable and is left out, as in Krippendorff's definition.

    Returns
    -------
    DataFrame
        Columns ``code`` (then ``"(pooled)"``), ``coders`` (how many), ``units`` (units
        covered by at least two coders) and ``krippendorff_alpha``.
    """
    chosen = _coders(labels, coders, 2)
    _, code_list, cube, covered = _matrices(labels, chosen, codes)
    pairable = int((covered.sum(axis=0) >= 2).sum())
    if pairable == 0:
        raise ParameterError(f"coders {chosen} have no unit in common. Code the same "
                             "documents twice to measure agreement.")
    rows = [{"code": code, "coders": len(chosen), "units": pairable,
             "krippendorff_alpha": _alpha(cube[:, :, j])} for j, code in enumerate(code_list)]
    rows.append({"code": POOLED, "coders": len(chosen), "units": pairable,
                 "krippendorff_alpha": _alpha(cube.reshape(len(chosen), -1))})
    return pd.DataFrame(rows)
