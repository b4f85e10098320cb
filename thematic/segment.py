"""Split turns into sentences with exact character offsets (DESIGN invariant 1).

Every turn is one ``turn`` segment; spaCy splits it into ``sentence`` segments. Both are
stored, so a project can switch its unit of coding without ingesting again. Sentence spans are
trimmed of surrounding white space and are offsets into the document text. This is thematic's
one sentence splitter: suggestion runs hand the engines each turn's stored sentences
(:func:`thematic.services.runs.unit_segments`), and turns given without them are split here
(:func:`thematic.suggest.code_texts.turn_sentences`).
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


#: Longest piece of text given to spaCy at once; a longer turn is cut at a line break or a
#: space before this length (well under spaCy's ``nlp.max_length`` of 1,000,000).
MAX_PIECE = 100_000


def split_long(text: str, limit: int = MAX_PIECE) -> list[int]:
    """Start offsets of the pieces ``text`` is cut into, each at most ``limit`` long.

    Cuts fall after the last newline, else after the last sentence end (``. ``), else at the
    last white space, inside each window (a hard cut only for a window without any), so
    sentences are rarely split.

    Examples
    --------
    >>> split_long("aaa bbb ccc", limit=5)
    [0, 4, 8]
    """
    starts = [0]
    while len(text) - starts[-1] > limit:
        begin = starts[-1]
        window = text[begin : begin + limit]
        cut = window.rfind("\n")
        if cut <= 0:  # else after the last sentence end, else at the last space
            cut = max(window.rfind(end) for end in (". ", "? ", "! ", ".\t")) + 1
        if cut <= 0:
            cut = max(window.rfind(" "), window.rfind("\t"))
        starts.append(begin + (cut + 1 if cut > 0 else limit))
    return starts


def sentence_offsets(
    texts: Iterable[str], nlp: Language, *, batch_size: int = 256
) -> Iterator[list[tuple[int, int]]]:
    """For each text, the ``(start, end)`` of its sentences, trimmed, relative to the text.

    A text longer than :data:`MAX_PIECE` characters is split (:func:`split_long`) and its
    pieces' sentences are joined, so a 1,000,000-character turn never reaches spaCy whole.
    """
    disable = [name for name in nlp.pipe_names if name not in SENTENCE_COMPONENTS]
    limit = min(MAX_PIECE, nlp.max_length)

    def pieces() -> Iterator[tuple[str, tuple[int, int, int, str, str]]]:
        # the original strings travel with their docs: rebuilding ``doc.text`` costs a Python
        # call per token, more than the sentencizer itself
        for index, text in enumerate(texts):
            starts = split_long(text, limit) if len(text) > limit else [0]
            ends = [*starts[1:], len(text)]
            for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
                yield text[a:b], (index, a, len(starts) - 1 - k, text[a:b], text)

    current: list[tuple[int, int]] = []
    for doc, (_, offset, remaining, text, whole) in nlp.pipe(
        pieces(), batch_size=batch_size, disable=disable, as_tuples=True
    ):
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            # spans start and end on tokens; only whitespace tokens (newlines) need trimming
            if end > start and (text[start].isspace() or text[end - 1].isspace()):
                start, end = _trim(text, start, end)
            if end > start:
                current.append((offset + start, offset + end))
        if remaining == 0:
            yield keep_cues_whole(whole, current)
            current = []


_OPENERS = {"[": "]", "(": ")"}
#: Longest bracketed stretch kept whole across a sentence boundary (a cue, not an aside).
MAX_CUE = 80


def _open_bracket(text: str, start: int, at: int) -> int | None:
    """The offset of a ``[`` or ``(`` in ``text[start:at]`` still open at ``at``, if any."""
    stack: list[int] = []
    for i in range(start, at):
        ch = text[i]
        if ch in _OPENERS:
            stack.append(i)
        elif stack and ch == _OPENERS[text[stack[-1]]]:
            stack.pop()
    return stack[0] if stack else None


def keep_cues_whole(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences whose boundaries never fall inside a bracketed cue.

    A sentence splitter may cut ``"Awful. [laughs] No..."`` into ``"Awful. ["`` and
    ``"laughs] No..."``; a boundary inside ``[...]`` or ``(...)`` moves to just before the
    opening bracket (the cue starts the next sentence), or disappears when the bracket opens
    the sentence.

    Examples
    --------
    >>> t = "Awful. [laughs] No, it was fine."
    >>> [t[a:b] for a, b in keep_cues_whole(t, [(0, 8), (8, 32)])]
    ['Awful.', '[laughs] No, it was fine.']
    """
    if len(spans) < 2 or ("[" not in text and "(" not in text):
        return spans
    out = [spans[0]]
    for start, end in spans[1:]:
        prev_start, prev_end = out[-1]
        opener = _open_bracket(text, prev_start, start)
        closer = text.find(_OPENERS[text[opener]], start, end) if opener is not None else -1
        if opener is None or closer < 0 or closer - opener > MAX_CUE:  # not a cue: keep the cut
            out.append((start, end))
        elif opener <= prev_start:  # the cue opens the sentence: one sentence
            out[-1] = (prev_start, end)
        else:
            head = _trim(text, prev_start, opener)
            out[-1] = head
            out.append(_trim(text, opener, end))
    return [(a, b) for a, b in out if b > a]


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
