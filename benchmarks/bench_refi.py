"""Benchmark: REFI-QDA .qdpx export and import of 100 transcripts and 50,000 codings.

Two levels, each timed for every target tool:

- ``model``: :func:`thematic.refi.qde_write.write_qdpx` and
  :func:`thematic.refi.qde_read.read_project` on an in-memory exchange project;
- ``project``: ``project.exchange.export_qdpx`` and ``.import_project`` through the store
  (when the project methods are available).

Prints a markdown table (seconds; target < 10 s each). Asserts nothing.

    python benchmarks/bench_refi.py
    python benchmarks/bench_refi.py --documents 20 --codings 5000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from pathlib import Path

from thematic.refi.model import ExCode, ExCoding, ExProject, ExSource, ExUser
from thematic.refi.qde_read import read_project
from thematic.refi.qde_write import TARGETS, write_qdpx

WORDS = (
    "the team covered for me when I froze and nobody told me where the linen was "
    "honestly it was chaos but the mentor rang every Sunday and that helped a lot"
).split()


def guid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "bench:" + ":".join(map(str, parts))))


def transcript(rng: random.Random, turns: int) -> str:
    lines = []
    for t in range(turns):
        speaker = "Interviewer" if t % 2 == 0 else "P01"
        words = rng.choices(WORDS, k=rng.randint(12, 40))
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), "😅")
        lines.append(f"{speaker}: {' '.join(words)}.")
    return "\n".join(lines)


def exchange_project(documents: int, codings: int, *, random_state: int = 0) -> ExProject:
    """A synthetic exchange project: ``documents`` transcripts, ``codings`` codings on word spans."""
    rng = random.Random(random_state)
    users = [ExUser(guid("user", i), f"coder{i}") for i in range(3)]
    codes = [ExCode(guid("code", i), f"Code {i}", color="#336699") for i in range(40)]
    sources = [
        ExSource(guid("doc", d), f"P{d:03d}", transcript(rng, 120)) for d in range(documents)
    ]
    out = []
    per_doc = codings // documents
    for source in sources:
        starts = [i + 1 for i, ch in enumerate(source.text) if ch == " "]
        for _ in range(per_doc):
            a = rng.choice(starts[:-8])
            b = source.text.find(" ", a + 20)
            b = b if b > a else len(source.text)
            n = len(out)
            out.append(
                ExCoding(
                    guid("c", n),
                    guid("s", n),
                    source.guid,
                    rng.choice(codes).guid,
                    a,
                    b,
                    rng.choice(users).guid,
                )
            )
    return ExProject(name="bench", users=users, codes=codes, sources=sources, codings=out)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--codings", type=int, default=50_000)
    args = parser.parse_args()
    project = exchange_project(args.documents, args.codings)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for target in TARGETS:
            path = Path(tmp) / f"{target}.qdpx"
            t_write, _ = timed(write_qdpx, project, path, target=target)
            t_read, back = timed(read_project, path)
            assert isinstance(back, ExProject)
            ok = len(back.codings) == len(project.codings) and not back.unplaced
            rows.append(("model", target, t_write, t_read, path.stat().st_size / 1e6, ok))
        rows.extend(project_level(Path(tmp), project))
    print(f"{args.documents} transcripts, {len(project.codings)} codings\n")
    print("| level | target | export (s) | import (s) | archive (MB) | all codings back |")
    print("|---|---|---:|---:|---:|---|")
    for level, target, tw, tr, mb, ok in rows:
        print(f"| {level} | {target} | {tw:.2f} | {tr:.2f} | {mb:.1f} | {'yes' if ok else 'NO'} |")


def project_level(tmp: Path, ex: ExProject) -> list[tuple]:
    """Export and import through a Project (``project.exchange``)."""
    from thematic import Project

    seed = tmp / "seed.qdpx"
    write_qdpx(ex, seed)
    rows = []
    project = Project.create(tmp / "bench.thematic")
    t_import, _ = timed(project.exchange.import_project, seed, actor="bench")
    for target in ("standard", "nvivo"):
        out = tmp / f"project-{target}.qdpx"
        t_export, _ = timed(project.exchange.export_qdpx, out, target=target)
        again = Project.create(tmp / f"again-{target}.thematic")
        t_again, _ = timed(again.exchange.import_project, out, actor="bench")
        n = len(again.review.codings())
        rows.append(
            ("project", target, t_export, t_again, out.stat().st_size / 1e6, n == len(ex.codings))
        )
        again.close()
    rows.insert(0, ("project", "seed import", 0.0, t_import, seed.stat().st_size / 1e6, True))
    project.close()
    return rows


if __name__ == "__main__":
    main()
