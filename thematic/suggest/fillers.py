"""A turn's codes on the sentences that say something, not on its fillers.

On the sentence unit a turn decides whether a code applies and its sentences say where
(:meth:`~thematic.suggest.calibration.Evidence.decide_sentences`). A sentence that says too
little to carry a code on its own ("Um.", "Okay.", "Three days.") keeps one only when no other
sentence of its turn can; the learned model's suggestions are moved the same way
(:func:`segments_off_fillers`). Pure numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.models import Segment

#: A sentence of this many words or fewer is a fragment of its turn ("Um.", "Three days.").
FRAGMENT_WORDS = 2


def fillers(words: np.ndarray, backchannel: np.ndarray) -> np.ndarray:
    """Which sentences say too little to carry a code on their own: fragments of at most
    :data:`FRAGMENT_WORDS` words and backchannels
    (:func:`~thematic.suggest.interview_context.is_backchannel`)."""
    import numpy as np

    return (np.asarray(words) <= FRAGMENT_WORDS) | np.asarray(backchannel, dtype=bool)


def off_fillers(passed: np.ndarray, probability: np.ndarray, filler: np.ndarray,
                turn_of: np.ndarray) -> np.ndarray:
    """The sentence suggestions with each turn's codes moved off its fillers.

    A turn's code is suggested on the sentences that say something: a filler ("Um.", "Okay.",
    "Three days.") keeps a code only when no other sentence of its turn can carry it. Where a
    code passed only on fillers of a turn that has other sentences, the most probable of those
    takes it instead. Which codes each turn gets is unchanged: a turn read per sentence (any
    sentence) gives the same codes before and after.

    Examples
    --------
    One turn of three sentences, the first a filler. The first code stays where another
    sentence carries it; the second, passed only on the filler, moves to the most probable
    other sentence:

    >>> import numpy as np
    >>> passed = np.array([[True, True], [True, False], [False, False]])
    >>> p = np.array([[0.6, 0.5], [0.4, 0.1], [0.3, 0.2]])
    >>> off_fillers(passed, p, np.array([True, False, False]), np.array([0, 0, 0])).astype(int)
    array([[0, 0],
           [1, 0],
           [0, 1]])
    """
    import numpy as np

    passed = np.asarray(passed, dtype=bool).copy()
    filler = np.asarray(filler, dtype=bool)
    if not filler.any() or not passed.size:
        return passed
    n_turns = int(turn_of.max()) + 1
    said = np.zeros((n_turns, passed.shape[1]), dtype=bool)  # a code on a sentence that says something
    np.logical_or.at(said, turn_of[~filler], passed[~filler])
    on_filler = np.zeros_like(said)
    np.logical_or.at(on_filler, turn_of[filler], passed[filler])
    has_words = np.bincount(turn_of[~filler], minlength=n_turns) > 0
    to_move = on_filler & ~said & has_words[:, None]  # codes only a turn's fillers carry
    passed[filler & has_words[turn_of]] = False
    order = np.argsort(turn_of, kind="stable")  # each turn's rows, without scanning them all per code
    bounds = np.searchsorted(turn_of[order], np.arange(n_turns + 1))
    candidate = np.where(filler[:, None], -np.inf, probability)
    for t, c in zip(*np.nonzero(to_move), strict=True):
        rows = order[bounds[t]:bounds[t + 1]]
        passed[rows[np.argmax(candidate[rows, c])], c] = True
    return passed


def segments_off_fillers(segments: Sequence[Segment], passed: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """:func:`off_fillers` for sentence segments (rows of ``passed`` in ``segments``' order),
    their fillers and turns read from the segments; ``passed`` as it is for other units."""
    import numpy as np

    from thematic.suggest.interview_context import is_backchannel, sentence_turns

    if not segments or any(s.kind != "sentence" for s in segments):
        return passed
    words = np.array([len(s.text.split()) for s in segments])
    backchannel = np.array([is_backchannel(s.text) for s in segments], dtype=bool)
    return off_fillers(passed, probability, fillers(words, backchannel), sentence_turns(segments)[1])
