"""What the semantic engine and the classifier embed: a code's texts and a segment's context.

- :func:`split_description` reads ``Use for:`` / ``Not for:`` (and ``Include:``, ``Exclude:``,
  ``When to use:`` ...) inside a definition, as CSV codebooks often carry them.
- :func:`code_texts` gives a code's description, examples, near misses and exclusion text.
- :func:`context_views` gives every segment its other view: a sentence its turn, a turn its
  sentences (the ones ingest stored, :func:`turn_sentences`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from thematic.models import Code, Segment

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

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


@dataclass
class CodeTexts:
    """The texts of a code the engines embed."""

    description: str
    positives: list[str]
    near_misses: list[str]
    exclusion: str

    def embedded(self) -> list[str]:
        """The texts embedded for the code, in the order the engines read their vectors:
        description, positives, near misses, exclusion (when there is one)."""
        return [self.description, *self.positives, *self.near_misses,
                *([self.exclusion] if self.exclusion else [])]


def code_vector_rows(texts: Sequence[CodeTexts]) -> list[tuple[int, list[int], list[int]]]:
    """Per code, the rows of its description, positives and near misses among the code vectors
    the engines embed (every code's :meth:`CodeTexts.embedded`, one after the other); its
    exclusion, when it has one, is the row after its near misses.

    Examples
    --------
    >>> code_vector_rows([CodeTexts("a", ["x", "y"], ["n"], "no"), CodeTexts("b", [], [], "")])
    [(0, [1, 2], [3]), (5, [], [])]
    """
    rows, at = [], 0
    for t in texts:
        first_near = at + 1 + len(t.positives)
        rows.append((at, list(range(at + 1, first_near)),
                     list(range(first_near, first_near + len(t.near_misses)))))
        at += len(t.embedded())
    return rows


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


def turn_sentences(turns: Sequence[Segment], *, nlp: Language | None = None) -> list[tuple[str, ...]]:
    """The sentences of every turn: its stored ones (``Segment.sentences``, which
    :func:`~thematic.suggest.interview_context.attach_sentences` sets from the project), else
    the ones ingest's splitter finds (:func:`thematic.segment.sentence_offsets` with ``nlp``,
    :func:`thematic.nlp.load_nlp` by default), so a bare list of turns reads as a project would.

    Examples
    --------
    >>> from thematic.models import Segment
    >>> turn_sentences([Segment(1, 1, 1, "turn", 0, 23, "It was slow. Too slow!"),
    ...                 Segment(2, 1, 2, "turn", 24, 30, "Fine.", sentences=("Fine.",))])
    [('It was slow.', 'Too slow!'), ('Fine.',)]
    """
    out: list[tuple[str, ...] | None] = [seg.sentences for seg in turns]
    missing = [i for i, known in enumerate(out) if known is None]
    if missing:
        from thematic.nlp import load_nlp
        from thematic.segment import sentence_offsets

        texts = [turns[i].text for i in missing]
        spans = sentence_offsets(texts, nlp if nlp is not None else load_nlp())
        for i, text, found in zip(missing, texts, spans, strict=True):
            out[i] = tuple(text[a:b] for a, b in found)
    return [known or () for known in out]


def context_views(
    segments: Sequence[Segment], *, nlp: Language | None = None
) -> tuple[list[str], list[int], list[int]]:
    """The other view of every segment, as texts and (text, segment) pairs.

    A sentence's view is its turn: the sentences given for the same (document, turn) joined in
    order (a one-sentence turn has none). A turn's views are its sentences
    (:func:`turn_sentences`; a one-sentence turn has none).

    Returns
    -------
    texts, view_index, segment_index
        ``texts[view_index[k]]`` is a view of ``segments[segment_index[k]]``.
    """
    texts: list[str] = []
    view_index: list[int] = []
    segment_index: list[int] = []
    turn_rows = [i for i, seg in enumerate(segments) if seg.kind == "turn"]
    sentences = turn_sentences([segments[i] for i in turn_rows], nlp=nlp)
    for i, parts in zip(turn_rows, sentences, strict=True):
        kept = [p.strip() for p in parts if p.strip()]
        if len(kept) > 1:
            for part in kept:
                texts.append(part)
                view_index.append(len(texts) - 1)
                segment_index.append(i)
    turns: dict[tuple[int, int], list[int]] = {}
    for i, seg in enumerate(segments):
        if seg.kind != "turn":
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
