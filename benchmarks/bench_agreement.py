"""Benchmark: agreement of the suggestion engines with people, across corpora.

Corpora (``benchmarks/corpora``): the sample study's gold file, the PDPilot interview study
(BSD-3, fetched) and AnnoMI (fetched, not vendored); see ``corpora/__init__.py`` for how to put
the fetched ones in the cache. Every corpus is scored at the ``turn`` and the ``sentence``
unit: engines run on the unit's segments of the evaluation universe, and each segment is
compared with the people's codes (a segment carries a code when a person's coding covers half
of it or lies inside it).

Three parts, all printed as markdown tables, nothing asserted:

1. **Cross-corpus validation of the semantic calibration.** A small grid of the calibration's
   parameters (``coverage``, ``separation``, ``min_z``, ``context``) is scored on every corpus.
   For each tuning corpus the best setting (mean macro kappa over both units) is reported on
   the *other* corpora. The defaults of :class:`~thematic.suggest.semantic.SemanticEngine` are
   the setting tuned on ``--tune-on`` (default ``pdpilot``, the corpus that looks most like the
   held-out study: real interviews, themes with a description only); they are never reported
   on the corpus they were chosen on.
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

from corpora import NAMES, UNITS, Corpus, DiskEmbeddingCache, load, to_segments  # noqa: E402

from thematic.analysis import agreement_table  # noqa: E402
from thematic.suggest.calibration import Prior, prevalence_thresholds  # noqa: E402
from thematic.suggest.semantic import SemanticEngine  # noqa: E402

GRID = {
    "coverage": [0.3, 0.4, 0.5, 0.6, 0.8],
    "separation": [0.0, 0.5, 1.0],
    "min_z": [0.5, 1.0],
    "competition": [0.0, 0.5, 1.0],
    "context": [0.0, 0.3, 0.5, 0.7],
}
KEYS = ["coverage", "separation", "min_z", "competition", "context"]


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


def grid_scores(corpora: dict[str, Corpus], be: object, cache: DiskEmbeddingCache) -> pd.DataFrame:
    """Macro kappa and F1 of every grid setting on every corpus and unit."""
    rows = []
    for name, corpus in corpora.items():
        is_group = np.array([bool(corpus.codebook.children(c.id)) for c in corpus.codebook.codes])
        codes_all = [c.id for c in corpus.codebook.codes]
        for unit in UNITS:
            segments = to_segments(corpus.segments[unit], unit)
            gold = corpus.labels(unit)
            for context in GRID["context"]:
                engine = SemanticEngine(be, cache=cache, context=context, competition=0.0)
                sc = engine.score(segments, corpus.codebook)
                row_mean = sc.score.mean(axis=1, keepdims=True)
                for coverage, separation, min_z, competition in itertools.product(
                    GRID["coverage"], GRID["separation"], GRID["min_z"], GRID["competition"]
                ):
                    score = sc.score - competition * row_mean
                    prior = Prior(coverage=coverage, strength=separation, min_z=min_z)
                    _, _, _, threshold = prevalence_thresholds(score, is_group, prior)
                    passed = (score >= threshold[None, :]) & ~sc.vetoed
                    table = score_matrix(passed, gold, codes_all)
                    rows.append({"corpus": name, "unit": unit, "coverage": coverage,
                                 "separation": separation, "min_z": min_z,
                                 "competition": competition, "context": context,
                                 "kappa": float(table.loc["macro", "cohen_kappa"]),
                                 "f1": float(table.loc["macro", "f1"])})
    return pd.DataFrame(rows)


def cross_corpus(grid: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """Best setting per tuning corpus, reported on every corpus (tuned-on rows marked)."""
    keys = KEYS
    mean = grid.groupby(["corpus", *keys], as_index=False)["kappa"].mean()
    rows, best = [], {}
    for tune in sorted(grid["corpus"].unique()):
        on = mean[mean["corpus"] == tune].sort_values("kappa", ascending=False, kind="stable").iloc[0]
        setting = {k: float(on[k]) for k in keys}
        best[tune] = setting
        for (corpus, unit), sub in grid.groupby(["corpus", "unit"]):
            hit = sub
            for k in keys:
                hit = hit[np.isclose(hit[k], setting[k])]
            rows.append({"tuned on": tune, **setting, "reported on": corpus, "unit": unit,
                         "same corpus": "yes (not a result)" if corpus == tune else "no",
                         "kappa": float(hit["kappa"].iloc[0]), "f1": float(hit["f1"].iloc[0])})
    return pd.DataFrame(rows), best


def engine_tables(corpus: Corpus, unit: str, be: object, cache: DiskEmbeddingCache) -> dict[str, pd.DataFrame]:
    """Agreement tables of rules, semantic and combined (default parameters) on one unit."""
    from thematic.suggest import CombinedEngine, RuleEngine

    segments = to_segments(corpus.segments[unit], unit)
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
    parser.add_argument("--corpora", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--backend", choices=("minilm", "tfidf"), default="minilm")
    parser.add_argument("--tune-on", default="pdpilot", help="corpus the defaults were chosen on")
    parser.add_argument("--no-grid", action="store_true", help="skip the cross-corpus grid")
    args = parser.parse_args()
    be, cache = backend(args.backend), DiskEmbeddingCache()
    corpora = {name: load(name) for name in args.corpora}

    print("# Suggestion engines against people, across corpora\n")
    for c in corpora.values():
        sizes = ", ".join(f"{len(c.segments[u])} {u}s" for u in UNITS)
        print(f"- **{c.name}**: {c.about}; {sizes}; {len(c.codes)} codes")
    defaults = SemanticEngine()
    print(f"\nbackend: {type(be).__name__}; defaults: {defaults.prior()}, "
          f"context={defaults.context}, competition={defaults.competition}\n")

    if not args.no_grid:
        t0 = time.perf_counter()
        grid = grid_scores(corpora, be, cache)
        table, best = cross_corpus(grid)
        print(f"## 1. Cross-corpus validation ({len(grid)} scorings, {time.perf_counter() - t0:.0f} s)\n")
        print("Macro kappa and F1 over the corpus's codes; each tuning corpus's best setting "
              "(mean kappa over both units) reported on every corpus.\n")
        print(markdown(table, index=False) + "\n")
        others = table[table["same corpus"] == "no"]
        held = others.groupby("tuned on")[["kappa", "f1"]].mean()
        print("Mean over the corpora each setting was **not** tuned on:\n")
        print(markdown(held) + "\n")
        if args.tune_on in best:
            print(f"Defaults are the setting tuned on {args.tune_on}: {best[args.tune_on]}\n")

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
