"""Participant and attribute matrices, and drill-down, on the study of conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import attribute_matrix, drill_down, participant_matrix
from thematic.analysis.matrices import ATTRIBUTE_COLUMNS
from thematic.errors import ParameterError


def test_participant_matrix_segments(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    matrix = participant_matrix(codings, segments=segments)
    assert matrix.columns.tolist() == ["P1", "P2", "P3"]
    assert matrix.to_dict("index") == {"a": {"P1": 2, "P2": 1, "P3": 0},
                                       "b": {"P1": 1, "P2": 1, "P3": 0},
                                       "c": {"P1": 1, "P2": 1, "P3": 0}}


def test_participant_matrix_presence_and_themes(codings: pd.DataFrame, segments: pd.DataFrame,
                                                themes: pd.DataFrame,
                                                theme_codes: pd.DataFrame) -> None:
    matrix = participant_matrix(codings, by="theme", value="presence", segments=segments,
                                theme_codes=theme_codes, themes=themes, subthemes=True)
    assert matrix.index.tolist() == ["T1", "T1a", "T2", "T3"]
    assert matrix.loc["T1"].tolist() == [1, 1, 0]
    assert matrix.loc["T3"].tolist() == [0, 0, 0]


def test_attribute_matrix_long(codings: pd.DataFrame, segments: pd.DataFrame,
                               participants: pd.DataFrame) -> None:
    table = attribute_matrix(codings, participants, "role", segments=segments)
    assert table.columns.tolist() == ["code", *ATTRIBUTE_COLUMNS]
    cell = table.set_index(["code", "value"])
    # role member = {P1, P3} (2), staff = {P2} (1); code a: P1 among members, P2 among staff
    assert cell.loc[("a", "member"), ["group_size", "participants", "participants_pct"]
                    ].tolist() == [2, 1, 50.0]
    assert cell.loc[("a", "staff"), ["group_size", "participants", "participants_pct"]
                    ].tolist() == [1, 1, 100.0]
    assert cell.loc[("a", "member"), "segments"] == 2  # segments 1 and 2 of P1


def test_attribute_matrix_missing_group_and_wide(codings: pd.DataFrame,
                                                 participants: pd.DataFrame) -> None:
    wide = attribute_matrix(codings, participants, "attr:site", form="wide")
    assert wide.columns.tolist() == ["A n", "A %", "(missing) n", "(missing) %"]
    assert wide.loc["c"].tolist() == [2, 100.0, 0, 0.0]  # P3's only coding is rejected


def test_attribute_that_does_not_exist(codings: pd.DataFrame,
                                       participants: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"attribute 'age' does not exist.*\['role', "
                                             r"'site'\]"):
        attribute_matrix(codings, participants, "age")


def test_drill_down_cell(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    cell = drill_down(codings, code="a", participant="P1", segments=segments)
    assert cell["coding_id"].tolist() == [1, 3]
    assert cell["segment_text"].tolist() == ["one", "two"]


def test_drill_down_attribute_and_theme(codings: pd.DataFrame, participants: pd.DataFrame,
                                        themes: pd.DataFrame,
                                        theme_codes: pd.DataFrame) -> None:
    cell = drill_down(codings, code="T1", by="theme", theme_codes=theme_codes, themes=themes,
                      subthemes=True, attribute="role", value="staff",
                      participants=participants)
    assert cell["coding_id"].tolist() == [5, 6]
    assert cell["source_code"].tolist() == ["a", "b"]
    with pytest.raises(ParameterError, match="theme 'T9' does not exist"):
        drill_down(codings, code="T9", by="theme", theme_codes=theme_codes)
    with pytest.raises(ParameterError, match="given together"):
        drill_down(codings, attribute="role")
