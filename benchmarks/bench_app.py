"""Server-side render time of the app's pages, measured with Streamlit's AppTest.

    python benchmarks/bench_app.py            # 15k-word transcript + 500 codings; 100 x 50k
    python benchmarks/bench_app.py --small    # 10 transcripts x 5k codings (a quick look)

Builds two projects in a temporary folder (synthetic interviews, suggestions stored the way an
engine run stores them, half of them accepted), then times, per page, the first run (cold: the revision-keyed caches
are empty) and a rerun with nothing changed (warm), and prints a table. Target: < 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from thematic import Project  # noqa: E402
from thematic.models import Suggestion  # noqa: E402

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
    rng = random.Random(seed)
    src = folder / f"src-{docs}"
    src.mkdir()
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


def time_page(project: Path, page: str, **query: str) -> tuple[float, float]:
    """(cold, warm) seconds of one AppTest run of ``page``."""
    os.environ["THEMATIC_PROJECT"] = str(project)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params.update(query)
    at.session_state["coder"] = "bench"
    at.run()
    at.switch_page(page)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    t0 = time.perf_counter()
    at.run()
    return cold, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="10 transcripts, 5k codings")
    args = parser.parse_args()
    big_docs, big_codings = (10, 5_000) if args.small else (100, 50_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        one = build(folder, 1, 15_000, 500)
        many = build(folder, big_docs, 1_500, big_codings, seed=1)
        print(f"built the projects in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        rows.append(("Transcripts", "1 x 15k words, 500 codings",
                     *time_page(one, "app_pages/transcripts.py", doc="P000")))
        for page in ("review", "analysis", "transcripts"):
            rows.append((page.capitalize(), f"{big_docs} transcripts, {big_codings:,} codings",
                         *time_page(many, f"app_pages/{page}.py", doc="P000")))
    print(f"{'page':<12} {'project':<34} {'cold s':>7} {'warm s':>7}  target < 1 s")
    for name, what, cold, warm in rows:
        print(f"{name:<12} {what:<34} {cold:7.2f} {warm:7.2f}  {'ok' if warm < 1 else 'SLOW'}")


if __name__ == "__main__":
    main()
