"""Split turns into sentences with exact character offsets (DESIGN invariant 1).

Every turn is one ``turn`` segment; spaCy splits it into ``sentence`` segments. Both are
stored, so a project can switch its unit of coding without ingesting again. Sentence spans are
trimmed of surrounding white space and are offsets into the document text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from thematic.models import Turn

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

from thematic.models import UNITS  # noqa: F401  (re-exported)

SENTENCE_COMPONENTS = ("sentencizer", "senter", "parser", "tok2vec", "transformer")


class SegmentSpan(NamedTuple):
    """A segment before it is stored: which turn, what kind, its index and span."""

    turn_index: int
    kind: str
    idx: int
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return start, start
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + lead + len(stripped)


def sentence_offsets(
    texts: Iterable[str], nlp: Language, *, batch_size: int = 256
) -> Iterator[list[tuple[int, int]]]:
    """For each text, the ``(start, end)`` of its sentences, trimmed, relative to the text."""
    disable = [name for name in nlp.pipe_names if name not in SENTENCE_COMPONENTS]
    # the original strings travel with their docs: rebuilding ``doc.text`` costs a Python
    # call per token, more than the sentencizer itself
    pairs = ((text, text) for text in texts)
    for doc, text in nlp.pipe(pairs, batch_size=batch_size, disable=disable, as_tuples=True):
        spans = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            # spans start and end on tokens; only whitespace tokens (newlines) need trimming
            if end > start and (text[start].isspace() or text[end - 1].isspace()):
                start, end = _trim(text, start, end)
            if end > start:
                spans.append((start, end))
        yield spans


def segment_turns(text: str, turns: Sequence[Turn], nlp: Language) -> list[SegmentSpan]:
    """Turn and sentence segments of one document, in document order."""
    return segment_many([(text, turns)], nlp)[0]


def segment_many(
    docs: Sequence[tuple[str, Sequence[Turn]]], nlp: Language, *, batch_size: int = 256
) -> list[list[SegmentSpan]]:
    """Segment many documents in one ``nlp.pipe`` stream (fast for large imports)."""
    flat: list[tuple[int, int, Turn]] = [
        (d, i, turn) for d, (_, turns) in enumerate(docs) for i, turn in enumerate(turns)
    ]
    texts = (docs[d][0][turn.start : turn.end] for d, _, turn in flat)
    out: list[list[SegmentSpan]] = [[] for _ in docs]
    counters = [0] * len(docs)
    for (d, i, turn), sents in zip(flat, sentence_offsets(texts, nlp, batch_size=batch_size)):
        out[d].append(SegmentSpan(i, "turn", i, turn.start, turn.end))
        for s_start, s_end in sents:
            out[d].append(SegmentSpan(i, "sentence", counters[d], turn.start + s_start, turn.start + s_end))
            counters[d] += 1
    return out
