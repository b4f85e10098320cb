"""Sentences read inside their turn: one encoding gives a turn's vector and its sentences'.

Coding per sentence scores each sentence with its turn as well, and coding per turn scores each
turn with its sentences; encoding both encodes the same words twice. An encoder that pools
token vectors (:class:`~thematic.suggest.onnx_backend.OnnxBackend`) can read each turn once and
give each sentence the mean of *its* tokens' vectors, read in the turn (the tokens of "it"
know what "it" is), and the turn the mean of all of them (its usual vector). A turn longer
than the encoder reads (MiniLM: 256 word pieces) is read in consecutive runs of whole sentences
that fit, and its vector is the mean over every run's tokens.

The vectors are cached per turn (its sentences' texts in order), in the embedding cache under
the backend's name with ``|in-context`` added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematic.suggest.base import Progress, text_key

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.models import Segment
    from thematic.suggest.embeddings import EmbeddingCache

#: what a turn's slot in the cache is called besides its sentences' positions
TURN_SLOT = "turn"


def reads_in_context(backend: object) -> bool:
    """Whether ``backend`` can read sentences inside their turn (``encode_in_context``)."""
    return callable(getattr(backend, "encode_in_context", None))


def runs_that_fit(token_counts: Sequence[int], limit: int) -> list[range]:
    """Consecutive runs of sentences whose tokens together fit in ``limit`` (a sentence longer
    than ``limit`` alone, as the encoder truncates it).

    Examples
    --------
    >>> runs_that_fit([5, 5, 5, 20, 3], 12)
    [range(0, 2), range(2, 3), range(3, 4), range(4, 5)]
    """
    out: list[range] = []
    start, used = 0, 0
    for i, n in enumerate(token_counts):
        if i > start and used + n > limit:
            out.append(range(start, i))
            start, used = i, 0
        used += n
    if len(token_counts):
        out.append(range(start, len(token_counts)))
    return out


def slot_key(group: Sequence[str], slot: int | str) -> str:
    """The cache key of one vector of a turn: a sentence's (its position) or the turn's."""
    return text_key("\x1e".join(group) + f"\x1f{slot}")


def encode_in_context(
    backend: object,
    groups: Sequence[tuple[str, ...]],
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    *,
    batch_size: int = 64,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per group (a turn's sentences, in order): its sentences' vectors read in the turn, and
    the turn's vector; reading only groups the cache does not hold (each once).

    Returns
    -------
    sentences, turns
        ``sentences[g]`` has shape ``(len(groups[g]), dim)``; ``turns`` ``(len(groups), dim)``.
    """
    import numpy as np

    model = f"{backend.name}|in-context"  # type: ignore[attr-defined]
    unique = list(dict.fromkeys(groups))
    keys = {g: [*(slot_key(g, p) for p in range(len(g))), slot_key(g, TURN_SLOT)] for g in unique}
    found = cache.get(model, [k for g in unique for k in keys[g]]) if cache is not None else {}
    missing = [g for g in unique if not all(k in found for k in keys[g])]
    if missing:
        sents, turns = backend.encode_in_context(missing, batch_size=batch_size, progress=progress)  # type: ignore[attr-defined]
        new = {}
        for g, s, t in zip(missing, sents, turns, strict=True):
            new.update({keys[g][p]: s[p] for p in range(len(g))})
            new[keys[g][-1]] = t
        if cache is not None:
            cache.put(model, new)
        found = {**found, **new}
    dim = int(backend.dim)  # type: ignore[attr-defined]
    sentence_vectors = [np.array([found[k] for k in keys[g][:-1]], dtype=np.float32).reshape(len(g), dim)
                        for g in groups]
    turn_vectors = np.array([found[keys[g][-1]] for g in groups], dtype=np.float32).reshape(len(groups), dim)
    return sentence_vectors, turn_vectors


def context_slots(
    segments: Sequence[Segment],
    view_texts: Sequence[str],
    view_index: Sequence[int],
    segment_index: Sequence[int],
) -> tuple[list[tuple[str, ...]], dict[int, tuple[int, int | str]], dict[int, tuple[int, int | str]]]:
    """Where each vector of a scoring comes from when turns are read with their sentences.

    The groups are the turns: the sentences among ``segments`` by (document, turn), in order,
    and the turn segments with several known sentences. A sentence takes its position in its
    group (a sentence alone in its turn the turn's slot: its own vector); a turn segment its
    group's turn slot. A view (as :func:`~thematic.suggest.code_texts.context_views` pairs
    them, ``view_texts[view_index[k]]`` a view of ``segments[segment_index[k]]``) of sentences
    is their group's turn slot, a view of a turn segment the position of that sentence in it.
    Rows and views without a slot are encoded as texts of their own.

    Returns
    -------
    groups, segment_slots, view_slots
        ``segment_slots[i] = (group, slot)``, slot a position or :data:`TURN_SLOT`.

    Examples
    --------
    >>> from thematic.models import Segment
    >>> s = [Segment(1, 1, 7, "sentence", 0, 5, "Yes."), Segment(2, 1, 7, "sentence", 6, 20, "It was fine."),
    ...      Segment(3, 1, 8, "sentence", 30, 40, "Next one.")]
    >>> groups, rows, views = context_slots(s, ["Yes. It was fine."], [0, 0], [0, 1])
    >>> groups, rows, views
    ([('Yes.', 'It was fine.'), ('Next one.',)], {0: (0, 0), 1: (0, 1), 2: (1, 'turn')}, {0: (0, 'turn')})
    """
    groups, rows = _row_slots(segments)
    return groups, rows, _view_slots(segments, view_texts, view_index, segment_index, groups, rows)


def _row_slots(segments: Sequence[Segment]) -> tuple[list[tuple[str, ...]], dict[int, tuple[int, int | str]]]:
    """The groups (turns) of :func:`context_slots` and each segment's slot in them."""
    index: dict[tuple[str, ...], int] = {}

    def group(texts: tuple[str, ...]) -> int:
        return index.setdefault(texts, len(index))

    rows: dict[int, tuple[int, int | str]] = {}
    by_turn: dict[tuple[int, int], list[int]] = {}
    for i, seg in enumerate(segments):
        if seg.kind == "sentence":
            by_turn.setdefault((seg.document_id, seg.turn_id), []).append(i)
        elif len(parts := tuple(p.strip() for p in (seg.sentences or ()) if p.strip())) > 1:
            rows[i] = (group(parts), TURN_SLOT)
    for members in by_turn.values():
        members.sort(key=lambda i: segments[i].start)
        g = group(tuple(segments[i].text.strip() for i in members))
        for p, i in enumerate(members):
            rows[i] = (g, p if len(members) > 1 else TURN_SLOT)
    return list(index), rows


def _view_slots(segments: Sequence[Segment], view_texts: Sequence[str], view_index: Sequence[int],
                segment_index: Sequence[int], groups: list[tuple[str, ...]],
                rows: dict[int, tuple[int, int | str]]) -> dict[int, tuple[int, int | str]]:
    """Each view's slot (:func:`context_slots`): a view of sentences their turn's, a view of
    a turn segment the position of that sentence in it."""
    views: dict[int, tuple[int, int | str]] = {}
    used: set[tuple[int, int]] = set()
    for j, i in zip(view_index, segment_index, strict=True):
        if j in views or i not in rows:
            continue
        g, slot = rows[i]
        if segments[i].kind == "sentence":
            views[j] = (g, TURN_SLOT)
        elif slot == TURN_SLOT:
            text = view_texts[j].strip()
            p = next((p for p, t in enumerate(groups[g]) if t == text and (g, p) not in used), None)
            if p is not None:
                used.add((g, p))
                views[j] = (g, p)
    return views
