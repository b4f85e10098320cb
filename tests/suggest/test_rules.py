"""RuleEngine: keyword lemmas, phrases, patterns, regexes, vetoes, roles, evidence, confidence."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest
from suggest_fixtures import build_segments

from thematic.errors import CodebookError
from thematic.models import Code, Codebook, Rule, Segment
from thematic.suggest.calibrators import RULE_CEILING, Calibrator
from thematic.suggest.rules import RuleEngine
from thematic.suggest.shipped_confidence import RULE_CALIBRATION


def _has_lemmatizer(nlp) -> bool:
    return "lemmatizer" in nlp.pipe_names


def _one(text: str, *rules: Rule, role: str = "participant") -> Segment:
    return Segment(1, 7, 1, "sentence", 10, 10 + len(text), text, role=role)


def _book(*rules: Rule, code_id: str = "c") -> Codebook:
    return Codebook([Code(code_id, code_id.title(), rules=rules)], content_hash=f"h-{rules!r}")


@pytest.fixture
def engine(nlp) -> RuleEngine:
    return RuleEngine(nlp)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("She really listened to me.", "listen"),
        ("Listened to? Never.", "listen"),  # capitalised, sentence-initial
        ("The nurses were kind.", "nurse"),
        ("We are still WAITING.", "wait"),
    ],
)
def test_keyword_matches_on_lemmas(engine, nlp, text, keyword):
    if not _has_lemmatizer(nlp):
        pytest.skip("no lemmatizer: spacy-lookups-data is not installed")
    out = engine.suggest([_one(text)], _book(Rule("k", "keywords", [keyword])))
    assert [s.code_id for s in out] == ["c"]


def test_keyword_does_not_match_inside_other_words(engine):
    out = engine.suggest([_one("The waitress brought tea.")], _book(Rule("k", "keywords", ["wait"])))
    assert out == []


@pytest.mark.parametrize(
    "text", ["I was on the waiting list.", "Waiting lists are long here.", "the Waiting List"]
)
def test_multiword_phrase(engine, nlp, text):
    if not _has_lemmatizer(nlp):
        pytest.skip("no lemmatizer: spacy-lookups-data is not installed")
    out = engine.suggest([_one(text)], _book(Rule("k", "keywords", ["waiting list"])))
    assert len(out) == 1
    assert out[0].evidence["matched"][0]["text"].lower().startswith("waiting list")


def test_regex_is_case_insensitive_with_offsets(engine):
    seg = _one("It took SIX weeks to hear back.")
    out = engine.suggest([seg], _book(Rule("r", "regex", r"six weeks")))
    (m,) = out[0].evidence["matched"]
    assert m == {"text": "SIX weeks", "start": 18, "end": 27, "rule": "r"}


def test_token_pattern(engine):
    rule = Rule("p", "pattern", [{"LOWER": "for"}, {"LIKE_NUM": True}, {"LOWER": "hours"}])
    hit = engine.suggest([_one("I sat there for 6 hours.")], _book(rule))
    miss = engine.suggest([_one("I sat there for hours.")], _book(rule))
    assert [s.evidence["matched"][0]["text"] for s in hit] == ["for 6 hours"]
    assert miss == []


def test_exclusion_rule_vetoes(engine):
    book = _book(
        Rule("k", "keywords", ["listen"]),
        Rule("x", "regex", r"I had to listen", exclude=True),
    )
    vetoed = _one("I had to listen to the doctor explain it twice.")
    kept = _one("The doctor listened carefully.")
    assert [s.segment_id for s in engine.suggest([vetoed], book)] == []
    assert len(engine.suggest([kept], book)) == 1
    (kept_vetoed,) = engine.suggest([vetoed], book, keep_vetoed=True)
    assert kept_vetoed.confidence == 0.0
    assert kept_vetoed.evidence["excluded_by"] == ["x"]


def test_role_restriction(engine):
    book = _book(Rule("r", "regex", r"\bwaiting\b", roles=("participant",)))
    assert len(engine.suggest([_one("waiting", role="participant")], book)) == 1
    assert engine.suggest([_one("waiting", role="carer")], book) == []
    unrestricted = _book(Rule("r", "regex", r"\bwaiting\b"))
    assert len(engine.suggest([_one("waiting", role="carer")], unrestricted)) == 1


def test_evidence_offsets_point_into_the_document(engine, codebook, document):
    text, segments = document
    out = engine.suggest(segments, codebook)
    assert out, "the fixture interview should produce rule suggestions"
    for s in out:
        assert text[s.start : s.end] == next(g.text for g in segments if g.id == s.segment_id)
        for m in s.evidence["matched"]:
            assert text[m["start"] : m["end"]] == m["text"]


def test_expected_codes_on_the_interview(engine, codebook, participant_segments):
    got = {(s.segment_id, s.code_id) for s in engine.suggest(participant_segments, codebook)}
    assert (101, "heard") in got and (104, "wait") in got and (106, "cost") in got
    assert (108, "heard") not in got  # "I had to listen to the doctor": vetoed


def test_one_suggestion_per_segment_and_code(engine):
    book = _book(Rule("a", "keywords", ["wait"]), Rule("b", "regex", "months"))
    out = engine.suggest([_one("We waited and waited for months.")], book)
    assert len(out) == 1
    assert out[0].evidence["rules"] == ["a", "b"]


def test_confidence_grows_with_distinct_terms_and_weight(engine):
    book = _book(Rule("k", "keywords", ["cost", "pay", "parking"]))
    texts = ["It cost a lot.", "It cost a lot to pay.", "It cost a lot to pay for parking."]
    confs = [engine.suggest([_one(t)], book)[0].confidence for t in texts]
    assert confs == sorted(confs) and len(set(confs)) == 3
    repeated = engine.suggest([_one("It cost a lot, it cost so much.")], book)[0].confidence
    assert repeated == confs[0]
    heavy = _book(Rule("k", "keywords", ["cost"], weight=1.5))
    light = _book(Rule("k", "keywords", ["cost"], weight=0.5))
    assert engine.suggest([_one(texts[0])], light)[0].confidence < confs[0]
    assert engine.suggest([_one(texts[0])], heavy)[0].confidence > confs[0]
    assert engine.confidence([1.0, 1.0]) == pytest.approx(1 - 0.4**2)


def test_deterministic(codebook, document, nlp):
    _, segments = document
    assert RuleEngine(nlp).suggest(segments, codebook) == RuleEngine(nlp).suggest(segments, codebook)


def test_codebook_compiles_once_per_content_hash(engine, codebook):
    assert engine.compile(codebook) is engine.compile(codebook)
    changed = Codebook(codebook.codes[:1], content_hash="test-v2")
    assert engine.compile(changed) is not engine.compile(codebook)


def test_progress_is_reported(engine, codebook, document):
    calls: list[tuple[int, int]] = []
    engine.suggest(document[1], codebook, progress=lambda stage, d, t: calls.append((d, t)))
    assert calls[-1] == (len(document[1]), len(document[1]))


def test_invalid_rules_reported_together(engine):
    book = _book(
        Rule("bad-rx", "regex", "(unclosed"),
        Rule("bad-kind", "fuzzy", "x"),
        Rule("bad-kw", "keywords", [""]),
    )
    with pytest.raises(CodebookError, match="3 rule") as info:
        engine.compile(book)
    assert {p.code_id for p in info.value.problems} == {"c"}
    assert any("bad-kind" in p.message for p in info.value.problems)


@pytest.mark.parametrize(
    ("params", "message"),
    [({"batch_size": 0}, "batch_size must be an integer"), ({"match_weight": 2}, "match_weight must be")],
)
def test_parameter_errors(nlp, codebook, params, message):
    with pytest.raises(ValueError, match=message):
        RuleEngine(nlp, **params).suggest([], codebook)


def test_get_params_round_trip():
    engine = RuleEngine(batch_size=32)
    params = engine.get_params()
    assert params == {"nlp": None, "batch_size": 32, "match_weight": 0.6, "max_term_confidence": 0.95,
                      "regex_timeout": 0.25, "calibration": asdict(RULE_CALIBRATION)}
    assert RuleEngine(**params).get_params() == params
    as_stored = json.loads(json.dumps(params))  # a run stores its parameters as JSON
    assert RuleEngine(**as_stored).calibrator() == RULE_CALIBRATION


MANY_TERMS = ["cost", "pay", "parking", "bus", "ticket", "fare", "money", "price"]
ALL_OF_THEM = "The cost, the pay, the parking, the bus, the ticket, the fare, the money, the price."


@pytest.mark.parametrize("calibration", [None, Calibrator("platt", a=3.0, b=1.0), Calibrator()])
def test_a_rule_only_match_never_shows_certainty(nlp, calibration):
    """Eight matched terms make a noisy-OR of 0.9993; whatever the calibrator (the shipped one,
    a steep Platt, none at all), the confidence shown stays below what rounds to 1.00, and the
    noisy-OR is kept in the evidence."""
    engine = RuleEngine(nlp, calibration=calibration)
    (out,) = engine.suggest([_one(ALL_OF_THEM)], _book(Rule("k", "keywords", MANY_TERMS)))
    raw = 1 - 0.4 ** len(MANY_TERMS)
    assert out.evidence["raw_confidence"] == pytest.approx(raw, abs=1e-6)
    assert f"{out.confidence:.2f}" != "1.00" and out.confidence <= RULE_CEILING
    if calibration is None:  # the shipped calibration's top step, shrunk: well below certainty
        assert out.confidence == pytest.approx(RULE_CALIBRATION.y[-1])


def test_the_shown_confidence_is_the_calibrated_noisy_or(engine):
    book = _book(Rule("k", "keywords", ["cost", "pay", "parking"]))
    for text in ("It cost a lot.", "It cost a lot to pay.", "It cost a lot to pay for parking."):
        (out,) = engine.suggest([_one(text)], book)
        raw = out.evidence["raw_confidence"]
        expected = min(RULE_CEILING, float(RULE_CALIBRATION.apply(np.array([raw]))[0]))
        assert out.confidence == pytest.approx(expected, abs=1e-6)
        assert out.confidence < raw  # keyword hits are right less often than their noisy-OR says


def test_segments_of_several_documents(engine, codebook):
    _, first = build_segments(document_id=1)
    _, second = build_segments(document_id=2)
    out = engine.suggest(first + second, codebook)
    assert {s.document_id for s in out} == {1, 2}


def test_the_engine_refuses_a_rule_with_the_codebook_checks_own_words(engine):
    """Rules are validated in one place (thematic.codebook.checks); the engine reports its
    errors and compiles the rest."""
    from thematic.codebook.checks import check_rule

    weightless = Rule("heavy", "keywords", ["heard"], weight=-1)
    assert [m for m, _, s in check_rule(weightless) if s == "error"] == [
        "weight must be >= 0. Got -1 instead"]
    assert check_rule(Rule("phrase", "keywords", "felt heard")) == []  # a phrase, not letters
    with pytest.raises(CodebookError, match="1 rule") as info:
        engine.compile(_book(weightless, Rule("fine", "keywords", ["heard"])))
    assert [p.message for p in info.value.problems] == [
        "rule 'heavy': weight must be >= 0. Got -1 instead"]


def test_a_codebook_without_rules_reads_no_segment(nlp, monkeypatch):
    def no_reading(*args, **kwargs):
        raise AssertionError("a codebook without rules needs no segment read")

    engine = RuleEngine(nlp=nlp)
    book = Codebook([Code("wait", "Waiting", definition="Waiting for treatment.")], name="no rules")
    monkeypatch.setattr(nlp, "pipe", no_reading)
    seen: list[tuple[str, int, int]] = []
    segments = [Segment(i, 1, i, "sentence", 0, 12, "I waited ages.", role="participant")
                for i in range(3)]
    assert engine.suggest(segments, book, progress=lambda *a: seen.append(a)) == []
    assert seen == [("rules", 3, 3)]
