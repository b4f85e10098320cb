"""Frequencies per code and theme on the hand-made study of conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import frequencies
from thematic.analysis.frequencies import FREQUENCY_COLUMNS
from thematic.errors import ParameterError


def test_per_code_counts(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    table = frequencies(codings, segments=segments).set_index("code")
    assert list(table.columns) == FREQUENCY_COLUMNS
    # a: codings 1, 3, 5 in segments 1, 2, 4 of d1 (P1) and d2 (P2); 2 of 3 participants
    assert table.loc["a"].tolist()[:4] == [3, 3, 2, 2]
    assert table.loc["a", "participants_pct"] == pytest.approx(200 / 3)
    # c: coding 7 is rejected, so only 4 (segment 3, P1) and 8 (segment 4, P2)
    assert table.loc["c"].tolist()[:4] == [2, 2, 2, 2]
    assert table.loc["b"].tolist()[:4] == [2, 2, 2, 2]


def test_all_statuses_and_listed_codes(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    table = frequencies(codings, segments=segments, status=None, codes=["c", "z"])
    assert table["code"].tolist() == ["c", "z"]
    assert table.set_index("code").loc["c", "participants"] == 3  # P3's rejected coding counts
    assert table.set_index("code").loc["z"].tolist()[:4] == [0, 0, 0, 0]


def test_code_descendants(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    table = frequencies(codings, segments=segments, code_parents={"b": "a", "a": None,
                                                                  "c": None}).set_index("code")
    # a with its child b: codings 1, 2, 3, 5, 6 in segments 1, 2, 4, 5
    assert table.loc["a", ["codings", "segments"]].tolist() == [5, 4]
    assert table.loc["b", ["codings", "segments"]].tolist() == [2, 2]


def test_per_theme_with_empty_theme(codings: pd.DataFrame, segments: pd.DataFrame,
                                    themes: pd.DataFrame, theme_codes: pd.DataFrame) -> None:
    table = frequencies(codings, by="theme", theme_codes=theme_codes, themes=themes,
                        segments=segments).set_index("theme")
    assert table.index.tolist() == ["T1", "T1a", "T2", "T3"]
    assert table.loc["T1", ["codings", "segments"]].tolist() == [3, 3]
    # a theme with no codings is a row of zeros, not an error
    assert table.loc["T3"].tolist() == [0, 0, 0, 0, 0.0]


def test_theme_with_subthemes(codings: pd.DataFrame, segments: pd.DataFrame,
                              themes: pd.DataFrame, theme_codes: pd.DataFrame) -> None:
    table = frequencies(codings, by="theme", theme_codes=theme_codes, themes=themes,
                        segments=segments, subthemes=True).set_index("theme")
    assert table.loc["T1", ["codings", "segments", "participants"]].tolist() == [5, 4, 2]


def test_population_from_participants(codings: pd.DataFrame) -> None:
    table = frequencies(codings, participants=["P1", "P2", "P3", "P4"]).set_index("code")
    assert table.loc["a", "participants_pct"] == 50.0


def test_segment_ids_are_used_when_present(codings: pd.DataFrame) -> None:
    table = frequencies(codings.assign(segment_id=1)).set_index("code")
    assert table.loc["a", "segments"] == 1


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"by": "participant"}, "by must be one of"),
    ({"by": "theme"}, "needs theme_codes"),
])
def test_bad_parameters(codings: pd.DataFrame, kwargs: dict, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        frequencies(codings, **kwargs)


def test_missing_columns(codings: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"missing \['participant'\]"):
        frequencies(codings.drop(columns="participant"))
