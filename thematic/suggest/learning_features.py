"""What the learned model reads of a segment (:data:`LEARN_ON`): its own vector, or also its
turn's and the question it answers.

A person decides a sentence knowing what the speaker was saying around it and what they were
asked, and a code often belongs to the turn more than to any of its sentences ("I nearly used
again" after a long account of a bad week) or shows in the answer to one question (a
counsellor's reflection, and the client's reply to it). With ``"segment_and_turn"`` each
sentence is read as its own vector next to its turn's (the turn as the codebook's scoring read
it: the sentences of the turn joined, :func:`~thematic.suggest.code_texts.context_views`); a
turn, or a sentence alone in its turn, is its own turn. With ``"segment_turn_and_question"``
(the default of :class:`~thematic.suggest.classifier_engine.ClassifierEngine`) the vector of
the question it answers (``Segment.prompt``, the interviewer's turn before it; zeros without
one) follows. The parts are scaled so that a vector stays of length 1 (at most). A code's
description and examples stand for a segment and its turn, and answer no question
(:func:`as_code_text`).

Measured by ``benchmarks/bench_learning.py --learn-on`` (13 corpora in 7 families, four
seeds, the classifier's shipped setting; sentence->turn kappa on the documents not reviewed,
mean of the 13): 10% / 20% / 30% reviewed, ``"segment"`` 0.275 / 0.286 / 0.286,
``"segment_and_turn"`` 0.276 / 0.293 / 0.298, ``"segment_turn_and_question"`` 0.282 / 0.300 /
0.309 (the codebook alone 0.265 / 0.263 / 0.260). Leave one family out, every held-out family
chose ``"segment_turn_and_question"`` (``benchmarks/results/learning.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematic.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.models import Codebook, Segment
    from thematic.suggest.semantic import SemanticEngine

#: What the learned model can read of a segment: its own vector, a sentence's beside its turn's,
#: or both beside the question the segment answers (zeros without one).
LEARN_ON = ("segment", "segment_and_turn", "segment_turn_and_question")


def check_learn_on(value: str) -> str:
    """``value`` when it is one of :data:`LEARN_ON`, else a :class:`~thematic.errors.ParameterError`
    that lists them."""
    if value not in LEARN_ON:
        raise ParameterError(f"learn_on must be one of {LEARN_ON}. Got {value!r} instead.")
    return value


def learning_vectors(engine: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
                     learn_on: str = "segment") -> np.ndarray:
    """What the decision classifier learns on, as ``engine``'s scoring read the texts (through
    its cache, so after a scoring nothing is encoded): the segments' own vectors
    (:meth:`~thematic.suggest.semantic.SemanticEngine.segment_vectors`), with
    ``"segment_and_turn"`` each beside its turn's, with ``"segment_turn_and_question"`` also
    beside the question it answers."""
    from thematic.suggest.code_texts import context_views
    from thematic.suggest.embeddings import embed_cached

    if check_learn_on(learn_on) == "segment":
        return engine.segment_vectors(segments, codebook)
    view_texts: list[str] = []
    view_idx: list[int] = []
    seg_idx: list[int] = []
    if any(s.kind != "turn" for s in segments):  # a turn is its own turn: no views needed
        view_texts, view_idx, seg_idx = context_views(segments)
    prompts = list(dict.fromkeys(s.prompt for s in segments if s.prompt))
    if engine.turn_vectors_in_use() == "embedded":  # each text alone; no refit of a fitted backend
        backend = engine.backend_in_use()
        own = engine.segment_vectors(segments, codebook)
        views = embed_cached(backend, view_texts, engine.cache, batch_size=engine.batch_size)
        questions = embed_cached(backend, prompts, engine.cache, batch_size=engine.batch_size)
    else:
        own, views, questions, _ = engine.vectors(segments, codebook, view_texts, view_pairs=(view_idx, seg_idx))
    joined = with_turns(own, views, turn_rows(segments, view_idx, seg_idx))
    if learn_on == "segment_and_turn":
        return joined
    return with_questions(joined, questions, prompts, [s.prompt for s in segments])


def turn_rows(segments: Sequence[Segment], view_index: Sequence[int],
              segment_index: Sequence[int]) -> list[int | None]:
    """Per segment, the row of its turn among the views (``context_views``' pairs), or None
    for a turn and for a sentence alone in its turn."""
    rows: list[int | None] = [None] * len(segments)
    for view, seg in zip(view_index, segment_index, strict=True):
        if segments[seg].kind != "turn":
            rows[seg] = int(view)
    return rows


def with_turns(own: np.ndarray, views: np.ndarray, rows: Sequence[int | None]) -> np.ndarray:
    """Each row of ``own`` beside its turn's vector (``views[rows[i]]``, or itself when the row
    is None), scaled by ``1/sqrt(2)``.

    Examples
    --------
    >>> import numpy as np
    >>> own = np.array([[1.0, 0.0], [0.0, 1.0]]); views = np.array([[0.6, 0.8]])
    >>> with_turns(own, views, [0, None]).round(3).tolist()
    [[0.707, 0.0, 0.424, 0.566], [0.0, 0.707, 0.0, 0.707]]
    """
    import numpy as np

    turn = own.copy()
    known = [(i, r) for i, r in enumerate(rows) if r is not None]
    if known:
        turn[[i for i, _ in known]] = views[[r for _, r in known]]
    return np.hstack([own, turn]) / np.sqrt(2.0)


def with_questions(joined: np.ndarray, questions: np.ndarray, prompts: Sequence[str | None],
                   asked: Sequence[str | None]) -> np.ndarray:
    """``joined`` (:func:`with_turns`) beside the vector of the question each segment answers
    (``questions[k]`` for ``prompts[k]``; zeros for a segment without one), rescaled so that the
    three parts weigh alike.

    Examples
    --------
    >>> import numpy as np
    >>> joined = np.ones((3, 2)) / np.sqrt(2.0); questions = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> (with_questions(joined, questions, ["Why?", "How?"], ["How?", None, "Why?"]) * np.sqrt(3)).round(3).tolist()
    [[1.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.0]]
    """
    import numpy as np

    row = {p: k for k, p in enumerate(prompts)}
    which = np.array([row.get(p, -1) if p else -1 for p in asked], dtype=np.int64)
    out = np.zeros((len(asked), questions.shape[1]), dtype=joined.dtype)
    known = which >= 0
    out[known] = questions[which[known]]
    return np.hstack([joined * np.sqrt(2.0), out]) / np.sqrt(3.0)


def as_code_text(vectors: np.ndarray, learn_on: str) -> np.ndarray:
    """A code's description and examples read as ``learn_on`` reads a segment: the text stands
    for the segment and its turn, and answers no question."""
    import numpy as np

    if learn_on == "segment":
        return vectors
    if learn_on == "segment_and_turn":
        return np.hstack([vectors, vectors]) / np.sqrt(2.0)
    return np.hstack([vectors, vectors, np.zeros_like(vectors)]) / np.sqrt(3.0)
