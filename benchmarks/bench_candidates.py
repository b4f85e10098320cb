"""Benchmark: the candidate-names step and the pseudonymiser on growing corpora.

Repeats the sample study's transcripts until the corpus holds ``--words`` words (default
100,000, 300,000 and 1,000,000) and prints a markdown table: building the word list (once),
finding candidate names (``find_candidates``), and pseudonymising every text with the
sample's participants and speakers. Every pseudonymised export counts the candidates once, so
the second column is what de-identification adds to an export. Asserts nothing.

    python benchmarks/bench_candidates.py
    python benchmarks/bench_candidates.py --words 200000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from thematic.ingest import read_file
from thematic.name_candidates import _english_words, find_candidates
from thematic.pseudonymise import Pseudonymiser

SAMPLES = Path(__file__).resolve().parents[1] / "transcripts_sample"


def corpus(words: int) -> dict[str, str]:
    texts = [d.text for p in sorted(SAMPLES.glob("P*")) for d in read_file(p)]
    out: dict[str, str] = {}
    total = 0
    while total < words:
        for text in texts:
            out[f"doc{len(out):05d}"] = text
            total += len(text.split())
            if total >= words:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="*", default=[100_000, 300_000, 1_000_000])
    args = parser.parse_args()
    t0 = time.perf_counter()
    _english_words()
    print(f"word list loaded in {time.perf_counter() - t0:.2f} s\n")
    people = pd.read_csv(SAMPLES / "participants.csv").rename(columns={"participant_id": "participant"})
    names = Pseudonymiser.for_project(people, ner=None)
    print("| words | documents | candidates (s) | found | pseudonymise (s) |")
    print("|---:|---:|---:|---:|---:|")
    for n in args.words:
        texts = corpus(n)
        t0 = time.perf_counter()
        found = find_candidates(texts)
        t1 = time.perf_counter()
        for text in texts.values():
            names.apply(text)
        t2 = time.perf_counter()
        print(f"| {n:,} | {len(texts)} | {t1 - t0:.2f} | {len(found)} | {t2 - t1:.2f} |")


if __name__ == "__main__":
    main()
