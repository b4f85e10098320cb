"""Ingest throughput and memory: thematic's full import vs bare spaCy sentence splitting.

Generates N synthetic interview transcripts (deterministic, ~10,000 words each, ``Name: text``
turns), then prints, per N: words, the time of ``project.documents.ingest`` (read, detect roles,
segment, map participants, store in SQLite), the time of bare ``spacy.blank("en")`` +
``sentencizer`` ``nlp.pipe`` over the same turn texts, their ratio, words/s and the peak
memory (RSS) of the process doing the import. Each measurement runs in its own process.
Loading spaCy is a one-off cost per process, printed in its own column, not in the ratio.

Usage: python benchmarks/bench_ingest.py --n 100 --n 1000 [--words 10000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import tempfile
import time
from pathlib import Path

WORDS = ("so um I think the group really helped me because people listened and nobody judged "
         "what I said about my drinking and the meetings on Tuesday were like a lifeline you know "
         "but sometimes the peer worker was tired and the funding ran out and we moved online "
         "which was weird with cameras off and my kids in the next room honestly").split()
QUESTIONS = ["How did that feel?", "Can you say more about that?", "What helped most?",
             "What would you change?", "How did the group respond?"]


def make_transcript(rng: random.Random, words: int) -> str:
    turns, count = [], 0
    while count < words:
        turns.append(f"Interviewer: {rng.choice(QUESTIONS)}")
        sentences = []
        for _ in range(rng.randint(2, 8)):
            n = rng.randint(6, 22)
            sentence = " ".join(rng.choice(WORDS) for _ in range(n))
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice([".", ".", "?", "!"]))
            count += n
        turns.append("Participant: " + " ".join(sentences))
    return "\n\n".join(turns) + "\n"


def generate(folder: Path, n: int, words: int) -> int:
    rng = random.Random(42)
    total = 0
    for i in range(n):
        text = make_transcript(rng, words)
        (folder / f"T{i:04d}.txt").write_text(text)
        total += len(text.split())
    return total


def _ingest(folder: str, queue: mp.Queue) -> None:
    from thematic import Project
    from thematic.nlp import load_nlp

    start = time.perf_counter()
    load_nlp()  # one-off: importing spaCy (and torch, through thinc) and building the pipeline
    load = time.perf_counter() - start
    start = time.perf_counter()
    with Project.create(Path(folder) / "bench.thematic") as project:
        report = project.documents.ingest([folder], interviewers=["Interviewer"], actor="bench")
    seconds = time.perf_counter() - start
    queue.put({"seconds": seconds, "load": load, "words": report.words, "turns": report.turns,
               "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _bare(folder: str, queue: mp.Queue) -> None:
    import spacy

    from thematic.ingest import read_file

    texts = []
    for path in sorted(Path(folder).glob("*.txt")):
        doc = read_file(path)[0]
        texts.extend(doc.text[t.start:t.end] for t in doc.turns)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    start = time.perf_counter()
    n = sum(1 for d in nlp.pipe(texts, batch_size=256) for _ in d.sents)
    queue.put({"seconds": time.perf_counter() - start, "sentences": n})


def measure(target, folder: Path) -> dict:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(str(folder), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="transcripts (repeat)")
    parser.add_argument("--words", type=int, default=10_000, help="words per transcript")
    args = parser.parse_args()
    ns = args.n or [100]
    print("| N | words | thematic ingest (s) | bare spaCy (s) | ratio | words/s | peak RSS (MB) | spaCy load, once (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for n in ns:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            words = generate(folder, n, args.words)
            ours = measure(_ingest, folder)
            bare = measure(_bare, folder)
            ratio = ours["seconds"] / bare["seconds"]
            print(f"| {n} | {words:,} | {ours['seconds']:.1f} | {bare['seconds']:.1f} | {ratio:.2f}x "
                  f"| {ours['words'] / ours['seconds']:,.0f} | {ours['rss_mb']:.0f} | {ours['load']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
