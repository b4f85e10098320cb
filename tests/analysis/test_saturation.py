"""Code accumulation and Guest, Namey & Chen (2020) saturation, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thematic.analysis import (
    code_accumulation,
    saturation_bootstrap,
    saturation_point,
    saturation_runs,
)
from thematic.analysis.saturation import ACCUMULATION_COLUMNS, RUN_COLUMNS
from thematic.errors import ParameterError

#: Codes per interview, in interview order.
INTERVIEWS = {"d1": "abcd", "d2": "ae", "d3": "b", "d4": "f", "d5": "a", "d6": "b",
              "d7": "g", "d8": "a"}


@pytest.fixture
def codings() -> pd.DataFrame:
    rows = [(doc, code) for doc, codes in INTERVIEWS.items() for code in codes]
    return pd.DataFrame(rows, columns=["document", "code"]).assign(status="accepted")


def test_accumulation(codings: pd.DataFrame) -> None:
    table = code_accumulation(codings)
    assert table.columns.tolist() == ACCUMULATION_COLUMNS
    assert table["new_codes"].tolist() == [4, 1, 0, 1, 0, 0, 1, 0]
    assert table["cumulative"].tolist() == [4, 5, 5, 6, 6, 6, 7, 7]
    assert table["cumulative_share"].iloc[3] == pytest.approx(6 / 7)
    assert table["new_code_ids"].iloc[6] == ["g"]


def test_accumulation_order_and_document_without_codings(codings: pd.DataFrame) -> None:
    table = code_accumulation(codings, order=["d7", "d0", "d1"])
    assert table["document"].tolist() == ["d7", "d0", "d1"]
    assert table["new_codes"].tolist() == [1, 0, 4]


def test_runs_base_four(codings: pd.DataFrame) -> None:
    runs = saturation_runs(codings, base_size=4, run_length=2, threshold=0.05)
    assert runs.columns.tolist() == RUN_COLUMNS
    # base d1-d4 has a-f (6 codes); run d5-d6 adds nothing: 0 / 6 <= 5%
    assert runs.iloc[0][["run_start", "run_end", "base_codes", "new_codes"]].tolist() == \
        [5, 6, 6, 0]
    assert bool(runs.iloc[0]["saturated"])
    # run d6-d7 brings g: 1 / 6 = 16.7%
    assert runs.iloc[1]["new_share"] == pytest.approx(1 / 6)
    assert saturation_point(codings, base_size=4, run_length=2) == 4


def test_runs_base_two(codings: pd.DataFrame) -> None:
    # base d1-d2 = a-e (5); runs d3-d4: f (1/5), d4-d5: f (1/5), d5-d6: none -> saturated
    runs = saturation_runs(codings, base_size=2, run_length=2, threshold=0.0)
    assert runs["new_codes"].tolist() == [1, 1, 0, 1, 1]
    assert runs["saturated"].tolist() == [False, False, True, False, False]
    assert saturation_point(codings, base_size=2, run_length=2, threshold=0.0) == 4
    # a 20% threshold accepts the first run: saturation after the base
    assert saturation_point(codings, base_size=2, run_length=2, threshold=0.2) == 2


def test_not_reached(codings: pd.DataFrame) -> None:
    # base d3, d5, d6, d8 = {a, b}; d2 brings e (1/2), then d1 brings c and d (2/2)
    assert saturation_point(codings, order=["d3", "d5", "d6", "d8", "d2", "d1"],
                            base_size=4, run_length=1, threshold=0.0) is None


def test_bootstrap_matches_each_order(codings: pd.DataFrame) -> None:
    result = saturation_bootstrap(codings, base_size=2, run_length=2, threshold=0.0,
                                  n_boot=50, random_state=11)
    names = list(INTERVIEWS)
    rng = np.random.default_rng(11)
    expected = []
    for _ in range(50):
        order = [names[i] for i in rng.permutation(len(names))]
        point = saturation_point(codings, order=order, base_size=2, run_length=2,
                                 threshold=0.0)
        expected.append(np.nan if point is None else point)
    np.testing.assert_array_equal(result.points.to_numpy(), np.array(expected, dtype=float))
    reached = np.array([e for e in expected if not np.isnan(e)])
    assert result.median == np.median(reached)
    assert (result.q25, result.q75) == tuple(np.quantile(reached, [0.25, 0.75]))
    assert result.share_saturated == len(reached) / 50
    assert result.band["position"].tolist() == list(range(1, 9))
    assert result.band["median"].iloc[-1] == 1.0  # every order ends with all codes
    assert result.summary().loc[0, "n_boot"] == 50


def test_bootstrap_is_seeded(codings: pd.DataFrame) -> None:
    first = saturation_bootstrap(codings, n_boot=30, base_size=2, random_state=5)
    again = saturation_bootstrap(codings, n_boot=30, base_size=2, random_state=5)
    other = saturation_bootstrap(codings, n_boot=30, base_size=2, random_state=6)
    pd.testing.assert_series_equal(first.points, again.points)
    assert not first.points.equals(other.points)


def test_one_document() -> None:
    one = pd.DataFrame({"document": ["d1", "d1"], "code": ["a", "b"]})
    with pytest.raises(ParameterError, match=r"at least base_size \+ run_length = 6 "
                                             r"documents.*Got 1 instead"):
        saturation_runs(one)
    with pytest.raises(ParameterError, match="Got 1 instead"):
        saturation_bootstrap(one, random_state=0)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"base_size": 0}, "base_size must be an integer >= 1"),
    ({"run_length": 1.5}, "run_length must be an integer >= 1"),
    ({"threshold": 1.5}, r"threshold must be a share in \[0, 1\)"),
])
def test_bad_parameters(codings: pd.DataFrame, kwargs: dict, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        saturation_runs(codings, **kwargs)
