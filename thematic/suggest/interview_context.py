"""Where a segment sits in the interview: the question it answers and its neighbours.

In a semi-structured interview the interviewer's question carries the topic of a short answer
("Yeah, it was fine, I didn't mind": fine about what?), and people code stretches of talk, so
a segment's neighbours say something about it too. Pure functions over
:class:`~thematic.models.Segment` lists.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from thematic.models import INTERVIEWER_ROLES, Segment

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MIN_PROMPT_WORDS = 4  # shorter interviewer turns ("Mm-hmm.", "Right, okay.") are backchannels
MAX_BACKCHANNEL_WORDS = 8  # a segment this short with at most one content word says nothing alone
MAX_TECHNICAL_WORDS = 15  # a remark about the call this short is about the call, not the study
# Remarks about the call itself ("Can you hear me?", "You're breaking up", "I'm on mute").
TECHNICAL = re.compile(
    r"\b(?:can|could|do) you (?:hear|see) me\b|\bi can(?:'t| ?not)? (?:hear|see) you\b"
    r"|\b(?:hear|see) (?:me|you) (?:now|okay|ok|alright|all right|fine|clearly)\b"
    r"|\b(?:on|off) mute\b|\bunmute\b|\bmuted\b|\b(?:breaking|cutting) (?:up|out)\b|\bfroze(?:n)?\b"
    r"|\bwi-?fi\b|\b(?:internet|bad|poor) connection\b|\bconnection (?:is|was|keeps)\b|\blagg?ing\b"
    r"|\b(?:microphone|mic|headphones|headset|earphones|audio|speakers?)\b|\bshare (?:my|your) screen\b"
    r"|\b(?:the )?(?:sound|video) (?:is|was|keeps)\b",
    re.IGNORECASE,
)
# Assent, hedges and interjections that answer without saying what about (on top of the stop
# words and fillers of :mod:`thematic.suggest.lexical`).
ANSWER_WORDS = frozenset(
    "yep yup nope mhm mmm uhm huh wow cool fine great good sure definitely absolutely exactly "
    "totally honestly course guess suppose agree true right alright okay true sorry thanks "
    "thank pardon".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def prompts_by_turn(
    turns: Iterable[tuple[Hashable, Hashable, int, str | None, str]],
    *,
    min_words: int = MIN_PROMPT_WORDS,
    interviewer_roles: Collection[str] = INTERVIEWER_ROLES,
) -> dict[tuple[Hashable, Hashable], str | None]:
    """The prompt of every turn: the rule both the semantic engine and the topics follow.

    ``turns`` are ``(document, turn, start, role, text)`` of every role, any order. A turn's
    prompt is the last interviewer turn of at least ``min_words`` words that starts before it
    in the same document and is no remark about the call (:func:`is_technical`: "Can you hear
    me okay?" asks nothing about the study); an interviewer turn, and a turn before any
    question, gets None.

    Examples
    --------
    >>> prompts_by_turn([(1, 2, 30, "participant", "Fine."), (1, 1, 0, "interviewer", "How was the wait?")])
    {(1, 1): None, (1, 2): 'How was the wait?'}
    """
    roles = set(interviewer_roles)
    prompt: dict[tuple[Hashable, Hashable], str | None] = {}
    last: dict[Hashable, str] = {}
    for doc, turn, _, role, text in sorted(turns, key=lambda t: (str(t[0]), t[2])):
        if role in roles:
            prompt[(doc, turn)] = None
            if len(text.split()) >= min_words and not is_technical(text):
                last[doc] = text.strip()
        else:
            prompt[(doc, turn)] = last.get(doc)
    return prompt


def attach_prompts(
    segments: Sequence[Segment], turns: Iterable[Segment], *, min_words: int = MIN_PROMPT_WORDS
) -> list[Segment]:
    """``segments`` with ``prompt`` set to the interviewer turn each one answers
    (:func:`prompts_by_turn`).

    Parameters
    ----------
    segments
        The segments to annotate (any unit).
    turns
        The project's turns (kind ``turn``), interviewer turns included, any order.

    Examples
    --------
    >>> from thematic.models import Segment
    >>> turns = [Segment(1, 1, 1, "turn", 0, 30, "How did the camera feel to you?", role="interviewer"),
    ...          Segment(2, 1, 2, "turn", 31, 50, "It was fine really.", role="participant"),
    ...          Segment(3, 1, 3, "turn", 51, 58, "Mm-hmm.", role="interviewer"),
    ...          Segment(4, 1, 4, "turn", 59, 70, "I got used.", role="participant")]
    >>> [s.prompt for s in attach_prompts([turns[1], turns[3]], turns)]
    ['How did the camera feel to you?', 'How did the camera feel to you?']
    """
    prompt = prompts_by_turn(((t.document_id, t.turn_id, t.start, t.role, t.text) for t in turns),
                             min_words=min_words)
    return [
        seg if seg.role in INTERVIEWER_ROLES
        else replace(seg, prompt=prompt.get((seg.document_id, seg.turn_id)))
        for seg in segments
    ]


def neighbours(segments: Sequence[Segment]) -> tuple[np.ndarray, np.ndarray]:
    """Row of the previous and of the next segment in the same document (-1: none).

    Neighbours are in document order among the ``segments`` given (so among participants'
    segments when the interviewer's are left out).

    Examples
    --------
    >>> from thematic.models import Segment
    >>> segs = [Segment(i, d, i, "turn", s, s + 5, "x") for i, (d, s) in enumerate([(1, 10), (1, 0), (2, 0)])]
    >>> prev, nxt = neighbours(segs)
    >>> prev.tolist(), nxt.tolist()
    ([1, -1, -1], [-1, 0, -1])
    """
    import numpy as np

    n = len(segments)
    prev = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    order = sorted(range(n), key=lambda i: (segments[i].document_id, segments[i].start))
    for a, b in zip(order, order[1:], strict=False):
        if segments[a].document_id == segments[b].document_id:
            nxt[a], prev[b] = b, a
    return prev, nxt


def is_technical(text: str) -> bool:
    """True for a short remark about the call itself ("Can you hear me?", "I'm on mute").

    Examples
    --------
    >>> is_technical("Yeah, I can hear you."), is_technical("Sorry, you're breaking up.")
    (True, True)
    >>> is_technical("In the circle people actually heard me for once.")
    False
    """
    return len(text.split()) <= MAX_TECHNICAL_WORDS and TECHNICAL.search(text) is not None


def content_words(text: str) -> list[str]:
    """The words of ``text`` that are not stop words or speech fillers (lower case, in order).

    Examples
    --------
    >>> content_words("Yeah, yeah, I mean, definitely. The waiting list!")
    ['waiting', 'list']
    """
    from thematic.suggest.lexical import MIN_LENGTH, stop_words

    stop = stop_words() | ANSWER_WORDS
    return [w for w in _WORD.findall(text.lower()) if len(w) >= MIN_LENGTH and w not in stop]


def is_backchannel(text: str) -> bool:
    """True for a segment that says nothing on its own words: a backchannel or filler ("Yeah.",
    "Um.", "Okay, sure.", at most one content word in at most :data:`MAX_BACKCHANNEL_WORDS`
    words) or a remark about the call (:func:`is_technical`).

    The semantic engine scores such a segment only through the question it answers
    (:class:`~thematic.suggest.semantic.SemanticEngine`): "Yeah." after "Did you feel judged?"
    may be about judgement; "Yeah, I can hear you." is never about cameras.

    Examples
    --------
    >>> [is_backchannel(t) for t in ("Um.", "Yeah, definitely.", "Can you hear me?",
    ...                              "I nearly used again.", "Months, honestly.")]
    [True, True, True, False, True]
    """
    words = text.split()
    if len(words) <= MAX_BACKCHANNEL_WORDS and len(content_words(text)) <= 1:
        return True
    return is_technical(text)


def attach_sentences(segments: Sequence[Segment], sentences: Iterable[Segment]) -> list[Segment]:
    """``segments`` with every turn's ``sentences`` set to the texts of its stored sentences.

    ``sentences`` are the project's sentence segments (any order): the ones of the same
    (document, turn) become the turn's sentences in document order, so the engines read the
    sentences ingest made (:mod:`thematic.segment`) rather than splitting turns again. A turn
    without stored sentences gets none; sentence segments are returned unchanged.

    Examples
    --------
    >>> from thematic.models import Segment
    >>> turn = Segment(1, 1, 7, "turn", 0, 17, "Yes. It was fine.")
    >>> stored = [Segment(3, 1, 7, "sentence", 5, 17, "It was fine."), Segment(2, 1, 7, "sentence", 0, 4, "Yes.")]
    >>> attach_sentences([turn], stored)[0].sentences
    ('Yes.', 'It was fine.')
    """
    by_turn: dict[tuple[int, int], list[Segment]] = {}
    for sent in sentences:
        by_turn.setdefault((sent.document_id, sent.turn_id), []).append(sent)
    return [
        replace(seg, sentences=tuple(s.text for s in sorted(by_turn.get((seg.document_id, seg.turn_id), []),
                                                            key=lambda s: s.start)))
        if seg.kind == "turn" else seg
        for seg in segments
    ]


def sentence_turns(sentences: Sequence[Segment]) -> tuple[list[Segment], np.ndarray]:
    """The turns the ``sentences`` make up, and the row of each sentence's turn.

    A turn's text is its sentences' texts joined with a space (in document order), its span
    from its first sentence's start to its last one's end; it keeps the first sentence's
    speaker, role, participant and question, and the sentences' texts as its ``sentences``.
    Turn ids are row numbers.

    Examples
    --------
    >>> from thematic.models import Segment
    >>> s = [Segment(1, 1, 7, "sentence", 0, 5, "Yes."), Segment(2, 1, 7, "sentence", 6, 20, "It was fine."),
    ...      Segment(3, 1, 8, "sentence", 30, 40, "Next one.")]
    >>> turns, turn_of = sentence_turns(s)
    >>> [t.text for t in turns], turn_of.tolist()
    (['Yes. It was fine.', 'Next one.'], [0, 0, 1])
    """
    import numpy as np

    groups: dict[tuple[int, int], list[int]] = {}
    for i, seg in enumerate(sentences):
        groups.setdefault((seg.document_id, seg.turn_id), []).append(i)
    turns: list[Segment] = []
    turn_of = np.full(len(sentences), -1, dtype=np.int64)
    for members in groups.values():
        members.sort(key=lambda i: sentences[i].start)
        first, last = sentences[members[0]], sentences[members[-1]]
        turn_of[members] = len(turns)
        texts = tuple(sentences[i].text.strip() for i in members)
        turns.append(Segment(len(turns), first.document_id, first.turn_id, "turn", first.start, last.end,
                             " ".join(texts), first.speaker, first.role, first.participant,
                             first.prompt, texts))
    return turns, turn_of
