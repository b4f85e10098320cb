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
