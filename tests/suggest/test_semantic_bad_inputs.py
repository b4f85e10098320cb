"""The semantic engine on codebooks and corpora that do not fit each other well (TF-IDF backend)."""

from __future__ import annotations

import numpy as np
import pytest
from suggest_fixtures import EXPECTED, TURNS, build_codebook, build_segments

from thematic.models import Code, Codebook, Segment
from thematic.suggest.embeddings import TfidfSvdBackend
from thematic.suggest.interview_context import attach_prompts
from thematic.suggest.semantic import SemanticEngine


@pytest.fixture
def study() -> list[Segment]:
    """The fixture interview, three times (three documents), participant turns with questions."""
    out = []
    for doc in (1, 2, 3):
        _, segs = build_segments(TURNS, document_id=doc)
        segs = [Segment(s.id + 1000 * doc, s.document_id, s.turn_id, s.kind, s.start, s.end, s.text,
                        s.speaker, s.role, s.participant) for s in segs]
        out += attach_prompts([s for s in segs if s.role == "participant"], segs)
    return out


def _expected(segments: list[Segment], code: str) -> set[int]:
    return {s.id for s in segments if EXPECTED[s.turn_id] == code}


def _suggested(engine: SemanticEngine, segments: list[Segment], book: Codebook) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {c.id: set() for c in book.codes}
    for s in engine.suggest(segments, book):
        out[s.code_id].add(s.segment_id)
    return out


def test_codes_with_only_a_name(study):
    book = Codebook([Code("wait", "Waiting"), Code("cost", "Cost of paying"), Code("heard", "Listened to")])
    engine = SemanticEngine(TfidfSvdBackend())
    scores = engine.score(study, book)
    for code in ("wait", "cost"):
        j = scores.code_ids.index(code)
        top = {study[i].id for i in np.argsort(-scores.confidence()[:, j])[:6]}
        assert len(top & _expected(study, code)) >= 4, code
    got = _suggested(engine, study, book)
    for code in ("wait", "cost"):  # what it suggests is mostly right (confidence is not certainty)
        assert got[code] and len(got[code] & _expected(study, code)) >= len(got[code]) / 2, code


def test_a_code_the_corpus_never_talks_about_gets_nothing(study):
    book = Codebook([*build_codebook().codes,
                     Code("stars", "Astronomy", definition="Stars, planets, telescopes and galaxies "
                          "watched at night.")])
    engine = SemanticEngine(TfidfSvdBackend())
    got = _suggested(engine, study, book)
    assert len(got["stars"]) <= 1  # (almost) nothing, against several for the codes it talks about
    assert len(got["wait"]) >= 3 and len(got["cost"]) >= 3
    scores = engine.score(study, book)
    best = scores.confidence().max(axis=0)
    assert best[scores.code_ids.index("stars")] < min(best[scores.code_ids.index(c)] for c in ("wait", "cost"))


def test_a_code_without_a_word_in_common_abstains_and_says_why(study):
    engine = SemanticEngine(TfidfSvdBackend())
    no_match = Codebook([*build_codebook().codes, Code("stars", "Astronomy", definition="Telescopes.")])
    engine.suggest(study, no_match)
    report = engine.code_report().set_index("code")
    assert report.loc["stars", "suggested"] == 0  # not one word in common: it abstains, and says so
    assert report.loc["stars", "why"].startswith(
        "abstains: no word of its definition or examples occurs in the data, and the TF-IDF model "
        "compares words")
    assert report.loc["wait", "suggested"] > 0 and not report.loc["wait", "why"].startswith("abstains")
    for code in ("wait", "cost"):
        assert report.loc[code, "suggested"] >= 3
        assert report.loc[code, "why"].startswith(f"{report.loc[code, 'suggested']} segments at confidence >= ")


def test_a_code_that_fits_every_segment_does_not_swallow_the_others(study):
    everything = " ".join(t for _, t in TURNS)
    book = Codebook([*build_codebook().codes, Code("all", "Everything", definition=everything)])
    alone = _suggested(SemanticEngine(TfidfSvdBackend()), study, build_codebook())
    got = _suggested(SemanticEngine(TfidfSvdBackend()), study, book)
    assert got["all"]  # it fits, so it gets suggestions
    for code in ("wait", "cost"):  # and the others keep theirs, if fewer (it is every code's rival)
        right = len(alone[code] & _expected(study, code))
        assert right and len(got[code] & _expected(study, code)) >= right / 3, code


@pytest.mark.slow
def test_two_hundred_codes(study):
    rng = np.random.default_rng(0)
    words = ("garden river violin ledger harbour quartz meadow lantern velvet orbit canyon "
             "saddle pepper glacier marble thunder compass ribbon falcon tunnel").split()
    filler = [Code(f"f{k}", f"Topic {k}", definition=" ".join(rng.choice(words, 5))) for k in range(197)]
    book = Codebook([*build_codebook().codes, *filler])
    engine = SemanticEngine(TfidfSvdBackend())
    got = _suggested(engine, study, book)
    assert len(engine.code_report()) == 200
    assert sum(len(v) for k, v in got.items() if k.startswith("f")) <= len(study) // 4
    assert len(got["wait"] & _expected(study, "wait")) >= 3


def test_a_remark_about_the_call_gets_no_code_on_its_own_words():
    book = Codebook([Code("camera", "Cameras on or off", definition="Seeing and hearing each other on "
                          "video calls: cameras on or off, faces on screen, being heard.")])
    turns = [("interviewer", "Can you hear me okay?"), ("participant", "Yeah, I can hear you."),
             ("interviewer", "What was it like to keep your camera off in the online group?"),
             ("participant", "I kept my camera off at first, I did not want my face on the screen."),
             ("participant", "Yeah, I can hear you fine now.")]
    _, segs = build_segments(turns)
    segments = attach_prompts([s for s in segs if s.role == "participant"], segs)
    engine = SemanticEngine(TfidfSvdBackend())
    parts = engine.components(segments, book)
    assert parts.technical is not None and parts.technical.tolist() == [True, False, True]
    score = engine.blend(parts)
    assert score[0, 0] == 0.0  # no question worth the name before it: nothing at all
    assert score[2, 0] == pytest.approx(engine.question * parts.prompt[2, 0])  # only its question


@pytest.mark.slow
def test_sentence_suggestions_follow_their_turn(study):
    sentences = []
    for s in study:  # two sentences per turn: its two halves
        words = s.text.split()
        half = len(words) // 2
        sentences += [Segment(s.id * 10, s.document_id, s.turn_id, "sentence", s.start, s.start + 1,
                              " ".join(words[:half]) + ".", s.speaker, s.role, s.participant, s.prompt),
                      Segment(s.id * 10 + 1, s.document_id, s.turn_id, "sentence", s.start + 2, s.end,
                              " ".join(words[half:]), s.speaker, s.role, s.participant, s.prompt)]
    engine = SemanticEngine(TfidfSvdBackend())
    scores = engine.score(sentences, build_codebook())
    threshold = engine.evidence_model().turn.threshold
    assert scores.turn_probability is not None
    passed = scores.passed & ~scores.vetoed
    assert passed.any()
    assert (scores.turn_probability[passed] >= threshold).all()
    for s in engine.suggest(sentences, build_codebook()):
        assert s.evidence["turn_probability"] >= threshold


def _with_fillers(study: list[Segment]) -> list[Segment]:
    """Each turn as the sentences "Um.", its text, and "Okay." (a filler either side)."""
    out = []
    for s in study:
        for k, text in enumerate(("Um.", s.text, "Okay.")):
            out.append(Segment(s.id * 10 + k, s.document_id, s.turn_id, "sentence", s.start + k, s.start + k + 1,
                               text, s.speaker, s.role, s.participant, s.prompt))
    return out


@pytest.mark.slow
def test_a_turns_codes_sit_on_what_it_says_not_on_its_fillers(study):
    sentences = _with_fillers(study)
    engine = SemanticEngine(TfidfSvdBackend())
    book = build_codebook()
    scores = engine.score(sentences, book)
    inputs = engine.evidence_inputs(sentences, book)
    assert inputs.turn_values is not None and inputs.turn_of is not None
    _, before = engine.evidence_model().decide_sentences(inputs.values, inputs.turn_values, inputs.turn_of,
                                                         off_fillers=False)
    filler = np.array([s.text in ("Um.", "Okay.") for s in sentences])
    assert before[filler].any()  # the turn's codes did land on its fillers
    assert not scores.passed[filler].any()
    for t in np.unique(inputs.turn_of):  # every turn keeps exactly the codes it had
        rows = inputs.turn_of == t
        assert (scores.passed[rows].any(axis=0) == before[rows].any(axis=0)).all()
    suggested = {s.segment_id for s in engine.suggest(sentences, book)}
    assert suggested and not suggested & {s.id for s, f in zip(sentences, filler, strict=True) if f}


def test_a_turn_of_fillers_alone_keeps_its_code():
    from thematic.suggest.fillers import off_fillers

    passed = np.array([[True], [False], [True]])
    p = np.array([[0.6], [0.2], [0.5]])
    turn_of = np.array([0, 0, 1])
    filler = np.array([True, True, True])  # "Yeah. Definitely." and "Okay.": nothing else to carry it
    assert off_fillers(passed, p, filler, turn_of).tolist() == passed.tolist()
