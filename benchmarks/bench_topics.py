"""Topic candidates against people's codes, and the topic model's speed.

Two parts (``--part quality``, ``--part speed``, default both):

quality
    For each human-coded corpus (the sample study's gold; the public corpora of
    ``benchmarks/corpora`` when that package and its fetched files are present), topics are
    fitted on all participant turns of the corpus's project and compared, turn by turn, with the
    people's codes on the coded documents: per code the best-match Jaccard over topics, how many
    codes reach 0.3, their mean, and the share of turns not grouped. The best match is taken
    over every candidate, leaf topics and their parents, averaged over ``--seeds`` seeds.
    Methods: BERTopic with its defaults (the issue's baseline), our TopicModeler before
    interview context and the tree, with context (leaves only), with context and the tree (the
    default), the tree without context, and the default in guided mode.
speed
    ``--n`` turns (the sample study's turns, repeated with a suffix so that each is new):
    TopicModeler (no stability re-fits) against BERTopic called directly with the same
    components (``thematic.suggest.topics.build_bertopic``) on the same embeddings, in the same
    run; and ``project.topics.run`` cold (embedding every turn) against a re-run whose
    embeddings come from the project's cache.

    python benchmarks/bench_topics.py --part quality
    python benchmarks/bench_topics.py --part speed --n 10000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thematic.suggest.embeddings import default_backend, embed_cached  # noqa: E402
from thematic.suggest.topic_parts import match_codes  # noqa: E402
from thematic.suggest.topics import TopicModeler, build_bertopic  # noqa: E402


def markdown(frame: pd.DataFrame) -> str:
    """A markdown table of ``frame`` (no index)."""
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def corpora() -> list:
    """The corpora of ``benchmarks.corpora`` that load here (the sample at least)."""
    try:
        from benchmarks.corpora import NAMES, load
    except ImportError:
        print("benchmarks.corpora not found: run from a checkout that has it", file=sys.stderr)
        return []
    out = []
    for name in NAMES:
        try:
            out.append(load(name))
        except SystemExit as exc:  # a public corpus not fetched: say how, go on
            print(f"skipping {name}: {exc}", file=sys.stderr)
    return out


def corpus_turns(corpus, scratch: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All participant turns of the corpus's project (with their ``prompt``: the preceding
    interviewer turn), and the 0/1 labels of the coded ones."""
    from thematic import Project
    from thematic.suggest.topic_tree import interview_prompts

    copy = scratch / f"{corpus.name}.thematic"
    shutil.copy(corpus.project_path, copy)  # never upgrade or touch the cached file
    with Project.open(copy) as project:
        turns = project.documents.segments("turn")
    turns = turns.assign(prompt=interview_prompts(turns))
    turns = turns[turns["role"] == "participant"].reset_index(drop=True)
    labels = corpus.labels("turn")
    keep = labels.index.isin(turns["segment_id"])
    labels = labels[keep]
    return turns, labels.loc[:, labels.sum() > 0]


def bertopic_defaults(texts: list[str], x: np.ndarray, seed: int) -> pd.DataFrame:
    """BERTopic() as a new user runs it (default UMAP/HDBSCAN, seeded UMAP for a fair table)."""
    from bertopic import BERTopic
    from umap import UMAP

    model = BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0,
                                     metric="cosine", random_state=seed))
    topics, _ = model.fit_transform(texts, embeddings=x)
    return pd.DataFrame({"topic": topics})


BEFORE = {"prompt_weight": 0.0, "outlier_quantile": None, "max_parent_share": 0.0}
"""TopicModeler as it was before interview context, outlier reassignment and the tree."""

METHODS = {
    "bertopic defaults": None,
    "before (leaves, no context)": BEFORE,
    "context, leaves": {"max_parent_share": 0.0},
    "context + tree (default)": {},
    "no context + tree": {"prompt_weight": 0.0},
    "default, guided": {"guided": True},
}
"""Methods compared: BERTopic's defaults, then TopicModeler with these parameters."""


def fit_method(params: dict | None, turns: pd.DataFrame, x: np.ndarray, px: np.ndarray,
               ids: list[str], cx: np.ndarray, seed: int) -> tuple[pd.DataFrame, int, float]:
    """Members of every candidate (parents too), the number of leaves, seconds."""
    t = time.perf_counter()
    if params is None:
        base = bertopic_defaults(turns["text"].tolist(), x, seed)
        members = base.assign(segment_id=turns["segment_id"])
        return members, int(members["topic"].max()) + 1, time.perf_counter() - t
    m = TopicModeler(n_stability=0, random_state=seed, **params).fit(
        turns, x, code_ids=ids, code_embeddings=cx, prompt_embeddings=px)
    leaves = sum(1 for c in m.candidates_ if not c.children)
    return m.candidate_members(), leaves, time.perf_counter() - t


def quality(seeds: list[int]) -> None:
    """Per corpus and method, best-match Jaccard per code over **every** candidate (leaf
    topics and their parents), averaged over ``seeds``."""
    from benchmarks.corpora import DiskEmbeddingCache

    backend, cache = default_backend(), DiskEmbeddingCache()
    summary = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpora():
            turns, labels = corpus_turns(corpus, Path(tmp))
            x = embed_cached(backend, turns["text"].tolist(), cache)
            has = turns["prompt"].notna().to_numpy()
            px = np.zeros_like(x)
            if has.any():
                px[has] = embed_cached(backend, turns.loc[has, "prompt"].tolist(), cache)
            codes = [c for c in corpus.codebook.codes if c.id in labels.columns]
            cx = embed_cached(backend, [". ".join(p for p in (c.name, c.definition, c.inclusion)
                                                  if p) for c in codes], cache)
            ids = [c.id for c in codes]
            table = pd.DataFrame({"segments": labels.sum()})
            for name, params in METHODS.items():
                runs = []
                for seed in seeds:
                    members, leaves, seconds = fit_method(params, turns, x, px, ids, cx, seed)
                    match = match_codes(members, labels).set_index("code")["jaccard"]
                    grouped = set(members.loc[members["topic"] >= 0, "segment_id"])
                    runs.append({"j": match, "leaves": leaves, "seconds": seconds,
                                 "candidates": members.loc[members["topic"] >= 0, "topic"].nunique(),
                                 "not grouped": float((~labels.index.isin(list(grouped))).mean())})
                j = pd.concat([r["j"] for r in runs], axis=1)
                table[name] = j.mean(axis=1)
                summary.append({
                    "corpus": corpus.name, "method": name, "turns fitted": len(turns),
                    "codes": labels.shape[1],
                    ">= 0.3": round(float((j >= 0.3).sum().mean()), 2),
                    "mean best J": round(float(j.mean().mean()), 3),
                    "candidates": round(float(np.mean([r["candidates"] for r in runs])), 1),
                    "leaves": round(float(np.mean([r["leaves"] for r in runs])), 1),
                    "not grouped": round(float(np.mean([r["not grouped"] for r in runs])), 3),
                    "seconds": round(float(np.mean([r["seconds"] for r in runs])), 1)})
            print(f"\n## {corpus.name}: best-match Jaccard per code (turns, mean of {len(seeds)} "
                  "seeds; best over all candidates, leaves and parents)\n")
            print(markdown(table.sort_values("segments", ascending=False).round(3).reset_index(
                names="code")), flush=True)
    print(f"\n## summary (embeddings: {backend.name}, seeds {seeds})\n")
    print("Best match per code over **every** candidate a reviewer sees: leaf topics and their "
          "parents (a parent's members are the union of its children's). `>= 0.3`: codes whose "
          "best candidate reaches Jaccard 0.3 (mean over seeds); `not grouped`: share of the "
          "coded documents' participant turns in no candidate (short turns included).\n")
    print(markdown(pd.DataFrame(summary)))


def speed_texts(n: int) -> list[str]:
    lines = []
    for path in sorted((ROOT / "transcripts_sample").glob("P*.txt")):
        lines += [ln.split(":", 1)[-1].strip() for ln in path.read_text("utf-8").splitlines()
                  if len(ln.split()) >= 6]
    return [f"{lines[i % len(lines)]} ({i // len(lines)})" for i in range(n)]


def speed(n: int, seed: int, project: bool) -> None:
    """Wrapper against BERTopic direct on ``n`` turns (after a warm-up fit that compiles
    UMAP's numba code for both), then ``project.topics.run`` cold and again.

    The sample's distinct lines are embedded for real; their repeats (``line (k)``) get the
    line's vector plus small noise, so that 10k turns do not cost 10k model calls here.
    """
    from thematic.suggest.topic_pipeline import _clean, _prepare

    texts = speed_texts(n)
    backend = default_backend()
    base = [t.rsplit(" (", 1)[0] for t in texts]
    unique = sorted(set(base))
    t = time.perf_counter()
    vecs = dict(zip(unique, embed_cached(backend, unique, None, batch_size=64), strict=True))
    embed_s = time.perf_counter() - t
    rng = np.random.RandomState(seed)
    x = np.vstack([vecs[b] for b in base]) + rng.normal(scale=0.01, size=(n, len(vecs[unique[0]])))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    frame = pd.DataFrame({"segment_id": np.arange(n), "document": [f"d{i % 30}" for i in range(n)],
                          "participant": [f"P{i % 30}" for i in range(n)], "text": texts})
    TopicModeler(n_stability=0, random_state=seed).fit(frame.head(300), x[:300])  # warm-up
    model = TopicModeler(n_stability=0, random_state=seed)
    timings: dict[str, list[float]] = {"ours": [], "direct": []}
    for _ in range(2):  # alternate, so that load from other processes hits both alike
        t = time.perf_counter()
        direct = build_bertopic(n, min_cluster_size=model._min_size(n), random_state=seed)
        direct.fit_transform([_clean(s) for s in texts], embeddings=_prepare(x, center=True))
        timings["direct"].append(time.perf_counter() - t)
        t = time.perf_counter()
        model.fit(frame, x)
        timings["ours"].append(time.perf_counter() - t)
    ours, bare = min(timings["ours"]), min(timings["direct"])
    print(f"\n## speed: {n} turns, seed {seed}, {len(model.candidates_)} topics\n")
    print(f"| {'embed ' + str(len(unique)) + ' distinct turns (' + backend.name + ')':40} | "
          f"{embed_s:8.1f} s |")
    print(f"| {'TopicModeler.fit (no re-fits), best of 2':40} | {ours:8.1f} s |")
    print(f"| {'BERTopic direct, same components':40} | {bare:8.1f} s |")
    print(f"| {'wrapper / direct':40} | {ours / bare:8.2f} x |", flush=True)
    if project:
        project_speed(texts, seed)


def project_speed(texts: list[str], seed: int) -> None:
    """``project.topics.run`` cold, then again with the embeddings in the project's cache."""
    from thematic import Project

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        per = 300
        for d in range(0, len(texts), per):
            body = "\n\n".join(f"Interviewer: And then?\n\nP{d // per}: {t}" for t in texts[d:d + per])
            (folder / f"i{d // per:03}.txt").write_text(body + "\n", encoding="utf-8")
        with Project.create(Path(tmp) / "p.thematic") as project:
            project.documents.ingest([folder], actor="ana")
            times = []
            for k in (0, 0, 1):  # cold; the same run again; another seed (a new fit)
                t = time.perf_counter()
                project.topics.run(n_stability=0, random_state=seed + k, actor="ana")
                times.append(time.perf_counter() - t)
    print(f"| {'topics_run, cold':40} | {times[0]:8.1f} s |")
    print(f"| {'topics_run again, same inputs':40} | {times[1]:8.1f} s | {times[1] / times[0]:.2f} x |")
    print(f"| {'topics_run, new seed, cached embeddings':40} | {times[2]:8.1f} s | "
          f"{times[2] / times[0]:.2f} x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["quality", "speed", "both"], default="both")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=3,
                        help="quality: average over seeds seed .. seed + seeds - 1")
    parser.add_argument("--no-project", action="store_true",
                        help="skip project.topics.run cold/re-run (it embeds every turn)")
    args = parser.parse_args()
    if args.part in ("quality", "both"):
        quality(list(range(args.seed, args.seed + args.seeds)))
    if args.part in ("speed", "both"):
        speed(args.n, args.seed, not args.no_project)


if __name__ == "__main__":
    main()
