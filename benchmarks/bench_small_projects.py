"""Benchmark: a new study's first interviews. Are the suggestions of a project of one, three
or five documents as good, and their confidence as honest, as when the same documents are
coded inside the whole corpus?

The semantic engine reads every statistic it decides on from the project it codes (how far a
code's scores stand out among the project's segments, the codebook words' weights over them).
A researcher who starts with one or a few interviews gives it far fewer segments. For every
interview-like corpus of ``benchmarks/corpora`` and each size, documents are drawn at random
(``--draws`` draws per size, seeded) and coded twice with the product's engine as
``thematic code`` runs it at the sentence unit (``SemanticEngine`` with the shipped evidence
models, ``turn_vectors="embedded"``):

- **alone**: a project holding only the drawn documents;
- **in the corpus**: the whole corpus coded, its suggestions on the drawn documents kept.

Printed per corpus and size, as the mean over draws (nothing asserted): the macro kappa of the
drawn documents' sentence->turn suggestions (a turn carries a code when any of its sentences
does; codes evaluated as in ``bench_agreement.py``), suggestions per document, the share of
the codes *nobody* applied in the drawn documents that still get a suggestion and how many
turns per document they are suggested on, and the expected
calibration error of the confidence shown (of the suggestions at confidence about p, how far
the share right is from p; 5 bins, weighted by suggestions).

The shipped evidence models were fitted on these corpora among others, so the absolute figures
are in-sample (``bench_agreement.py`` has them held out); the comparison is between the two
columns, which share the models.

    nice -n 10 python benchmarks/bench_small_projects.py
    nice -n 10 python benchmarks/bench_small_projects.py --corpora pdpilot serdif --draws 4
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import (  # noqa: E402
    backend,
    fast_kappa,
    labels_from_pairs,
    markdown,
    per_turn,
    sentence_to_turn,
)
from corpora import Corpus, DiskEmbeddingCache, registry  # noqa: E402

from thematic.suggest.semantic import SemanticEngine  # noqa: E402

#: Corpora whose documents are interviews, focus groups, think-aloud sessions or dialogues.
SPOKEN = ("sample-defs", "pdpilot", "serdif", "osfocus", "annomi")
SIZES = (1, 3, 5)


def ece(confidence: np.ndarray, right: np.ndarray, bins: int = 5) -> float:
    """Expected calibration error over equal-width confidence bins, weighted by suggestions."""
    if len(confidence) == 0:
        return float("nan")
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    gap = sum(abs(confidence[which == b].mean() - right[which == b].mean()) * (which == b).sum()
              for b in range(bins) if (which == b).any())
    return float(gap / len(confidence))


def coded(corpus: Corpus, engine: SemanticEngine, segments: list) -> pd.DataFrame:
    """The engine's suggestions on ``segments``: segment, code, shown confidence."""
    found = engine.suggest(segments, corpus.codebook)
    return pd.DataFrame([(s.segment_id, s.code_id, float(s.confidence)) for s in found if s.segment_id is not None],
                        columns=["segment", "code", "confidence"])


def figures(corpus: Corpus, suggestions: pd.DataFrame, documents: set) -> dict[str, float]:
    """Kappa (sentence->turn), suggestions per document, codes nobody applied that get one,
    and ECE, on ``documents`` only."""
    sentences = corpus.segments["sentence"].reset_index(drop=True)
    turns = corpus.segments["turn"].reset_index(drop=True)
    gold = corpus.labels("sentence")
    mine = suggestions[suggestions["code"].isin(corpus.codes)]
    pred = labels_from_pairs(gold.index, corpus.codes, list(zip(mine["segment"], mine["code"], strict=True)))
    turn_rows = turns["document_id"].isin(documents).to_numpy()
    turn_pred = per_turn(pred.to_numpy().astype(bool), sentence_to_turn(corpus), len(turns))[turn_rows]
    turn_gold = corpus.labels("turn").to_numpy()[turn_rows].astype(bool)
    in_docs = set(sentences.loc[sentences["document_id"].isin(documents), "segment_id"])
    shown = mine[mine["segment"].isin(in_docs)]
    rows = {s: i for i, s in enumerate(gold.index)}
    cols = {c: j for j, c in enumerate(gold.columns)}
    g = gold.to_numpy()
    right = np.array([g[rows[s], cols[c]] for s, c in zip(shown["segment"], shown["code"], strict=True)])
    absent = ~turn_gold.any(axis=0)
    return {"kappa": fast_kappa(turn_pred, turn_gold)[0],
            "per document": len(shown) / len(documents),
            "absent codes suggested": float(turn_pred[:, absent].any(axis=0).mean()) if absent.any() else float("nan"),
            "absent-code turns per document": float(turn_pred[:, absent].sum()) / len(documents),
            "ECE": ece(shown["confidence"].to_numpy(), right.astype(float))}


def run_corpus(name: str, draws: int, cache: DiskEmbeddingCache) -> list[dict]:
    corpus = registry()[name].loader()
    segments = corpus.segment_list("sentence")
    engine = SemanticEngine(backend("auto", [s.text for s in segments]), cache=cache)
    whole = coded(corpus, engine, segments)
    documents = sorted(corpus.segments["sentence"]["document_id"].unique())
    rows = []
    for size in SIZES:
        if size >= len(documents):
            continue
        for draw in range(draws):
            rng = np.random.default_rng([draw, size])
            drawn = set(rng.choice(documents, size=size, replace=False).tolist())
            alone = coded(corpus, engine, [s for s in segments if s.document_id in drawn])
            for where, frame in (("alone", alone), ("in the corpus", whole)):
                rows.append({"corpus": name, "documents": size, "draw": draw, "coded": where,
                             **figures(corpus, frame, drawn)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", choices=SPOKEN, default=list(SPOKEN))
    parser.add_argument("--draws", type=int, default=6, help="random draws of documents per size")
    args = parser.parse_args()
    cache = DiskEmbeddingCache()
    t0 = time.perf_counter()
    rows = [row for name in args.corpora for row in run_corpus(name, args.draws, cache)]
    frame = pd.DataFrame(rows)
    table = frame.groupby(["corpus", "documents", "coded"], sort=False)[
        ["kappa", "per document", "absent codes suggested", "absent-code turns per document", "ECE"]
    ].mean().unstack("coded")
    table.columns = [f"{figure} ({where})" for figure, where in table.columns]
    print(f"documents coded alone and inside their corpus; {args.draws} draws per size; "
          f"mean over draws ({time.perf_counter() - t0:.0f} s)\n")
    print(markdown(table.round(3)))
    overall = frame.groupby(["documents", "coded"])[
        ["kappa", "ECE", "absent codes suggested", "absent-code turns per document"]].mean().unstack("coded")
    overall.columns = [f"{figure} ({where})" for figure, where in overall.columns]
    print("\nmean over corpora\n")
    print(markdown(overall.round(3)))


if __name__ == "__main__":
    main()
