"""Topic candidates against people's codes, and the topic model's speed.

Three parts (``--part quality``, ``--part ceiling``, ``--part speed``; default quality and
speed):

quality
    For each human-coded corpus (the sample study's gold; the public corpora of
    ``benchmarks/corpora`` when that package and its fetched files are present), topics are
    fitted on all participant turns (survey answers) of the corpus's project and compared,
    turn by turn, with the people's codes on the coded documents: per code the best-match
    Jaccard, how many codes reach 0.3, and their mean, averaged over ``--seeds`` seeds.
    **Levels are counted apart** (:data:`LEVELS`): BERTopic with its defaults (the issue's
    baseline); our leaf topics; and each broader level a reviewer could be shown above them
    (the Ward tree's parents; the tree cut at the codebook's granularity, the modeler's
    default; the leaves grouped by nearest code), for each setting of :data:`SETTINGS` (the
    weight of each turn's place in its interview). The setting and the broader level are then
    chosen leave-one-corpus-out.
ceiling
    What the people's labels themselves allow, per corpus: a logistic regression per code
    trained on them (each turn's vector with its question and its place in the interview,
    cross-validated by document, at its best threshold), and the best union of one fit's leaf
    topics per code (chosen with the labels, greedily). Neither is a candidate a reviewer could
    be shown: they bound what a grouping of these vectors can reach.
speed
    ``--n`` turns (the sample study's turns, repeated with a suffix so that each is new):
    TopicModeler (no stability re-fits) against BERTopic called directly with the same
    components (``thematic.suggest.topics.build_bertopic``) on the same embeddings, in the same
    run; and ``project.topics.run`` cold (embedding every turn) against a re-run whose
    embeddings come from the project's cache.

    python benchmarks/bench_topics.py --part quality
    python benchmarks/bench_topics.py --part ceiling
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
        from benchmarks.corpora import LANGUAGE, NAMES, load
    except ImportError:
        print("benchmarks.corpora not found: run from a checkout that has it", file=sys.stderr)
        return []
    out = []
    for name in NAMES:
        if name in LANGUAGE:  # topics in other languages: see bench_embeddings for the models
            continue
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


LEVELS = ("leaves", "Ward parents", "cut at codebook granularity", "by nearest code")
"""What a reviewer sees, counted apart: the leaf topics; and one of three broader levels above
them: the Ward tree's parents (every merge up to half the talk: ``parent_level="ward"``), the
Ward tree cut into as many groups as the corpus has codes (``parent_level="codebook"``, the
modeler's default: the best level over every corpus family), or the leaves grouped by the code
nearest each."""
BROADER = LEVELS[1:]


def levels(m: TopicModeler, turns: pd.DataFrame, x: np.ndarray, px: np.ndarray,
           cx: np.ndarray, k: int) -> dict[str, pd.DataFrame]:
    """Members (topic, segment_id) of every level of one fit (``parent_level="ward"``; see
    :data:`LEVELS`). The tree is cut on the vectors the modeler clustered (each turn with its
    question and its place in the interview, centred), as ``parent_level="codebook"`` cuts it;
    leaves go to their nearest code on the turns' own vectors."""
    from thematic.suggest.topic_tree import cut_tree, group_by_code

    leaves = m.members_[m.members_["topic"] >= 0][["topic", "segment_id"]]
    labels = m.members_["topic"].to_numpy()
    parents = [c.topic for c in m.candidates_ if c.children]
    every = m.candidate_members()
    fitted = np.flatnonzero((m.members_["reason"] != "short").to_numpy())
    clustered = m.cluster_vectors(turns, x, px, rows=fitted)  # what the modeler cuts

    def grouped(groups: list[list[int]]) -> pd.DataFrame:
        parts = [leaves[leaves["topic"].isin(g)].assign(topic=i) for i, g in enumerate(groups)]
        return pd.concat(parts, ignore_index=True) if parts else leaves.iloc[:0]

    return {"leaves": leaves,
            "Ward parents": every[every["topic"].isin(parents)][["topic", "segment_id"]],
            "cut at codebook granularity": grouped(cut_tree(clustered, labels[fitted], k)),
            "by nearest code": grouped(group_by_code(x, labels, cx))}


SETTINGS = {"position 0": {"position_weight": 0.0}, "position 0.15": {"position_weight": 0.15},
            "position 0.3": {"position_weight": 0.3}, "position 0.45": {"position_weight": 0.45}}
"""Settings of the modeler compared (each with every level); chosen leave-one-corpus-out with
the level. ``position 0`` is the modeler before the stage of the interview went in."""
SHIPPED = "position 0.3"
"""The setting of :class:`TopicModeler`'s defaults (its per-code tables are printed)."""


def quality(seeds: list[int]) -> None:
    """Per corpus, best-match Jaccard per code over each level a reviewer sees, **counted
    apart** (leaves; one broader level), for each setting (:data:`SETTINGS`), averaged over
    ``seeds``; then the setting and broader level chosen leave-one-corpus-out."""
    from benchmarks.corpora import FAMILY, DiskEmbeddingCache
    from thematic.suggest.embeddings import SentenceTransformerBackend

    # float32 MiniLM: the vectors the other benchmarks cache (bf16 agrees to 1e-4)
    backend, cache = SentenceTransformerBackend(), DiskEmbeddingCache()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpora():
            rows += corpus_rows(corpus, Path(tmp), backend, cache, seeds,
                                FAMILY.get(corpus.name, corpus.name))
    summarise(pd.DataFrame(rows), backend.name, seeds)


def corpus_rows(corpus, scratch: Path, backend, cache, seeds: list[int], family: str) -> list[dict]:
    """One corpus's rows (setting, level, seed: codes at 0.3, mean best J, candidates); its
    per-code table printed."""
    turns, labels = corpus_turns(corpus, scratch)
    x = embed_cached(backend, turns["text"].tolist(), cache)
    has = turns["prompt"].notna().to_numpy()
    px = np.zeros_like(x)
    if has.any():
        px[has] = embed_cached(backend, turns.loc[has, "prompt"].tolist(), cache)
    codes = [c for c in corpus.codebook.codes if c.id in labels.columns]
    cx = embed_cached(backend, [". ".join(p for p in (c.name, c.definition, c.inclusion) if p)
                                for c in codes], cache)
    ids = [c.id for c in codes]
    table = pd.DataFrame({"segments": labels.sum()})
    rows: list[dict] = []

    def score(setting: str, level: str, seed: int, members: pd.DataFrame) -> None:
        j = match_codes(members, labels).set_index("code")["jaccard"]
        table[f"{setting} | {level} s{seed}"] = j
        rows.append({"corpus": corpus.name, "family": family, "codes": labels.shape[1],
                     "setting": setting, "level": level, "seed": seed,
                     ">= 0.3": int((j >= 0.3).sum()), "mean best J": float(j.mean()),
                     "candidates": int(members["topic"].nunique())})

    for seed in seeds:
        base = bertopic_defaults(turns["text"].tolist(), x, seed).assign(
            segment_id=turns["segment_id"])
        score("BERTopic defaults", "BERTopic defaults", seed, base[base["topic"] >= 0])
        for setting, params in SETTINGS.items():
            m = TopicModeler(n_stability=0, random_state=seed, parent_level="ward", **params).fit(
                turns, x, code_ids=ids, code_embeddings=cx, prompt_embeddings=px)
            for level, members in levels(m, turns, x, px, cx, labels.shape[1]).items():
                score(setting, level, seed, members)
    print_codes(corpus.name, table, len(seeds))
    return rows


def print_codes(name: str, table: pd.DataFrame, n_seeds: int) -> None:
    """Per code: BERTopic's defaults, the shipped setting's levels and the previous leaves and
    Ward parents (mean over seeds)."""
    shown = {"BERTopic defaults": "BERTopic defaults | BERTopic defaults",
             **{level: f"{SHIPPED} | {level}" for level in LEVELS},
             "before: leaves": "position 0 | leaves",
             "before: Ward parents": "position 0 | Ward parents"}
    means = {title: table[[c for c in table.columns if c.startswith(key + " s")]].mean(axis=1)
             for title, key in shown.items()}
    print(f"\n## {name}: best-match Jaccard per code, per level (turns, mean of {n_seeds} "
          f"seeds; {SHIPPED}, the default, and before it)\n")
    print(markdown(pd.DataFrame({"segments": table["segments"], **means}).round(3)
                   .sort_values("segments", ascending=False).reset_index(names="code")),
          flush=True)


def summarise(frame: pd.DataFrame, backend: str, seeds: list[int]) -> None:
    """The summary per corpus, setting and level; the leave-one-corpus-out choice."""
    summary = frame.groupby(["corpus", "setting", "level"], sort=False).agg(
        codes=("codes", "first"), candidates=("candidates", "mean"), at_03=(">= 0.3", "mean"),
        mean_j=("mean best J", "mean")).round(2).reset_index()
    print(f"\n## summary (embeddings: {backend}, seeds {seeds})\n")
    print("Each level counted apart: `>= 0.3` is the number of codes whose best candidate *of "
          "that level* reaches Jaccard 0.3 (mean over seeds); `candidates` how many cards the "
          "level shows.\n")
    print(markdown(summary.rename(columns={"at_03": ">= 0.3", "mean_j": "mean best J"})))
    print("\n## setting and broader level chosen leave-one-corpus-out\n")
    print(markdown(leave_one_out(frame)), flush=True)
    ours = frame[frame["setting"].isin(SETTINGS) & frame["level"].isin(BROADER)]
    share = ours.assign(share=ours[">= 0.3"] / ours["codes"]).groupby(
        ["family", "setting", "level"])["share"].mean().groupby(["setting", "level"]).mean()
    setting, level = share.idxmax()
    print(f"\nOn every family (the modeler's default): {setting}, {level} "
          f"(mean share of codes at 0.3: {share.max():.3f})")


def leave_one_out(frame: pd.DataFrame) -> pd.DataFrame:
    """For each corpus family, chosen on the *other* families (highest mean share of codes at
    0.3): the setting for each level the Topics page shows (leaves; Ward parents), and the
    setting and broader level together; what each scores on the held-out corpus, beside the
    modeler before (``position 0``) and BERTopic's defaults."""
    share = frame.assign(share=frame[">= 0.3"] / frame["codes"]).groupby(
        ["family", "corpus", "setting", "level"], as_index=False)[["share", ">= 0.3"]].mean()
    per_family = share.groupby(["family", "setting", "level"], as_index=False)["share"].mean()
    out = []
    for held in sorted(share["family"].unique()):
        others = per_family[(per_family["family"] != held) & per_family["setting"].isin(SETTINGS)]

        def best(level: str, others: pd.DataFrame = others) -> str:
            return str(others[others["level"] == level].groupby("setting")["share"].mean().idxmax())

        broad = others[others["level"].isin(BROADER)].groupby(["setting", "level"])["share"]
        setting, level = broad.mean().idxmax()
        leaf, parent = best("leaves"), best("Ward parents")
        for corpus in sorted(share.loc[share["family"] == held, "corpus"].unique()):
            at = share[share["corpus"] == corpus].set_index(["setting", "level"])[">= 0.3"]
            out.append({
                "held out": corpus,
                "leaves: setting": leaf, "leaves": round(float(at[(leaf, "leaves")]), 2),
                "before": round(float(at[("position 0", "leaves")]), 2),
                "Ward parents: setting": parent,
                "Ward parents": round(float(at[(parent, "Ward parents")]), 2),
                "before ": round(float(at[("position 0", "Ward parents")]), 2),
                "broader level chosen": f"{setting}, {level}",
                "chosen": round(float(at[(setting, level)]), 2),
                "BERTopic defaults": round(float(at[("BERTopic defaults", "BERTopic defaults")]), 2)})
    return pd.DataFrame(out)


def best_share_jaccard(score: np.ndarray, y: np.ndarray) -> float:
    """The best Jaccard of the top-scored turns with ``y`` over cuts at 2% .. 50% of the turns."""
    best = 0.0
    for q in np.linspace(0.5, 0.98, 25):
        picked = score >= np.quantile(score, q)
        best = max(best, float((picked & y).sum() / max(1, (picked | y).sum())))
    return best


def best_union(members: pd.DataFrame, coded: set) -> float:
    """The best Jaccard of a union of topics with ``coded`` (topics added greedily)."""
    groups = [set(g) for _, g in members.groupby("topic")["segment_id"]]
    chosen: set = set()
    best = 0.0
    while True:
        gains = [len(coded & (chosen | g)) / len(coded | chosen | g) for g in groups]
        if not gains or max(gains) <= best + 1e-9:
            return best
        best = max(gains)
        chosen |= groups[int(np.argmax(gains))]


def held_out_scores(v: np.ndarray, y: np.ndarray, docs: np.ndarray, folds) -> np.ndarray:
    """Each turn's score from a logistic regression fitted on the other folds' documents (0
    where those hold no turn of the code)."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros(len(y))
    for train, test in folds.split(v, y, groups=docs):
        if y[train].any() and not y[train].all():
            model = LogisticRegression(max_iter=2000, class_weight="balanced").fit(v[train], y[train])
            out[test] = model.predict_proba(v[test])[:, 1]
    return out


def ceiling() -> None:
    """Per corpus: codes at 0.3 for a classifier trained on the labels (cross-validated by
    document) and for the best union of leaves per code (labels choose); see the docstring."""
    from sklearn.model_selection import GroupKFold

    from benchmarks.corpora import DiskEmbeddingCache
    from thematic.suggest.embeddings import SentenceTransformerBackend

    backend, cache = SentenceTransformerBackend(), DiskEmbeddingCache()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpora():
            turns, labels = corpus_turns(corpus, Path(tmp))
            x = embed_cached(backend, turns["text"].tolist(), cache)
            has = turns["prompt"].notna().to_numpy()
            px = np.zeros_like(x)
            if has.any():
                px[has] = embed_cached(backend, turns.loc[has, "prompt"].tolist(), cache)
            m = TopicModeler(n_stability=0, random_state=0).fit(turns, x, prompt_embeddings=px)
            coded_docs = turns["segment_id"].isin(labels.index).to_numpy()  # the universe
            v = m.cluster_vectors(turns, x, px)[coded_docs]
            y = labels.reindex(turns.loc[coded_docs, "segment_id"]).astype(bool)
            docs = turns.loc[coded_docs, "document_id"].to_numpy()
            folds = GroupKFold(min(5, len(set(docs))))
            trained, union = [], []
            leaves = m.members_[(m.members_["topic"] >= 0)
                                & m.members_["segment_id"].isin(labels.index)]
            for code in labels.columns:
                trained.append(best_share_jaccard(held_out_scores(v, y[code].to_numpy(), docs, folds),
                                                  y[code].to_numpy()))
                union.append(best_union(leaves, set(labels.index[labels[code].astype(bool)])))
            out.append({"corpus": corpus.name, "codes": labels.shape[1],
                        ">= 0.3, trained on the labels": sum(j >= 0.3 for j in trained),
                        "mean J, trained": round(float(np.mean(trained)), 2),
                        ">= 0.3, best union of leaves": sum(j >= 0.3 for j in union),
                        "mean J, union": round(float(np.mean(union)), 2)})
    print("\n## ceiling: what the labels themselves allow on these vectors\n")
    print(markdown(pd.DataFrame(out)), flush=True)


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
            project.documents.ingest([folder], actor="bench")
            times = []
            for k in (0, 0, 1):  # cold; the same run again; another seed (a new fit)
                t = time.perf_counter()
                project.topics.run(n_stability=0, random_state=seed + k, actor="bench")
                times.append(time.perf_counter() - t)
    print(f"| {'topics_run, cold':40} | {times[0]:8.1f} s |")
    print(f"| {'topics_run again, same inputs':40} | {times[1]:8.1f} s | {times[1] / times[0]:.2f} x |")
    print(f"| {'topics_run, new seed, cached embeddings':40} | {times[2]:8.1f} s | "
          f"{times[2] / times[0]:.2f} x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["quality", "ceiling", "speed", "both"], default="both")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=2,
                        help="quality: average over seeds seed .. seed + seeds - 1")
    parser.add_argument("--no-project", action="store_true",
                        help="skip project.topics.run cold/re-run (it embeds every turn)")
    args = parser.parse_args()
    if args.part in ("quality", "both"):
        quality(list(range(args.seed, args.seed + args.seeds)))
    if args.part == "ceiling":
        ceiling()
    if args.part in ("speed", "both"):
        speed(args.n, args.seed, not args.no_project)


if __name__ == "__main__":
    main()
