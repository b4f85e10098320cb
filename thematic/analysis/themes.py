"""The theme tree: themes in tree order with their codes and counts (a pure function).

Used by ``thematic themes`` and the app's themes page.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["TREE_COLUMNS", "theme_tree"]

#: Columns of :func:`theme_tree`.
TREE_COLUMNS = ["theme", "parent", "depth", "codes", "codings", "segments", "documents",
                "participants", "participants_pct", "empty", "definition"]


def theme_tree(themes: pd.DataFrame, theme_codes: pd.DataFrame,
               frequencies: pd.DataFrame) -> pd.DataFrame:
    """Themes in tree order (parents before children, by position) with codes and counts.

    Parameters
    ----------
    themes, theme_codes
        ``project.themes.frame()`` and ``project.themes.codes()``.
    frequencies
        ``project.analysis.frequencies(rows="theme")`` (one row per theme).

    Returns
    -------
    DataFrame
        Columns ``theme``, ``parent``, ``depth`` (0 for a top-level theme), ``codes`` (list),
        ``codings``, ``segments``, ``documents``, ``participants``, ``participants_pct``,
        ``empty`` (True when the theme has no accepted codings), ``definition``.
    """
    counts = frequencies.set_index("theme") if len(frequencies) else pd.DataFrame()
    codes = theme_codes.groupby("theme")["code"].apply(list).to_dict() if len(theme_codes) \
        else {}
    children: dict[Any, list[pd.Series]] = {}
    for _, row in themes.sort_values(["position", "theme_id"]).iterrows():
        parent = row["parent"] if isinstance(row["parent"], str) else None
        children.setdefault(parent, []).append(row)
    rows: list[dict[str, Any]] = []

    def visit(parent: str | None, depth: int, seen: set[str]) -> None:
        for row in children.get(parent, []):
            name = str(row["name"])
            if name in seen:
                continue
            stats = counts.loc[name] if name in counts.index else None
            number = {c: int(stats[c]) if stats is not None else 0
                      for c in ("codings", "segments", "documents", "participants")}
            pct = float(stats["participants_pct"]) if stats is not None else 0.0
            rows.append({"theme": name, "parent": parent, "depth": depth,
                         "codes": codes.get(name, []), **number,
                         "participants_pct": 0.0 if math.isnan(pct) else pct,
                         "empty": number["codings"] == 0, "definition": row["definition"]})
            visit(name, depth + 1, seen | {name})

    visit(None, 0, set())
    return pd.DataFrame(rows, columns=TREE_COLUMNS)
