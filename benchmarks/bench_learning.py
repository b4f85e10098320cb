"""Benchmark: learning from a reviewer's decisions (the classifier), against people.

For each corpus (``benchmarks/corpora``) and unit, a simulated reviewer works through the
documents in a seeded random order. After 10%, 20% and 30% of the documents it has decided
every semantic suggestion in them from the people's codes (accepting the right ones, rejecting
the wrong ones) and coded by hand what the suggestions missed. The classifier
(:class:`~thematic.suggest.classifier.DecisionClassifier`) is trained on those decisions
(uncoded segments of finished documents are weak negatives) and scored on the documents not
yet reviewed, against:

- ``semantic``: the codebook alone (the default semantic engine), on the same documents;
- ``classifier``: the classifier for codes it could train (segments ranking in the code's
  prevalence in the reviewed documents, by log-odds plus the semantic score), nothing for the
  others; ``classifier p>=0.5``: the same models, probability >= 0.5;
- ``combined``: the classifier where a code is trained, the semantic engine elsewhere (what
  ``thematic code`` runs once codes have enough decisions);
- ``semantic at reviewed prevalence``: the semantic ranking with the reviewed prevalence
  (what the decisions add beyond how common a code is);
- ``centroid``: a simpler learner for comparison (cosine to the mean of a code's positive
  decisions, threshold at the prevalence seen in the reviewed documents).

The agreement columns are macro kappa and F1 over the corpus's codes on (a) the documents not
yet reviewed and (b) a fixed test set, the last 70% of documents in the order, so that the
steps are comparable. Finally the retraining time: 50 decisions on a 10,000-segment project,
printed, not asserted.

    python benchmarks/bench_learning.py
    python benchmarks/bench_learning.py --corpora pdpilot --units turn
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import backend, markdown  # noqa: E402
from corpora import NAMES, UNITS, Corpus, DiskEmbeddingCache, load  # noqa: E402

from thematic.analysis import agreement_table  # noqa: E402
from thematic.suggest.classifier import DecisionClassifier, decision_labels  # noqa: E402
from thematic.suggest.code_texts import code_texts  # noqa: E402
from thematic.suggest.embeddings import embed_cached  # noqa: E402
from thematic.suggest.semantic import SemanticEngine  # noqa: E402

STEPS = (0.1, 0.2, 0.3)


def macro(gold: pd.DataFrame, pred: np.ndarray, rows: np.ndarray) -> tuple[float, float]:
    table = agreement_table(gold.iloc[rows], pd.DataFrame(pred[rows].astype(int), index=gold.index[rows],
                                                          columns=gold.columns))
    return float(table.loc["macro", "cohen_kappa"]), float(table.loc["macro", "f1"])


def code_vectors(corpus: Corpus, be: object, cache: DiskEmbeddingCache) -> dict[str, np.ndarray]:
    out = {}
    for c in corpus.codebook.codes:
        t = code_texts(c)
        out[c.id] = embed_cached(be, [t.description, *t.positives], cache)
    return out


def simulate(corpus: Corpus, unit: str, be: object, cache: DiskEmbeddingCache, seed: int) -> list[dict]:
    frame = corpus.segments[unit]
    segments = corpus.segment_list(unit)
    gold = corpus.labels(unit)
    codes = list(gold.columns)
    X = embed_cached(be, [s.text for s in segments], cache)
    sem = SemanticEngine(be, cache=cache).score(segments, corpus.codebook)
    col = [sem.code_ids.index(c) for c in codes]
    semantic = ((sem.score >= sem.threshold[None, :]) & ~sem.vetoed)[:, col]
    g = gold.to_numpy().astype(bool)
    docs = np.array(sorted(frame["document"].unique()))
    order = np.random.default_rng(seed).permutation(docs)
    doc_of = frame["document"].to_numpy()
    test_docs = set(order[int(math.ceil(0.3 * len(docs))):])
    fixed = np.nonzero(np.isin(doc_of, list(test_docs)))[0]
    vectors = code_vectors(corpus, be, cache)
    seg_ids = frame["segment_id"].to_numpy()
    rows = []
    for step in (0.0, *STEPS):
        reviewed = set(order[: int(math.ceil(step * len(docs)))]) if step else set()
        in_r = np.isin(doc_of, list(reviewed))
        rest = np.nonzero(~in_r)[0]
        preds = {"semantic": semantic}
        n_decisions = 0
        ready = 0
        if reviewed:
            decided = []
            for i in np.nonzero(in_r)[0]:
                for j, code in enumerate(codes):
                    if semantic[i, j]:
                        decided.append((seg_ids[i], code, "accepted" if g[i, j] else "rejected"))
                    elif g[i, j]:
                        decided.append((seg_ids[i], code, "coded"))
            decisions = pd.DataFrame(decided, columns=["segment_id", "code", "status"])
            n_decisions = len(decisions)
            uncoded = seg_ids[in_r & ~g.any(axis=1)]
            labels = decision_labels(decisions, codes=codes, uncoded_segments=uncoded, uncoded_weight=0.3)
            share = {c: float(g[in_r, j].mean()) for j, c in enumerate(codes)}
            prior = {c: sem.score[:, col[j]] for j, c in enumerate(codes)}
            t0 = time.perf_counter()
            clf = DecisionClassifier(random_state=seed).fit(
                X, seg_ids, labels, code_vectors=vectors, codes=codes, prevalence=share, prior_scores=prior)
            fit_s = time.perf_counter() - t0
            learned = np.zeros_like(semantic)
            half = np.zeros_like(semantic)
            combined = semantic.copy()
            proba = clf.predict_proba(X)
            for k, code in enumerate(clf.codes_):
                j = codes.index(code)
                half[:, j] = proba[:, k] >= 0.5
                if code in clf.rank_:
                    learned[:, j] = clf.rank_[code] >= clf.rank_threshold_[code]
                combined[:, j] = learned[:, j]
            ready = len(clf.codes_)
            sem_prev = np.zeros_like(semantic)
            for j in range(len(codes)):
                if share[codes[j]] > 0:
                    z = sem.score[:, col[j]]
                    sem_prev[:, j] = z >= np.quantile(z, 1 - share[codes[j]])
            preds.update({"classifier": learned, "combined": combined, "classifier p>=0.5": half,
                          "semantic at reviewed prevalence": sem_prev, "centroid": centroid(X, g, in_r)})
        for name, pred in preds.items():
            k_rest, f_rest = macro(gold, pred, rest)
            k_fix, f_fix = macro(gold, pred, fixed)
            rows.append({"corpus": corpus.name, "unit": unit, "reviewed": f"{int(step * 100)}%",
                         "decisions": n_decisions, "codes trained": f"{ready}/{len(codes)}",
                         "engine": name, "kappa (rest)": k_rest, "f1 (rest)": f_rest,
                         "kappa (fixed 70%)": k_fix, "f1 (fixed 70%)": f_fix,
                         "fit s": round(fit_s, 2) if reviewed and name == "classifier" else ""})
    return rows


def centroid(X: np.ndarray, g: np.ndarray, in_r: np.ndarray) -> np.ndarray:
    """Cosine to the mean positive; top share = the code's prevalence in the reviewed part."""
    out = np.zeros_like(g)
    for j in range(g.shape[1]):
        pos = X[in_r & g[:, j]]
        if len(pos) == 0:
            continue
        c = pos.mean(axis=0)
        s = X @ (c / np.linalg.norm(c))
        share = g[in_r, j].mean()
        out[:, j] = s >= np.quantile(s, 1 - share)
    return out


def retrain_time(seed: int) -> pd.DataFrame:
    """Fit + suggest + review order after 50 decisions on 10,000 segments (9 codes)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(10_000, 384)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    ids = list(range(10_000))
    codes = [f"c{i}" for i in range(9)]
    rows = []
    for label, n_codes in (("50 decisions on 1 code", 1), ("50 decisions on each of 9 codes", 9)):
        dec = []
        for code in codes[:n_codes]:
            picked = rng.choice(10_000, size=50, replace=False)
            dec += [(int(s), code, "accepted" if k < 20 else "rejected") for k, s in enumerate(picked)]
        labels = decision_labels(pd.DataFrame(dec, columns=["segment_id", "code", "status"]), codes=codes)
        t0 = time.perf_counter()
        clf = DecisionClassifier(random_state=seed).fit(X, ids, labels, codes=codes)
        t1 = time.perf_counter()
        clf.suggest()
        clf.review_order(limit=50)
        t2 = time.perf_counter()
        rows.append({"case": label, "labels": len(labels), "fit s": round(t1 - t0, 3),
                     "suggest + queue s": round(t2 - t1, 3), "total s": round(t2 - t0, 3)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--units", nargs="+", choices=UNITS, default=list(UNITS))
    parser.add_argument("--backend", choices=("minilm", "tfidf"), default="minilm")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    be, cache = backend(args.backend), DiskEmbeddingCache()
    print("# Learning from decisions: a simulated reviewer\n")
    print(f"backend {type(be).__name__}, seed {args.seed}; steps {', '.join(f'{s:.0%}' for s in STEPS)} "
          "of the documents reviewed\n")
    rows = []
    for name in args.corpora:
        corpus = load(name)
        for unit in args.units:
            rows += simulate(corpus, unit, be, cache, args.seed)
    table = pd.DataFrame(rows)
    print("## Learning curve\n")
    print(markdown(table, index=False) + "\n")
    print("## Retraining time (random unit vectors, 384 dims)\n")
    print(markdown(retrain_time(args.seed), index=False))


if __name__ == "__main__":
    main()
