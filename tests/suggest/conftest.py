"""Fixtures of the suggestion tests (builders in ``suggest_fixtures.py``)."""

from __future__ import annotations

import pytest
from suggest_fixtures import RecordingEncoder, build_codebook, build_segments, halved_turns

from thematic.models import Codebook, Segment
from thematic.nlp import load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture
def codebook() -> Codebook:
    return build_codebook()


@pytest.fixture
def document() -> tuple[str, list[Segment]]:
    return build_segments()


@pytest.fixture
def participant_segments(document) -> list[Segment]:
    return [s for s in document[1] if s.role == "participant"]


@pytest.fixture
def sentences(participant_segments) -> list[Segment]:
    return halved_turns(participant_segments)


@pytest.fixture
def encoder(sentences, codebook) -> RecordingEncoder:
    from thematic.suggest.code_texts import code_texts

    corpus = [s.text for s in sentences] + [t for c in codebook.codes for t in code_texts(c).embedded()]
    return RecordingEncoder(corpus)
