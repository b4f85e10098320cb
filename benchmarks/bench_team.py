"""Benchmark: a team deciding at once on one PostgreSQL project (the team server).

Simulated coders (threads, spread over several processes as app processes would be; each
coder has its own connection through its own ``Project``) decide random suggestions for a
bounded time, each decision one ``project.review.decide`` call, as the app makes it. Printed per
review mode: decisions per second, latency percentiles of one decision, lost decisions,
contention surfaced to a coder (a deadlock, a stale row or a lock wait that the library's
retries did not absorb) and other errors. Nothing is asserted.

Lost decisions are counted against the database afterwards: in independent review every
coder's last decision on each coding must be there as they made it; in shared review every
decision that reported a change must have its audited transaction, and each coding must carry
the status of its one final decision.

The database at ``--url`` is EMPTIED first (its ``public`` schema is dropped): give a database
kept for this.

    python benchmarks/bench_team.py --url postgresql+psycopg://u:pw@127.0.0.1/bench \\
        --coders 50 --seconds 60 --processes 5

Results, 2026-12-06: 50 coders in 5 processes (10 threads each, one connection each), 2000
suggestions, PostgreSQL 15 on loopback, all on a 2-core machine shared with other jobs (load
average 16-25 during the runs, the database server included), so **20 s per mode instead of
the 60 s asked**. "think 2": each coder reads 1-3 s before each decision (50 people at work,
about 20 decisions/s); "think 0": every coder decides as fast as the server answers (the
saturation test). Each coder's first decision (connecting, compiling statements) is not timed.

| review | think s | decisions | decisions/s | p50 ms | p95 ms | p99 ms | lost | contention surfaced | other errors |
|---|---|---|---|---|---|---|---|---|---|
| independent | 2 | 515 | 22.3 | 74 | 189 | 237 | 0 | 0 | 0 |
| independent | 2 | 507 | 22.2 | 95 | 290 | 380 | 0 | 0 | 0 |
| shared | 2 | 458 | 19.9 | 313 | 675 | 802 | 0 | 0 | 0 |
| shared | 2 | 472 | 20.5 | 240 | 623 | 792 | 0 | 0 | 0 |
| independent | 0 | 1812 | 87.7 | 497 | 1209 | 1477 | 0 | 0 | 0 |
| shared | 0 | 1666 | 81.2 | 505 | 1373 | 1808 | 0 | 0 | 0 |

No decision was lost and no deadlock or stale row reached a coder in any run (the library
retries a decision that met another at the same moment, and takes row locks in one order).
The p95 target of 300 ms holds for people deciding at a human pace in independent review on
this overloaded machine, not in shared review (each decision there also rewrites the coding's
status and its index entries and audits two rows) nor at saturation, where the two cores are
the limit: one decision costs about 5-7 ms of client CPU and a dozen round trips
(``SELECT``s of the account, settings, coding and decision, the writes, two audit rows,
``COMMIT``); a decision took 40-50 ms alone on the same machine.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STATUSES = ("accepted", "rejected")


@dataclass
class CoderResult:
    """What one simulated coder did."""

    name: str
    latencies: list[float] = field(default_factory=list)
    changed: int = 0
    last: dict[int, str] = field(default_factory=dict)
    contention: int = 0
    errors: Counter[str] = field(default_factory=Counter)


def build_project(url: str, n_suggestions: int, coders: list[str], mode: str) -> list[int]:
    """An emptied database with one project: a document, a code, ``n_suggestions`` rule
    suggestions, an owner and one coder account per simulated coder; the suggestion ids."""
    from sqlalchemy import create_engine, text

    from thematic import Project
    from thematic.models import Code, Codebook, Suggestion
    from thematic.services.accounts import hash_password

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    folder = Path(tempfile.mkdtemp(prefix="bench_team_"))
    doc = folder / "P01.txt"
    doc.write_text("P01: " + " ".join(f"Sentence number {i} is here." for i in range(n_suggestions))
                   + "\n", encoding="utf-8")
    with Project.create(url, name="bench") as project:
        project.documents.ingest([doc], actor="lead")
        project.codebook.load(Codebook(codes=[Code("said", "Said")], name="cb"), actor="lead")
        stored = project.documents.get("P01")
        with project.store.unit("engine", "suggest") as uow:
            run = project.store.runs.start(uow, engine="rule", params={}, versions={},
                                           codebook_version_id=None, input_hash="x", seed=0)
            spans = [(stored.text.index(f"number {i} is"), len(f"number {i} is"))
                     for i in range(n_suggestions)]
            project.store.runs.add_suggestions(uow, run, [
                Suggestion(stored.id, s, s + k, "said", "rule", 0.5, {}) for s, k in spans])
        digest = hash_password("bench password, never used")  # one hash for every account
        project.accounts.add("lead", "owner", "bench password, never used")
        with project.store.unit("lead", "accounts") as uow:
            for name in coders:
                project.store.accounts.add(uow, name, "coder", digest)
        project.settings.set_review_mode(mode, actor="lead")
        return sorted(project.review.codings()["coding_id"].tolist())


def _coder(url: str, name: str, ids: list[int], seed: int, start: Any, deadline_box: list[float],
           out: CoderResult, think: float) -> None:
    from thematic import Project
    from thematic.errors import ContentionError, ThematicError

    rng = random.Random(seed)
    with Project.open(url) as project:
        # warm, as a running app process is: connected, its statements compiled (not timed)
        warm, status = rng.choice(ids), rng.choice(STATUSES)
        out.changed += project.review.decide([warm], status, actor=name)
        out.last[warm] = status
        start.wait()  # every coder of the process connected
        start.wait()  # the run has begun
        deadline = deadline_box[0]
        while time.monotonic() < deadline:
            if think:  # a person reads the suggestion before deciding
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            cid, status = rng.choice(ids), rng.choice(STATUSES)
            began = time.perf_counter()
            try:
                out.changed += project.review.decide([cid], status, actor=name)
            except ContentionError:
                out.contention += 1
                continue
            except ThematicError as error:
                out.errors[type(error).__name__ + ": " + str(error)[:120]] += 1
                continue
            except Exception:  # noqa: BLE001 - counted and shown, the run goes on
                out.errors[traceback.format_exc(limit=1)[-200:]] += 1
                continue
            out.latencies.append(time.perf_counter() - began)
            out.last[cid] = status


def _process(url: str, names: list[str], ids: list[int], seconds: float, think: float,
             ready: Any, go: Any, results: Any) -> None:
    start = threading.Barrier(len(names) + 1)
    box = [0.0]
    outs = [CoderResult(name) for name in names]
    threads = [threading.Thread(target=_coder, args=(url, n, ids, int(n.removeprefix("coder")), start, box, o, think))
               for n, o in zip(names, outs)]
    for t in threads:
        t.start()
    start.wait()  # every coder connected
    ready.put(len(names))
    go.wait()
    box[0] = time.monotonic() + seconds
    start.wait()
    for t in threads:
        t.join()
    results.put([(o.name, o.latencies, o.changed, o.last, o.contention, dict(o.errors))
                 for o in outs])


def run_mode(url: str, mode: str, coders: int, processes: int, seconds: float,
             n_suggestions: int, think: float = 0.0) -> dict[str, Any]:
    """Build the project, run the coders for ``seconds``, check the database; the figures."""
    names = [f"coder{i:02d}" for i in range(coders)]
    ids = build_project(url, n_suggestions, names, mode)
    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    groups = [names[i::processes] for i in range(processes)]
    procs = [ctx.Process(target=_process, args=(url, g, ids, seconds, think, ready, go, results))
             for g in groups if g]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=600)
    time.sleep(2)  # every coder connected and waiting
    began = time.monotonic()
    go.set()
    rows = [r for _ in procs for r in results.get(timeout=seconds + 600)]
    wall = time.monotonic() - began
    for p in procs:
        p.join()
    return {"mode": mode, "wall": wall, **check(url, mode, rows)}


def check(url: str, mode: str, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """Latency figures and the lost decisions, counted against the database."""
    from thematic import Project

    latencies = sorted(x for r in rows for x in r[1])
    changed = sum(r[2] for r in rows)
    with Project.open(url) as project:
        decisions = project.review.decisions()
        history = project.review.history(limit=10_000_000)
        codings = project.review.codings().set_index("coding_id")
    if mode == "independent":
        stored = {(d.coder, d.coding_id): d.status for d in decisions.itertuples() if not bool(d.final)}
        expected = {(name, cid): status for name, _, _, last, _, _ in rows
                    for cid, status in last.items()}
        lost = sum(1 for key, status in expected.items() if stored.get(key) != status)
    else:
        audited = int(history["action"].isin(["accept", "reject"]).sum())
        final = decisions[decisions["final"].astype(bool)].set_index("coding_id")
        mismatched = int((codings.loc[final.index, "status"] != final["status"]).sum())
        doubled = int(final.index.duplicated().sum())
        lost = abs(changed - audited) + mismatched + doubled
    errors: Counter[str] = Counter()
    for r in rows:
        errors.update(r[5])
    return {"coders": len(rows), "decisions": len(latencies), "changed": changed,
            "p50": _pct(latencies, 50), "p95": _pct(latencies, 95), "p99": _pct(latencies, 99),
            "max": latencies[-1] if latencies else float("nan"), "lost": lost,
            "contention": sum(r[4] for r in rows), "errors": errors}


def _pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("THEMATIC_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL database to EMPTY and use ($THEMATIC_BENCH_POSTGRES_URL)")
    parser.add_argument("--coders", type=int, default=50)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--suggestions", type=int, default=2000)
    parser.add_argument("--modes", nargs="+", default=["independent", "shared"],
                        choices=["independent", "shared"])
    parser.add_argument("--think", type=float, nargs="+", default=[0.0],
                        help="seconds a coder reads before each decision (0: decide as fast as "
                             "possible, the saturation test); several values run each")
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url (or $THEMATIC_BENCH_POSTGRES_URL): a database this may empty")
    from thematic.store.database import mask_url

    print(f"# team server: {args.coders} coders in {args.processes} processes, "
          f"{args.seconds:.0f} s per mode, {args.suggestions} suggestions, {mask_url(args.url)}\n")
    print("| review | think s | coders | decisions | decisions/s | p50 ms | p95 ms | p99 ms "
          "| max ms | lost | contention surfaced | other errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for think in args.think:
        for mode in args.modes:
            r = run_mode(args.url, mode, args.coders, args.processes, args.seconds,
                         args.suggestions, think)
            print(f"| {mode} | {think:g} | {r['coders']} | {r['decisions']} "
                  f"| {r['decisions'] / r['wall']:.1f} | {r['p50'] * 1000:.0f} "
                  f"| {r['p95'] * 1000:.0f} | {r['p99'] * 1000:.0f} | {r['max'] * 1000:.0f} "
                  f"| {r['lost']} | {r['contention']} | {sum(r['errors'].values())} |", flush=True)
            for text, n in r["errors"].most_common(5):
                print(f"  error x{n}: {text}")


if __name__ == "__main__":
    main()
