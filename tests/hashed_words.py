"""A pre-trained-like embedding backend for tests that describes itself (``get_params``), as the
product's sentence encoders do, without loading a model."""

from __future__ import annotations

import zlib

import numpy as np

from thematic.suggest.base import ParamsMixin


class HashedWords(ParamsMixin):
    """A pre-trained-like backend that describes itself: a text is the sum of its words' vectors,
    each drawn from a generator seeded by the word's CRC."""

    requires_fit = False

    def __init__(self, dim: int = 16) -> None:
        self.dim = dim

    @property
    def name(self) -> str:
        return f"hashed-words-{self.dim}"

    def fit(self, corpus):
        return self

    def encode(self, texts, *, batch_size=64, progress=None):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i] += np.random.default_rng(zlib.crc32(word.encode())).normal(size=self.dim)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def versions(self):
        return {}
