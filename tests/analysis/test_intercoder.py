"""Inter-coder agreement: every coefficient against reference implementations and by hand.

References on the same inputs: scikit-learn (Cohen's kappa), statsmodels (Cohen's kappa from
the table; Fleiss' kappa with uniform margins, i.e. Randolph's free-marginal kappa, which for
two coders and two categories is Brennan-Prediger) and krippendorff (alpha, with missing data);
Gwet's AC1 against its formula worked by hand (irrCAC pins scipy==1.12, which would drag numpy
below 2 in the test environment).
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from thematic.analysis import (
    disagreements,
    document_units,
    intercoder_agreement,
    multi_coder_alpha,
    unit_labels,
)
from thematic.analysis.coefficients import COEFFICIENTS, coefficients
from thematic.analysis.intercoder import AGREEMENT_COLUMNS, LABEL_COLUMNS
from thematic.errors import ParameterError


def table_of(x: np.ndarray, y: np.ndarray) -> tuple[int, int, int, int]:
    return (int(((x == 1) & (y == 1)).sum()), int(((x == 1) & (y == 0)).sum()),
            int(((x == 0) & (y == 1)).sum()), int(((x == 0) & (y == 0)).sum()))


def pair(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 200))
    x = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(int)
    y = np.where(rng.random(n) < rng.uniform(0.05, 0.5), 1 - x, x)
    if x.min() == x.max() or y.min() == y.max():
        x[0], y[1] = 1 - x[0], 1 - y[1]  # keep both coders varying
    return x, y


@pytest.mark.parametrize("seed", range(15))
def test_coefficients_match_references(seed: int) -> None:
    x, y = pair(seed)
    ours = {k: float(v) for k, v in coefficients(*table_of(x, y)).items()}
    assert math.isclose(ours["percent_agreement"], float(np.mean(x == y)))
    assert math.isclose(ours["cohen_kappa"], cohen_kappa_score(x, y), abs_tol=1e-12)
    a, b, c, d = table_of(x, y)
    assert math.isclose(ours["cohen_kappa"], cohens_kappa(np.array([[a, b], [c, d]])).kappa,
                        abs_tol=1e-12)
    counts, _ = aggregate_raters(np.column_stack([x, y]))
    assert math.isclose(ours["brennan_prediger"], fleiss_kappa(counts, method="randolph"),
                        abs_tol=1e-12)
    pi = (np.mean(x) + np.mean(y)) / 2  # Gwet (2008): p_e = 2 pi (1 - pi) for two categories
    p_o, p_e = float(np.mean(x == y)), 2 * pi * (1 - pi)
    assert math.isclose(ours["gwet_ac1"], (p_o - p_e) / (1 - p_e), abs_tol=1e-12)
    assert math.isclose(ours["krippendorff_alpha"],
                        krippendorff.alpha(reliability_data=np.stack([x, y]),
                                           level_of_measurement="nominal"), abs_tol=1e-12)


def test_hand_computed_small_table() -> None:
    # 4 units: both apply (a=1), only A (b=1), neither (d=2).
    # p_o = 3/4; p_A = 2/4, p_B = 1/4
    # kappa: p_e = .5 * .25 + .5 * .75 = .5           -> (.75 - .5) / .5 = .5
    # BP: 2 * .75 - 1 = .5
    # AC1: pi = (.5 + .25) / 2 = .375, p_e = 2 * .375 * .625 = .46875 -> .28125 / .53125
    # positive: 2 * 1 / (2 + 1 + 0) = 2/3
    # alpha: N = 8 values, n1 = 2 + 1 = 3, n0 = 4 + 1 = 5 -> 1 - 7 * 1 / 15 = 8/15
    got = coefficients(1, 1, 0, 2)
    assert float(got["percent_agreement"]) == 0.75
    assert float(got["cohen_kappa"]) == pytest.approx(0.5)
    assert float(got["brennan_prediger"]) == pytest.approx(0.5)
    assert float(got["gwet_ac1"]) == pytest.approx(0.28125 / 0.53125)
    assert float(got["positive_agreement"]) == pytest.approx(2 / 3)
    assert float(got["krippendorff_alpha"]) == pytest.approx(8 / 15)


def test_hand_computed_kappa_paradox() -> None:
    # 20 units, a rare code: 18 neither, one only-A, one only-B. p_o = .9, p_A = p_B = .05
    # kappa: p_e = .0025 + .9025 = .905 -> (.9 - .905) / .095 = -1/19
    # AC1: p_e = 2 * .05 * .95 = .095 -> (.9 - .095) / .905 = .805 / .905
    # alpha: n1 = 2, n0 = 38, N = 40 -> 1 - 39 * 2 / 76 = -1/38
    got = coefficients(0, 1, 1, 18)
    assert float(got["cohen_kappa"]) == pytest.approx(-1 / 19)
    assert float(got["gwet_ac1"]) == pytest.approx(0.805 / 0.905)
    assert float(got["brennan_prediger"]) == pytest.approx(0.8)
    assert float(got["positive_agreement"]) == 0.0
    assert float(got["krippendorff_alpha"]) == pytest.approx(-1 / 38)


def test_degenerate_tables() -> None:
    # a code neither coder applies: full agreement, positive agreement undefined
    got = coefficients(0, 0, 0, 10)
    assert [float(got[k]) for k in ("cohen_kappa", "gwet_ac1", "krippendorff_alpha")] == \
        [1.0, 1.0, 1.0]
    assert math.isnan(float(got["positive_agreement"]))
    assert all(math.isnan(float(v)) for v in coefficients(0, 0, 0, 0).values())


def labels_frame(matrix: dict[str, dict[int, list[str]]]) -> pd.DataFrame:
    """{coder: {unit: [codes]}} -> label frame (empty list: covered, no code)."""
    rows = []
    for coder, units in matrix.items():
        for unit, codes in units.items():
            rows += [(unit, coder, code, 1) for code in codes] or [(unit, coder, None, 0)]
    return pd.DataFrame(rows, columns=LABEL_COLUMNS)


@pytest.fixture
def two_coders() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    codes = ["x", "y", "z"]
    ana, ben = {}, {}
    for unit in range(60):
        own = [c for c in codes if rng.random() < 0.3]
        ana[unit] = own
        ben[unit] = [c for c in codes if (c in own) != (rng.random() < 0.15)]
    ben = {u: v for u, v in ben.items() if u < 50}  # ben covers units 0-49 only
    ana[99] = ["x"]  # ...and ana one more
    return labels_frame({"ana": ana, "ben": ben})


def test_agreement_table_against_sklearn(two_coders: pd.DataFrame) -> None:
    table = intercoder_agreement(two_coders, ["ana", "ben"], random_state=0, n_boot=200)
    assert table.columns.tolist() == AGREEMENT_COLUMNS
    assert table["code"].tolist() == ["x", "y", "z", "(pooled)"]
    # units 0-49 are double-coded; 50-59 and 99 only by ana
    assert table["units"].iloc[0] == 61 and table["double_coded"].iloc[0] == 50
    assert table["double_coded_share"].iloc[0] == pytest.approx(50 / 61)
    wide = {coder: pd.crosstab(g["unit"], g["code"]).reindex(range(50), fill_value=0)
            .reindex(columns=["x", "y", "z"], fill_value=0)
            for coder, g in two_coders[two_coders["code"].notna()].groupby("coder")}
    for row in table.itertuples():
        if row.code == "(pooled)":
            x, y = wide["ana"].to_numpy().ravel(), wide["ben"].to_numpy().ravel()
        else:
            x, y = wide["ana"][row.code].to_numpy(), wide["ben"][row.code].to_numpy()
        assert (row.both, row.a_only, row.b_only, row.neither) == table_of(x, y)
        assert row.cohen_kappa == pytest.approx(cohen_kappa_score(x, y))
        assert row.krippendorff_alpha == pytest.approx(krippendorff.alpha(
            reliability_data=np.stack([x, y]), level_of_measurement="nominal"))
        for name in COEFFICIENTS:
            low, point, high = (getattr(row, f"{name}{s}") for s in ("_low", "", "_high"))
            assert low - 1e-9 <= point <= high + 1e-9, (row.code, name, low, point, high)


def test_bootstrap_is_seeded(two_coders: pd.DataFrame) -> None:
    first = intercoder_agreement(two_coders, ["ana", "ben"], random_state=1, n_boot=100)
    again = intercoder_agreement(two_coders, ["ana", "ben"], random_state=1, n_boot=100)
    other = intercoder_agreement(two_coders, ["ana", "ben"], random_state=2, n_boot=100)
    pd.testing.assert_frame_equal(first, again)
    assert not first["cohen_kappa_low"].equals(other["cohen_kappa_low"])
    none = intercoder_agreement(two_coders, ["ana", "ben"], n_boot=0)
    assert none["cohen_kappa_low"].isna().all()


def test_disagreements(two_coders: pd.DataFrame) -> None:
    table = intercoder_agreement(two_coders, ["ana", "ben"], n_boot=0)
    diffs = disagreements(two_coders, ["ana", "ben"])
    pooled = table.set_index("code").loc["(pooled)"]
    assert len(diffs) == pooled["a_only"] + pooled["b_only"]
    assert set(diffs["unit"]) <= set(range(50))
    assert ((diffs["value_a"] - diffs["value_b"]).abs() == 1).all()


def test_multi_coder_alpha_with_missing_data() -> None:
    # Krippendorff's (2011) kind of data: three coders, some units coded by one or two
    frame = labels_frame({
        "a": {1: ["x"], 2: [], 3: ["x"], 4: [], 5: ["x"]},
        "b": {1: ["x"], 2: ["x"], 3: ["x"], 5: []},
        "c": {2: [], 3: ["x"], 4: [], 6: ["x"]},
    })
    table = multi_coder_alpha(frame)
    data = np.array([[1, 0, 1, 0, 1, np.nan], [1, 1, 1, np.nan, 0, np.nan],
                     [np.nan, 0, 1, 0, np.nan, 1]])
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    row = table.set_index("code").loc["x"]
    assert row["krippendorff_alpha"] == pytest.approx(expected)
    assert row["units"] == 5 and row["coders"] == 3  # unit 6 has one coder: not pairable


def test_unit_labels_from_spans() -> None:
    units = pd.DataFrame({"segment_id": [1, 2, 3, 4], "document": ["d", "d", "d", "e"],
                          "start": [0, 10, 20, 0], "end": [10, 20, 30, 10],
                          "participant": "P", "text": ["s1", "s2", "s3", "s4"]})
    codings = pd.DataFrame({"coder": ["ana", "ana", "ben"], "document": ["d", "d", "d"],
                            "code": ["x", "y", "x"], "start": [0, 12, 2],
                            "end": [10, 15, 8]})
    labels = unit_labels(codings, units)
    got = {(r.unit, r.coder, r.code, r.value) for r in labels.itertuples()}
    # both cover d (units 1-3) only; e is nobody's
    assert got == {(1, "ana", "x", 1), (2, "ana", "y", 1), (3, "ana", None, 0),
                   (1, "ben", "x", 1), (2, "ben", None, 0), (3, "ben", None, 0)}
    diffs = disagreements(labels, ["ana", "ben"], units=units)
    assert diffs[["unit", "code", "value_a", "value_b", "text"]].values.tolist() == \
        [[2, "y", 1, 0, "s2"]]
    doc_units = document_units(units)
    assert doc_units["start"].tolist() == [0, 0] and doc_units["end"].tolist() == [30, 10]
    table = intercoder_agreement(unit_labels(codings, doc_units), ["ana", "ben"], n_boot=0)
    assert table.set_index("code").loc["y", ["a_only", "double_coded"]].tolist() == [1, 1]


def test_single_coder(two_coders: pd.DataFrame) -> None:
    only_ana = two_coders[two_coders["coder"] == "ana"]
    with pytest.raises(ParameterError, match=r"at least 2 different coders.*\['ana'\]"):
        intercoder_agreement(only_ana, ["ana", "ana"])
    with pytest.raises(ParameterError, match="at least 2 different coders"):
        multi_coder_alpha(only_ana)


def test_unknown_coder(two_coders: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"\['cleo'\] have no codings here.*"
                                             r"\['ana', 'ben'\]"):
        intercoder_agreement(two_coders, ["ana", "cleo"])


def test_no_unit_in_common() -> None:
    frame = labels_frame({"ana": {1: ["x"], 2: []}, "ben": {3: ["x"]}})
    with pytest.raises(ParameterError, match="have no unit in common"):
        intercoder_agreement(frame, ["ana", "ben"])
    with pytest.raises(ParameterError, match="no unit in common"):
        multi_coder_alpha(frame)
