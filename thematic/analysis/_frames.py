"""Shared helpers of the analysis functions: column checks, status filter, themes, segments.

Private to :mod:`thematic.analysis`; the public functions document what they accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from thematic.errors import ParameterError

#: The name used for a code or theme column, by ``by`` value.
BY_VALUES = ("code", "theme")


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise :class:`ParameterError` naming the missing columns of ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{name} must have the columns {list(columns)}. "
                             f"Got {list(frame.columns)} instead (missing {missing}).")


def check_choice(value: object, choices: Sequence[object], name: str) -> None:
    """Raise :class:`ParameterError` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ParameterError(f"{name} must be one of {list(choices)}. Got {value!r} instead.")


def filter_status(codings: pd.DataFrame, status: str | None) -> pd.DataFrame:
    """The codings whose ``status`` is ``status`` (all of them when ``status`` is None)."""
    if status is None or "status" not in codings.columns:
        return codings
    return codings[codings["status"] == status]


def descendants(parents: Mapping[str, str | None]) -> dict[str, set[str]]:
    """Each node of a ``child -> parent`` map with itself and all its descendants."""
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        if parent is not None and not (isinstance(parent, float) and np.isnan(parent)):
            children.setdefault(str(parent), []).append(str(child))
    nodes = set(parents) | set(children)
    out: dict[str, set[str]] = {}
    for node in nodes:
        seen: set[str] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if current in seen:
                continue  # a cycle: stop rather than loop
            seen.add(current)
            stack.extend(children.get(current, []))
        out[node] = seen
    return out


def theme_code_map(theme_codes: pd.DataFrame, *, themes: pd.DataFrame | None = None,
                   code_parents: Mapping[str, str | None] | None = None,
                   subthemes: bool = False) -> dict[str, set[str]]:
    """Each theme's set of codes.

    ``code_parents`` (code -> parent code) adds each code's descendant codes; with ``themes``
    (columns ``name``, ``parent``) and ``subthemes=True`` a theme also gets its subthemes'
    codes. Themes listed in ``themes`` but without codes map to an empty set.
    """
    require_columns(theme_codes, ("theme", "code"), "theme_codes")
    mapping: dict[str, set[str]] = {}
    if themes is not None:
        require_columns(themes, ("name",), "themes")
        for name in themes["name"]:
            mapping.setdefault(str(name), set())
    for theme, code in zip(theme_codes["theme"], theme_codes["code"]):
        mapping.setdefault(str(theme), set()).add(str(code))
    if code_parents is not None:
        tree = descendants(code_parents)
        mapping = {t: set().union(*(tree.get(c, {c}) for c in codes)) if codes else set()
                   for t, codes in mapping.items()}
    if subthemes and themes is not None and "parent" in themes.columns:
        theme_tree = descendants(dict(zip(themes["name"].astype(str), themes["parent"])))
        mapping = {t: set().union(*(mapping.get(s, set()) for s in theme_tree.get(t, {t})))
                   for t in mapping}
    return mapping


def as_theme_codings(codings: pd.DataFrame, mapping: Mapping[str, set[str]]) -> pd.DataFrame:
    """The codings restated per theme: one row per (coding, theme), ``code`` set to the theme.

    A coding whose code serves several themes appears once per theme; the original code is
    kept in ``source_code``.
    """
    require_columns(codings, ("code",), "codings")
    pairs = [(code, theme) for theme, codes in mapping.items() for code in codes]
    link = pd.DataFrame(pairs, columns=["source_code", "theme"])
    out = codings.rename(columns={"code": "source_code"}).merge(link, on="source_code",
                                                                how="inner")
    return out.rename(columns={"theme": "code"})


def unit_frame(codings: pd.DataFrame, by: str, *, theme_codes: pd.DataFrame | None,
               themes: pd.DataFrame | None, code_parents: Mapping[str, str | None] | None,
               subthemes: bool) -> tuple[pd.DataFrame, list[str]]:
    """Codings with ``code`` holding the code (``by="code"``) or theme, and the row labels.

    With ``code_parents`` a code's row also holds its descendant codes' codings.

    For themes the labels are every theme (in ``themes`` order when given, else sorted),
    so that a theme without codings still gets a row.
    """
    check_choice(by, BY_VALUES, "by")
    if by == "code":
        present = set(codings["code"].astype(str).unique())
        if code_parents is None:
            return codings, sorted(present)
        tree = descendants(code_parents)
        code_map = {c: tree.get(c, {c}) for c in present | set(tree)}
        return as_theme_codings(codings.assign(code=codings["code"].astype(str)),
                                code_map), sorted(code_map)
    if theme_codes is None:
        raise ParameterError("by='theme' needs theme_codes (columns theme, code). Got None "
                             "instead.")
    mapping = theme_code_map(theme_codes, themes=themes, code_parents=code_parents,
                             subthemes=subthemes)
    labels = [str(n) for n in themes["name"]] if themes is not None else sorted(mapping)
    return as_theme_codings(codings, mapping), labels


def attach_segments(codings: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Codings with a ``segment_id`` column.

    Kept when ``codings`` already has one (after the seams every coding has); otherwise each
    coding gets the segment of the same document that contains its start offset (NaN when
    none does). Without segments and without the column, each coding is its own unit.
    """
    if "segment_id" in codings.columns and codings["segment_id"].notna().all():
        return codings
    if segments is None:
        out = codings.copy()
        out["segment_id"] = np.arange(len(codings))
        return out
    require_columns(segments, ("segment_id", "document", "start", "end"), "segments")
    require_columns(codings, ("document", "start"), "codings")
    out = codings.copy()
    ids = np.full(len(out), np.nan)
    for doc, segs in segments.groupby("document", sort=False):
        mask = (out["document"] == doc).to_numpy()
        if not mask.any():
            continue
        segs = segs.sort_values("start")
        starts = segs["start"].to_numpy()
        ends = segs["end"].to_numpy()
        coding_starts = out.loc[mask, "start"].to_numpy()
        pos = np.searchsorted(starts, coding_starts, side="right") - 1
        safe = np.clip(pos, 0, None)
        ok = (pos >= 0) & (coding_starts < ends[safe])
        found = np.where(ok, segs["segment_id"].to_numpy()[safe], np.nan)
        ids[mask] = found
    out["segment_id"] = ids
    return out


def population(participants: Sequence[str] | pd.DataFrame | None, *frames: pd.DataFrame | None
               ) -> list[str]:
    """The participants who make the denominator of a percentage.

    ``participants`` (a list or a frame with a ``participant`` column) when given, else every
    participant found in the first of ``frames`` that has a ``participant`` column.
    """
    if participants is not None:
        values = participants["participant"] if isinstance(participants, pd.DataFrame) \
            else pd.Series(list(participants))
        return sorted(values.dropna().astype(str).unique())
    for frame in frames:
        if frame is not None and "participant" in frame.columns:
            return sorted(frame["participant"].dropna().astype(str).unique())
    return []
