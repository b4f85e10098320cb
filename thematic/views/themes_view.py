"""Presenters of themes and analysis tables for the CLI and the app (pure: frames in).

``theme_tree`` orders themes as a tree with their codes and counts; ``tree_lines`` draws it as
text; ``table_records`` turns any analysis frame into JSON-safe records.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["table_records", "theme_tree", "tree_lines"]


def theme_tree(themes: pd.DataFrame, theme_codes: pd.DataFrame,
               frequencies: pd.DataFrame) -> pd.DataFrame:
    """Themes in tree order (parents before children, by position) with codes and counts.

    Parameters
    ----------
    themes, theme_codes
        ``Project.themes()`` and ``Project.theme_codes()``.
    frequencies
        ``Project.frequencies(rows="theme")`` (one row per theme).

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
    return pd.DataFrame(rows, columns=["theme", "parent", "depth", "codes", "codings",
                                       "segments", "documents", "participants",
                                       "participants_pct", "empty", "definition"])


def tree_lines(tree: pd.DataFrame) -> list[str]:
    """The tree as indented text lines: name, counts, codes; "no codings" when empty."""
    lines = []
    for row in tree.itertuples():
        counts = ("no codings yet" if row.empty else
                  f"{row.participants} participants ({row.participants_pct:.0f}%), "
                  f"{row.documents} documents, {row.codings} codings")
        codes = ", ".join(row.codes) or "no codes"
        lines.append(f"{'  ' * row.depth}{row.theme}: {counts} [{codes}]")
    return lines


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    return value


def table_records(frame: pd.DataFrame, *, index: bool = False) -> list[dict[str, Any]]:
    """JSON-safe records of a frame (NaN as None; with ``index``, the index as a column)."""
    data = frame.reset_index() if index else frame
    return [{str(k): _plain(v) for k, v in row.items()} for row in data.to_dict("records")]
