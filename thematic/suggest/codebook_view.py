"""The codebook's view of a project's segments that the learned model starts from, kept in the
process between fits.

:class:`~thematic.suggest.classifier_engine.ClassifierEngine` starts each code's learned model
from the codebook's probabilities (the semantic engine's evidence models). The review queue
refits it every few decisions (the app every ten, :func:`thematic.services.background.review_order`):
the decisions change, the segments and the codebook do not, and scoring the codebook again is
most of a refit on a large project. :func:`codebook_view` keeps the last few views and gives one
back only when everything the scores are computed from is the same: the engine's parameters
(which describe its backend and evidence models), the backend's vector space, the codebook's
content and the order of its codes, and every field of every segment, in order. Only a
pre-trained backend that describes itself (its class and parameters: the product's sentence
encoders) is recognised again; a view through any other is scored every time (TF-IDF is fitted
on the segments and code texts by the scoring, which the learned model's vectors then read).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from thematic.models import Codebook, Segment

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.suggest.semantic import SemanticEngine

#: How many views a process keeps (one per project and codebook being reviewed).
KEPT = 4

_SEGMENT_FIELDS = tuple(f.name for f in fields(Segment))


@dataclass(frozen=True)
class CodebookView:
    """What the learned model reads of the codebook's scores: per (segment, code), the evidence
    model's probability and whether the codebook passes the pair (not vetoed by a near miss).
    The arrays are read-only: every fit shares them."""

    code_ids: tuple[str, ...]
    probability: np.ndarray
    passed: np.ndarray


_views: OrderedDict[str, CodebookView] = OrderedDict()
_lock = threading.Lock()


def view_key(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook) -> str:
    """The SHA-256 of everything the codebook's scores of ``segments`` are computed from."""
    from thematic.codebook.canonical import canonical_json

    # the vector space is the backend's name (EmbeddingBackend); library versions do not change
    # within a process
    h = hashlib.sha256()
    described = [semantic.get_params(), str(getattr(semantic.backend_in_use(), "name", ""))]
    h.update(json.dumps(described, sort_keys=True, default=str).encode())
    h.update(canonical_json(list(codebook.codes)).encode())
    h.update("\x1f".join(c.id for c in codebook.codes).encode())
    for s in segments:
        h.update(repr(tuple(getattr(s, name) for name in _SEGMENT_FIELDS)).encode())
    return h.hexdigest()


def codebook_view(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook) -> CodebookView:
    """The codebook's probabilities of ``segments`` under ``semantic`` (scored, or kept from an
    earlier call with the same input: module docstring)."""
    backend = semantic.backend_in_use()
    if getattr(backend, "requires_fit", False) or not hasattr(backend, "get_params"):
        return _scored(semantic, segments, codebook)
    key = view_key(semantic, segments, codebook)
    with _lock:
        if key in _views:
            _views.move_to_end(key)
            return _views[key]
    view = _scored(semantic, segments, codebook)
    with _lock:
        _views[key] = view
        while len(_views) > KEPT:
            _views.popitem(last=False)
    return view


def _scored(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook) -> CodebookView:
    scores = semantic.score(segments, codebook)
    probability = scores.model_confidence().copy()
    passed = scores.passed & ~scores.vetoed
    probability.setflags(write=False)
    passed.setflags(write=False)
    return CodebookView(tuple(scores.code_ids), probability, passed)


def forget_views() -> None:
    """Drop every kept view (the next fit scores the codebook again)."""
    with _lock:
        _views.clear()


__all__ = ["KEPT", "CodebookView", "codebook_view", "forget_views", "view_key"]
