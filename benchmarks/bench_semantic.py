"""Benchmark: SemanticEngine on 10k segments, first run against a re-run with the embedding cache.

The re-run uses the same in-memory cache, so only scoring is left; target: re-run <= 20% of the
first run. The first run is also set against embedding the segments alone (target: <= 1.3x).
MiniLM when installed, else TF-IDF + SVD (``--backend`` forces one).

    python benchmarks/bench_semantic.py            # 10,000 segments
    python benchmarks/bench_semantic.py --n 1000
    python benchmarks/bench_semantic.py --command   # the whole `thematic code` command
    python benchmarks/bench_semantic.py --warm      # a run from the app's process
    python benchmarks/bench_semantic.py --queue     # the review queue's refit after decisions

``--command`` times the command a researcher runs: a project of 100 interviews holding n
sentences in participant turns of 1-5 sentences (unit: sentence, the default) and the same
codebook, then ``thematic code`` in its own process (reading the project, embedding, scoring,
writing the run) against a process that loads the model and embeds the n sentences alone, and
one that embeds every text the run reads (the sentences and the turns they make up, the context
each sentence is read in), and ``thematic code --turn-vectors in_context`` on a copy of the same
project (each turn read once with its sentences in it), then again on that copy after a
reviewer's decisions (the learned model joins and reads the same vectors). Every process
includes starting Python and loading the model.

``--queue`` times the review queue's refit in the app's process after a first run and a
reviewer's decisions: the learned model fitted again on every ten decisions more, with the
codebook's scores kept from the previous fit and scored again.

``--warm`` times the same project's first run (default, and in context on a copy) in a process
that has run before, as the app's run panel is: imports, the spaCy pipeline, the language model
and the encoder are loaded by a run on a small project first. Each run is set against embedding
the n sentences in the same process just before it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

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


EMBED_ALONE = """
import sys
from thematic.suggest.embeddings import default_backend
texts = open(sys.argv[1], encoding="utf-8").read().split("\\n")
default_backend().encode(texts)
"""

#: Sentences per participant turn, cycled: 2.5 on average, as in a semi-structured interview.
TURN_LENGTHS = (1, 2, 4, 3, 1, 2, 5, 2)


def make_turns(n: int, seed: int = 0) -> list[list[str]]:
    """Participant turns holding n distinct sentences in all (:data:`TURN_LENGTHS`)."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    sentences = []
    for i in range(n):
        topic = rng.choice(topics)
        sentences.append(f"{rng.choice(OPENERS)} {rng.choice(TOPICS[topic])} in week {i} "
                         f"{rng.choice(TAILS)}")
    turns, at = [], 0
    while at < n:
        size = TURN_LENGTHS[len(turns) % len(TURN_LENGTHS)]
        turns.append(sentences[at:at + size])
        at += size
    return turns


def _timed(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _write_project(tmp: Path, turns: list[list[str]], book: Codebook) -> str:
    """A project (unit: sentence, the default) of 100 interviews holding ``turns``."""
    folder = tmp / "interviews"
    folder.mkdir()
    per_file = -(-len(turns) // 100)
    for start in range(0, len(turns), per_file):
        lines = []
        for turn in turns[start:start + per_file]:
            lines += ["Interviewer: And then what happened?", "P: " + " ".join(turn)]
        (folder / f"P{start // per_file + 1:03d}.txt").write_text("\n".join(lines) + "\n")
    codebook = tmp / "codebook.yaml"
    codebook.write_text(yaml.safe_dump({
        "codebook": {"name": book.name, "version": "1"},
        "codes": [{"id": c.id, "name": c.name, "definition": c.definition,
                   "examples": {"typical": [e.text for e in c.examples]}} for c in book.codes],
    }))
    project = str(tmp / "bench.thematic")
    for args in (["init", project], ["ingest", str(folder), "--interviewer", "Interviewer"],
                 ["codebook", "import", str(codebook)]):
        subprocess.run(THEMATIC + args + (["-p", project] if args[0] != "init" else []),
                       check=True, stdout=subprocess.DEVNULL)
    return project


THEMATIC = [sys.executable, "-c", "from thematic.cli import main; main()"]


def time_command(n: int) -> None:
    """`thematic code` on a project of n sentences against embedding them alone."""
    import sqlite3

    turns = make_turns(n)
    book = make_codebook()
    with tempfile.TemporaryDirectory() as tmp:
        project = _write_project(Path(tmp), turns, book)
        sentences = Path(tmp, "sentences.txt")
        sentences.write_text("\n".join(s for t in turns for s in t), encoding="utf-8")
        embedded = Path(tmp, "embedded.txt")
        embedded.write_text("\n".join([s for t in turns for s in t]
                                      + [" ".join(t) for t in turns if len(t) > 1]),
                            encoding="utf-8")
        in_context = str(Path(tmp, "in_context.thematic"))
        shutil.copyfile(project, in_context)  # the same project, nothing embedded yet
        t_alone = _timed([sys.executable, "-c", EMBED_ALONE, str(sentences)])
        t_code = _timed(THEMATIC + ["code", "-p", project])
        t_context = _timed(THEMATIC + ["code", "-p", in_context, "--turn-vectors", "in_context"])
        t_all = _timed([sys.executable, "-c", EMBED_ALONE, str(embedded)])

        def counts(path: str) -> tuple[int, int]:
            with sqlite3.connect(path) as db:
                return (db.execute("select count(*) from embeddings").fetchone()[0],
                        db.execute("select count(*) from codings where status = 'suggested'").fetchone()[0])

        before = {path: counts(path) for path in (project, in_context)}
        decided = _decide(in_context)
        t_learned = _timed(THEMATIC + ["code", "-p", in_context, "--turn-vectors", "in_context"])
        after = counts(in_context)
        vectors, suggested = before[project]
    multi = sum(len(t) > 1 for t in turns)
    print(f"sentences (segments): {n} in {len(turns)} participant turns ({multi} of several "
          f"sentences), 100 interviews, codes: {len(book.codes)}; unit: sentence")
    print(f"thematic code (own process, rules + semantic):        {t_code:8.2f} s "
          f"({suggested} suggestions, {vectors} vectors stored)")
    print(f"thematic code --turn-vectors in_context:              {t_context:8.2f} s "
          f"({before[in_context][1]} suggestions, {before[in_context][0]} vectors stored)")
    print(f"... again after {decided} decisions (the learned model joins): {t_learned:8.2f} s "
          f"({after[0] - before[in_context][0]} vectors more)")
    print(f"embedding the sentences alone (own process):          {t_alone:8.2f} s")
    print(f"embedding sentences + their turns alone (own process): {t_all:8.2f} s")
    print(f"thematic code / embedding the sentences alone: {t_code / t_alone:.2f}x (target <= 1.3x)")
    print(f"thematic code / embedding every text it reads: {t_code / t_all:.2f}x")
    print(f"thematic code --turn-vectors in_context / embedding the sentences alone: "
          f"{t_context / t_alone:.2f}x (target <= 1.3x)")
    print(f"after decisions, thematic code --turn-vectors in_context / embedding the sentences alone: "
          f"{t_learned / t_alone:.2f}x")


def time_warm(n: int) -> None:
    """A run in a process that has run before, as the app's run panel is (imports, the spaCy
    pipeline, the language model and the encoder loaded once per server): a first run on a
    project of n sentences against embedding the same sentences in the same process."""
    from thematic import Project

    turns = make_turns(n)
    book = make_codebook()
    sentences = [s for t in turns for s in t]
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "warm").mkdir()
        warm = _write_project(Path(tmp, "warm"), make_turns(200, seed=1), book)
        project = _write_project(Path(tmp), turns, book)
        in_context = str(Path(tmp, "in_context.thematic"))
        shutil.copyfile(project, in_context)
        with Project.open(warm) as p:  # the server's earlier run: everything loaded once
            p.suggestions.run(actor="bench")
        alone = []
        times = {}
        for label, path, options in (("default", project, {}),
                                     ("in_context", in_context, {"turn_vectors": "in_context"})):
            t0 = time.perf_counter()
            default_backend().encode(sentences)
            alone.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with Project.open(path) as p:
                report = p.suggestions.run(actor="bench", **options)
            times[label] = (time.perf_counter() - t0, report.suggestions)
    t_alone = sum(alone) / len(alone)  # the machine's speed drifts: the mean of two, around the runs
    print(f"sentences: {n} in {len(turns)} turns; one process that has run before (the app's)")
    print(f"embedding the sentences alone: {', '.join(f'{t:.2f} s' for t in alone)}; mean {t_alone:.2f} s")
    for label, (seconds, count) in times.items():
        print(f"run ({label}, {count} suggestions): {seconds:8.2f} s = {seconds / t_alone:.2f}x (target <= 1.3x)")


DECIDED_CODES = ("heard", "relapse", "cost", "family")


def _decide(project: str, per_code: int = 60) -> int:
    """A reviewer's decisions: of four codes, the ``per_code`` most confident suggestions
    accepted and the ``per_code`` least confident rejected (480 in all: each code has enough of
    both for its learned model). Returns how many suggestions were decided."""
    import sqlite3

    ids: dict[str, list[int]] = {"accept": [], "reject": []}
    with sqlite3.connect(project) as db:
        for code in DECIDED_CODES:
            found = [r[0] for r in db.execute(
                "select c.id from codings c join codes k on k.id = c.code_id "
                "where c.status = 'suggested' and k.key = ? order by c.confidence desc, c.id", (code,))]
            ids["accept"] += found[:per_code]
            ids["reject"] += found[per_code:][-per_code:]
    for verb, chosen in ids.items():
        subprocess.run(THEMATIC + ["review", verb, *(f"--id={i}" for i in chosen), "--coder", "bench",
                                   "-p", project], check=True, stdout=subprocess.DEVNULL)
    return sum(len(v) for v in ids.values())


def time_queue(n: int, repeats: int = 3) -> None:
    """The review queue's refit as the app runs it (:func:`thematic.services.background.review_order`,
    every ten decisions, in the server's process): a project of n sentences after a first run
    and a reviewer's decisions (`_decide`), then ``repeats`` refits with ten more decisions
    before each, with the codebook's scores kept in the process from the previous fit (the app),
    read from the project (a new process: `thematic review next`, a restarted app) and scored
    again (nothing kept), one after the other; with them the segments' vectors as the learned
    model reads them. Then `thematic review next` as a command, timed whole."""
    from sqlalchemy import text

    from thematic import Project
    from thematic.suggest.learning_inputs import forget_learning_inputs

    with tempfile.TemporaryDirectory() as tmp:
        project = _write_project(Path(tmp), make_turns(n), make_codebook())
        subprocess.run(THEMATIC + ["code", "-p", project], check=True, stdout=subprocess.DEVNULL)
        decided = _decide(project)
        with Project.open(project) as p:
            t0 = time.perf_counter()
            p.suggestions.queue(limit=200)
            first = time.perf_counter() - t0
            status = p.suggestions.learning_status()
            times: dict[str, list[float]] = {"kept": [], "read": [], "scored": []}
            for _ in range(repeats):
                for how, took in times.items():
                    pending = p.review.codings(status="suggested")
                    p.review.reject(pending["coding_id"].tolist()[:10], actor="bench")
                    if how != "kept":
                        forget_learning_inputs()
                    if how == "scored":
                        with p.store.write_session.begin() as db:
                            db.execute(text("DELETE FROM derived_arrays"))
                    t0 = time.perf_counter()
                    p.suggestions.queue(limit=200)
                    took.append(time.perf_counter() - t0)
        command = [_timed(THEMATIC + ["review", "next", "--limit", "10", "-p", project]) for _ in range(repeats)]
    learned = status[status["model"] == "learned"]["code"].tolist()
    ready = int((status["needs"] == 0).sum())
    print(f"sentences: {n}; {decided} decisions on {len(DECIDED_CODES)} codes, then 10 more before each refit; "
          f"codes ready: {ready}, using the learned model: {', '.join(learned) or 'none'}")
    print(f"first queue in the process (loads the models, scores the codebook): {first:8.2f} s")
    labels = {"kept": "codebook's scores kept in the process (the app)",
              "read": "read from the project (a new process)",
              "scored": "scored again (nothing kept)"}
    for how, took in times.items():
        print(f"refit, {labels[how]}: {', '.join(f'{t:.2f} s' for t in took)}; "
              f"mean {sum(took) / len(took):.2f} s (target < 2 s)")
    print(f"`thematic review next` (a new process each time): {', '.join(f'{t:.2f} s' for t in command)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="segments (10,000)")
    parser.add_argument("--backend", choices=("default", "minilm", "tfidf"), default="default")
    parser.add_argument("--command", action="store_true",
                        help="time the whole `thematic code` command on a project instead")
    parser.add_argument("--warm", action="store_true",
                        help="time a run in a process that has run before (the app) instead")
    parser.add_argument("--queue", action="store_true",
                        help="time the review queue's refit after decisions (the app's) instead")
    args = parser.parse_args()
    if args.queue:
        time_queue(args.n)
        return
    if args.command:
        time_command(args.n)
        return
    if args.warm:
        time_warm(args.n)
        return

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
