"""Restricting rows by participant attribute or speaker."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.errors import ParameterError
from thematic.search import parse_where, restrict

FRAME = pd.DataFrame({
    "document": ["P01", "P01", "P02", "P03"],
    "participant": ["P01", None, "P02", "P03"],
    "role": ["participant", "interviewer", "participant", "participant"],
    "attr:role": ["newcomer", None, "long-term member", "peer supporter"],
    "attr:years": [0.5, None, 12.0, 4.0],
    "attr:date": pd.to_datetime(["2026-02-03", None, "2026-02-10", "2026-02-24"]),
})


@pytest.mark.parametrize(("conditions", "expected"), [
    (["role=Newcomer,peer supporter"], ["P01", "P03"]),
    (["role!=newcomer"], ["P02", "P03"]),
    (["years>=4"], ["P02", "P03"]),
    (["years<4"], ["P01"]),
    (["date>2026-02-05"], ["P02", "P03"]),
    (["speaker_role=interviewer"], [None]),
    (["speaker_role=participant", "years>1"], ["P02", "P03"]),
])
def test_conditions_select_rows(conditions: list[str], expected: list[str | None]) -> None:
    assert restrict(FRAME, parse_where(conditions))["participant"].tolist() == expected


@pytest.mark.parametrize(("text", "message"), [
    ("gender=female", "no attribute 'gender'"),
    ("years>=many", "holds numbers"),
    ("date>=soon", "is a date"),
])
def test_bad_conditions_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        restrict(FRAME, parse_where([text]))


@pytest.mark.parametrize("text", ["role", "=x", "role="])
def test_unreadable_conditions(text: str) -> None:
    with pytest.raises(ParameterError, match="must read NAME=VALUE"):
        parse_where([text])
