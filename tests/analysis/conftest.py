"""A small hand-made study whose every count is worked out in the tests."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def segments() -> pd.DataFrame:
    """Six sentences: d1 (P1) 1-3, d2 (P2) 4-5, d3 (P3) 6."""
    return pd.DataFrame({
        "segment_id": [1, 2, 3, 4, 5, 6],
        "document": ["d1", "d1", "d1", "d2", "d2", "d3"],
        "participant": ["P1", "P1", "P1", "P2", "P2", "P3"],
        "start": [0, 10, 20, 0, 10, 0],
        "end": [10, 20, 30, 10, 20, 10],
        "text": ["one", "two", "three", "four", "five", "six"],
    })


@pytest.fixture
def codings() -> pd.DataFrame:
    """Eight codings; 7 is rejected. No segment_id: placed by their start offset."""
    return pd.DataFrame({
        "coding_id": [1, 2, 3, 4, 5, 6, 7, 8],
        "document": ["d1", "d1", "d1", "d1", "d2", "d2", "d3", "d2"],
        "participant": ["P1", "P1", "P1", "P1", "P2", "P2", "P3", "P2"],
        "code": ["a", "b", "a", "c", "a", "b", "c", "c"],
        "start": [0, 2, 10, 20, 0, 10, 0, 5],
        "end": [10, 8, 20, 30, 10, 15, 10, 10],
        "text": ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"],
        "status": ["accepted"] * 6 + ["rejected", "accepted"],
    })


@pytest.fixture
def participants() -> pd.DataFrame:
    return pd.DataFrame({"participant": ["P1", "P2", "P3"], "name": ["Ann", "Bo", "Cy"],
                         "role": ["member", "staff", "member"], "site": ["A", "A", None]})


@pytest.fixture
def themes() -> pd.DataFrame:
    """T1 (code a) with subtheme T1a (code b), T2 (code c), T3 without codes."""
    return pd.DataFrame({"theme_id": [1, 2, 3, 4], "name": ["T1", "T1a", "T2", "T3"],
                         "parent": [None, "T1", None, None], "definition": "",
                         "position": [1, 2, 3, 4]})


@pytest.fixture
def theme_codes() -> pd.DataFrame:
    return pd.DataFrame({"theme": ["T1", "T1a", "T2"], "code": ["a", "b", "c"]})
