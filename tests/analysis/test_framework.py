"""The framework matrix on conftest.py's study."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import framework_matrix
from thematic.analysis.framework import FRAMEWORK_COLUMNS, parse_quote_ids
from thematic.errors import ParameterError


@pytest.fixture
def summaries() -> pd.DataFrame:
    return pd.DataFrame({"participant": ["P1", "P2"], "theme": ["T1", "T1"],
                         "summary": ["Felt listened to from the first circle.", "  "],
                         "quote_ids": ["1, 3, 99", None]})


def test_long_form(codings: pd.DataFrame, summaries: pd.DataFrame, themes: pd.DataFrame,
                   theme_codes: pd.DataFrame) -> None:
    table = framework_matrix(codings, summaries, theme_codes=theme_codes, themes=themes)
    assert table.columns.tolist() == ["participant", "theme", *FRAMEWORK_COLUMNS]
    assert len(table) == 3 * 4  # participants x themes
    cell = table.set_index(["participant", "theme"])
    p1 = cell.loc[("P1", "T1")]
    assert p1["state"] == "summarised"
    assert p1["quote_ids"] == [1, 3] and p1["missing_quote_ids"] == [99]
    assert [q["text"] for q in p1["quotes"]] == ["t1", "t3"]
    assert p1["to_summarise"] == []
    # a blank summary is no summary: the cell lists P2's T1 codings (coding 5) to summarise
    p2 = cell.loc[("P2", "T1")]
    assert p2["state"] == "to summarise"
    assert [q["coding_id"] for q in p2["to_summarise"]] == [5]
    # P3's only coding is rejected: no data; T3 has no codes: no data for anyone
    assert cell.loc[("P3", "T2"), "state"] == "no data"
    assert set(cell.xs("T3", level="theme")["state"]) == {"no data"}


def test_wide_form(codings: pd.DataFrame, summaries: pd.DataFrame,
                   theme_codes: pd.DataFrame) -> None:
    wide = framework_matrix(codings, summaries, theme_codes=theme_codes, form="wide")
    assert wide.index.tolist() == ["P1", "P2", "P3"]
    assert wide.loc["P1", "T1"].splitlines() == [
        "Felt listened to from the first circle.", "[d1 #1] \u201ct1\u201d",
        "[d1 #3] \u201ct3\u201d"]
    assert wide.loc["P2", "T2"].splitlines() == ["To summarise:", "[d2 #8] \u201ct8\u201d"]
    assert wide.loc["P3", "T1"] == ""


def test_by_code_without_summaries(codings: pd.DataFrame) -> None:
    table = framework_matrix(codings, by="code")
    # codes a, b, c x P1-P3: P1 and P2 have accepted codings of all three, P3 none
    assert table.groupby("state").size().to_dict() == {"no data": 3, "to summarise": 6}


@pytest.mark.parametrize(("value", "expected"), [
    ("12; 15,", [12, 15]), (7, [7]), ([3, 4], [3, 4]), (None, []), (float("nan"), []),
])
def test_parse_quote_ids(value: object, expected: list[int]) -> None:
    assert parse_quote_ids(value) == expected


def test_summaries_need_columns(codings: pd.DataFrame, theme_codes: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="summaries must have the columns"):
        framework_matrix(codings, pd.DataFrame({"participant": ["P1"], "note": ["x"]}),
                         theme_codes=theme_codes)
