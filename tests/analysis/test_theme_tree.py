"""The theme tree on conftest.py's study."""

from __future__ import annotations

import pandas as pd

from thematic.analysis import frequencies, theme_tree
from thematic.analysis.themes import TREE_COLUMNS


def test_tree_order_codes_and_counts(codings: pd.DataFrame, segments: pd.DataFrame,
                                     themes: pd.DataFrame, theme_codes: pd.DataFrame) -> None:
    freq = frequencies(codings, by="theme", theme_codes=theme_codes, themes=themes,
                       segments=segments)
    tree = theme_tree(themes, theme_codes, freq)
    assert tree.columns.tolist() == TREE_COLUMNS
    assert tree[["theme", "parent", "depth"]].values.tolist() == [
        ["T1", None, 0], ["T1a", "T1", 1], ["T2", None, 0], ["T3", None, 0]]
    row = tree.set_index("theme")
    assert row.loc["T1", "codes"] == ["a"] and row.loc["T1", "codings"] == 3
    assert bool(row.loc["T3", "empty"]) and row.loc["T3", "codes"] == []


def test_tree_survives_a_stored_cycle(theme_codes: pd.DataFrame) -> None:
    looped = pd.DataFrame({"theme_id": [1, 2], "name": ["A", "B"], "parent": ["B", "A"],
                           "definition": "", "position": [1, 2]})
    assert theme_tree(looped, theme_codes, pd.DataFrame()).empty  # no root: nothing, no hang
