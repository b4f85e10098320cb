"""DecisionClassifier and decision_labels: training data, the per-code switch, reasons, queue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from thematic.suggest.classifier import DecisionClassifier, decision_labels
from thematic.suggest.cross_validation import cohen_kappa, cross_validation_groups, switch_support


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


def _docs(ids: list[int], n_docs: int = 4) -> list[int]:
    return [i % n_docs for i in range(len(ids))]


BLIND = 0.2  # a codebook probability that cannot tell members from the rest


def _fit(X, ids, labels, p0=None, **params) -> DecisionClassifier:
    p0 = np.full((len(ids), 1), BLIND) if p0 is None else p0
    return DecisionClassifier(**params).fit(X, ids, labels, codebook_probability=p0, codes=["a"],
                                            documents=_docs(ids))


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


def test_decision_labels_leave_out_a_pair_decided_both_ways():
    decisions = pd.DataFrame({"segment_id": [1, 1, 2], "code": ["a", "a", "a"],
                              "status": ["accepted", "rejected", "accepted"]})
    labels = decision_labels(decisions, codes=["a"])
    assert labels["segment_id"].tolist() == [2]  # not averaged, not silently a positive


def test_decision_labels_needs_its_columns():
    with pytest.raises(ValueError, match="decisions must have columns segment_id, code, status"):
        decision_labels(pd.DataFrame({"segment_id": [1], "code": ["a"]}))


def test_no_decisions_yet_keeps_the_codebook():
    X, ids, _ = _data()
    labels = decision_labels(pd.DataFrame(columns=["segment_id", "code", "status"]), codes=["a"])
    clf = _fit(X, ids, labels)
    assert clf.learned_ == [] and clf.needs("a") == 6
    assert clf.choices_["a"].model == "codebook"
    assert clf.needs_message("a") == "a: codebook: no decisions yet"
    assert clf.suggest().empty
    np.testing.assert_allclose(clf.probability(), BLIND)


@pytest.mark.parametrize(("status", "message"), [
    ("accepted", "a: codebook: the learned model needs 3 more rejected suggestions (has 8 positive, 0 negative)"),
    ("rejected", "a: codebook: the learned model needs 3 more accepted or hand-coded segments "
                 "(has 0 positive, 8 negative)"),
])
def test_a_code_with_only_positives_or_only_negatives(status, message):
    # a code that fits every segment people looked at has only positives
    X, ids, _ = _data()
    decisions = pd.DataFrame({"segment_id": ids[:8], "code": "a", "status": status})
    clf = _fit(X, ids, decision_labels(decisions))
    assert clf.learned_ == [] and clf.needs("a") == 3
    assert clf.needs_message("a") == message


def test_switches_to_the_learned_model_when_cross_validation_says_it_is_better():
    X, ids, member = _data()
    decisions = _decisions(ids, member, 20)
    clf = _fit(X, ids, decision_labels(decisions), C=10.0)
    choice = clf.choices_["a"]
    assert choice.model == "learned" and clf.learned_ == ["a"]
    assert choice.kappa_learned > choice.kappa_codebook
    assert choice.reason.startswith("learned: cross-validated kappa") and "4 documents" in choice.reason
    proba = clf.probability()[:, 0]
    assert proba[member].mean() > 0.6 and proba[~member].mean() < 0.2
    out = clf.suggest()
    hits = {ids.index(s) for s in out["segment_id"]}
    right, wrong = hits & set(np.nonzero(member)[0]), hits - set(np.nonzero(member)[0])
    assert len(right) >= 0.8 * member.sum() and len(wrong) <= 0.6 * len(right)
    reason = out["reason"].iloc[0]
    positives = set(decisions["segment_id"][:20])
    assert len(reason) == 3 and {s for s, _ in reason} <= positives
    assert reason[0][1] >= reason[1][1] >= reason[2][1]  # nearest first


def test_a_learned_model_that_only_seems_better_keeps_the_codebook_when_sureness_is_asked():
    X, ids, member = _data()
    rng = np.random.default_rng(0)
    weak = rng.normal(size=X.shape)
    weak[member, 0] += 0.5  # the members barely stand out, and there are 4 decisions each way
    weak = (weak / np.linalg.norm(weak, axis=1, keepdims=True)).astype(np.float32)
    labels = decision_labels(_decisions(ids, member, 4))
    estimate_alone = _fit(weak, ids, labels, C=10.0).choices_["a"]
    assert estimate_alone.model == "learned" and estimate_alone.kappa_learned > estimate_alone.kappa_codebook
    sure = _fit(weak, ids, labels, C=10.0, switch_confidence=0.95)
    assert sure.learned_ == [] and sure.choices_["a"].model == "codebook"
    assert sure.choices_["a"].reason == (
        "codebook: the learned model's cross-validated kappa 0.25 beats its 0.00 on 8 decided "
        "segments of 4 documents, but only in 74% of 200 resamples (it needs 95%)")


def test_a_clearly_better_learned_model_switches_when_sureness_is_asked():
    X, ids, member = _data()
    clf = _fit(X, ids, decision_labels(_decisions(ids, member, 20)), C=10.0, switch_confidence=0.95)
    assert clf.learned_ == ["a"]
    assert clf.choices_["a"].reason.endswith("on 40 decided segments of 4 documents, better in 100% of 200 resamples")


def test_switch_support_is_the_share_of_resamples_the_first_beats_the_second():
    truth = np.arange(40) < 10
    nearly = truth.copy()
    nearly[[0, 20]] = ~nearly[[0, 20]]  # two mistakes
    assert switch_support(truth, nearly, truth) > switch_support(nearly, truth, truth)
    assert switch_support(nearly, nearly, truth) == 0.0  # a tie is not better
    assert switch_support(nearly, ~truth, truth, seed=3) == switch_support(nearly, ~truth, truth, seed=3)
    assert switch_support(truth[:0], truth[:0], truth[:0]) == 0.0


def test_switch_support_draws_whole_documents():
    # the learned model is right where the codebook is wrong in one document of 30 segments and
    # wrong where the codebook is right in another of 20: drawn segment by segment it looks
    # surely better, drawn document by document it is not
    truth = np.tile([True, False], 25)
    learned, codebook = truth.copy(), truth.copy()
    codebook[:30] = ~truth[:30]
    learned[30:] = ~truth[30:]
    documents = [1] * 30 + [2] * 20
    by_segment = switch_support(learned, codebook, truth)
    by_document = switch_support(learned, codebook, truth, groups=documents)
    assert by_segment > 0.9 and by_document < 0.75


def test_survey_answers_are_cross_validated_by_respondent_and_conversations_by_document():
    # an interview (two speakers taking turns), a focus group (speakers come back), two survey
    # questions answered by the same three respondents (one answer each, in a run)
    docs = [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4]
    speakers = ["I", "P", "I", "P", "A", "B", "A", "C", "B", "r1", "r1", "r2", "r3", "r1", "r2", "r3"]
    groups = cross_validation_groups(docs, speakers)
    assert groups[:9] == ["document 1"] * 4 + ["document 2"] * 5
    assert groups[9:] == ["person r1", "person r1", "person r2", "person r3", "person r1", "person r2", "person r3"]
    assert cross_validation_groups([5, 5, 5], [None, None, None]) == ["document 5"] * 3


def test_keeps_the_codebook_when_it_is_already_right():
    X, ids, member = _data()
    p0 = np.where(member, 0.9, 0.02)[:, None]  # the codebook already knows the members
    clf = _fit(X, ids, decision_labels(_decisions(ids, member, 20)), p0=p0)
    choice = clf.choices_["a"]
    assert choice.model == "codebook" and clf.learned_ == []
    assert choice.reason.startswith("codebook: its kappa 1.00 is not beaten")
    assert clf.suggest().empty
    np.testing.assert_allclose(clf.probability()[:, 0], p0[:, 0])


def test_few_decisions_move_the_codebook_probabilities_little():
    X, ids, member = _data()
    p0 = np.where(member, 0.6, 0.1)[:, None]
    clf = _fit(X, ids, decision_labels(_decisions(ids, member, 3)), p0=p0, codebook_weight=0.0)
    assert np.abs(clf.predict_proba() - p0).mean() < 0.1  # the offset and the regularisation


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def test_the_codebook_prior_weighs_a_code_s_learned_change_by_its_positive_decisions():
    X, ids, member = _data()
    p0 = np.where(member, 0.5, 0.15)[:, None]
    for k, weight in ((3, 3 / 5), (20, 20 / 22)):
        labels = decision_labels(_decisions(ids, member, k))
        full = _fit(X, ids, labels, p0=p0, C=10.0)
        weighed = _fit(X, ids, labels, p0=p0, C=10.0, codebook_prior=2.0)
        np.testing.assert_allclose(weighed.weights_, [weight])
        np.testing.assert_allclose(full.weights_, [1.0])
        change, weighed_change = (_logit(c.predict_proba()) - _logit(p0) for c in (full, weighed))
        assert np.abs(change).max() > 0.5  # the decisions do move the full model
        np.testing.assert_allclose(weighed_change, weight * change, atol=1e-5)


def test_with_few_decisions_a_weighed_code_tracks_the_codebook():
    X, ids, member = _data()
    p0 = np.where(member, 0.45, 0.2)[:, None]
    labels = decision_labels(_decisions(ids, member, 3))
    full = _fit(X, ids, labels, p0=p0, C=10.0).predict_proba()
    weighed = _fit(X, ids, labels, p0=p0, C=10.0, codebook_prior=20.0).predict_proba()
    # 3 decisions against a prior of 20: 13% of the change
    assert np.abs(weighed - p0).max() < 0.2 * np.abs(full - p0).max()
    gap, full_gap = (p[member, 0].mean() - p[~member, 0].mean() for p in (weighed, full))
    assert abs(gap - 0.25) < 0.1 < full_gap - 0.25  # 0.25: the codebook's gap between members and the rest


def test_a_weighed_code_says_how_far_its_decisions_move_the_codebook():
    X, ids, member = _data()
    clf = _fit(X, ids, decision_labels(_decisions(ids, member, 20)), C=10.0, codebook_prior=2.0)
    assert clf.learned_ == ["a"]
    assert clf.choices_["a"].reason.endswith(
        "on 40 decided segments of 4 documents; with 20 positive decisions it moves the codebook's "
        "log-odds 91% of the way the decisions say")
    proba = clf.probability()[:, 0]  # what the code uses, and suggests with, is the weighed model
    np.testing.assert_allclose(proba, clf.predict_proba()[:, 0])
    np.testing.assert_allclose(clf.suggest()["confidence"].to_numpy(),
                               proba[[ids.index(s) for s in clf.suggest()["segment_id"]]], atol=1e-6)


def test_changing_the_codebook_prior_without_refitting_equals_fitting_with_it():
    X, ids, member = _data()
    labels = decision_labels(_decisions(ids, member, 4))
    fitted = _fit(X, ids, labels, C=10.0, codebook_prior=3.0)
    rechosen = _fit(X, ids, labels, C=10.0).set_params(codebook_prior=3.0).choose()
    np.testing.assert_allclose(rechosen.predict_proba(), fitted.predict_proba())
    assert rechosen.choices_ == fitted.choices_


def test_each_code_suggests_from_the_threshold_of_its_best_cross_validated_kappa():
    from thematic.suggest.classifier import THRESHOLD_CHOICES

    X, ids, member = _data()
    labels = decision_labels(_decisions(ids, member, 20))
    best = _fit(X, ids, labels, C=10.0, per_code_threshold=True)
    assert best.thresholds_[0] in THRESHOLD_CHOICES and best.learned_ == ["a"]
    kappas = {t: _fit(X, ids, labels, C=10.0, threshold=t).choices_["a"].kappa_learned for t in THRESHOLD_CHOICES}
    assert best.choices_["a"].kappa_learned == max(kappas.values())
    chosen = best.thresholds_[0]
    assert kappas[chosen] == max(kappas.values()) and all(
        t <= chosen for t, k in kappas.items() if k == kappas[chosen])  # the higher on a tie
    same = _fit(X, ids, labels, C=10.0, threshold=float(chosen))
    np.testing.assert_array_equal(best.passes(), same.passes())  # it suggests as that threshold does
    assert best.choices_["a"].reason.endswith(f", suggesting from probability {chosen:.1f}")


def test_contested_pairs_and_the_codebook_examples_as_training_data():
    X, ids, member = _data()
    examples = {"a": X[member][:10]}  # the codebook's examples: members' vectors
    labels = decision_labels(pd.DataFrame(columns=["segment_id", "code", "status"]), codes=["a"])
    with_examples = DecisionClassifier(codebook_weight=1.0, C=10.0).fit(
        X, ids, labels, codebook_probability=np.full((len(ids), 1), BLIND), codes=["a"],
        code_vectors=examples)
    # trained on the examples from the first fit, though not used before decisions check it
    proba = with_examples.predict_proba()[:, 0]
    assert proba[member].mean() > proba[~member].mean() + 0.1
    assert with_examples.choices_["a"].model == "codebook"


@pytest.mark.slow
def test_two_hundred_codes_fit_at_once():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 24)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    ids = list(range(300))
    codes = [f"c{k}" for k in range(200)]
    rows = [(int(s), c, "accepted" if k % 2 else "rejected")
            for j, c in enumerate(codes) for k, s in enumerate(rng.choice(300, 8, replace=False))]
    labels = decision_labels(pd.DataFrame(rows, columns=["segment_id", "code", "status"]), codes=codes)
    clf = DecisionClassifier().fit(X, ids, labels, codebook_probability=np.full((300, 200), 0.05),
                                   codes=codes, documents=[i % 5 for i in ids])
    assert len(clf.choices_) == 200 and clf.proba_.shape == (300, 200)
    assert set(clf.counts_["needs"]) == {0}


def test_a_code_waiting_for_decisions_does_not_change_another_code_s_choice():
    """Codes are fitted apart in effect: the folds fit only the codes with enough decisions,
    and a code still waiting for decisions leaves the others' estimates as they were."""
    X, ids, member = _data()
    alone = _fit(X, ids, decision_labels(_decisions(ids, member, 20)))
    # on two segments 'a' already has decisions on, so that 'a' has the same labels as alone
    waiting = pd.DataFrame({"segment_id": [ids[50], ids[51]], "code": "b", "status": ["accepted", "rejected"]})
    labels = decision_labels(pd.concat([_decisions(ids, member, 20), waiting]), codes=["a", "b"])
    both = DecisionClassifier().fit(X, ids, labels, codebook_probability=np.full((len(ids), 2), BLIND),
                                    codes=["a", "b"], documents=_docs(ids))
    a, b = both.choices_["a"], both.choices_["b"]
    assert a.model == alone.choices_["a"].model == "learned"
    assert a.kappa_learned == pytest.approx(alone.choices_["a"].kappa_learned, abs=1e-6)
    assert b.model == "codebook" and both.needs("b") == 2  # 2 more positives (a's decisions are its negatives)


def test_the_decisions_a_code_needs_can_be_raised_after_the_fit_not_lowered():
    X, ids, member = _data()
    clf = _fit(X, ids, decision_labels(_decisions(ids, member, 4)))
    assert clf.choices_["a"].model == "learned"
    clf.set_params(min_positives=5).choose()  # raised: decided again without a refit
    assert clf.choices_["a"].model == "codebook" and clf.needs("a") == 1
    with pytest.raises(ValueError, match="can be raised after the fit, not lowered"):
        clf.set_params(min_positives=2).choose()


def test_review_order_puts_the_least_certain_first():
    X, ids, member = _data()
    decisions = _decisions(ids, member, 10)
    clf = _fit(X, ids, decision_labels(decisions), C=10.0)
    queue = clf.review_order(exclude=decisions)
    assert list(queue.columns) == ["segment_id", "code", "probability", "uncertainty"]
    assert queue["uncertainty"].is_monotonic_decreasing
    assert not set(queue["segment_id"]) & set(decisions["segment_id"])
    assert len(clf.review_order(limit=7)) == 7


def test_suggest_leaves_out_decided_pairs():
    X, ids, member = _data()
    decisions = _decisions(ids, member, 20)
    clf = _fit(X, ids, decision_labels(decisions), C=10.0)
    assert clf.learned_ == ["a"]
    out = clf.suggest(exclude=decisions)
    assert len(out) and not set(out["segment_id"]) & set(decisions["segment_id"])


def test_deterministic_for_a_random_state():
    X, ids, member = _data()
    labels = decision_labels(_decisions(ids, member, 12))
    a = _fit(X, ids, labels, random_state=3).predict_proba()
    b = _fit(X, ids, labels, random_state=3).predict_proba()
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
    ({"threshold": 1.5}, "threshold must be a number"),
    ({"switch_margin": -0.5}, "switch_margin must be a number"),
    ({"codebook_prior": -1.0}, "codebook_prior must be a number"),
    ({"per_code_threshold": "yes"}, "per_code_threshold must be True or False"),
    ({"switch_confidence": 1.5}, "switch_confidence must be a number"),
    ({"resamples": 0}, "resamples must be an integer"),
    ({"scale_penalty": 0.0}, "scale_penalty must be a number"),
])
def test_parameter_errors(params, message):
    X, ids, member = _data()
    with pytest.raises(ValueError, match=message):
        _fit(X, ids, decision_labels(_decisions(ids, member, 5)), **params)


def test_shapes_must_match_the_segment_ids():
    X, ids, member = _data()
    with pytest.raises(ValueError, match=r"embeddings must have shape \(len\(segment_ids\), dim\)"):
        DecisionClassifier().fit(X[:10], ids, decision_labels(_decisions(ids, member, 5)),
                                 codebook_probability=np.zeros((len(ids), 1)), codes=["a"])


def test_cohen_kappa():
    yes, no = np.ones(4, bool), np.zeros(4, bool)
    assert cohen_kappa(yes, yes) == 1.0 and cohen_kappa(no, yes) == 0.0
    assert cohen_kappa(np.array([1, 0, 1, 0], bool), np.array([0, 1, 0, 1], bool)) == -1.0


def test_fine_tuned_vectors_keep_the_switch_decided_on_the_frozen_ones():
    """A fine-tuned encoder saw every decision: its own cross-validation would be optimistic, so
    each code keeps the model the frozen vectors chose; a learned code's suggestions come from the
    fine-tuned vectors and its reason says so."""
    from thematic.suggest.classifier_engine import keep_choices

    X, ids, member = _data()
    noise = np.random.default_rng(5).normal(size=X.shape).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    labels = decision_labels(_decisions(ids, member, 20))
    half = member & (np.arange(len(ids)) % 2 == 0)  # a codebook that finds half the members
    p0 = np.where(half, 0.9, 0.05)[:, None]
    frozen_blind = _fit(noise, ids, labels, p0, C=10.0)  # the frozen vectors cannot beat it
    tuned = _fit(X, ids, labels, p0, C=10.0)  # the fine-tuned ones can (on their own CV)
    assert frozen_blind.learned_ == [] and tuned.learned_ == ["a"]
    kept = keep_choices(_fit(X, ids, labels, p0, C=10.0), frozen_blind)
    assert kept.learned_ == [] and kept.choices_["a"].model == "codebook"
    assert kept.suggest().empty

    frozen_sees = _fit(X * 0.7 + noise * 0.3, ids, labels, p0, C=10.0)
    assert frozen_sees.learned_ == ["a"]
    kept = keep_choices(_fit(X, ids, labels, p0, C=10.0), frozen_sees)
    assert kept.learned_ == ["a"] and "fine-tuned on this project's decisions" in kept.choices_["a"].reason
    assert np.allclose(kept.probability(), tuned.probability())  # the fine-tuned vectors' model

    # a code's own threshold is also the frozen vectors' choice
    frozen_own = _fit(X * 0.7 + noise * 0.3, ids, labels, p0, C=10.0, per_code_threshold=True)
    kept = keep_choices(_fit(X, ids, labels, p0, C=10.0, threshold=0.1), frozen_own)
    assert frozen_own.thresholds_[0] != 0.1 and kept.thresholds_[0] == frozen_own.thresholds_[0]
    np.testing.assert_array_equal(kept.passes(), kept._passes(kept.proba_, frozen_own.thresholds_))


def _overconfident_codebook(n: int = 4000, stretch: float = 3.0, seed: int = 0):
    """Labels drawn from a known probability, and a codebook whose log-odds of it are
    ``stretch`` times too far from 0 (it ranks right and is overconfident)."""
    from thematic.suggest.learned import sigmoid

    rng = np.random.default_rng(seed)
    true_logit = rng.normal(-1.0, 1.5, size=(n, 1))
    y = (rng.random((n, 1)) < sigmoid(true_logit)).astype(float)
    return np.zeros((n, 4)), y, stretch * true_logit


def test_a_learned_offset_scale_finds_how_far_to_trust_the_codebook():
    from thematic.suggest.learned import fit_offset_logistic, sigmoid

    X, y, offset = _overconfident_codebook()
    fixed = fit_offset_logistic(X, y, np.ones_like(y), offset)
    learned = fit_offset_logistic(X, y, np.ones_like(y), offset, scale_penalty=1.0)
    assert fixed.scale is None
    assert learned.scale[0] == pytest.approx(1 / 3, abs=0.05)

    def logloss(fit) -> float:
        p = sigmoid(fit.decision(X, offset))
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    assert logloss(learned) < logloss(fixed) - 0.05


def test_a_strong_scale_penalty_keeps_the_codebook_s_log_odds_and_a_scale_never_turns_them_round():
    from thematic.suggest.learned import fit_offset_logistic

    X, y, offset = _overconfident_codebook()
    held = fit_offset_logistic(X, y, np.ones_like(y), offset, scale_penalty=1e9)
    assert held.scale[0] == pytest.approx(1.0, abs=1e-3)
    backwards = fit_offset_logistic(X, y, np.ones_like(y), -offset, scale_penalty=1e-3)
    assert backwards.scale[0] == pytest.approx(0.0, abs=1e-6)  # a codebook that is wrong way round: ignored


def test_with_fewer_rows_than_dimensions_the_fit_is_the_optimum_of_the_whole_space():
    """The weights are solved in the rows' own coordinates; they must still be the optimum of
    the problem over every dimension: its gradient there is zero."""
    from thematic.suggest.learned import fit_offset_logistic, sigmoid

    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 300))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = (X[:, :2] @ np.array([[3.0], [-3.0]]) + rng.normal(size=(40, 1)) > 0).astype(float)
    y = np.hstack([y, 1 - y])
    offset = np.full_like(y, -1.0)
    fit = fit_offset_logistic(X, y, np.ones_like(y), offset, C=5.0)
    assert fit.coef.shape == (300, 2)
    residual = 5.0 * (sigmoid(fit.decision(X, offset)) - y)
    gradient = X.T @ residual + fit.coef
    assert np.abs(gradient).max() < 1e-3 < np.abs(fit.coef).max()
    assert np.abs(residual.sum(axis=0) + fit.intercept).max() < 1e-3


def test_the_classifier_learns_the_offset_scale_only_when_asked():
    X, ids, member = _data()
    labels = decision_labels(_decisions(ids, member, 20))
    p0 = np.where(member, 0.9, 0.3)[:, None]
    assert _fit(X, ids, labels, p0, C=10).fit_.scale is None
    scaled = _fit(X, ids, labels, p0, C=10, scale_penalty=1.0)
    assert scaled.fit_.scale.shape == (1,) and scaled.fit_.scale[0] != 1.0
    assert scaled.choices_["a"].model == "learned"
    assert f"weigh the codebook's log-odds {scaled.fit_.scale[0]:.2f} times" in scaled.needs_message("a")
    weighed = _fit(X, ids, labels, p0, C=10, scale_penalty=1.0, codebook_prior=20.0)  # 20 positives: half way
    assert weighed.weights_[0] == pytest.approx(0.5)
    half_way = 1.0 + 0.5 * (weighed.fit_.scale[0] - 1.0)
    assert f"weigh the codebook's log-odds {half_way:.2f} times" in weighed.needs_message("a")
