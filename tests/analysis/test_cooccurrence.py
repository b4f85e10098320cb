"""Co-occurrence by segment, window and overlap, worked out by hand on conftest.py's study.

Segments coded (accepted): a = {1, 2, 4}, b = {1, 5}, c = {3, 4}; segment order d1: 1, 2, 3;
d2: 4, 5; d3: 6.
"""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import cooccurrence
from thematic.analysis.cooccurrence import COOCCURRENCE_COLUMNS
from thematic.errors import ParameterError


def pairs(table: pd.DataFrame, column: str) -> dict[tuple[str, str], float]:
    return {(r.code_a, r.code_b): getattr(r, column) for r in table.itertuples()}


def test_same_segment(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    table = cooccurrence(codings, segments=segments)
    assert table.columns.tolist() == COOCCURRENCE_COLUMNS
    # a & b share segment 1, a & c segment 4; |a | b| = |{1, 2, 4, 5}| = 4, |a | c| = 4
    assert pairs(table, "count") == {("a", "b"): 1, ("a", "c"): 1}
    assert pairs(table, "jaccard") == {("a", "b"): 0.25, ("a", "c"): 0.25}


def test_window(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    table = cooccurrence(codings, segments=segments, method="window", window=1)
    # near(b) = {1, 2, 4, 5}; near(a) = {1, 2, 3, 4, 5}; near(c) = {2, 3, 4, 5}
    # a,b: (A & near b) | (B & near a) = {1, 2, 4} | {1, 5} = 4 segments; |A | B| = 4
    # a,c: {2, 4} | {3, 4} = 3; |A | C| = 4.  b,c: {5} | {4} = 2; |B | C| = 4
    assert pairs(table, "count") == {("a", "b"): 4, ("a", "c"): 3, ("b", "c"): 2}
    assert pairs(table, "jaccard") == {("a", "b"): 1.0, ("a", "c"): 0.75, ("b", "c"): 0.5}


def test_window_zero_is_same_segment(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        cooccurrence(codings, segments=segments, method="window", window=0),
        cooccurrence(codings, segments=segments))


def test_overlap(codings: pd.DataFrame) -> None:
    table = cooccurrence(codings, method="overlap")
    # coding 1 (a, d1 0-10) overlaps 2 (b, 2-8); coding 5 (a, d2 0-10) overlaps 8 (c, 5-10)
    assert pairs(table, "count") == {("a", "b"): 1, ("a", "c"): 1}
    # characters: a = 20 (d1) + 10 (d2), b = 6 + 5, shared 6 -> 6 / 35;
    # c = 10 (d1 20-30) + 5 (d2 5-10), shared with a 5 -> 5 / (30 + 15 - 5)
    assert pairs(table, "jaccard") == pytest.approx({("a", "b"): 6 / 35, ("a", "c"): 0.125})
    assert pairs(table, "n_a") == {("a", "b"): 3, ("a", "c"): 3}


def test_square_forms(codings: pd.DataFrame, segments: pd.DataFrame) -> None:
    counts = cooccurrence(codings, segments=segments, form="square")
    assert counts.loc["a"].tolist() == [3, 1, 1]  # diagonal: a's own segments
    assert (counts.to_numpy() == counts.to_numpy().T).all()
    jac = cooccurrence(codings, segments=segments, form="square", measure="jaccard")
    assert jac.loc["b"].tolist() == [0.25, 1.0, 0.0]


def test_themes(codings: pd.DataFrame, segments: pd.DataFrame, themes: pd.DataFrame,
                theme_codes: pd.DataFrame) -> None:
    table = cooccurrence(codings, segments=segments, by="theme", theme_codes=theme_codes,
                         themes=themes)
    assert pairs(table, "count") == {("T1", "T1a"): 1, ("T1", "T2"): 1}


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"method": "paragraph"}, "method must be one of"),
    ({"method": "window", "window": -1}, "window must be an integer >= 0"),
    ({"measure": "dice"}, "measure must be one of"),
])
def test_bad_parameters(codings: pd.DataFrame, segments: pd.DataFrame, kwargs: dict,
                        match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        cooccurrence(codings, segments=segments, **kwargs)


def test_window_needs_segments(codings: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="needs segments"):
        cooccurrence(codings, method="window")


@pytest.mark.parametrize("seed", range(5))
def test_overlap_against_brute_force(seed: int) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    n = 60
    frame = pd.DataFrame({"coding_id": np.arange(n), "document": rng.choice(["d", "e"], n),
                          "code": rng.choice(["a", "b", "c"], n),
                          "start": rng.integers(0, 200, n)})
    frame["end"] = frame["start"] + rng.integers(1, 30, n)
    table = cooccurrence(frame, method="overlap", status=None, form="square")
    jac = cooccurrence(frame, method="overlap", status=None, form="square", measure="jaccard")
    rows = list(frame.itertuples())
    chars = {c: {(r.document, i) for r in rows if r.code == c for i in range(r.start, r.end)}
             for c in "abc"}
    for x in "abc":
        for y in "abc":
            if x == y:
                continue
            pairs = sum(1 for r in rows for s in rows if r.code == x and s.code == y
                        and r.document == s.document and max(r.start, s.start) <
                        min(r.end, s.end))
            assert table.loc[x, y] == pairs
            union = len(chars[x] | chars[y])
            assert jac.loc[x, y] == pytest.approx(len(chars[x] & chars[y]) / union)
