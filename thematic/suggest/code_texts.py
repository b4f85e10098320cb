"""What the semantic engine and the classifier embed: a code's texts and a segment's context.

- :func:`split_description` reads ``Use for:`` / ``Not for:`` (and ``Include:``, ``Exclude:``,
  ``When to use:`` ...) inside a definition, as CSV codebooks often carry them.
- :func:`code_texts` gives a code's description, examples, near misses and exclusion text.
- :func:`context_views` gives every segment its other view: a sentence its turn, a turn its
  sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from thematic.models import Code, Segment

POSITIVE_KINDS = frozenset({"typical", "atypical"})
NEAR_MISS_KINDS = frozenset({"near_miss", "near-miss", "nearmiss"})
_USE_FOR = re.compile(
    r"\b(?:use(?:d)? for|use when|when to use|inclusion(?: criteria)?|includes?)\s*:", re.I
)
_NOT_FOR = re.compile(
    r"\b(?:not for|do not use(?: for| when)?|don't use(?: for| when)?|when not to use|"
    r"exclusion(?: criteria)?|excludes?)\s*:",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class CodeTexts:
    """The texts of a code the engines embed."""

    description: str
    positives: list[str]
    near_misses: list[str]
    exclusion: str


def split_description(text: str) -> tuple[str, str, str]:
    """Split a description into definition, inclusion ("Use for:") and exclusion ("Not for:").

    Examples
    --------
    >>> split_description("Money matters. Use for: fees, prices. Not for: time costs.")
    ('Money matters.', 'fees, prices.', 'time costs.')
    >>> split_description("Only a definition.")
    ('Only a definition.', '', '')
    """
    marks = sorted(
        [(m.start(), m.end(), "inc") for m in _USE_FOR.finditer(text)]
        + [(m.start(), m.end(), "exc") for m in _NOT_FOR.finditer(text)]
    )
    if not marks:
        return text.strip(), "", ""
    parts: dict[str, list[str]] = {"inc": [], "exc": []}
    for i, (_, end, kind) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        parts[kind].append(text[end:stop].strip())
    return text[: marks[0][0]].strip(), " ".join(parts["inc"]), " ".join(parts["exc"])


def code_texts(code: Code) -> CodeTexts:
    """Description ``"<name>. <definition> <inclusion>"``, examples, near misses, exclusion."""
    definition, inclusion, exclusion = split_description(code.definition or "")
    inclusion = " ".join(p.strip() for p in (inclusion, code.inclusion or "") if p.strip())
    exclusion = " ".join(p.strip() for p in (exclusion, code.exclusion or "") if p.strip())
    body = " ".join(p for p in (definition, inclusion) if p)
    return CodeTexts(
        description=f"{code.name}. {body}".strip() if body else code.name,
        positives=[ex.text for ex in code.examples if ex.kind in POSITIVE_KINDS],
        near_misses=[ex.text for ex in code.examples if ex.kind in NEAR_MISS_KINDS],
        exclusion=exclusion,
    )


def context_views(segments: Sequence[Segment]) -> tuple[list[str], list[int], list[int]]:
    """The other view of every segment, as texts and (text, segment) pairs.

    A sentence's view is its turn: the sentences given for the same (document, turn) joined in
    order (a one-sentence turn has none). A turn's views are its sentences, split on end
    punctuation (a one-sentence turn has none).

    Returns
    -------
    texts, view_index, segment_index
        ``texts[view_index[k]]`` is a view of ``segments[segment_index[k]]``.
    """
    texts: list[str] = []
    view_index: list[int] = []
    segment_index: list[int] = []
    turns: dict[tuple[int, int], list[int]] = {}
    for i, seg in enumerate(segments):
        if seg.kind == "turn":
            parts = [p.strip() for p in _SENTENCE_END.split(seg.text.strip()) if p.strip()]
            if len(parts) > 1:
                for part in parts:
                    texts.append(part)
                    view_index.append(len(texts) - 1)
                    segment_index.append(i)
        else:
            turns.setdefault((seg.document_id, seg.turn_id), []).append(i)
    for members in turns.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: segments[i].start)
        texts.append(" ".join(segments[i].text.strip() for i in members))
        for i in members:
            view_index.append(len(texts) - 1)
            segment_index.append(i)
    return texts, view_index, segment_index
