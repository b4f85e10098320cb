"""Benchmark: agreement of the suggestion engines with people, across corpora.

Corpora (``benchmarks/corpora``): the sample study's gold file (and ``sample-defs``, the same
gold with its codebook's rules and examples left out, like the held-out study's codebook),
PDPilot (interviews), AnnoMI (counselling dialogues), SERDIF (think-aloud sessions) and OS
focus groups; see ``corpora/__init__.py`` for how to put the fetched ones in the cache. Every
corpus is scored at the ``turn`` and the ``sentence`` unit, and ``sentence->turn``: the
sentence suggestions read per turn (a turn carries a code when any of its sentences does),
what a study coded per turn sees of a project coded per sentence (the default unit). A
segment carries a person's code when the coding covers half of it or lies inside it.

Three parts, all printed as markdown tables, nothing asserted:

1. **Cross-corpus validation of the semantic engine.** A grid of its weights and prior
   (:data:`GRID`: coverage, competition, context, question, lexical, neighbours) is scored
   on every corpus and unit. A setting's merit is its macro kappa averaged over the three
   units, then over the corpora of a family (``sample`` and ``sample-defs`` are one), then
   over families; within :data:`TIE` of the best, the lowest coverage wins. Printed: each
   corpus's own best setting reported on the others ("tune on one, report on the others");
   **leave one corpus out**, each corpus scored with the setting chosen on all the others
   (the figures to quote: no number is reported on the data that chose it); and the
   defaults of :class:`~thematic.suggest.semantic.SemanticEngine`, the setting chosen on all
   corpora together. Then the previous defaults (no question, codebook words or neighbours)
   against the current ones.
2. **Per code**, for the default engines (rules; semantic; combined): kappa and F1 per code
   and macro/micro, at both units.
3. **Summary**: one row per corpus, unit and engine.

    python benchmarks/bench_agreement.py                 # all corpora in the cache
    python benchmarks/bench_agreement.py --corpora sample pdpilot --no-grid
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

from corpora import NAMES, UNITS, Corpus, DiskEmbeddingCache, load  # noqa: E402

from thematic.analysis import agreement_table  # noqa: E402
from thematic.suggest.calibration import Prior, prevalence_thresholds  # noqa: E402
from thematic.suggest.semantic import SemanticEngine  # noqa: E402

GRID = {
    "coverage": [0.3, 0.4, 0.5, 0.6, 0.7],
    "competition": [0.0, 0.5, 1.0],
    "context": [0.3, 0.5, 0.7],
    "question": [0.0, 0.25, 0.5, 0.75],
    "lexical": [0.0, 0.5, 1.0, 2.0],
    "neighbours": [0.0, 0.25, 0.5, 0.75],
}
# A tuning corpus's best setting is the one with the lowest coverage among those within
# TIE of its best mean kappa: when the data cannot tell, suggest less (a reviewer's time).
TIE = 0.01
KEYS = list(GRID)
FIXED = {"separation": 0.0, "min_z": 0.5}  # validated in the previous round: no gain from either
# Units scored: the engine on turns, on sentences, and its sentence suggestions read per turn
# (a turn carries a code when any of its sentences does: what a study coded per turn sees of a
# project coded per sentence, the product's default unit).
SCORED_UNITS = ("turn", "sentence", "sentence->turn")
FAMILY = {"sample-defs": "sample"}  # a variant of a corpus is never "another corpus"


def fmt(value: object) -> str:
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def markdown(frame: pd.DataFrame, index: bool = True) -> str:
    frame = frame.reset_index() if index else frame
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] * len(cols)) + "|"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v) for v in row) + " |")
    return "\n".join(lines)


def backend(kind: str):  # noqa: ANN201
    from thematic.suggest.embeddings import SentenceTransformerBackend, TfidfSvdBackend

    return TfidfSvdBackend() if kind == "tfidf" else SentenceTransformerBackend()


def labels_from_pairs(index: pd.Index, codes: list[str], pairs: list[tuple[int, str]]) -> pd.DataFrame:
    """A 0/1 frame (segment x code) from (segment_id, code) pairs."""
    pred = pd.DataFrame(0, index=index, columns=codes)
    col = {c: j for j, c in enumerate(codes)}
    row = {s: i for i, s in enumerate(index)}
    values = pred.to_numpy()
    for seg, code in pairs:
        if code in col and seg in row:
            values[row[seg], col[code]] = 1
    return pd.DataFrame(values, index=index, columns=codes)


def score_matrix(predicted: np.ndarray, gold: pd.DataFrame, codes_all: list[str]) -> pd.DataFrame:
    """Agreement table of a boolean (segment x codebook code) matrix, on the gold codes."""
    pred = pd.DataFrame(predicted.astype(int), index=gold.index, columns=codes_all)[list(gold.columns)]
    return agreement_table(gold, pred)


def fast_kappa(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Macro Cohen's kappa and F1 over columns of two 0/1 matrices (checked against
    ``thematic.analysis.agreement_table`` in ``check_fast_kappa``)."""
    pred, gold = pred.astype(bool), gold.astype(bool)
    n = len(gold)
    tp = (pred & gold).sum(0)
    fp = (pred & ~gold).sum(0)
    fn = (~pred & gold).sum(0)
    tn = n - tp - fp - fn
    po = (tp + tn) / n
    pe = ((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp)) / n**2
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.where(pe < 1, (po - pe) / (1 - pe), 0.0)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return float(np.mean(kappa)), float(np.mean(f1))


def sentence_to_turn(corpus: Corpus) -> np.ndarray:
    """Row of each sentence's turn in the turn universe (-1: none)."""
    turns = corpus.segments["turn"].reset_index(drop=True)
    row = {(r.document_id, r.turn): i for i, r in enumerate(turns.itertuples())}
    return np.array([row.get((r.document_id, r.turn), -1)
                     for r in corpus.segments["sentence"].itertuples()])


def per_turn(passed: np.ndarray, s2t: np.ndarray, n_turns: int) -> np.ndarray:
    """A sentence-level 0/1 matrix read per turn (any sentence)."""
    out = np.zeros((n_turns, passed.shape[1]), dtype=bool)
    keep = s2t >= 0
    np.logical_or.at(out, s2t[keep], passed[keep])
    return out


def grid_scores(corpora: dict[str, Corpus], be: object, cache: DiskEmbeddingCache) -> pd.DataFrame:
    """Macro kappa and F1 of every grid setting on every corpus and scored unit."""
    from thematic.suggest.semantic import blend_scores

    rows = []
    for name, corpus in corpora.items():
        is_group = np.array([bool(corpus.codebook.children(c.id)) for c in corpus.codebook.codes])
        codes_all = [c.id for c in corpus.codebook.codes]
        cols = [codes_all.index(c) for c in corpus.codes]
        parts = {u: SemanticEngine(be, cache=cache).components(corpus.segment_list(u), corpus.codebook)
                 for u in UNITS}
        gold = {u: corpus.labels(u).to_numpy() for u in UNITS}
        s2t, n_turns = sentence_to_turn(corpus), len(corpus.segments["turn"])
        weights = ["competition", "context", "question", "lexical", "neighbours"]
        for combo in itertools.product(*(GRID[k] for k in weights)):
            w = dict(zip(weights, combo, strict=True))
            blended = {u: blend_scores(parts[u], **w) for u in UNITS}
            for coverage in GRID["coverage"]:
                prior = Prior(coverage=coverage, strength=FIXED["separation"], min_z=FIXED["min_z"])
                passed = {}
                for u in UNITS:
                    _, _, _, threshold = prevalence_thresholds(blended[u], is_group, prior)
                    passed[u] = (blended[u] >= threshold[None, :]) & ~parts[u].raw.vetoed
                passed["sentence->turn"] = per_turn(passed["sentence"], s2t, n_turns)
                for unit in SCORED_UNITS:
                    truth = gold["turn" if unit == "sentence->turn" else unit]
                    kappa, f1 = fast_kappa(passed[unit][:, cols], truth)
                    rows.append({"corpus": name, "unit": unit, "coverage": coverage, **w,
                                 "kappa": kappa, "f1": f1})
    return pd.DataFrame(rows)


def check_fast_kappa(corpus: Corpus, be: object, cache: DiskEmbeddingCache) -> float:
    """Largest difference between :func:`fast_kappa` and ``agreement_table`` on one scoring."""
    engine = SemanticEngine(be, cache=cache)
    sc = engine.score(corpus.segment_list("turn"), corpus.codebook)
    codes_all = [c.id for c in corpus.codebook.codes]
    passed = (sc.score >= sc.threshold[None, :]) & ~sc.vetoed
    gold = corpus.labels("turn")
    table = score_matrix(passed, gold, codes_all)
    fast, _ = fast_kappa(passed[:, [codes_all.index(c) for c in corpus.codes]], gold.to_numpy())
    return abs(fast - float(table.loc["macro", "cohen_kappa"]))


def cross_corpus(grid: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """Best setting per tuning corpus, reported on every corpus (tuned-on rows marked)."""
    rows, best = [], {}
    for tune in sorted(grid["corpus"].unique()):
        setting = best_setting(grid[grid["corpus"] == tune])
        best[tune] = setting
        for (corpus, unit), sub in grid.groupby(["corpus", "unit"]):
            hit = at_setting(sub, setting)
            rows.append({"tuned on": tune, **setting, "reported on": corpus, "unit": unit,
                         "same corpus": ("yes (not a result)"
                                         if FAMILY.get(corpus, corpus) == FAMILY.get(tune, tune) else "no"),
                         "kappa": float(hit["kappa"].iloc[0]), "f1": float(hit["f1"].iloc[0])})
    return pd.DataFrame(rows), best


PREVIOUS = {"coverage": 0.5, "competition": 0.5, "context": 0.7, "question": 0.0,
            "lexical": 0.0, "neighbours": 0.0}


def before_after(grid: pd.DataFrame, engine: SemanticEngine) -> pd.DataFrame:
    """Macro kappa per corpus and unit of the previous and the current defaults."""
    current = {k: float(getattr(engine, k)) for k in KEYS}
    cols = {}
    for label, setting in (("previous", PREVIOUS), ("current", current)):
        cols[label] = at_setting(grid, setting).set_index(["corpus", "unit"])["kappa"]
    return pd.DataFrame(cols).assign(gain=lambda f: f["current"] - f["previous"])


def at_setting(grid: pd.DataFrame, setting: dict[str, float]) -> pd.DataFrame:
    """The rows of ``grid`` scored with ``setting``."""
    mask = np.ones(len(grid), dtype=bool)
    for k, v in setting.items():
        mask &= np.isclose(grid[k].to_numpy(), v)
    return grid[mask]


def best_setting(grid: pd.DataFrame) -> dict[str, float]:
    """The best setting of ``grid``: mean kappa over units, then corpora, then families;
    within :data:`TIE` of the best, the lowest coverage."""
    per_corpus = grid.groupby(["corpus", *KEYS], as_index=False)["kappa"].mean()
    per_corpus["family"] = per_corpus["corpus"].map(lambda c: FAMILY.get(c, c))
    per_family = per_corpus.groupby(["family", *KEYS], as_index=False)["kappa"].mean()
    mean = per_family.groupby(KEYS, as_index=False)["kappa"].mean()
    near = mean[mean["kappa"] >= mean["kappa"].max() - TIE]
    on = near.sort_values(["coverage", "kappa"], ascending=[True, False], kind="stable").iloc[0]
    return {k: float(on[k]) for k in KEYS}


def leave_one_corpus_out(grid: pd.DataFrame) -> pd.DataFrame:
    """Each corpus family scored with the setting chosen on all the *other* families."""
    family = grid["corpus"].map(lambda c: FAMILY.get(c, c))
    rows = []
    for held in sorted(family.unique()):
        setting = best_setting(grid[family != held])
        for r in at_setting(grid[family == held], setting).itertuples():
            rows.append({"held out": r.corpus, **setting, "unit": r.unit,
                         "kappa": r.kappa, "f1": r.f1})
    return pd.DataFrame(rows)


def engine_tables(corpus: Corpus, unit: str, be: object, cache: DiskEmbeddingCache) -> dict[str, pd.DataFrame]:
    """Agreement tables of rules, semantic and combined (default parameters) on one unit."""
    from thematic.suggest import CombinedEngine, RuleEngine

    segments = corpus.segment_list(unit)
    gold = corpus.labels(unit)
    engines = {
        "rules": RuleEngine(),
        "semantic": SemanticEngine(be, cache=cache),
        "combined": CombinedEngine([RuleEngine(), SemanticEngine(be, cache=cache)]),
    }
    out = {}
    for name, engine in engines.items():
        t0 = time.perf_counter()
        suggestions = engine.suggest(segments, corpus.codebook)
        pairs = [(s.segment_id, s.code_id) for s in suggestions if s.segment_id is not None]
        out[name] = agreement_table(gold, labels_from_pairs(gold.index, corpus.codes, pairs))
        out[name].attrs["seconds"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = (*NAMES, "sample-defs")
    parser.add_argument("--corpora", nargs="+", choices=names, default=list(names))
    parser.add_argument("--backend", choices=("minilm", "tfidf"), default="minilm")
    parser.add_argument("--no-grid", action="store_true", help="skip the cross-corpus grid")
    parser.add_argument("--grid-csv", help="also write every grid scoring to this CSV file")
    args = parser.parse_args()
    be, cache = backend(args.backend), DiskEmbeddingCache()
    corpora = {name: load(name) for name in args.corpora}

    print("# Suggestion engines against people, across corpora\n")
    for c in corpora.values():
        sizes = ", ".join(f"{len(c.segments[u])} {u}s" for u in UNITS)
        print(f"- **{c.name}**: {c.about}; {sizes}; {len(c.codes)} codes")
    defaults = SemanticEngine()
    weights = {k: getattr(defaults, k) for k in KEYS if k != "coverage"}
    print(f"\nbackend: {type(be).__name__}; defaults: {defaults.prior()}, {weights}\n")
    gap = check_fast_kappa(next(iter(corpora.values())), be, cache)
    print(f"(the grid's fast kappa differs from agreement_table by {gap:.2e})\n")

    if not args.no_grid:
        t0 = time.perf_counter()
        grid = grid_scores(corpora, be, cache)
        if args.grid_csv:
            grid.to_csv(args.grid_csv, index=False)
        table, best = cross_corpus(grid)
        print(f"## 1. Cross-corpus validation ({len(grid)} scorings, {time.perf_counter() - t0:.0f} s)\n")
        print("Macro kappa and F1 over the corpus's codes; each tuning corpus's best setting "
              f"(mean kappa over the units {', '.join(SCORED_UNITS)}; among settings within {TIE} "
              "of the best, the lowest coverage) reported on every corpus.\n")
        print(markdown(table, index=False) + "\n")
        others = table[table["same corpus"] == "no"]
        held = others.groupby("tuned on")[["kappa", "f1"]].mean()
        print("Mean over the corpora each setting was **not** tuned on:\n")
        print(markdown(held) + "\n")
        loco = leave_one_corpus_out(grid)
        print("### Leave one corpus out\n")
        print("Each corpus scored with the setting chosen on all the others (how well the "
              "choosing generalises; these are the figures to quote):\n")
        print(markdown(loco, index=False) + "\n")
        print(markdown(loco.pivot_table(index="unit", values=["kappa", "f1"], aggfunc="mean"))
              + "\n")
        print(f"Defaults: the setting chosen on all corpora together: {best_setting(grid)}\n")
        print("Previous defaults (no question, codebook words or neighbours) and current "
              "defaults, macro kappa:\n")
        print(markdown(before_after(grid, defaults)) + "\n")

    summary = []
    print("## 2. Per code (default engines)\n")
    for c in corpora.values():
        for unit in UNITS:
            tables = engine_tables(c, unit, be, cache)
            per_code = pd.DataFrame({"support": tables["semantic"]["support"]})
            for name, t in tables.items():
                per_code[f"kappa {name}"] = t["cohen_kappa"]
                per_code[f"f1 {name}"] = t["f1"]
                summary.append({"corpus": c.name, "unit": unit, "engine": name,
                                "predicted": int(t.loc["micro", "predicted"]),
                                "macro kappa": float(t.loc["macro", "cohen_kappa"]),
                                "macro f1": float(t.loc["macro", "f1"]),
                                "micro kappa": float(t.loc["micro", "cohen_kappa"]),
                                "seconds": round(t.attrs["seconds"], 1)})
            per_code["support"] = per_code["support"].astype(int)
            print(f"### {c.name}, {unit}\n")
            print(markdown(per_code) + "\n")
    print("## 3. Summary\n")
    print(markdown(pd.DataFrame(summary), index=False))


if __name__ == "__main__":
    main()
