"""Coding by hand in the transcript view: selections, the code picker, in-vivo codes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from thematic.models import Code, Codebook


@dataclass(frozen=True)
class Span:
    """A stretch of a document's text chosen to code: ``[start, end)`` in code points."""

    start: int
    end: int
    text: str
    kind: str = "selection"  # "selection" | "sentence" | "turn" | "quote"

    @property
    def label(self) -> str:
        short = self.text if len(self.text) <= 160 else self.text[:157] + "…"
        return f"“{short}” ({self.kind}, characters {self.start}–{self.end})"


def span_from_selection(value: Mapping[str, Any] | None, text: str) -> Span | None:
    """The span a selection component returned, trimmed of surrounding white space.

    ``text`` is the document's stored text; the span's text is cut from it (never taken from
    the browser), so what is coded is exactly what the offsets say.

    >>> span_from_selection({"start": 3, "end": 11, "kind": "selection"}, "It  helped me.")
    Span(start=4, end=10, text='helped', kind='selection')
    """
    if not value:
        return None
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, TypeError, ValueError):
        return None
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    if start >= end:
        return None
    return Span(start, end, text[start:end], str(value.get("kind") or "selection"))


def sentence_spans(segments: pd.DataFrame, document_id: int,
                   turns: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of ``document_id`` inside the page's ``turns`` (a click codes one)."""
    if segments.empty or not turns:
        return []
    lo, hi = min(t[0] for t in turns), max(t[1] for t in turns)
    rows = segments[(segments["document_id"] == document_id) & (segments["start"] < hi)
                    & (segments["end"] > lo)]
    return [(int(a), int(b)) for a, b in zip(rows["start"], rows["end"], strict=True)]


def code_choices(codebook: Codebook) -> dict[str, str]:
    """Code id -> "Parent / Child" label, in codebook order, for a searchable picker."""
    return {c.id: " / ".join(codebook.path(c.id)) or c.id for c in codebook.codes}


def slug(text: str, taken: set[str] | frozenset[str] = frozenset(), *, limit: int = 40) -> str:
    """A code id made from ``text``: lower-case ASCII words joined by ``-``, unique in ``taken``.

    >>> slug("It's like a family!", {"its-like-a-family"})
    'its-like-a-family-2'
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_.lower().replace("'", "")).strip("-")[:limit].strip("-")
    base = base or "code"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def in_vivo_code(codebook: Codebook, words: str) -> Code:
    """A new top-level code named with the participant's own words (an in-vivo code)."""
    from thematic.models import Code

    name = " ".join(words.split())
    if len(name) > 60:
        name = name[:59].rstrip() + "…"
    return Code(id=slug(name, {c.id for c in codebook.codes}), name=name,
                definition=f"In-vivo code: “{name}”.")


def coding_rows_for_code(codings: pd.DataFrame, code: str, *, limit: int = 200) -> pd.DataFrame:
    """The codings of ``code`` (document, speaker, status, text), for "which segments does this
    change affect"."""
    rows = codings[codings["code"] == code] if not codings.empty else codings
    cols = ["coding_id", "document", "speaker", "status", "source", "text"]
    return rows[cols].head(limit).reset_index(drop=True) if not rows.empty else pd.DataFrame(columns=cols)


__all__ = ["Span", "sentence_spans", "span_from_selection", "code_choices", "slug", "in_vivo_code",
           "coding_rows_for_code"]
