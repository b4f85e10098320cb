"""The sample study's codebook, codebooks/peer_listening.yaml: valid, complete, useful rules."""

from __future__ import annotations

import warnings

import pytest
from rule_oracle import code_segment

from tests.codebook.conftest import SAMPLE
from thematic.codebook import load_codebook_with_warnings, validate_codebook
from thematic.models import Codebook


@pytest.fixture(scope="module")
def sample() -> Codebook:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cb, found = load_codebook_with_warnings(SAMPLE)
    assert found == []
    return cb


def test_sample_loads_without_errors_or_warnings() -> None:
    assert validate_codebook(SAMPLE) == []


def test_sample_shape(sample: Codebook) -> None:
    assert sample.label == "Listening Circles@1.0"
    assert 25 <= len(sample.codes) <= 35
    groups = sample.children(None)
    assert 6 <= len(groups) <= 7
    assert all(sample.children(g.id) for g in groups)
    assert max(len(sample.path(c.id)) for c in sample.codes) == 3  # virtual -> privacy/cameras/reach


@pytest.mark.parametrize(
    "code_id",
    [
        "feeling-heard", "isolation", "belonging-connection", "non-judgmental-space",
        "confidentiality-trust", "hope-lived-experience", "active-listening", "coping-skills",
        "smart-tools", "relapse", "accountability", "self-stigma", "family-stigma",
        "clinical-stigma", "role-clarity", "boundaries-dual-relationships", "supervision",
        "burnout-compassion-fatigue", "funding-sustainability", "training",
        "virtual-vs-in-person", "privacy-at-home", "camera-use", "reach-and-access",
        "cultural-faith-fit", "programme-critique",
    ],
)
def test_sample_covers_the_study_topics(sample: Codebook, code_id: str) -> None:
    assert code_id in sample.by_id()


def test_every_code_is_fully_specified(sample: Codebook) -> None:
    for code in sample.codes:
        kinds = [e.kind for e in code.examples]
        assert code.definition and code.inclusion and code.exclusion, code.id
        assert kinds.count("typical") >= 2, code.id
        assert kinds.count("near_miss") >= 1, code.id
        assert code.rules and any(not r.exclude for r in code.rules), code.id
        assert code.color and code.color.startswith("#"), code.id
        assert all(r.roles == ("participant",) for r in code.rules), code.id


def test_sample_uses_every_rule_kind_and_exclusions(sample: Codebook) -> None:
    rules = [r for c in sample.codes for r in c.rules]
    assert {r.kind for r in rules} == {"keywords", "regex", "pattern"}
    assert sum(r.exclude for r in rules) >= 20
    phrases = [k for r in rules if r.kind == "keywords" for k in r.value]
    assert sum(" " in k for k in phrases) > len(phrases) / 2  # mostly multiword phrases
    for bare in ("listen", "hear", "help", "feel", "group"):
        assert bare not in phrases, f"'{bare}' alone is too broad"


@pytest.mark.slow
def test_rules_find_typical_examples_and_leave_near_misses(sample: Codebook) -> None:
    suggest = code_segment(sample)
    typical = [(c.id, e.text) for c in sample.codes for e in c.examples if e.kind == "typical"]
    found = [cid for cid, text in typical if cid in suggest(text)]
    assert len(found) / len(typical) >= 0.9
    leaf_ids = {c.id for c in sample.codes if not sample.children(c.id)}
    assert leaf_ids <= set(found), leaf_ids - set(found)
    for code in sample.codes:
        for example in code.examples:
            if example.kind == "near_miss":
                assert code.id not in suggest(example.text), (code.id, example.text)


def _words(text: str) -> list[str]:
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    return re.sub(r"[^a-z0-9']+", " ", text).split()


@pytest.fixture(scope="module")
def transcript_words() -> dict[str, str]:
    from thematic.ingest import read_file

    folder = SAMPLE.parents[1] / "transcripts_sample"
    out = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix != ".csv" and path.name != "README.md":
            out[path.name] = " " + " ".join(w for d in read_file(path) for w in _words(d.text)) + " "
    return out


def test_no_example_is_copied_from_the_sample_transcripts(
    sample: Codebook, transcript_words: dict[str, str]
) -> None:
    """Examples written from the transcripts would flatter every figure measured on them: no
    example is a passage of a sample transcript, nor shares a run of six words with one."""
    assert len(transcript_words) == 11
    copied = []
    for code in sample.codes:
        for example in code.examples:
            words = _words(example.text)
            runs = {" ".join(words[i:i + 6]) for i in range(max(1, len(words) - 5))}
            hits = [name for name, text in transcript_words.items()
                    if any(f" {run} " in text for run in runs)]
            if hits:
                copied.append((code.id, example.text, hits))
    assert copied == []
