"""Benchmark: the learned model on a MiniLM fine-tuned on the decisions, beside the instant one.

For each corpus, the simulated reviewer of ``bench_learning`` decides every codebook suggestion
of 30% of the documents (seeded order; accepting the right ones, rejecting the wrong ones, coding
the misses by hand), at the sentence unit. Then, on the documents *not* reviewed
(sentence->turn macro kappa, as ``bench_learning`` reports):

- ``codebook``: the codebook alone (evidence models fitted on the other families);
- ``instant``: the decision classifier (the product's defaults) on the frozen MiniLM vectors;
- ``fine-tuned``: the same classifier on the vectors of MiniLM fine-tuned on the decisions
  (:mod:`thematic.suggest.finetune`, the product's defaults), each code using the model the
  frozen cross-validation chose (the product's rule: the fine-tuned encoder saw every decision,
  so a cross-validation on its vectors is optimistic);
- ``fine-tuned (own switch)``: the same, each code switching on the (optimistic)
  cross-validation of the fine-tuned vectors, for the record.

Also the fine-tune's time (pairs, steps) for the corpus's decisions and the time to re-embed
the corpus's sentences with the fine-tuned model. Fine-tuned models and their vectors are
cached under ``$THEMATIC_BENCH_CACHE/finetune/`` (never over another benchmark's files).

    python benchmarks/bench_finetune.py --corpora pdpilot serdif sample-defs napire
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import decide, fast_kappa, fit_evidence, markdown, per_turn, prepare_all  # noqa: E402
from bench_learning import OTHER_CODE_WEIGHT, UNCODED_WEIGHT, corpus_vectors, review  # noqa: E402
from corpora import DiskEmbeddingCache, cache_root, registry  # noqa: E402

from thematic.suggest.classifier import DecisionClassifier, decision_labels  # noqa: E402
from thematic.suggest.classifier_engine import ClassifierEngine  # noqa: E402
from thematic.suggest.embeddings import SentenceTransformerBackend  # noqa: E402
from thematic.suggest.finetune import EncoderFineTuner, contrastive_pairs, read_manifest  # noqa: E402

STEP = 0.3


def _old_pickles() -> None:
    """Names older cached evidence inputs were pickled under (the same fields, since renamed)."""
    import thematic.suggest.semantic as semantic
    import thematic.suggest.semantic_scores as scores

    for old, new in (("_Raw", "RawScores"), ("_Parts", "ScoreParts"), ("EvidenceInputs", "EvidenceInputs"),
                     ("ScoreParts", "ScoreParts"), ("RawScores", "RawScores")):
        if not hasattr(semantic, old) and hasattr(scores, new):
            setattr(semantic, old, getattr(scores, new))
UNIT = "sentence"


def product_classifier(seed: int) -> DecisionClassifier:
    """The decision classifier with the defaults ``thematic code`` uses."""
    e = ClassifierEngine()
    return DecisionClassifier(min_positives=e.min_positives, min_negatives=e.min_negatives, C=e.C,
                              codebook_weight=e.codebook_weight, switch_margin=e.switch_margin,
                              threshold=e.threshold, count=e.count, min_documents=e.min_documents,
                              random_state=seed)


def finetuned_model(name: str, texts: dict[int, str], labels: pd.DataFrame, seed: int) -> tuple[Path, dict]:
    """The corpus's fine-tuned model (trained once, then cached) and its manifest."""
    tuner = EncoderFineTuner(random_state=seed)
    pairs = contrastive_pairs(texts, labels, random_state=seed)
    key = hashlib.sha256(json.dumps([tuner.get_params(), [(p.first, p.second, p.target) for p in pairs]])
                         .encode()).hexdigest()[:16]
    path = cache_root() / "finetune" / "models" / f"{name}-{key}"
    if read_manifest(path) is None:
        print(f"  fine-tuning on {len(pairs)} pairs ({tuner.steps_for(len(pairs))} steps)...", flush=True)
        tuner.fit(pairs, path)
    manifest = read_manifest(path)
    assert manifest is not None
    return path, manifest


def run(corpus, p, evidence, vectors: dict, seed: int) -> dict:
    prob, said = decide(p, evidence)[UNIT]
    gold = p.gold[UNIT]
    frame = corpus.segments[UNIT]
    seg_ids = frame["segment_id"].to_numpy()
    doc_of = frame["document"].to_numpy()
    docs = np.array(sorted(set(doc_of)))
    reviewed = set(np.random.default_rng(seed).permutation(docs)[: max(1, int(math.ceil(STEP * len(docs))))])
    in_r = np.isin(doc_of, list(reviewed))
    decisions, uncoded = review(gold, said, np.nonzero(in_r)[0], seg_ids, p.codes)
    labels = decision_labels(decisions, codes=p.codes, other_code_weight=OTHER_CODE_WEIGHT,
                             uncoded_segments=uncoded, uncoded_weight=UNCODED_WEIGHT)
    texts = {int(s): str(t) for s, t in zip(seg_ids, frame["text"], strict=True)}
    fit_args = {"codebook_probability": prob, "codes": p.codes, "documents": list(doc_of), "codebook_passed": said}
    t0 = time.perf_counter()
    frozen = product_classifier(seed).fit(vectors[UNIT], seg_ids, labels, code_vectors=vectors["positives"],
                                          near_miss_vectors=vectors["near"], **fit_args)
    instant_s = time.perf_counter() - t0
    path, manifest = finetuned_model(p.name, texts, labels, seed)
    tuned_backend = SentenceTransformerBackend(str(path))
    tuned_cache = DiskEmbeddingCache(cache_root() / "finetune")
    t0 = time.perf_counter()
    tuned = corpus_vectors(corpus, p, tuned_backend, tuned_cache)
    embed_s = time.perf_counter() - t0
    own = product_classifier(seed).fit(tuned[UNIT], seg_ids, labels, code_vectors=tuned["positives"],
                                       near_miss_vectors=tuned["near"], **fit_args)
    turn_doc = corpus.segments["turn"]["document"].to_numpy()
    rest = np.nonzero(~np.isin(turn_doc, list(reviewed)))[0]

    def kappa(passed: np.ndarray) -> float:
        return fast_kappa(per_turn(passed, p.s2t, p.n_turns)[rest], p.gold["turn"][rest])[0]

    def chosen(clf: DecisionClassifier, learned: list[str]) -> np.ndarray:
        use = np.array([c in learned for c in p.codes])
        return np.where(use[None, :], clf.passes(), said)

    return {"corpus": p.name, "documents reviewed": len(reviewed), "decisions": len(decisions),
            "codebook": kappa(said), "instant": kappa(chosen(frozen, frozen.learned_)),
            "fine-tuned": kappa(chosen(own, frozen.learned_)),
            "fine-tuned (own switch)": kappa(chosen(own, own.learned_)),
            "learned codes": f"{len(frozen.learned_)}/{len(p.codes)}",
            "own-switch codes": f"{len(own.learned_)}/{len(p.codes)}",
            "pairs": manifest["pairs"], "steps": manifest["steps"], "fine-tune s": manifest["seconds"],
            "sentences": len(seg_ids), "re-embed s": round(embed_s, 1), "instant fit s": round(instant_s, 2)}


def main() -> None:
    info = registry()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", choices=sorted(info),
                        default=["pdpilot", "serdif", "sample-defs", "napire"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    _old_pickles()
    cache = DiskEmbeddingCache()
    loaded = {name: info[name].loader() for name in sorted(info)}
    prepared_list, backends = prepare_all(loaded, info, "auto", cache)
    prepared = {p.name: p for p in prepared_list}
    print("# Fine-tuned MiniLM beside the instant learned model (30% reviewed, sentence->turn)\n", flush=True)
    rows = []
    for name in args.corpora:
        p = prepared[name]
        evidence = fit_evidence([q for q in prepared.values() if q.family != p.family])
        vectors = corpus_vectors(loaded[name], p, backends[name], cache)
        print(f"- {name}: backend {getattr(backends[name], 'name', '?')}", flush=True)
        rows.append(run(loaded[name], p, evidence, vectors, args.seed))
        print(markdown(pd.DataFrame(rows[-1:]), index=False) + "\n", flush=True)
    table = pd.DataFrame(rows)
    print("## All corpora\n")
    print(markdown(table, index=False) + "\n")
    gain = table["fine-tuned"] - table["instant"]
    print(f"mean kappa: codebook {table['codebook'].mean():.3f}, instant {table['instant'].mean():.3f}, "
          f"fine-tuned {table['fine-tuned'].mean():.3f}; fine-tuned - instant: mean {gain.mean():+.3f}, "
          f"below on {int((gain < 0).sum())} of {len(gain)} corpora")
    print("\n## Leave one corpus out: does the product use the fine-tuned encoder by default?\n")
    for i in range(len(table)):
        r = table.iloc[i]
        others = gain.drop(index=i)
        use = bool(len(others)) and others.mean() > 0 and (others < 0).sum() == 0
        print(f"- {r['corpus']}: the others' gain {others.mean():+.3f} ({int((others < 0).sum())} below) -> "
              f"{'fine-tuned' if use else 'instant'}: kappa "
              f"{r['fine-tuned' if use else 'instant']:.3f} (instant {r['instant']:.3f})")


if __name__ == "__main__":
    main()
