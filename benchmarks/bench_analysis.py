"""Benchmark: every analysis function on a synthetic study of 100 transcripts, 50k codings.

The frames have the shapes of ``project.review.codings()``, ``project.documents.segments("sentence")`` and
``project.participants.frame()``; two coders code the same segments for the agreement rows. Target:
each function under 2 s. Prints one table (seconds, best of ``--repeat`` runs)::

    python benchmarks/bench_analysis.py
    python benchmarks/bench_analysis.py --documents 100 --codings 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from thematic.analysis import (
    attribute_matrix,
    code_accumulation,
    cooccurrence,
    drill_down,
    framework_matrix,
    frequencies,
    intercoder_agreement,
    participant_matrix,
    saturation_bootstrap,
    saturation_runs,
    unit_labels,
)
from thematic.analysis.intercoder import disagreements


def synthetic(documents: int, codings: int, codes: int, segments_per_document: int,
              seed: int) -> dict[str, pd.DataFrame]:
    """Segments, codings (coder ``ana``), a second coder's codings, participants, themes."""
    rng = np.random.default_rng(seed)
    n_seg = documents * segments_per_document
    doc_of = np.repeat(np.arange(documents), segments_per_document)
    pos = np.tile(np.arange(segments_per_document), documents)
    segments = pd.DataFrame({
        "segment_id": np.arange(1, n_seg + 1), "document_id": doc_of + 1,
        "document": [f"T{d:03d}" for d in doc_of], "participant": [f"P{d:03d}" for d in doc_of],
        "start": pos * 100, "end": pos * 100 + 90, "text": "a participant sentence"})
    code_ids = [f"code-{k:02d}" for k in range(codes)]
    weights = rng.dirichlet(np.ones(codes) * 0.7)
    seg = rng.integers(0, n_seg, size=codings)
    frame = pd.DataFrame({
        "coding_id": np.arange(1, codings + 1), "document_id": doc_of[seg] + 1,
        "document": segments["document"].to_numpy()[seg],
        "participant": segments["participant"].to_numpy()[seg],
        "code": np.array(code_ids)[rng.choice(codes, size=codings, p=weights)],
        "start": segments["start"].to_numpy()[seg] + rng.integers(0, 40, size=codings),
        "segment_id": segments["segment_id"].to_numpy()[seg], "status": "accepted",
        "text": "a quote", "coder": "ana"})
    frame["end"] = frame["start"] + rng.integers(10, 50, size=codings)
    second = frame.sample(frac=0.8, random_state=seed).copy()
    flip = rng.random(len(second)) < 0.2
    second.loc[flip, "code"] = np.array(code_ids)[rng.integers(0, codes, size=int(flip.sum()))]
    second["coder"] = "ben"
    participants = pd.DataFrame({
        "participant": [f"P{d:03d}" for d in range(documents)],
        "role": rng.choice(["member", "staff", "volunteer"], size=documents),
        "site": rng.choice(["north", "south", None], size=documents)})
    themes = pd.DataFrame({"name": [f"Theme {t}" for t in range(12)], "parent": None})
    theme_codes = pd.DataFrame({"theme": [f"Theme {k % 12}" for k in range(codes)],
                                "code": code_ids})
    summaries = pd.DataFrame({"participant": participants["participant"][:40],
                              "theme": "Theme 0", "summary": "charted",
                              "quote_ids": [[int(i)] for i in frame["coding_id"][:40]]})
    return {"segments": segments, "codings": frame, "both": pd.concat([frame, second]),
            "participants": participants, "themes": themes, "theme_codes": theme_codes,
            "summaries": summaries}


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--segments-per-document", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    f = synthetic(args.documents, args.codings, args.codes, args.segments_per_document, seed=0)
    c, s, th, tc = f["codings"], f["segments"], f["themes"], f["theme_codes"]
    labels = unit_labels(f["both"], s)
    cases: dict[str, Callable[[], object]] = {
        "frequencies by code": lambda: frequencies(c, segments=s),
        "frequencies by theme": lambda: frequencies(c, by="theme", theme_codes=tc, themes=th),
        "participant_matrix code": lambda: participant_matrix(c),
        "participant_matrix theme": lambda: participant_matrix(c, by="theme", theme_codes=tc),
        "attribute_matrix role": lambda: attribute_matrix(c, f["participants"], "role"),
        "drill_down cell": lambda: drill_down(c, code="code-01", participant="P001",
                                              segments=s),
        "cooccurrence segment": lambda: cooccurrence(c, segments=s),
        "cooccurrence window=2": lambda: cooccurrence(c, segments=s, method="window",
                                                      window=2),
        "cooccurrence overlap": lambda: cooccurrence(c, method="overlap"),
        "framework_matrix theme": lambda: framework_matrix(c, f["summaries"],
                                                           theme_codes=tc, themes=th),
        "code_accumulation": lambda: code_accumulation(c),
        "saturation_runs": lambda: saturation_runs(c),
        "saturation_bootstrap 1000": lambda: saturation_bootstrap(c, n_boot=1000,
                                                                  random_state=0),
        "unit_labels 2 coders": lambda: unit_labels(f["both"], s),
        "intercoder_agreement 1000": lambda: intercoder_agreement(labels, ["ana", "ben"],
                                                                  random_state=0),
        "disagreements": lambda: disagreements(labels, ["ana", "ben"], units=s),
    }
    print(f"{args.documents} documents, {len(s)} segments, {len(c)} codings, {args.codes} "
          f"codes (best of {args.repeat}; target < 2 s)")
    print(f"{'function':<30} {'seconds':>8}  ok")
    for name, fn in cases.items():
        seconds = best_of(fn, args.repeat)
        print(f"{name:<30} {seconds:>8.3f}  {'yes' if seconds < 2 else 'NO'}")


if __name__ == "__main__":
    main()
