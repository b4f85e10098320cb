"""The vectors one semantic scoring reads: the segments', their other views', their questions'
and the codes' texts, with the turns and their sentences read as ``turn_vectors`` says
(:data:`~thematic.suggest.turn_vectors.TURN_VECTORS`): each encoded as a text of its own, the
turn pooled from its sentences (:func:`~thematic.suggest.turn_vectors.pool`), or each turn read
once with its sentences in it (:mod:`~thematic.suggest.in_context`). Every text goes through the
embedding cache, so a text is encoded once per model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from thematic.suggest.base import Progress
from thematic.suggest.code_texts import code_texts

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.models import Codebook, Segment


def turn_reading(turn_vectors: str, backend: object) -> str:
    """How turns are read: ``turn_vectors``, or "embedded" when it is "in_context" and the
    backend cannot read sentences in their turn (:func:`~thematic.suggest.in_context.reads_in_context`).

    Examples
    --------
    >>> from thematic.suggest.embeddings import TfidfSvdBackend
    >>> turn_reading("in_context", TfidfSvdBackend()), turn_reading("pooled", TfidfSvdBackend())
    ('embedded', 'pooled')
    """
    from thematic.suggest.in_context import reads_in_context

    if turn_vectors == "in_context" and not reads_in_context(backend):
        return "embedded"
    return turn_vectors


def scoring_vectors(
    backend: Any,
    segments: Sequence[Segment],
    codebook: Codebook,
    view_texts: Sequence[str],
    view_pairs: tuple[Sequence[int], Sequence[int]] = ((), ()),
    *,
    reading: str = "embedded",
    cache: Any = None,
    progress: Progress | None = None,
    batch_size: int = 64,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The segments', their other views' (``view_texts``), their distinct questions' (in order
    of first appearance) and the codes' texts' vectors (per code: description, positives, near
    misses, exclusion if any). A backend that must be fitted is fitted on the segments,
    questions and code texts first.

    Unless ``reading`` (:func:`turn_reading`) is "embedded", the turns (of the sentences among
    ``segments``, turn segments with several known sentences) and their sentences take their
    vectors together (:func:`~thematic.suggest.in_context.context_slots`; ``view_pairs`` are the
    (view, segment) index pairs of the views, as
    :func:`~thematic.suggest.code_texts.context_views` returns them)."""
    import numpy as np

    from thematic.suggest.embeddings import embed_cached
    from thematic.suggest.in_context import TURN_SLOT, context_slots

    code_corpus = [text for c in codebook.codes for text in code_texts(c).embedded()]
    seg_texts = [s.text for s in segments]
    prompt_texts = list(dict.fromkeys(s.prompt for s in segments if s.prompt))
    if backend.requires_fit:
        backend.fit(seg_texts + prompt_texts + code_corpus)
    groups, seg_slots, view_slots = (context_slots(segments, view_texts, *view_pairs)
                                     if reading != "embedded" else ([], {}, {}))
    plain_segs = [i for i in range(len(segments)) if i not in seg_slots]
    plain_views = [j for j in range(len(view_texts)) if j not in view_slots]
    texts = [*(seg_texts[i] for i in plain_segs), *(view_texts[j] for j in plain_views),
             *prompt_texts, *code_corpus]
    vecs = embed_cached(backend, texts, cache, progress, batch_size=batch_size)
    a, b, k = len(plain_segs), len(plain_segs) + len(plain_views), len(prompt_texts)
    sentences, turns = group_vectors(backend, groups, reading=reading, cache=cache, progress=progress,
                                     batch_size=batch_size)
    dim = vecs.shape[1]

    def fill(n: int, plain: list[int], rows: np.ndarray,
             slots: dict[int, tuple[int, int | str]]) -> np.ndarray:
        out = np.zeros((n, dim), dtype=np.float32)
        out[plain] = rows
        for i, (g, slot) in slots.items():
            out[i] = turns[g] if slot == TURN_SLOT else sentences[g][slot]
        return out

    return (fill(len(segments), plain_segs, vecs[:a], seg_slots),
            fill(len(view_texts), plain_views, vecs[a:b], view_slots), vecs[b : b + k], vecs[b + k :])


def group_vectors(
    backend: Any,
    groups: list[tuple[str, ...]],
    *,
    reading: str,
    cache: Any = None,
    progress: Progress | None = None,
    batch_size: int = 64,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per group of sentences (a turn): its sentences' vectors and the turn's, read in context
    (``reading="in_context"``, :func:`~thematic.suggest.in_context.encode_in_context`) or the
    sentences encoded alone and the turn pooled from them (:func:`~thematic.suggest.turn_vectors.pool`)."""
    import numpy as np

    from thematic.suggest.embeddings import embed_cached
    from thematic.suggest.in_context import encode_in_context
    from thematic.suggest.turn_vectors import pool, word_weights

    if reading == "in_context":
        return encode_in_context(backend, groups, cache, progress, batch_size=batch_size)
    flat = [t for g in groups for t in g]
    vecs = embed_cached(backend, flat, cache, progress, batch_size=batch_size)
    bounds = np.cumsum([0, *(len(g) for g in groups)])
    rows = [range(bounds[g], bounds[g + 1]) for g in range(len(groups))]
    return [vecs[r.start : r.stop] for r in rows], pool(vecs, rows, word_weights(flat))
