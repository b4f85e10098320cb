"""Where a segment sits in the interview: the question it answers and its neighbours.

In a semi-structured interview the interviewer's question carries the topic of a short answer
("Yeah, it was fine, I didn't mind": fine about what?), and people code stretches of talk, so
a segment's neighbours say something about it too. Pure functions over
:class:`~thematic.models.Segment` lists.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from thematic.models import INTERVIEWER_ROLES, Segment

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MIN_PROMPT_WORDS = 4  # shorter interviewer turns ("Mm-hmm.", "Right, okay.") are backchannels


def prompts_by_turn(
    turns: Iterable[tuple[Hashable, Hashable, int, str | None, str]],
    *,
    min_words: int = MIN_PROMPT_WORDS,
    interviewer_roles: Collection[str] = INTERVIEWER_ROLES,
) -> dict[tuple[Hashable, Hashable], str | None]:
    """The prompt of every turn: the rule both the semantic engine and the topics follow.

    ``turns`` are ``(document, turn, start, role, text)`` of every role, any order. A turn's
    prompt is the last interviewer turn of at least ``min_words`` words that starts before it
    in the same document; an interviewer turn, and a turn before any question, gets None.

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
            if len(text.split()) >= min_words:
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
