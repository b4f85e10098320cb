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

A new process (a command such as ``thematic review next``, a restarted app) keeps nothing, and
scoring the codebook is most of its first fit. The codebook's scores are therefore also kept in
the project (:func:`keep_scores`, :func:`kept_scores`: the project's ``derived_arrays``), under
the same key with the libraries' versions added; a suggestion run keeps what it scored, so the
first queue after ``thematic code`` reads them. The vectors come from the embedding cache.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
                    learn_on: str = "segment", *, cache: Any = None) -> LearningInputs:
    """The codebook's probabilities of ``segments`` under ``semantic`` and the segments' vectors
    as ``learn_on`` reads them (computed, or kept from an earlier call with the same input:
    module docstring). ``cache``: a project's cache with ``get_arrays``/``put_arrays``
    (:class:`~thematic.store.runs.StoreEmbeddingCache`), where the codebook's scores are also
    kept for the next process (:func:`kept_scores`)."""
    from thematic.suggest.shared_scores import recognisable

    if not recognisable(semantic.backend_in_use()):
        return _computed(semantic, segments, codebook, learn_on)
    key = inputs_key(semantic, segments, codebook, learn_on)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    inputs = _computed(semantic, segments, codebook, learn_on,
                       kept_scores(semantic, segments, codebook, cache))
    with _lock:
        _kept[key] = inputs
        while _kept and sum(k.nbytes for k in _kept.values()) > KEPT_BYTES:
            _kept.popitem(last=False)
    return inputs


def _computed(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
              learn_on: str, scores: KeptScores | None = None) -> LearningInputs:
    from thematic.suggest.learning_features import learning_vectors

    if scores is None:
        scores = _scored(semantic, segments, codebook)
    code_ids, probability, passed = scores
    vectors = learning_vectors(semantic, segments, codebook, learn_on)
    for array in (probability, passed, vectors):
        array.setflags(write=False)
    return LearningInputs(code_ids, probability, passed, vectors)


#: The codebook's scores the learned model starts from: code ids, probability, passed.
KeptScores = tuple[tuple[str, ...], "np.ndarray", "np.ndarray"]
#: What :func:`keep_scores` keeps them as in a project (its newest few).
SCORES_KIND = "codebook-scores"


def _scored(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook) -> KeptScores:
    return learning_scores(semantic.score(segments, codebook))


def learning_scores(scores: Any) -> KeptScores:
    """What the learned model starts from of a scoring (:class:`~thematic.suggest.semantic_scores.SemanticScores`)."""
    return tuple(scores.code_ids), scores.model_confidence().copy(), scores.passed & ~scores.vetoed


def kept_scores(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
                cache: Any) -> KeptScores:
    """The codebook's scores of ``segments``: read from ``cache`` when a process kept them there
    for the same input and library versions (:func:`keep_scores`), else computed and kept.
    Scoring is most of a first fit in a new process (a command, a restarted app): the lemmas and
    similarities of every segment; the vectors the learned model reads come from the embedding
    cache anyway. A payload that does not fit the segments and codebook is computed again."""
    if cache is None or not hasattr(cache, "get_arrays"):
        return _scored(semantic, segments, codebook)
    found = cache.get_arrays(persistent_key(semantic, segments, codebook))
    codes = tuple(c.id for c in codebook.codes)
    if found is not None and {"code_ids", "probability", "passed"} <= set(found):
        code_ids = tuple(str(c) for c in found["code_ids"])
        probability, passed = found["probability"], found["passed"].astype(bool)
        if set(code_ids) <= set(codes) and probability.shape == passed.shape == (len(segments), len(code_ids)):
            return code_ids, probability, passed
    scored = _scored(semantic, segments, codebook)  # a semantic engine on this cache kept them already
    keep_scores(semantic, segments, codebook, scored, cache, replace=True)
    return scored


def keep_scores(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook,
                scores: KeptScores | Callable[[], KeptScores], cache: Any, *, replace: bool = False) -> None:
    """Keep ``scores`` in a project's ``cache`` (with ``put_arrays``) under
    :func:`persistent_key`, for the learned model of a later process: a suggestion run keeps
    what it scored, so the first review queue after it reads them. Nothing is kept through a
    backend that cannot be recognised again (TF-IDF), nor twice (``replace``: also when
    something is kept under the key, which could not be read). ``scores`` may be a function that
    gives them, called only when they are kept."""
    import numpy as np

    from thematic.suggest.shared_scores import recognisable

    if cache is None or not hasattr(cache, "put_arrays") or not recognisable(semantic.backend_in_use()):
        return
    key = persistent_key(semantic, segments, codebook)
    if not replace and cache.has_arrays(key):
        return
    if callable(scores):
        scores = scores()
    cache.put_arrays(key, SCORES_KIND, {"code_ids": np.array(scores[0], dtype=str),
                                        "probability": scores[1], "passed": scores[2]})


def persistent_key(semantic: SemanticEngine, segments: Sequence[Segment], codebook: Codebook) -> str:
    """The scoring's key (:func:`~thematic.suggest.shared_scores.scoring_key`) with the versions
    of what computes it, which may change between processes (thematic, numpy, scikit-learn,
    spaCy, the encoder's package)."""
    import hashlib
    import json

    from thematic.suggest.shared_scores import scoring_key

    versions = dict(_package_versions())
    backend = semantic.backend_in_use()
    if hasattr(backend, "versions"):
        versions.update({str(k): str(v) for k, v in backend.versions().items()})
    described = json.dumps([scoring_key(semantic, segments, codebook), versions], sort_keys=True)
    return hashlib.sha256(described.encode()).hexdigest()


@functools.cache
def _package_versions() -> tuple[tuple[str, str], ...]:
    """The versions of the libraries the codebook's scores are computed with (read once a process)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("thematic", "numpy", "scikit-learn", "scipy", "spacy"):
        try:
            found.append((package, version(package)))
        except PackageNotFoundError:
            found.append((package, ""))
    return tuple(found)


def forget_learning_inputs() -> None:
    """Drop everything kept (the next fit computes its inputs again)."""
    with _lock:
        _kept.clear()


__all__ = ["KEPT_BYTES", "SCORES_KIND", "LearningInputs", "forget_learning_inputs", "inputs_key", "keep_scores",
           "kept_scores", "learning_inputs", "learning_scores", "persistent_key"]
