"""Speed of full-text search and coding queries (``thematic.search``) at study scale.

    python benchmarks/bench_search.py              # the sample x 10 (~300k words), 50k codings
    python benchmarks/bench_search.py --copies 2   # a quick look

Ingests the sample transcripts once, repeats their sentences ``--copies`` times as other
documents (the functions are pure over frames, so the copies are as good as new interviews),
lays ``--codings`` random codings of 12 codes over them, and prints the time of: reading every
word once (the index the app keeps per set of documents), a word, a phrase, a prefix, an
exclusion, and coding queries with AND, NOT and NEAR/3, each with a condition on an attribute.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thematic import Project  # noqa: E402
from thematic.search import (  # noqa: E402
    build_index,
    coding_query,
    parse_where,
    restrict,
    text_search,
)

SAMPLES = ROOT / "transcripts_sample"
CODES = [f"c{i:02d}" for i in range(12)]


def sentences(copies: int) -> pd.DataFrame:
    """The sample's sentences, repeated ``copies`` times as other documents."""
    with tempfile.TemporaryDirectory() as tmp:
        with Project.create(Path(tmp) / "s.thematic") as project:
            project.documents.ingest([SAMPLES], participants=SAMPLES / "participants.csv",
                                     actor="bench")
            one = project.documents.segments("sentence")
    frames = []
    for k in range(copies):
        frame = one.copy()
        frame["document"] = frame["document"] + f"#{k}"
        frame["document_id"] = frame["document_id"] + k * 10_000
        frame["segment_id"] = frame["segment_id"] + k * 1_000_000
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def codings(segments: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` accepted codings, each over one to three neighbouring sentences."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        i = rng.randrange(len(segments))
        last = segments.iloc[min(len(segments) - 1, i + rng.randint(0, 2))]
        first = segments.iloc[i]
        end = int(last["end"]) if last["document"] == first["document"] else int(first["end"])
        rows.append({"code": rng.choice(CODES), "document": first["document"],
                     "start": int(first["start"]), "end": end, "status": "accepted"})
    return pd.DataFrame(rows)


def timed(label: str, fn, repeat: int = 3) -> tuple[str, float, int]:  # noqa: ANN001
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return label, best, len(result) if hasattr(result, "__len__") else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--codings", type=int, default=50_000)
    args = parser.parse_args()
    segs = sentences(args.copies)
    words = int(segs["text"].str.split().str.len().sum())
    coded = codings(segs, args.codings)
    where = parse_where(["gender=female", "speaker_role=participant"])
    rows = [timed("read every word (index)", lambda: build_index(segs), repeat=1)]
    index = build_index(segs)
    for label, query in [("a word (every form)", "listen"), ("a phrase", '"waiting list"'),
                         ("a prefix", "judg*"), ("two words, one excluded", "group -meeting"),
                         ("alternatives", "shame OR stigma OR judge")]:
        rows.append(timed(f"search: {label}",
                          lambda q=query: restrict(text_search(segs, q, index=index), where)))
    for query in ["c01 AND c02", "c01 NOT c02", "c01 NEAR/3 c02", "(c01 OR c03) AND NOT c02"]:
        rows.append(timed(f"query: {query}",
                          lambda q=query: restrict(coding_query(segs, coded, q), where)))
    print(f"{len(segs):,} sentences, {words:,} words, {len(coded):,} codings "
          f"(the sample x {args.copies})")
    print(f"{'what':<40} {'s':>7} {'found':>7}  target < 1 s")
    for label, seconds, found in rows:
        flag = "ok" if seconds < 1 or label.startswith("read") else "over"
        print(f"{label:<40} {seconds:7.3f} {found:7,}  {flag}")


if __name__ == "__main__":
    main()
