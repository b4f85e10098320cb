"""The evidence models: features, fitting, how a sentence follows its turn; short answers."""

from __future__ import annotations

import numpy as np
import pytest

from thematic.suggest.calibration import (
    FEATURES,
    TAIL_PRIOR_SEGMENTS,
    Evidence,
    EvidenceModel,
    evidence_features,
    fit_evidence_model,
    shrunk_tail,
    tail_share,
)
from thematic.suggest.interview_context import (
    is_backchannel,
    is_technical,
    prompts_by_turn,
    sentence_turns,
)


def _values(blend: np.ndarray) -> dict[str, np.ndarray]:
    return {"blend": blend}


ONE = EvidenceModel(features=("blend",), coef=(1.0,), intercept=0.0, threshold=0.5)


def test_a_sentence_follows_its_turn():
    # two turns of two sentences, one code: turn 0 passes (its probability 0.73), turn 1 does not
    turn_values = _values(np.array([[1.0], [-1.0]]))
    sentence = EvidenceModel(features=("blend", "turn_logit"), coef=(1.0, 0.0), intercept=0.0, threshold=0.5)
    evidence = Evidence(turn=ONE, sentence=sentence, sentence_floor=0.6)
    blend = np.array([[-2.0], [-0.5], [3.0], [2.0]])  # sentence probabilities .12 .38 .95 .88
    p, passed = evidence.decide_sentences(_values(blend), turn_values, np.array([0, 0, 1, 1]))
    assert passed[:, 0].tolist() == [False, True, False, False]  # the best of turn 0 only
    assert p[:, 0] == pytest.approx(1 / (1 + np.exp(-blend[:, 0])))
    low_floor = Evidence(turn=ONE, sentence=sentence, sentence_floor=0.1)
    assert low_floor.decide_sentences(_values(blend), turn_values, np.array([0, 0, 1, 1]))[1][:, 0].tolist() == [
        True, True, False, False]


def test_the_sentence_model_reads_its_turns_log_odds():
    turn_values = _values(np.array([[2.0]]))
    sentence = EvidenceModel(features=("blend", "turn_logit"), coef=(0.0, 1.0), intercept=0.0, threshold=0.5)
    p, _ = Evidence(turn=ONE, sentence=sentence, sentence_floor=0.5).decide_sentences(
        _values(np.zeros((2, 1))), turn_values, np.array([0, 0]))
    assert p[:, 0] == pytest.approx([1 / (1 + np.exp(-2.0))] * 2)


def test_features_do_not_depend_on_the_scale_of_the_similarities():
    from thematic.suggest.semantic_scores import RawScores, ScoreParts

    rng = np.random.default_rng(0)
    raw = rng.normal(0.3, 0.05, size=(50, 3))
    score = rng.normal(size=(50, 3))

    def parts(r: np.ndarray) -> ScoreParts:
        zeros = np.zeros_like(r)
        return ScoreParts(raw=RawScores(r, r, r, zeros.astype(int), zeros, zeros.astype(int), r, zeros.astype(bool)),
                          own=score, other=score, prompt=zeros, lexical=zeros, matched=[{}, {}, {}],
                          previous=np.full(50, -1), next=np.full(50, -1), anchor=np.full(3, np.nan),
                          backchannel=np.zeros(50, bool), words=np.full(50, 10))

    narrow = evidence_features(parts(raw), score, np.zeros(3, bool))
    wide = evidence_features(parts(0.5 + 3 * (raw - 0.3)), score, np.zeros(3, bool))  # another backend
    assert set(narrow) == set(FEATURES) - {"turn_logit"}
    for name in ("raw", "raw_rel", "code_raw95"):
        np.testing.assert_allclose(narrow[name], wide[name], atol=1e-9)
    assert narrow["quota"].shape == (50, 3)
    assert (narrow["rank"].max(axis=0) < 0).all()  # log of a share


def test_a_small_project_trusts_its_tail_share_in_proportion_to_its_size():
    # the same shape of scores (one code with 1 in 8 segments far out, one with 1 in 8 far
    # below) on 8 and on 8,000 segments: the same share, trusted 1/5 and almost fully
    one = np.array([[3.0, -3.0]] + [[0.0, 0.0]] * 7)
    many = np.tile(one, (1000, 1))
    assert tail_share(one).tolist() == tail_share(many).tolist() == [0.125, -0.125]
    small = evidence_features(_parts(one), one, np.zeros(2, bool))["code_tail"][0]
    large = evidence_features(_parts(many), many, np.zeros(2, bool))["code_tail"][0]
    np.testing.assert_allclose(small, [0.125 * 8 / (8 + TAIL_PRIOR_SEGMENTS), -0.125 * 8 / (8 + TAIL_PRIOR_SEGMENTS)])
    assert abs(small[0]) < 0.03 < 0.12 < abs(large[0])
    assert (np.sign(small) == np.sign(large)).all()
    assert shrunk_tail(np.zeros(3), 5).tolist() == [0.0, 0.0, 0.0]


def _parts(score: np.ndarray):  # noqa: ANN202
    from thematic.suggest.semantic_scores import RawScores, ScoreParts

    n, m = score.shape
    zeros = np.zeros_like(score)
    return ScoreParts(raw=RawScores(score, score, score, zeros.astype(int), zeros, zeros.astype(int), score,
                               zeros.astype(bool)),
                      own=score, other=score, prompt=zeros, lexical=zeros, matched=[{}] * m,
                      previous=np.full(n, -1), next=np.full(n, -1), anchor=np.full(m, np.nan),
                      backchannel=np.zeros(n, bool), words=np.full(n, 10))


def test_fit_evidence_model_weighs_corpora_equally():
    rng = np.random.default_rng(1)
    big = rng.normal(size=(2000, 2))
    small = rng.normal(size=(50, 2))
    gold_big = big > 0.5  # in the big corpus a high blend means a person coded it
    gold_small = small < -0.5  # in the small one the opposite
    model = fit_evidence_model([_values(big), _values(small)], [gold_big, gold_small], ("blend",),
                               threshold=0.3)
    only_big = fit_evidence_model([_values(big)], [gold_big], ("blend",), threshold=0.3)
    assert only_big.coef[0] > 2 and model.coef[0] < only_big.coef[0] / 2  # the small one counts
    assert model.threshold == 0.3


@pytest.mark.parametrize(("text", "backchannel", "technical"), [
    ("Yeah.", True, False),
    ("Um.", True, False),
    ("Okay, sure, definitely.", True, False),
    ("Yeah, I can hear you.", True, True),
    ("Can you hear me?", True, True),
    ("Sorry, you're breaking up a bit there.", True, True),
    ("I nearly used again.", False, False),
    ("The receptionist at my GP said, loudly, oh, you're the methadone one.", False, False),
    ("I keep my camera off in the group because of my kids.", False, False),
])
def test_backchannels_and_remarks_about_the_call(text, backchannel, technical):
    assert is_backchannel(text) is backchannel
    assert is_technical(text) is technical


def test_a_question_about_the_call_is_no_prompt():
    turns = [(1, 1, 0, "interviewer", "How did the group feel to you at first?"),
             (1, 2, 10, "interviewer", "Sorry, can you hear me okay now?"),
             (1, 3, 20, "participant", "Yes.")]
    assert prompts_by_turn(turns)[(1, 3)] == "How did the group feel to you at first?"


def test_sentence_turns_keep_the_question_and_the_speaker():
    from thematic.models import Segment

    s = [Segment(5, 2, 9, "sentence", 10, 14, "Yes.", "P1", "participant", "P1", "Was it fine?"),
         Segment(6, 2, 9, "sentence", 15, 30, "It was fine.", "P1", "participant", "P1", "Was it fine?")]
    turns, turn_of = sentence_turns(s)
    assert len(turns) == 1 and turn_of.tolist() == [0, 0]
    t = turns[0]
    assert (t.kind, t.start, t.end, t.text, t.prompt, t.role) == (
        "turn", 10, 30, "Yes. It was fine.", "Was it fine?", "participant")


def test_best_code_per_turn_admits_each_turns_most_probable_code_above_the_floor():
    # three turns, three codes; no pair reaches the turn threshold of 0.95
    blend = np.array([[1.0, -1.0, 0.0], [-2.0, -3.0, -2.5], [0.0, 2.0, -1.0]])  # p: .73 .27 .5 / .12 .05 .08 / .5 .88 .27
    strict = EvidenceModel(features=("blend",), coef=(1.0,), intercept=0.0, threshold=0.95)
    off = Evidence(turn=strict, sentence=ONE, sentence_floor=0.5)
    assert not off.decide_turns(_values(blend))[1].any()
    on = Evidence(turn=strict, sentence=ONE, sentence_floor=0.5, best_floor=0.3)
    passed = on.decide_turns(_values(blend))[1]
    assert passed.tolist() == [[True, False, False], [False, False, False], [False, True, False]]
    # a code the data does not talk about (its best matches no closer than a typical pair) stays out
    values = {**_values(blend), "code_raw95": np.broadcast_to(np.array([[1.0, 0.0, 1.0]]), blend.shape)}
    assert on.decide_turns(values)[1].tolist() == [[True, False, False], [False, False, False], [False, False, False]]


def test_the_kappa_count_can_read_calibrated_probabilities():
    from thematic.suggest.calibration import ConfidenceCalibration, expected_kappa_counts
    from thematic.suggest.calibrators import Calibrator

    rng = np.random.default_rng(3)
    blend = rng.normal(-1.0, 1.5, size=(200, 4))
    model = EvidenceModel(features=("blend",), coef=(1.0,), intercept=0.0, threshold=0.0)
    cal = ConfidenceCalibration(turn=Calibrator("platt", a=1.0, b=-1.5))  # people agree less often
    p = model.probability(_values(blend))
    on_model = Evidence(turn=model, sentence=ONE, sentence_floor=0.5, count="kappa", calibration=cal)
    on_calibrated = Evidence(turn=model, sentence=ONE, sentence_floor=0.5, count="kappa", calibration=cal,
                             count_on="calibrated")
    counts = on_model.decide_turns(_values(blend))[1].sum(axis=0)
    calibrated = on_calibrated.decide_turns(_values(blend))[1].sum(axis=0)
    assert counts.tolist() == expected_kappa_counts(p).tolist()
    assert calibrated.tolist() == expected_kappa_counts(cal.turn.apply(p)).tolist()
    assert (calibrated < counts).all()  # fewer expected agreements: fewer suggestions
