"""Carry codings over to a changed version of a document.

A coding survives when the text it quoted is still in the new version: it moves to the
occurrence nearest to where it was (positions scaled by the length change). Codings whose
quoted text is gone are reported, never silently moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    coding_id: int
    start: int
    end: int


def _occurrences(text: str, needle: str) -> list[int]:
    found, pos = [], text.find(needle)
    while pos != -1:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def reanchor(
    old_text: str, new_text: str, spans: Iterable[tuple[int, int, int]]
) -> tuple[list[Anchor], list[int]]:
    """Map ``(coding_id, start, end)`` spans of ``old_text`` into ``new_text``.

    Returns the re-anchored spans and the ids of codings whose text is gone.
    """
    kept: list[Anchor] = []
    lost: list[int] = []
    scale = len(new_text) / max(len(old_text), 1)
    for coding_id, start, end in spans:
        quote = old_text[start:end]
        if not quote.strip():
            lost.append(coding_id)
            continue
        hits = _occurrences(new_text, quote)
        if not hits:
            lost.append(coding_id)
            continue
        expected = start * scale
        best = min(hits, key=lambda pos: abs(pos - expected))
        kept.append(Anchor(coding_id, best, best + len(quote)))
    return kept, lost
