"""The codebook scored once per suggestion run, whichever engines read it.

In a run after decisions two engines read the codebook's scores of the same segments: the
classifier, whose learned models start from them
(:func:`~thematic.suggest.learning_inputs.learning_inputs`), and the semantic engine, which
suggests from them. Inside :func:`scores_shared` (a suggestion run, ``services.suggest``) the
second gets the first's :class:`~thematic.suggest.semantic_scores.SemanticScores`, whose
arrays are then read-only, when everything they are computed from is the same
(:func:`scoring_key`). Outside a run every scoring computes.

:func:`scoring_key` is also what :mod:`~thematic.suggest.learning_inputs` keeps its inputs
under. Only a pre-trained backend that describes itself (its class and parameters: the
product's sentence encoders) is recognised; TF-IDF is fitted on the segments and code texts by
the scoring itself, so its scores are always computed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from thematic.models import Codebook, Segment

if TYPE_CHECKING:  # pragma: no cover
    from thematic.suggest.semantic import SemanticEngine
    from thematic.suggest.semantic_scores import SemanticScores

_SEGMENT_FIELDS = tuple(f.name for f in fields(Segment))
_run: ContextVar[dict[str, SemanticScores] | None] = ContextVar("thematic_shared_scores", default=None)


def recognisable(backend: Any) -> bool:
    """Whether scores through ``backend`` can be recognised again by their input: a
    pre-trained backend (not fitted by the scoring) that describes itself."""
    return not getattr(backend, "requires_fit", False) and hasattr(backend, "get_params")


def scoring_key(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook) -> str:
    """The SHA-256 of everything the codebook's scores of ``segments`` are computed from: the
    engine's parameters (which describe its backend and evidence models), the backend's vector
    space (its name), the codebook's content and the order of its codes, and every field of
    every segment, in order. Library versions do not change within a process."""
    from thematic.codebook.canonical import canonical_json

    h = hashlib.sha256()
    described = [semantic.get_params(), str(getattr(semantic.backend_in_use(), "name", ""))]
    h.update(json.dumps(described, sort_keys=True, default=str).encode())
    h.update(canonical_json(list(codebook.codes)).encode())
    h.update("\x1f".join(c.id for c in codebook.codes).encode())
    for s in segments:
        h.update(repr(tuple(getattr(s, name) for name in _SEGMENT_FIELDS)).encode())
    return h.hexdigest()


@contextmanager
def scores_shared() -> Iterator[None]:
    """Inside: a scoring with the same input as an earlier one gets its scores (module docstring)."""
    token = _run.set({})
    try:
        yield
    finally:
        _run.reset(token)


def shared_scores(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
                  compute: Callable[[], SemanticScores]) -> SemanticScores:
    """``compute()``, or inside :func:`scores_shared` the scores of an earlier scoring with the
    same input."""
    kept = _run.get()
    if kept is None or not recognisable(semantic.backend_in_use()):
        return compute()
    key = scoring_key(semantic, segments, codebook)
    if key not in kept:
        scores = compute()
        for value in vars(scores).values():
            if hasattr(value, "setflags"):
                value.setflags(write=False)
        kept[key] = scores
    return kept[key]


__all__ = ["recognisable", "scores_shared", "scoring_key", "shared_scores"]
