"""Server-side render time of the app's pages, measured with Streamlit's AppTest.

    python benchmarks/bench_app.py            # every page on the sample; 1 x 15k words; 100 x 50k
    python benchmarks/bench_app.py --small    # 10 transcripts x 5k codings (a quick look)
    python benchmarks/bench_app.py --sample sample.thematic   # use this sample project
    python benchmarks/bench_app.py --keep /tmp/bench  # build the projects there once, reuse them

Builds the projects in a temporary folder (the sample study with its codebook, a rules run and
the two coders' gold codings; synthetic interviews with suggestions stored the way an engine
run stores them, half of them accepted). Each page is timed in a fresh process: the app opens
once on another page, then the page's first run is timed (cold: its caches are empty, as
on a server where nobody opened it since the last change) and a rerun with nothing changed
(warm). Targets: cold < 3 s, warm < 1 s; a row over either says "over". Work the page leaves
to the background (the classifier's review order) is reported, not waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_TARGET, WARM_TARGET = 3.0, 1.0
PAGES = ["project", "overview", "documents", "participants", "transcripts", "review", "codebook",
         "search", "history", "topics", "themes", "analysis", "memos", "export"]
WORDS = ("circle listen heard group felt week people talk share trust meeting sponsor step "
         "recovery coffee room chair story family hope quiet voice time help").split()


def interview(n_words: int, rng: random.Random) -> str:
    """An interview of about ``n_words`` words: turns of 30-90 words, sentences of 8-15."""
    turns, count, who = [], 0, 0
    while count < n_words:
        size = rng.randint(30, 90) if who else rng.randint(8, 20)
        sentences, left = [], size
        while left > 0:
            k = min(left, rng.randint(8, 15))
            sentences.append(" ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + ".")
            left -= k
        turns.append(("Interviewer: " if not who else "P01: ") + " ".join(sentences))
        count += size
        who = 1 - who
    return "\n\n".join(turns) + "\n"


def build(folder: Path, docs: int, words: int, codings: int, seed: int = 0) -> Path:
    """A project of ``docs`` interviews of ``words`` words with ``codings`` suggestions."""
    from thematic import Project
    from thematic.models import Suggestion

    rng = random.Random(seed)
    src = folder / f"src-{docs}"
    src.mkdir(exist_ok=True)
    for i in range(docs):
        (src / f"P{i:03d}.txt").write_text(interview(words, rng))
    path = folder / f"bench-{docs}.thematic"
    with Project.create(path) as project:
        project.documents.ingest([src], actor="bench")
        project.codebook.load(ROOT / "codebooks" / "peer_listening.yaml", actor="bench")
        codes = [c.id for c in project.codebook.current().codes]
        segments = project.documents.segments("sentence")
        picks = segments.sample(n=codings, replace=len(segments) < codings, random_state=seed)
        store = project.store
        with store.unit("bench", "suggest") as uow:
            run = store.runs.start(uow, engine="rule", params={}, versions={},
                                  codebook_version_id=None, input_hash="bench", seed=seed)
            store.runs.add_suggestions(uow, run, [
                Suggestion(int(r.document_id), int(r.start), int(r.end), rng.choice(codes), "rule",
                           round(rng.random(), 3), {"matched": [{"text": r.text[:20]}]})
                for r in picks.itertuples()])
        ids = project.review.codings()["coding_id"].astype(int).tolist()
        project.review.accept(ids[::2], actor="bench")  # half decided: the analyses have data
    return path


def build_sample(folder: Path) -> Path:
    """The sample study: transcripts, participants, codebook, a rules run, two coders' codings."""
    from thematic import Project

    samples = ROOT / "transcripts_sample"
    path = folder / "sample.thematic"
    with Project.create(path, name="Listening Circles (sample)") as project:
        project.documents.ingest([samples], participants=samples / "participants.csv",
                                 actor="bench")
        project.codebook.load(ROOT / "codebooks" / "peer_listening.yaml", actor="bench")
        project.suggestions.run(["rules"], actor="bench")
        project.coders.import_codings(samples / "gold" / "gold_codings.csv", actor="bench",
                                      coder="coder1")
        project.coders.import_codings(samples / "gold" / "gold_codings_coder2.csv",
                                      actor="bench", coder="coder2")
    return path


def time_page(project: Path, page: str, **query: str) -> dict[str, object]:
    """Cold and warm seconds of one page (this process: call it in a fresh one)."""
    from streamlit.testing.v1 import AppTest

    from app_pages import state

    os.environ["THEMATIC_PROJECT"] = str(project)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.query_params.update(query)
    at.session_state["coder"] = "bench"
    opening = "project" if page == "overview" else "overview"  # never the page timed
    at.switch_page(f"app_pages/{opening}.py")
    at.run()  # the app is open: imports done, the project opened
    at.switch_page(f"app_pages/{page}.py")
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    t0 = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t0
    from thematic import Project
    from thematic.services.background import order_key

    with Project.open(project) as opened:
        job = state.jobs().get(order_key(opened.store))
    background = job.state().line() if job is not None else ""
    return {"cold": cold, "warm": warm, "background": background}


def measure(project: Path, page: str, **query: str) -> dict[str, object]:
    """:func:`time_page` in a fresh process (a cold start, no background work of another)."""
    args = [sys.executable, __file__, "--one", str(project), page, json.dumps(query)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(f"{page}: {done.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def calibrate() -> float:
    """Seconds of a fixed pure-Python loop: how fast this machine is right now."""
    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i % 7
    return time.perf_counter() - t0


def projects(tmp: Path, keep: Path | None, sample: Path | None, docs: int,
             codings: int) -> tuple[Path, Path, Path]:
    """The sample, 1 x 15k words and ``docs`` x ``codings`` projects: built in ``tmp``, or
    built once in ``keep`` and copied from there into ``tmp`` (the timed runs change them)."""
    import shutil

    store = keep.resolve() if keep else tmp
    store.mkdir(parents=True, exist_ok=True)
    wanted = {"sample": store / "sample.thematic", "one": store / "bench-1.thematic",
              "many": store / f"bench-{docs}.thematic"}
    if not wanted["sample"].exists() and sample is None:
        build_sample(store)
    if not wanted["one"].exists():
        build(store, 1, 15_000, 500)
    if not wanted["many"].exists():
        build(store, docs, 1_500, codings, seed=1)
    out = []
    for name, path in (("sample", sample or wanted["sample"]), ("one", wanted["one"]),
                       ("many", wanted["many"])):
        copy = tmp / f"timed-{name}.thematic"
        if copy != path:
            shutil.copy(path, copy)
        out.append(copy)
    return out[0], out[1], out[2]


def verdict(cold: float, warm: float) -> str:
    """"ok" only when both targets hold; else which one is over.

    >>> verdict(2.9, 0.9), verdict(3.2, 0.5), verdict(1.0, 1.4), verdict(4.0, 2.0)
    ('ok', 'over (cold)', 'over (warm)', 'over (cold, warm)')
    """
    over = [name for name, value, target in (("cold", cold, COLD_TARGET),
                                             ("warm", warm, WARM_TARGET)) if value >= target]
    return f"over ({', '.join(over)})" if over else "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="10 transcripts, 5k codings")
    parser.add_argument("--sample", type=Path, help="an existing sample project to time")
    parser.add_argument("--keep", type=Path, help="build the projects in this folder once and "
                                                   "reuse them (copies are timed)")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # project page query-json
    args = parser.parse_args()
    if args.one:
        project, page, query = args.one
        print(json.dumps(time_page(Path(project), page, **json.loads(query))))
        return
    big_docs, big_codings = (10, 5_000) if args.small else (100, 50_000)
    rows = []
    print(f"this machine: {calibrate():.2f} s for a fixed Python loop (compare runs by it); "
          f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        sample, one, many = projects(Path(tmp), args.keep, args.sample, big_docs, big_codings)
        print(f"projects ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        for page in PAGES:
            rows.append((page.capitalize(), "sample", measure(sample, page, doc="P01_dana")))
        rows.append(("Transcripts", "1 x 15k words, 500 codings",
                     measure(one, "transcripts", doc="P000")))
        for page in ("review", "analysis", "transcripts"):
            rows.append((page.capitalize(), f"{big_docs} transcripts, {big_codings:,} codings",
                         measure(many, page, doc="P000")))
    print(f"{'page':<13} {'project':<34} {'cold s':>7} {'warm s':>7}  "
          f"target cold < {COLD_TARGET:g} s, warm < {WARM_TARGET:g} s")
    for name, what, m in rows:
        cold, warm = float(m["cold"]), float(m["warm"])  # type: ignore[arg-type]
        print(f"{name:<13} {what:<34} {cold:7.2f} {warm:7.2f}  {verdict(cold, warm)}")
        if m.get("background"):
            print(f"{'':<13} background: {m['background']}")


if __name__ == "__main__":
    main()
