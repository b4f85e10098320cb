"""DecisionClassifier and decision_labels: training data, readiness, calibration, reasons, queue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from thematic.suggest.classifier import DecisionClassifier, decision_labels


def _data(n: int = 200, seed: int = 0) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Unit vectors; segments 0..n/4 are members of code 'a' (shifted along axis 0)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 16))
    member = np.arange(n) < n // 4
    X[member, 0] += 4.0
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X.astype(np.float32), list(range(1000, 1000 + n)), member


def _decisions(ids: list[int], member: np.ndarray, k: int) -> pd.DataFrame:
    """k accepted members and k rejected non-members of code 'a'."""
    pos = [ids[i] for i in np.nonzero(member)[0][:k]]
    neg = [ids[i] for i in np.nonzero(~member)[0][:k]]
    return pd.DataFrame({"segment_id": pos + neg, "code": "a",
                         "status": ["accepted"] * k + ["rejected"] * k})


def test_decision_labels_kinds_and_weights():
    decisions = pd.DataFrame({
        "segment_id": [1, 2, 3, 3, 4],
        "code": ["a", "a", "b", "a", "b"],
        "status": ["accepted", "rejected", "coded", "rejected", "suggested"],
    })
    labels = decision_labels(decisions, other_code_weight=0.3, uncoded_weight=0.2,
                             uncoded_segments=[9, 1], codes=["a", "b"])
    got = {(r.segment_id, r.code): (r.label, r.weight, r.kind) for r in labels.itertuples()}
    assert got[(1, "a")] == (1, 1.0, "positive")
    assert got[(1, "b")] == (0, 0.3, "other_code")  # coded only with a: weak negative for b
    assert got[(2, "a")] == (0, 1.0, "rejected")
    assert got[(3, "b")] == (1, 1.0, "positive")  # hand coding
    assert got[(3, "a")] == (0, 1.0, "rejected")  # explicit rejection beats "other code"
    assert got[(9, "a")] == (0, 0.2, "uncoded") and (1, "a") in got  # 1 is coded: not uncoded
    assert (4, "b") not in got  # still only suggested: no decision


def test_decision_labels_needs_its_columns():
    with pytest.raises(ValueError, match="decisions must have columns segment_id, code, status"):
        decision_labels(pd.DataFrame({"segment_id": [1], "code": ["a"]}))


def test_no_decisions_yet_says_what_it_needs():
    X, ids, _ = _data()
    labels = decision_labels(pd.DataFrame(columns=["segment_id", "code", "status"]), codes=["a"])
    clf = DecisionClassifier().fit(X, ids, labels, codes=["a"])
    assert clf.codes_ == [] and clf.needs("a") == 10
    assert clf.needs_message("a") == (
        "a: needs 5 more accepted or hand-coded segments and 5 more rejected suggestions "
        "(has 0 positive, 0 negative)")
    assert clf.suggest().empty and clf.predict_proba(X).shape == (len(X), 0)


@pytest.mark.parametrize(("status", "message"), [
    ("accepted", "a: needs 5 more rejected suggestions (has 8 positive, 0 negative)"),
    ("rejected", "a: needs 5 more accepted or hand-coded segments (has 0 positive, 8 negative)"),
])
def test_a_code_with_only_positives_or_only_negatives(status, message):
    X, ids, _ = _data()
    decisions = pd.DataFrame({"segment_id": ids[:8], "code": "a", "status": status})
    clf = DecisionClassifier().fit(X, ids, decision_labels(decisions))
    assert clf.codes_ == [] and clf.needs("a") == 5
    assert clf.needs_message("a") == message


def test_learns_a_code_from_decisions_with_reasons_and_precision():
    X, ids, member = _data()
    clf = DecisionClassifier(codebook_weight=0.0).fit(X, ids, decision_labels(_decisions(ids, member, 10)))
    assert clf.codes_ == ["a"] and clf.needs("a") == 0
    assert clf.needs_message("a") == "a: ready (10 positive, 10 negative decisions)"
    proba = clf.predict_proba(X)[:, 0]
    assert proba[member].mean() > 0.8 and proba[~member].mean() < 0.2
    assert clf.expected_precision_["a"] > 0.8
    out = clf.suggest()
    hits = {ids.index(s) for s in out["segment_id"]}
    assert len(hits & set(np.nonzero(member)[0])) >= 0.9 * member.sum()
    assert len(hits - set(np.nonzero(member)[0])) <= 5
    reason = out["reason"].iloc[0]
    positives = set(_decisions(ids, member, 10)["segment_id"][:10])
    assert len(reason) == 3 and {s for s, _ in reason} <= positives
    assert reason[0][1] >= reason[1][1] >= reason[2][1]  # nearest first


def test_suggest_leaves_out_decided_pairs():
    X, ids, member = _data()
    decisions = _decisions(ids, member, 10)
    clf = DecisionClassifier().fit(X, ids, decision_labels(decisions))
    out = clf.suggest(exclude=decisions)
    assert not set(out["segment_id"]) & set(decisions["segment_id"])


def test_prevalence_rule_suggests_the_reviewed_share():
    X, ids, member = _data()
    prior = {"a": X[:, 0].astype(float)}  # a semantic score that also points at the members
    clf = DecisionClassifier().fit(X, ids, decision_labels(_decisions(ids, member, 10)),
                                   prevalence={"a": 0.25}, prior_scores=prior)
    out = clf.suggest()
    assert len(out) == pytest.approx(0.25 * len(X), abs=2)
    assert np.isin([ids.index(s) for s in out["segment_id"]], np.nonzero(member)[0]).mean() > 0.9


def test_review_order_puts_the_least_certain_first():
    X, ids, member = _data()
    decisions = _decisions(ids, member, 10)
    clf = DecisionClassifier().fit(X, ids, decision_labels(decisions))
    queue = clf.review_order(exclude=decisions)
    assert list(queue.columns) == ["segment_id", "code", "probability", "uncertainty"]
    assert queue["uncertainty"].is_monotonic_decreasing
    assert not set(queue["segment_id"]) & set(decisions["segment_id"])
    assert len(clf.review_order(limit=7)) == 7


def test_deterministic_for_a_random_state():
    X, ids, member = _data()
    labels = decision_labels(_decisions(ids, member, 12))
    a = DecisionClassifier(random_state=3).fit(X, ids, labels).predict_proba(X)
    b = DecisionClassifier(random_state=3).fit(X, ids, labels).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_estimator_contract():
    clf = DecisionClassifier(C=0.5, random_state=7)
    assert clf.get_params()["C"] == 0.5 and clf.get_params()["random_state"] == 7
    assert not [k for k in vars(clf) if k.endswith("_")]  # nothing learned before fit
    with pytest.raises(NotFittedError, match="call fit"):
        clf.needs("a")


@pytest.mark.parametrize(("params", "message"), [
    ({"min_positives": 0}, r"min_positives must be an integer in \[1, inf\]. Got 0 instead"),
    ({"C": -1.0}, "C must be a number"),
    ({"cv": 1}, "cv must be an integer"),
    ({"prior_weight": -0.5}, "prior_weight must be a number"),
])
def test_parameter_errors(params, message):
    X, ids, member = _data()
    with pytest.raises(ValueError, match=message):
        DecisionClassifier(**params).fit(X, ids, decision_labels(_decisions(ids, member, 5)))


def test_embeddings_must_match_the_segment_ids():
    X, ids, member = _data()
    with pytest.raises(ValueError, match=r"embeddings must have shape \(len\(segment_ids\), dim\)"):
        DecisionClassifier().fit(X[:10], ids, decision_labels(_decisions(ids, member, 5)))
