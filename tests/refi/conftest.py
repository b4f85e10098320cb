"""Shared paths of the REFI-QDA fixtures (written by tests/data/refi/make_fixtures.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "refi"
EXPECTED: dict[str, list[dict[str, str]]] = json.loads((DATA / "expected.json").read_text("utf-8"))
XSD = Path("/work/shared/refi-qda/Project.xsd")


@pytest.fixture
def data() -> Path:
    return DATA
