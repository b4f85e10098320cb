"""Embedding throughput: plain sentence-transformers float32 against the fast paths, same run.

Prints segments/s of each backend on the same texts (the sample study's sentences, repeated to
``--n``), the ratio to float32 (median over ``--rounds`` interleaved rounds, so that load from
other processes hits every backend alike), and the cosine between each path's vectors and
float32's (min and mean).

    python benchmarks/bench_embeddings.py --n 2000 --rounds 3
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    texts = sample_texts(args.n)

    from sentence_transformers import SentenceTransformer

    path = SentenceTransformerBackend()._resolve()[0]
    plain = SentenceTransformer(path, device="cpu", local_files_only=True)

    def fp32() -> np.ndarray:
        return plain.encode(texts, batch_size=args.batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)

    backends = {"bf16 (torch autocast)": SentenceTransformerBackend(precision="bf16"),
                "onnx int8": OnnxBackend(quantize=True)}
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
            cos[name] = (vec * ref).sum(axis=1)
    base = runs["fp32 (plain sentence-transformers)"]
    chosen = fast_backend()
    print(f"{len(texts)} texts, batch {args.batch_size}, {args.rounds} rounds; "
          f"cpu bf16: {cpu_has_bf16()}; fast_backend() = {chosen.name}")
    print(f"{'backend':38} {'seg/s (best)':>12} {'ratio (median)':>15} {'cos min':>8} {'cos mean':>9}")
    for name, times in runs.items():
        ratio = statistics.median(b / t for b, t in zip(base, times))
        c = cos.get(name, np.ones(1))
        print(f"{name:38} {len(texts) / min(times):12.1f} {ratio:15.2f} "
              f"{c.min():8.5f} {c.mean():9.5f}")


if __name__ == "__main__":
    main()
