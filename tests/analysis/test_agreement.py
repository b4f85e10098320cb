"""Agreement metrics against scikit-learn, the overlap rule, and the gold coding file."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from thematic.analysis import agreement_table, cohens_kappa, segment_labels
from thematic.analysis.agreement import TABLE_COLUMNS
from thematic.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "transcripts_sample" / "gold" / "gold_codings.csv"
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"
GOLD_DOCUMENTS = {"P01_dana", "P07_helen_okafor", "P11_lucia_zoom"}


def same(a: float, b: float) -> bool:
    """Equal floats, NaN equal to NaN."""
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, abs_tol=1e-12)


def random_matrix(seed: int, n: int, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two correlated 0/1 matrices (gold, predicted) with varied prevalence per code."""
    rng = np.random.default_rng(seed)
    prevalence = rng.uniform(0.0, 0.5, size=k)
    gold = (rng.random((n, k)) < prevalence).astype(int)
    flip = rng.random((n, k)) < rng.uniform(0.0, 0.4)
    pred = np.where(flip, 1 - gold, gold)
    codes = [f"c{j}" for j in range(k)]
    index = pd.Index(range(100, 100 + n), name="segment_id")
    return pd.DataFrame(gold, index=index, columns=codes), pd.DataFrame(pred, index=index,
                                                                        columns=codes)


# ---------------------------------------------------------------------------- cohens_kappa
@pytest.mark.parametrize("seed", range(20))
def test_kappa_matches_sklearn_on_random_vectors(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 300))
    a = (rng.random(n) < rng.uniform(0.05, 0.95)).astype(int)
    b = np.where(rng.random(n) < rng.uniform(0.0, 0.6), 1 - a, a)
    if a.min() == a.max() and b.min() == b.max():
        pytest.skip("degenerate draw")  # covered by the degenerate tests
    assert math.isclose(cohens_kappa(a, b), cohen_kappa_score(a, b), abs_tol=1e-12)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ([1, 1, 0, 0], [1, 0, 0, 0], 0.5),
    ([1, 0, 1, 0], [1, 0, 1, 0], 1.0),
    ([1, 0, 1, 0], [0, 1, 0, 1], -1.0),
    ([True, False, False], [True, False, False], 1.0),
])
def test_kappa_known_values(a: list, b: list, expected: float) -> None:
    assert math.isclose(cohens_kappa(a, b), expected)
    assert math.isclose(cohens_kappa(a, b), cohen_kappa_score(a, b))


@pytest.mark.parametrize(("a", "b", "expected"), [
    ([0, 0, 0], [0, 0, 0], 1.0),  # both constant and equal: defined as perfect agreement
    ([1, 1, 1], [1, 1, 1], 1.0),
    ([0, 0, 0], [1, 1, 1], 0.0),  # both constant, different: p_o = p_e = 0
    ([0, 0, 0, 0], [0, 1, 0, 0], 0.0),  # one constant: kappa 0
    ([1], [1], 1.0),
])
def test_kappa_degenerate_cases(a: list, b: list, expected: float) -> None:
    assert cohens_kappa(a, b) == expected


def test_kappa_sklearn_is_nan_where_we_define_one() -> None:
    with warnings.catch_warnings():  # scikit-learn warns that kappa is undefined here
        warnings.simplefilter("ignore")
        assert math.isnan(cohen_kappa_score([0, 0, 0], [0, 0, 0]))
    assert cohens_kappa([0, 0, 0], [0, 0, 0]) == 1.0


@pytest.mark.parametrize(("a", "b", "match"), [
    ([0, 1], [0, 1, 1], "same length"),
    ([], [], "must not be empty"),
    ([0, 2], [0, 1], "only 0 and 1"),
    ([[0, 1]], [[0, 1]], "1-dimensional"),
])
def test_kappa_rejects_bad_input(a: list, b: list, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cohens_kappa(a, b)


# ---------------------------------------------------------------------------- agreement_table
@pytest.mark.parametrize("seed", range(15))
def test_per_code_scores_match_sklearn(seed: int) -> None:
    gold, pred = random_matrix(seed, n=int(np.random.default_rng(seed).integers(10, 200)), k=6)
    table = agreement_table(gold, pred)
    for code in gold.columns:
        g, p = gold[code].to_numpy(), pred[code].to_numpy()
        precision, recall, f1, _ = precision_recall_fscore_support(
            g, p, average="binary", zero_division=np.nan)
        row = table.loc[code]
        assert same(row["precision"], precision)
        assert same(row["recall"], recall)
        assert same(row["f1"], f1)
        assert row["support"] == g.sum() and row["predicted"] == p.sum()
        assert row["tp"] + row["fn"] == row["support"]
        assert row["tp"] + row["fp"] == row["predicted"]
        if g.min() != g.max() or p.min() != p.max():
            assert math.isclose(row["cohen_kappa"], cohen_kappa_score(g, p), abs_tol=1e-12)


@pytest.mark.parametrize("seed", range(15))
def test_micro_and_macro_match_sklearn(seed: int) -> None:
    gold, pred = random_matrix(seed, n=120, k=8)
    table = agreement_table(gold, pred)
    micro = precision_recall_fscore_support(gold.to_numpy(), pred.to_numpy(), average="micro",
                                            zero_division=np.nan)
    for name, value in zip(("precision", "recall", "f1"), micro[:3], strict=True):
        assert same(table.loc["micro", name], value)
    assert math.isclose(table.loc["micro", "cohen_kappa"],
                        cohen_kappa_score(gold.to_numpy().ravel(), pred.to_numpy().ravel()))

    present = [c for c in gold.columns if gold[c].sum() + pred[c].sum() > 0]
    labels = [list(gold.columns).index(c) for c in present]
    per_label = precision_recall_fscore_support(gold.to_numpy(), pred.to_numpy(), labels=labels,
                                                average=None, zero_division=np.nan)
    for name, values in zip(("precision", "recall", "f1"), per_label[:3], strict=True):
        assert same(table.loc["macro", name], float(np.nanmean(values)))


def test_zero_division_like_sklearn() -> None:
    gold = pd.DataFrame({"never_predicted": [1, 0, 1], "never_in_gold": [0, 1, 0]})
    pred = pd.DataFrame({"never_predicted": [0, 0, 0], "never_in_gold": [0, 1, 1]})
    for zero_division in (np.nan, 0.0, 1.0):
        table = agreement_table(gold, pred, zero_division=zero_division)
        for code in gold.columns:
            expected = precision_recall_fscore_support(
                gold[code], pred[code], average="binary", zero_division=zero_division)
            for name, value in zip(("precision", "recall", "f1"), expected[:3], strict=True):
                assert same(table.loc[code, name], value), (code, name, zero_division)


def test_table_shape_counts_and_summary_rows() -> None:
    gold = pd.DataFrame({"a": [1, 1, 0, 0], "b": [0, 0, 0, 1], "absent": [0, 0, 0, 0]})
    pred = pd.DataFrame({"a": [1, 0, 1, 0], "b": [0, 0, 0, 1], "absent": [0, 0, 0, 0]})
    table = agreement_table(gold, pred)
    assert list(table.columns) == TABLE_COLUMNS
    assert list(table.index) == ["a", "b", "absent", "micro", "macro"]
    assert table.loc["a", ["support", "predicted", "tp", "fp", "fn"]].tolist() == [2, 2, 1, 1, 1]
    counts = ["support", "predicted", "tp", "fp", "fn"]
    assert table.loc["micro", counts].tolist() == [3, 3, 2, 1, 1]
    # a code absent from both: undefined scores, kappa 1.0, and left out of the macro mean
    assert math.isnan(table.loc["absent", "f1"]) and table.loc["absent", "cohen_kappa"] == 1.0
    kappa_a = cohen_kappa_score(gold["a"], pred["a"])
    assert math.isclose(table.loc["macro", "cohen_kappa"], (kappa_a + 1.0) / 2)
    assert math.isclose(table.loc["macro", "f1"], (0.5 + 1.0) / 2)


def test_identical_labels_score_one() -> None:
    gold, _ = random_matrix(3, n=50, k=4)
    table = agreement_table(gold, gold.copy())
    scored = table.drop(index=[c for c in gold.columns if gold[c].sum() == 0])
    assert (scored[["precision", "recall", "f1", "cohen_kappa"]] == 1.0).all().all()


def test_table_aligns_rows_and_missing_codes() -> None:
    gold = pd.DataFrame({"a": [1, 0, 1]}, index=[10, 11, 12])
    pred = pd.DataFrame({"a": [1, 1, 0], "extra": [0, 1, 0]}, index=[12, 11, 10])
    table = agreement_table(gold, pred)
    assert table.loc["a", ["tp", "fp", "fn"]].tolist() == [1, 1, 1]
    assert table.loc["extra", ["support", "predicted", "fp"]].tolist() == [0, 1, 1]
    assert table.loc["extra", "precision"] == 0.0 and math.isnan(table.loc["extra", "recall"])


@pytest.mark.parametrize(("gold", "pred", "match"), [
    (pd.DataFrame({"a": [1, 0]}, index=[1, 2]), pd.DataFrame({"a": [1, 0]}, index=[1, 3]),
     "same segments"),
    (pd.DataFrame({"a": [1, 0]}, index=[1, 1]), pd.DataFrame({"a": [1, 0]}, index=[1, 1]),
     "one row per segment"),
    (pd.DataFrame({"micro": [1]}), pd.DataFrame({"micro": [1]}), "must not be 'micro'"),
    (pd.DataFrame({"a": [3]}), pd.DataFrame({"a": [1]}), "only 0 and 1"),
])
def test_table_rejects_bad_input(gold: pd.DataFrame, pred: pd.DataFrame, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        agreement_table(gold, pred)


# ---------------------------------------------------------------------------- segment_labels
def spans(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["document", "code", "start", "end"])


SEGMENTS = pd.DataFrame({
    "segment_id": [1, 2, 3, 4],
    "document": ["d", "d", "d", "e"],
    "start": [0, 10, 30, 0],
    "end": [10, 30, 40, 10],
    "text": ["x" * 10, "y" * 20, "z" * 10, "w" * 10],
})


@pytest.mark.parametrize(("coding", "labelled"), [
    (("d", "a", 0, 10), {1}),  # exactly the segment
    (("d", "a", 0, 5), {1}),  # exactly half of segment 1
    (("d", "a", 0, 4), {1}),  # inside segment 1 (less than half, but within it)
    (("d", "a", 12, 16), {2}),  # a short quote inside a long segment
    (("d", "a", 5, 20), {1, 2}),  # half of 1 (5/10) and half of 2 (10/20)
    (("d", "a", 5, 19), {1}),  # 9/20 of segment 2: not enough, and not inside it
    (("d", "a", 6, 20), {2}),  # 4/10 of segment 1: not enough; half of segment 2
    (("d", "a", 0, 40), {1, 2, 3}),  # a turn-long coding labels every sentence it covers
    (("d", "a", 10, 10), set()),  # empty coding
    (("d", "a", 40, 50), set()),  # touches the end of segment 3 only
    (("e", "a", 0, 10), {4}),  # other document, same offsets
    (("f", "a", 0, 10), set()),  # a document without segments
    (("d", "other", 0, 10), set()),  # a code not asked for
])
def test_overlap_rule(coding: tuple, labelled: set[int]) -> None:
    labels = segment_labels(SEGMENTS, spans([coding]), ["a"])
    assert set(labels.index[labels["a"] == 1]) == labelled


def test_labels_shape_order_and_several_codes() -> None:
    codings = spans([("d", "b", 30, 40), ("d", "a", 10, 30), ("d", "a", 12, 14), ("e", "b", 2, 3)])
    labels = segment_labels(SEGMENTS.iloc[::-1], codings, ["a", "b", "unused"])
    assert list(labels.index) == [4, 3, 2, 1]
    assert labels.index.name == "segment_id"
    assert list(labels.columns) == ["a", "b", "unused"]
    assert labels.to_dict("index") == {
        4: {"a": 0, "b": 1, "unused": 0}, 3: {"a": 0, "b": 1, "unused": 0},
        2: {"a": 1, "b": 0, "unused": 0}, 1: {"a": 0, "b": 0, "unused": 0}}
    assert all(dtype.kind == "i" for dtype in labels.dtypes)


def test_labels_with_no_codings() -> None:
    labels = segment_labels(SEGMENTS, spans([]), ["a"])
    assert labels["a"].sum() == 0 and len(labels) == len(SEGMENTS)


@pytest.mark.parametrize(("segments", "codings", "codes", "match"), [
    (SEGMENTS.drop(columns="document"), spans([]), ["a"], "segments must have the columns"),
    (SEGMENTS, spans([]).drop(columns="code"), ["a"], "codings must have the columns"),
    (pd.concat([SEGMENTS, SEGMENTS]), spans([]), ["a"], "segment_id must be unique"),
    (SEGMENTS, spans([]), ["a", "a"], "codes must be unique"),
])
def test_labels_reject_bad_input(segments: pd.DataFrame, codings: pd.DataFrame, codes: list,
                                 match: str) -> None:
    with pytest.raises(ValueError, match=match):
        segment_labels(segments, codings, codes)


# ---------------------------------------------------------------------------- the gold file
@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return pd.read_csv(GOLD, dtype={"quote": str, "note": str}, keep_default_na=False)


@pytest.mark.slow
def test_gold_file_columns_and_codes(gold: pd.DataFrame) -> None:
    assert {"document", "code", "quote", "note", "occurrence"} <= set(gold.columns)
    assert set(gold["document"]) == GOLD_DOCUMENTS
    codebook_ids = {code.id for code in load_codebook(CODEBOOK).codes}
    assert set(gold["code"]) <= codebook_ids, set(gold["code"]) - codebook_ids
    assert not gold.duplicated(["document", "code", "quote", "occurrence"]).any()


@pytest.mark.slow
def test_gold_quotes_are_participant_sentences(gold: pd.DataFrame, sample_project) -> None:
    """Every quote is found exactly once (or at its occurrence) and is a participant sentence."""
    segments = sample_project.documents.segments("sentence")
    segments = segments[segments["document"].isin(GOLD_DOCUMENTS)]
    by_span = {(r.document, r.start, r.end): r.role for r in segments.itertuples()}
    texts = {name: sample_project.documents.get(name).text for name in GOLD_DOCUMENTS}
    for row in gold.itertuples():
        text = texts[row.document]
        positions = [i for i in range(len(text)) if text.startswith(row.quote, i)]
        assert positions, f"{row.document}: quote not found: {row.quote!r}"
        if row.occurrence == "":
            assert len(positions) == 1, f"{row.document}: quote found {len(positions)} times " \
                                        f"without an occurrence: {row.quote!r}"
            start = positions[0]
        else:
            occurrence = int(float(row.occurrence))
            assert len(positions) > 1 and 1 <= occurrence <= len(positions), row.quote
            start = positions[occurrence - 1]
        role = by_span.get((row.document, start, start + len(row.quote)))
        assert role == "participant", f"{row.document}: not a participant sentence: {row.quote!r}"


def test_gold_labels_through_segment_labels(gold: pd.DataFrame, sample_project) -> None:
    """Quotes located as spans label exactly their own sentence."""
    segments = sample_project.documents.segments("sentence")
    segments = segments[segments["document"].isin(GOLD_DOCUMENTS)
                        & (segments["role"] == "participant")]
    texts = {name: sample_project.documents.get(name).text for name in GOLD_DOCUMENTS}
    rows = []
    for row in gold.itertuples():
        occurrence = 1 if row.occurrence == "" else int(float(row.occurrence))
        start = -1
        for _ in range(occurrence):
            start = texts[row.document].find(row.quote, start + 1)
        rows.append((row.document, row.code, start, start + len(row.quote)))
    codes = sorted(set(gold["code"]))
    labels = segment_labels(segments, spans(rows), codes)
    assert labels.to_numpy().sum() == len(gold)
    sentences = gold.drop_duplicates(["document", "quote", "occurrence"])
    assert labels.any(axis=1).sum() == len(sentences)
