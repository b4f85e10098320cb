"""Benchmark: SemanticEngine on 10k segments, first run against a re-run with the embedding cache.

The re-run uses the same in-memory cache, so only scoring is left; target: re-run <= 20% of the
first run. The first run is also set against embedding the segments alone (target: <= 1.3x).
MiniLM when installed, else TF-IDF + SVD (``--backend`` forces one).

    python benchmarks/bench_semantic.py            # 10,000 segments
    python benchmarks/bench_semantic.py --n 1000
"""

from __future__ import annotations

import argparse
import random
import time

from thematic.models import Code, Codebook, Example, Segment
from thematic.suggest.embeddings import (
    InMemoryEmbeddingCache,
    SentenceTransformerBackend,
    TfidfSvdBackend,
    default_backend,
)
from thematic.suggest.semantic import SemanticEngine

TOPICS = {
    "heard": ("listened to me", "believed me", "took me seriously", "let me talk"),
    "wait": ("waited for weeks", "the waiting list", "sat in the waiting room", "delayed again"),
    "cost": ("paid for the bus", "could not afford it", "the prescription cost", "lost my wages"),
    "stigma": ("felt judged", "was ashamed", "people stared at me", "kept it a secret"),
    "family": ("my sister helped", "my kids noticed", "my partner came along", "mum worried"),
    "relapse": ("started drinking again", "slipped up", "had a craving", "used again"),
}
OPENERS = ("Honestly,", "To be fair,", "I mean,", "Well,", "After that", "At first", "Then")
TAILS = ("and that stayed with me.", "which was hard.", "so I kept going.", "for a long time.",
         "at the group.", "in the first month.", "when nobody else did.", "and I noticed it.")


def make_segments(n: int, seed: int = 0) -> list[Segment]:
    """n deterministic interview-like sentences mixing the topics."""
    rng = random.Random(seed)
    out = []
    pos = 0
    topics = list(TOPICS)
    for i in range(n):
        topic = rng.choice(topics)
        text = f"{rng.choice(OPENERS)} {rng.choice(TOPICS[topic])} {rng.choice(TAILS)}"
        if rng.random() < 0.5:
            other = rng.choice(topics)
            text += f" {rng.choice(OPENERS)} {rng.choice(TOPICS[other])} {rng.choice(TAILS)}"
        text += f" ({i})"  # unique texts: every segment is one encoding
        out.append(Segment(i, 1 + i // 100, i, "sentence", pos, pos + len(text), text,
                           role="participant"))
        pos += len(text) + 1
    return out


def make_codebook() -> Codebook:
    codes = []
    for topic, phrases in TOPICS.items():
        codes.append(Code(
            topic, topic.title(),
            definition=f"The participant talks about {topic}: " + "; ".join(phrases) + ".",
            examples=tuple(Example(f"I remember how {p}.") for p in phrases[:2]),
        ))
    return Codebook(codes, name="bench-semantic", content_hash="bench-semantic-1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="segments (10,000)")
    parser.add_argument("--backend", choices=("default", "minilm", "tfidf"), default="default")
    args = parser.parse_args()

    backend = {"default": default_backend, "minilm": SentenceTransformerBackend,
               "tfidf": TfidfSvdBackend}[args.backend]()
    segments = make_segments(args.n)
    book = make_codebook()
    cache = InMemoryEmbeddingCache()
    engine = SemanticEngine(backend, cache=cache)
    if isinstance(backend, SentenceTransformerBackend):
        t0 = time.perf_counter()
        backend.encode(["warm up"])
        print(f"model load:  {time.perf_counter() - t0:8.2f} s")
    print(f"backend: {type(backend).__name__} {backend.versions()}")

    t0 = time.perf_counter()
    backend.encode([s.text for s in segments])  # the embedding alone, without the cache
    t_embed = time.perf_counter() - t0
    t0 = time.perf_counter()
    first = engine.suggest(segments, book)
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = engine.suggest(segments, book)
    t_second = time.perf_counter() - t0

    print(f"segments: {len(segments)}, codes: {len(book.codes)}, cached vectors: {len(cache)}")
    print(f"first run:   {t_first:8.2f} s  ({len(segments) / t_first:,.0f} segments/s, "
          f"{len(first)} suggestions)")
    print(f"cached run:  {t_second:8.2f} s  ({len(second)} suggestions, identical: "
          f"{first == second})")
    print(f"re-run / first: {100 * t_second / t_first:.1f} %   (target <= 20 %)")
    print(f"embedding alone: {t_embed:8.2f} s; first run / embedding alone: {t_first / t_embed:.2f}x "
          "(target <= 1.3x)")


if __name__ == "__main__":
    main()
