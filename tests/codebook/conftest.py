from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "codebook"
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "codebooks" / "peer_listening.yaml"
XSD = REPO / "thematic" / "codebook" / "schemas" / "Codebook.xsd"


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE
