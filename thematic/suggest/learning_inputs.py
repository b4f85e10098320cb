"""What the learned model starts from on a project's segments, kept in the process between fits.

:class:`~thematic.suggest.classifier_engine.ClassifierEngine` starts each code's learned model
from the codebook's probabilities (the semantic engine's evidence models) and fits it on the
segments' vectors as it reads them (:func:`~thematic.suggest.learning_features.learning_vectors`).
The review queue refits it every few decisions (the app every ten,
:func:`thematic.services.background.review_order`): the decisions change, the segments and the
codebook do not, and scoring the codebook and gathering the vectors again are most of a refit
on a large project. :func:`learning_inputs` keeps the last few and gives them back only when
everything they are computed from is the same: the engine's parameters (which describe its
backend and evidence models), the backend's vector space, the codebook's content and the order
of its codes, every field of every segment, in order, and what the learned model reads. Only a
pre-trained backend that describes itself (its class and parameters: the product's sentence
encoders) is recognised again; through any other they are computed every time (TF-IDF is
fitted on the segments and code texts by the scoring, which the vectors then read).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from thematic.models import Codebook, Segment

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.suggest.semantic import SemanticEngine

#: How much a process keeps, in bytes of arrays (the newest first; one set per project and
#: codebook being reviewed: 10,000 sentences read with their turn and question take about 50 MB).
KEPT_BYTES = 512 * 2**20


@dataclass(frozen=True)
class LearningInputs:
    """What the learned model starts from: per (segment, code), the codebook's probability (its
    evidence model's) and whether the codebook passes the pair (not vetoed by a near miss); per
    segment, its vectors as the learned model reads them (``learn_on``). The arrays are
    read-only: every fit shares them."""

    code_ids: tuple[str, ...]
    probability: np.ndarray
    passed: np.ndarray
    vectors: np.ndarray

    @property
    def nbytes(self) -> int:
        """The arrays' size in bytes."""
        return int(self.probability.nbytes + self.passed.nbytes + self.vectors.nbytes)


_kept: OrderedDict[str, LearningInputs] = OrderedDict()
_lock = threading.Lock()


def inputs_key(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook, learn_on: str) -> str:
    """What :func:`learning_inputs` keeps its result under: the scoring's key
    (:func:`~thematic.suggest.shared_scores.scoring_key`) and what the learned model reads."""
    from thematic.suggest.shared_scores import scoring_key

    return f"{scoring_key(semantic, segments, codebook)}:{learn_on}"


def learning_inputs(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
                    learn_on: str = "segment") -> LearningInputs:
    """The codebook's probabilities of ``segments`` under ``semantic`` and the segments' vectors
    as ``learn_on`` reads them (computed, or kept from an earlier call with the same input:
    module docstring)."""
    from thematic.suggest.shared_scores import recognisable

    if not recognisable(semantic.backend_in_use()):
        return _computed(semantic, segments, codebook, learn_on)
    key = inputs_key(semantic, segments, codebook, learn_on)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    inputs = _computed(semantic, segments, codebook, learn_on)
    with _lock:
        _kept[key] = inputs
        while _kept and sum(k.nbytes for k in _kept.values()) > KEPT_BYTES:
            _kept.popitem(last=False)
    return inputs


def _computed(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
              learn_on: str) -> LearningInputs:
    from thematic.suggest.learning_features import learning_vectors

    scores = semantic.score(segments, codebook)
    probability = scores.model_confidence().copy()
    passed = scores.passed & ~scores.vetoed
    vectors = learning_vectors(semantic, segments, codebook, learn_on)
    for array in (probability, passed, vectors):
        array.setflags(write=False)
    return LearningInputs(tuple(scores.code_ids), probability, passed, vectors)


def forget_learning_inputs() -> None:
    """Drop everything kept (the next fit computes its inputs again)."""
    with _lock:
        _kept.clear()


__all__ = ["KEPT_BYTES", "LearningInputs", "forget_learning_inputs", "inputs_key", "learning_inputs"]
