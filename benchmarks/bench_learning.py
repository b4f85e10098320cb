"""Benchmark: learning from a reviewer's decisions, against people, beside the codebook alone.

For each corpus (every module of ``benchmarks/corpora``) and unit, a simulated reviewer works
through the documents in a seeded random order (a survey's respondents: its documents are its
questions, and a researcher reads a survey respondent by respondent). After 10%, 20% and 30%
of them it has decided every codebook suggestion in them from the people's codes (accepting the right
ones, rejecting the wrong ones) and coded by hand what the suggestions missed. Then:

- ``codebook``: the codebook alone (the semantic engine's evidence models, fitted on the
  *other* corpora: ``bench_agreement.fit_evidence``);
- ``learned``: :class:`~thematic.suggest.classifier.DecisionClassifier` on those decisions
  (the codebook's log-odds as offset, its description and examples as extra positives),
  each code switching to its learned model only when its own cross-validated kappa beats
  the codebook's (and, with ``switch_confidence``, in that share of bootstrap resamples drawn
  document by document); the codebook elsewhere (what ``thematic code`` runs after decisions).

Both are scored (macro Cohen's kappa) on the documents *not yet reviewed*, the same
documents for both, at the unit and, for sentences, per turn (``sentence->turn``). The
classifier's defaults (threshold, C) are chosen leave one corpus out: each corpus is scored
with the setting that gained most over the codebook on the others. Averaged over seeds (the
reviewer's order of documents and the folds). Last, the instant retraining time on a
10,000-segment project.

    python benchmarks/bench_learning.py
    python benchmarks/bench_learning.py --corpora pdpilot serdif --seeds 0 1
    # one process per seed, then one report from their rows:
    python benchmarks/bench_learning.py --seeds 2 --no-timing --rows seed2.csv
    python benchmarks/bench_learning.py --from-rows seed*.csv
    python benchmarks/bench_learning.py --timing-only
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_agreement  # noqa: E402
from bench_agreement import (  # noqa: E402
    Prepared,
    decide,
    fast_kappa,
    fit_evidence,
    markdown,
    per_turn,
    prepare_all,
)
from corpora import DiskEmbeddingCache, registry  # noqa: E402

from thematic.suggest.classifier import DecisionClassifier, decision_labels  # noqa: E402
from thematic.suggest.code_texts import code_texts  # noqa: E402
from thematic.suggest.cross_validation import cross_validation_groups  # noqa: E402
from thematic.suggest.embeddings import embed_cached  # noqa: E402
from thematic.suggest.learning_features import LEARN_ON as LEARN_ON_CHOICES  # noqa: E402
from thematic.suggest.learning_features import as_code_text, learning_vectors  # noqa: E402
from thematic.suggest.semantic import SemanticEngine  # noqa: E402
from thematic.suggest.turn_vectors import TURN_VECTORS  # noqa: E402

STEPS = (0.1, 0.2, 0.3)
# What needs a refit. scale_penalty 0 stands for None (the codebook's log-odds enter as they are).
# Held at what every held-out family chose in the last full runs (learning.md): scale_penalty 10
# (0 and 1 tried), codebook_weight 0.25 (1.0 tried: how much each of a code's description and
# examples counts as one of its decisions). C: 3 was never chosen, 10 always; 30, tried beyond it,
# was chosen by no family either.
FIT_GRID = {"C": (10.0,), "scale_penalty": (10.0,), "codebook_weight": (0.25,)}
# min_documents 1 is not tried: with one document the folds are drawn by segment, and segments of
# one interview resemble each other, so the estimate is optimistic (the previous runs tried 1:
# pdpilot's fold chose it and lost 0.05 at 10%). Held at what every held-out family chose in
# earlier full runs (learning.md): threshold 0.1 (0.3 and 0.4 tried), count "kappa", no per-code
# thresholds. The guards on switching (min_documents, switch_margin, switch_confidence) were
# chosen again over 10-70% reviewed (--steps 0.1 0.2 0.3 0.5 0.7): 2, 0 and 0 for every family.
# min_positives (a code's positive decisions before it may switch; the fits use the grid's
# smallest, so that every larger one can be chosen without a refit): 3, 5 and 8 tried over
# 10-70%; 3 chosen by six families of seven (5 by flakiness's fold) and on every family.
CHOICE_GRID = {"threshold": (0.1,), "count": ("kappa",), "min_documents": (2,), "switch_margin": (0.0,),
               "switch_confidence": (0.0,), "min_positives": (3,), "codebook_prior": (2.0, 3.0, 5.0),
               "per_code_threshold": (False,)}
LOSS_AVERSION = 3.0  # a setting's merit: mean gain + this x mean loss (learning must not hurt)
# How much an uncoded segment of a reviewed document, and a segment coded with other codes only,
# count as a code's negatives (decision_labels; the product's thematic.services.learning)
# (0.3 and 1.0 tried for each; every held-out family chose 0.3 and 0.3: learning.md)
LABEL_GRID = {"other_code_weight": (0.3,), "uncoded_weight": (0.3,)}
GRID = {**LABEL_GRID, **FIT_GRID, **CHOICE_GRID}
LEARN_ON = "segment_turn_and_question"  # what the learned model reads of a segment (--learn-on; the product's default)


def corpus_vectors(corpus, p: Prepared, be: object, cache: DiskEmbeddingCache) -> dict:
    """Embeddings of the segments of both units (as the codebook's scoring reads them,
    ``--turn-vectors``) and the codes' texts."""
    engine = SemanticEngine(be, cache=cache, turn_vectors=bench_agreement.TURN_VECTORS)
    out = {}
    for unit in ("turn", "sentence"):
        out[unit] = learning_vectors(engine, corpus.segment_list(unit), corpus.codebook, LEARN_ON)
    by_id = corpus.codebook.by_id()
    texts = {c: code_texts(by_id[c]) for c in p.codes}
    out["positives"] = {c: as_code_text(embed_cached(be, [t.description, *t.positives], cache), LEARN_ON)
                        for c, t in texts.items()}
    out["near"] = {c: as_code_text(embed_cached(be, t.near_misses, cache), LEARN_ON) if t.near_misses
                   else np.zeros((0, out["turn"].shape[1])) for c, t in texts.items()}
    return out


def review(gold: np.ndarray, said: np.ndarray, rows: np.ndarray, seg_ids: np.ndarray,
           codes: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The reviewer's decisions on ``rows``: accept/reject every suggestion, code the misses."""
    decided = []
    for i in rows:
        for j, code in enumerate(codes):
            if said[i, j]:
                decided.append((seg_ids[i], code, "accepted" if gold[i, j] else "rejected"))
            elif gold[i, j]:
                decided.append((seg_ids[i], code, "coded"))
    uncoded = seg_ids[rows][~gold[rows].any(axis=1)]
    return pd.DataFrame(decided, columns=["segment_id", "code", "status"]), uncoded


def simulate(corpus, p: Prepared, evidence, vectors: dict, seed: int) -> list[dict]:
    """Kappa on the unreviewed documents, codebook and learned, per step and setting."""
    decided_units = decide(p, evidence)
    rows_out = []
    for unit in ("turn", "sentence"):
        prob, said = decided_units[unit]
        gold = p.gold[unit]
        frame = corpus.segments[unit]
        seg_ids = frame["segment_id"].to_numpy()
        groups = cross_validation_groups(frame["document"].tolist(), frame["speaker"].tolist())
        unit_of, turn_unit = reviewed_unit(frame, p.kind), reviewed_unit(corpus.segments["turn"], p.kind)
        order = np.random.default_rng(seed).permutation(np.array(sorted(set(unit_of))))
        for step in STEPS:
            reviewed = set(order[: max(1, int(math.ceil(step * len(order))))])
            if len(reviewed) == len(order):  # nothing left to score (a corpus of few documents)
                continue
            in_r = np.isin(unit_of, list(reviewed))
            decisions, uncoded = review(gold, said, np.nonzero(in_r)[0], seg_ids, p.codes)
            for label_setting in settings_of({k: GRID[k] for k in LABEL_GRID}):
                labels = decision_labels(decisions, codes=p.codes, uncoded_segments=uncoded, **label_setting)
                for fit_setting in settings_of({k: GRID[k] for k in FIT_GRID}):
                    head = {"corpus": p.name, "family": p.family, "seed": seed,
                            "reviewed": f"{int(round(step * 100))}%", "documents": len(reviewed),  # or respondents
                            "decisions": len(decisions), **label_setting, **fit_setting}
                    fit_inputs = (vectors[unit], seg_ids, labels, groups)
                    rows_out += fitted_scores(head, p, unit, fit_inputs, vectors, (prob, said),
                                              (in_r, np.isin(turn_unit, list(reviewed))))
    return rows_out


def fitted_scores(head: dict, p: Prepared, unit: str, fit_inputs: tuple, vectors: dict,
                  codebook: tuple[np.ndarray, np.ndarray], reviewed: tuple[np.ndarray, np.ndarray]) -> list[dict]:
    """One fit (``head``'s fit setting) on ``fit_inputs`` (segment vectors, their ids, the
    labels, the cross-validation groups), then the scores of every choice setting (no refit:
    the same cross-validation)."""
    X, seg_ids, labels, groups = fit_inputs
    prob, said = codebook
    t0 = time.perf_counter()
    clf = DecisionClassifier(random_state=head["seed"], **classifier_setting({k: head[k] for k in FIT_GRID})).fit(
        X, seg_ids, labels, codebook_probability=prob, codes=p.codes, documents=groups,
        code_vectors=vectors["positives"], near_miss_vectors=vectors["near"], codebook_passed=said)
    seconds = time.perf_counter() - t0
    out = []
    for choice in settings_of({k: GRID[k] for k in CHOICE_GRID}):
        clf.set_params(**choice).choose()
        row = {**head, **choice, "learned codes": f"{len(clf.learned_)}/{len(p.codes)}", "fit s": round(seconds, 2)}
        out += [{**row, **r} for r in scores(clf, p, unit, said, *reviewed)]
    return out


def classifier_setting(setting: dict) -> dict:
    """A grid setting as :class:`DecisionClassifier` takes it (``scale_penalty`` 0: ``None``)."""
    return {**setting, "scale_penalty": setting.get("scale_penalty") or None}


def reviewed_unit(frame: pd.DataFrame, kind: str) -> np.ndarray:
    """What the simulated reviewer works through, per segment: its document, or for a survey
    (one document per question) its respondent."""
    column = "speaker" if kind == "survey" else "document"
    return frame[column].astype(str).to_numpy()


def settings_of(grid: dict) -> list[dict]:
    """Every combination of a grid's values."""
    return [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]


def scores(clf: DecisionClassifier, p: Prepared, unit: str, said: np.ndarray, reviewed: np.ndarray,
           reviewed_turns: np.ndarray) -> list[dict]:
    """Kappa of the codebook and of the learned models on the rows not reviewed."""
    learned = np.array([c in clf.learned_ for c in p.codes])
    ours = np.where(learned[None, :], clf.passes(), said)
    scored = [(unit, p.gold[unit], np.nonzero(~reviewed)[0], said, ours)]
    if unit == "sentence":
        scored.append(("sentence->turn", p.gold["turn"], np.nonzero(~reviewed_turns)[0],
                       per_turn(said, p.s2t, p.n_turns), per_turn(ours, p.s2t, p.n_turns)))
    return [{"unit": label, "codebook": fast_kappa(base[rest], truth[rest])[0],
             "learned": fast_kappa(pred[rest], truth[rest])[0]}
            for label, truth, rest, base, pred in scored]


def choose(table: pd.DataFrame) -> pd.DataFrame:
    """Each family scored with the setting that did best on the others: mean over units, steps
    and seeds (then over families) of the gain over the codebook, losses counted
    :data:`LOSS_AVERSION` times more."""
    keys = list(GRID)
    table = table.assign(gain=table["learned"] - table["codebook"])
    table = table.assign(merit=table["gain"] + LOSS_AVERSION * table["gain"].clip(upper=0.0))
    out = []
    for held in sorted(table["family"].unique()):
        others = table[table["family"] != held]
        if others.empty:
            others = table  # one family only: nothing else to choose on (said in the output)
        merit = (others.groupby(["family", *keys])["merit"].mean().groupby(keys).mean())
        best = dict(zip(keys, merit.idxmax(), strict=True))
        mask = np.ones(len(table), dtype=bool)
        for k, v in best.items():
            col = table[k].to_numpy()
            mask &= np.isclose(col.astype(float), v) if isinstance(v, (int, float)) else col == v
        out.append(table[mask & (table["family"] == held).to_numpy()])
    return pd.concat(out)


def shipped_setting() -> dict:
    """The classifier's setting as :class:`~thematic.suggest.classifier_engine.ClassifierEngine` ships it."""
    from thematic.services.learning import OTHER_CODE_WEIGHT, UNCODED_WEIGHT
    from thematic.suggest.classifier_engine import ClassifierEngine

    engine = ClassifierEngine().get_params()
    return {**{k: engine[k] for k in GRID if k in engine}, "scale_penalty": engine["scale_penalty"] or 0.0,
            "other_code_weight": OTHER_CODE_WEIGHT, "uncoded_weight": UNCODED_WEIGHT}


def retrain_width() -> int:
    """The width of what the learned model reads (:data:`LEARN_ON`) of MiniLM's 384 dimensions."""
    return as_code_text(np.zeros((1, 384)), LEARN_ON).shape[1]


# The instant retrain's cases: per code, how many decisions it has (a third of them accepted)
RETRAIN_CASES = {
    "50 decisions on 1 code": [50],
    "50 decisions on each of 9 codes": [50] * 9,
    "500 decisions on 30 codes": [17] * 30,
    "200 codes, 5 decisions on each": [5] * 200,
    "200 codes, 25 decisions on each of 30, 1-2 on the others": [25] * 30 + [1, 2] * 85,
    "200 codes, 10 decisions on each": [10] * 200,
}


def retrain_time(seed: int) -> pd.DataFrame:
    """Fit (with its cross-validation) + suggest + review order on 10,000 segments, with the
    product's setting (:class:`~thematic.suggest.classifier_engine.ClassifierEngine`), for each
    of :data:`RETRAIN_CASES`."""
    shipped = shipped_setting()
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(10_000, retrain_width())).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    ids = list(range(10_000))
    docs = [i // 500 for i in ids]
    setting = classifier_setting({k: v for k, v in shipped.items() if k not in LABEL_GRID})
    rows = []
    for label, per_code in RETRAIN_CASES.items():
        codes = [f"c{i}" for i in range(len(per_code))]
        dec = []
        for code, n in zip(codes, per_code, strict=True):
            picked = rng.choice(10_000, size=n, replace=False)
            dec += [(int(s), code, "accepted" if k < n // 3 else "rejected") for k, s in enumerate(picked)]
        labels = decision_labels(pd.DataFrame(dec, columns=["segment_id", "code", "status"]), codes=codes,
                                 **{k: shipped[k] for k in LABEL_GRID})
        p0 = np.full((10_000, len(codes)), 0.05)
        t0 = time.perf_counter()
        clf = DecisionClassifier(random_state=seed, **setting).fit(X, ids, labels, codebook_probability=p0,
                                                                   codes=codes, documents=docs)
        t1 = time.perf_counter()
        clf.suggest()
        clf.review_order(limit=50)
        t2 = time.perf_counter()
        rows.append({"case": label, "labels": len(labels), "codes that can switch": int(clf.counts_["ready"].sum()),
                     "fit s (with cross-validation)": round(t1 - t0, 3),
                     "suggest + queue s": round(t2 - t1, 3), "total s": round(t2 - t0, 3)})
    return pd.DataFrame(rows)


def main() -> None:
    global LEARN_ON, STEPS
    info = registry()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", choices=sorted(info), default=sorted(info))
    parser.add_argument("--backend", choices=("auto", "minilm", "tfidf"), default="auto")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3])
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--rows", type=Path, help="also write every simulated row to this CSV file")
    parser.add_argument("--from-rows", type=Path, nargs="+",
                        help="report from the CSV rows of earlier runs (e.g. one per seed) instead of simulating")
    parser.add_argument("--timing-only", action="store_true", help="only time the instant retraining")
    parser.add_argument("--turn-vectors", choices=TURN_VECTORS, default="embedded",
                        help="how turns and their sentences are read (SemanticEngine.turn_vectors), for the "
                             "codebook's scoring and the learned model alike")
    parser.add_argument("--learn-on", choices=LEARN_ON_CHOICES, default=LEARN_ON,
                        help="what the learned model reads of a segment: its own vector, or also its turn's "
                             "and the question it answers (ClassifierEngine.learn_on)")
    parser.add_argument("--shipped-setting", action="store_true",
                        help="only the classifier's shipped setting (no grid)")
    parser.add_argument("--steps", nargs="+", type=float, default=list(STEPS),
                        help="the shares of the documents reviewed (e.g. 0.5 0.7 0.9 for how far learning goes)")
    args = parser.parse_args()
    STEPS = tuple(args.steps)
    bench_agreement.TURN_VECTORS = args.turn_vectors
    LEARN_ON = args.learn_on
    if args.shipped_setting:
        GRID.update({k: (v,) for k, v in shipped_setting().items()})
    if args.timing_only:
        print(f"## Instant retraining (random unit vectors, {retrain_width()} dims: MiniLM's 384 as "
              f"--learn-on {LEARN_ON} reads them; 20 documents)\n")
        print(markdown(retrain_time(args.seeds[0]), index=False))
        return
    if args.from_rows:
        report(pd.concat([pd.read_csv(f) for f in args.from_rows], ignore_index=True), args)
        return
    cache = DiskEmbeddingCache()
    every = sorted(info)  # the evidence models are fitted on every other corpus in the cache
    loaded = {name: info[name].loader() for name in every}
    prepared_list, backends = prepare_all(loaded, info, args.backend, cache)
    prepared = {p.name: p for p in prepared_list}
    print("# Learning from decisions: a simulated reviewer\n")
    print(f"backends {args.backend}; seeds {args.seeds}; steps "
          f"{', '.join(f'{s:.0%}' for s in STEPS)} of the documents reviewed; classifier settings: "
          f"every combination of {GRID} ({len(settings_of(GRID))})\n")
    rows, fitted = [], {}
    for name in args.corpora:
        p = prepared[name]
        if p.family not in fitted:  # a corpus's models depend on its family only
            fitted[p.family] = fit_evidence([q for q in prepared.values() if q.family != p.family])
        evidence = fitted[p.family]
        print(f"- {name}: codebook models fitted on the other families, count {evidence.count!r}, "
              f"turn threshold {evidence.turn.threshold}, sentence floor {evidence.sentence_floor}", flush=True)
        vectors = corpus_vectors(loaded[name], p, backends[name], cache)
        for seed in args.seeds:
            rows += simulate(loaded[name], p, evidence, vectors, seed)
    table = pd.DataFrame(rows)
    if args.rows:
        table.to_csv(args.rows, index=False)
    report(table, args)


def report(table: pd.DataFrame, args: argparse.Namespace) -> None:
    """The learning curves of the settings chosen leave one corpus out, the summary, the
    defaults, every setting and (unless ``--no-timing``) the retraining time."""
    chosen = choose(table)
    curve = (chosen.groupby(["corpus", "unit", "reviewed", *GRID], sort=False)[["codebook", "learned"]]
             .mean().reset_index())
    curve["gain"] = curve["learned"] - curve["codebook"]
    print("## Learning curves (leave one corpus out)\n")
    print("Kappa on the documents not yet reviewed: `codebook` the codebook alone, `learned` after "
          "the decisions (the classifier's setting chosen on the other corpora), on the same "
          "documents.\n")
    print(markdown(curve, index=False) + "\n")
    wide = curve.pivot_table(index=["corpus", "unit"], columns="reviewed", values=["codebook", "learned"],
                             sort=False)
    wide.columns = [f"{b} {a}" for a, b in wide.columns]
    print("## Summary\n")
    print(markdown(wide[sorted(wide.columns)]) + "\n")
    at = {s: curve[curve["reviewed"] == s] for s in curve["reviewed"].unique()}
    for s, sub in at.items():
        worse = sub[sub["gain"] < 0]
        print(f"- {s}: mean gain {sub['gain'].mean():+.3f}; below the codebook on "
              f"{len(worse)} of {len(sub)} corpus-units"
              + (f" ({', '.join(f'{r.corpus} {r.unit} {r.gain:+.3f}' for r in worse.itertuples())})" if len(worse) else ""))
    merit = (table.assign(gain=table["learned"] - table["codebook"])
             .assign(merit=lambda f: f["gain"] + LOSS_AVERSION * f["gain"].clip(upper=0.0))
             .groupby(["family", *GRID])["merit"].mean().groupby(list(GRID)).mean())
    chosen_everywhere = {k: getattr(v, "item", lambda v=v: v)() for k, v in zip(GRID, merit.idxmax(), strict=True)}
    print(f"\nDefaults: the setting chosen on every corpus: {chosen_everywhere}")
    print("\n## Every setting (for the record)\n")
    grid = table.groupby(["corpus", "unit", "reviewed", *GRID], sort=False)[["codebook", "learned", "fit s"]].mean()
    print(markdown(grid.reset_index(), index=False) + "\n")
    if not args.no_timing:
        print(f"## Instant retraining (random unit vectors, {retrain_width()} dims: MiniLM's 384 as "
              f"--learn-on {LEARN_ON} reads them; 20 documents)\n")
        print(markdown(retrain_time(args.seeds[0]), index=False))


if __name__ == "__main__":
    main()
