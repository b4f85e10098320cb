"""Shared fixtures of the ingest tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from thematic.models import Document

DATA = Path(__file__).resolve().parent.parent / "data" / "ingest"

TurnRow = tuple[str | None, str, float | None, float | None]


@pytest.fixture
def data_dir() -> Path:
    """The committed ingest fixtures."""
    return DATA


@pytest.fixture
def turns_of() -> Callable[[Document], list[TurnRow]]:
    """``doc -> [(speaker, text, time_start, time_end), ...]`` via ``doc.text[start:end]``."""

    def rows(doc: Document) -> list[TurnRow]:
        return [(t.speaker, doc.text[t.start : t.end], t.time_start, t.time_end) for t in doc.turns]

    return rows
