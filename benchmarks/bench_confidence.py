"""Benchmark: does the confidence ``thematic code`` shows mean what it says, for every source?

The default engine (:class:`~thematic.suggest.combine.CombinedEngine`: rules + semantic, as
``thematic code`` runs it, then ``prefer_children``) codes every corpus of
``benchmarks/corpora`` at the sentence unit (the product's default). Each suggestion is
*right* when a person coded that sentence with that code (evaluated codes only, as in
``bench_agreement.py``). Suggestions are grouped by source:

- ``semantic``: the semantic engine alone (its confidence is calibrated already, by the
  shipped evidence models' calibration);
- ``rule``: a rule hit the semantic engine does not pass (the rule confidence times the
  combiner's support factor);
- ``combined``: both engines pass it (the noisy-OR of the two).

Only the sample's codebook has rules; every other codebook is names and descriptions. So that
rules fire on every corpus, a code without rules gets the keyword rule a researcher's first
keyword list would hold: its name and the content words of its name (:func:`name_keywords`).
The sample keeps its own rules.

The calibration of the ``rule`` and ``combined`` confidences (and of the rule engine alone,
``rule engine``) is chosen and fitted *leave one family out*: for a held-out family, the
calibrator kind (none, Platt, temperature, isotonic) with the lowest mean ECE over the
training families (each scored fitted on the others) is fitted on all training families
(each weighing the same) and scored on the held-out one. Printed: per corpus and source the
ECE of the raw confidence (what the product showed before) and of the held-out calibrated
one, the reliability tables, the ranking (average precision of all shown suggestions by
confidence, before and after), and with ``--fit`` the calibrators to ship (kind: lowest mean
held-out ECE; fitted on every family).

The semantic confidence is the product's (evidence models fitted on every corpus, in-sample
for its own figures: ``bench_agreement.py`` reports them held out); the rule and combined
calibrators are held out.

Learning from decisions: a person decides every suggestion of 10-30% of a corpus's documents;
the ECE of the other documents' rule and combined suggestions before and after their confidence
follows those decisions (:mod:`thematic.suggest.decided_confidence`), the prior strength chosen
leave one family out.

    nice -n 10 python benchmarks/bench_confidence.py --corpora sample pdpilot serdif
    nice -n 10 python benchmarks/bench_confidence.py --fit           # every corpus
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import backend, markdown  # noqa: E402
from calibration_loco import Pairs, choose_kind, fit_on, kinds_left_out  # noqa: E402
from corpora import Corpus, DiskEmbeddingCache, cache_root, registry  # noqa: E402

from thematic.models import Codebook, Rule  # noqa: E402
from thematic.suggest.calibrators import (  # noqa: E402
    CALIBRATOR_KINDS,
    RULE_CEILING,
    Calibrator,
    SourceCalibration,
    brier,
    expected_calibration_error,
)

SOURCES = ("rule engine", "rule", "combined", "semantic")
CALIBRATED = ("rule engine", "rule", "combined")  # the sources this benchmark calibrates
VERSION = "3"  # bump when what is collected changes
EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
PSEUDO_COUNT = 2.0  # isotonic steps shrunk by Laplace's rule (fit_calibrator)


def name_keywords(codebook: Codebook) -> Codebook:
    """``codebook`` with a keyword rule on every code that has none: the code's name and each
    content word of it (alphabetic, 4 letters or more, not a stop word or codebook word)."""
    from thematic.suggest.lexical import CODEBOOK_WORDS, FILLERS, stop_words

    skip = stop_words() | FILLERS | CODEBOOK_WORDS
    codes = []
    for c in codebook.codes:
        if c.rules:
            codes.append(c)
            continue
        name = " ".join(c.name.lower().replace("/", " ").replace("-", " ").split())
        words = [w.strip("()'\",.:;") for w in name.split()]
        terms = [name] + [w for w in words if w.isalpha() and len(w) >= 4 and w not in skip]
        codes.append(replace(c, rules=(Rule(f"{c.id}-name", "keywords", list(dict.fromkeys(terms))),)))
    return Codebook(codes=codes, name=codebook.name)


def collect(corpus: Corpus, be: object, cache: DiskEmbeddingCache, unit: str = "sentence") -> pd.DataFrame:
    """Every suggestion the default engine makes on the corpus's sentences, raw (no calibration
    of the rule and combined confidences), with whether a person coded it; cached on disk.

    Columns: source, raw (the confidence before calibration), shown (what the product shows
    today), code, document, rule (the rule engine's own noisy-OR, nan without a hit), semantic (the semantic
    engine's shown confidence of the pair, passed or not; nan when it did not score it), right
    (0/1); one frame of the rule engine alone
    under source ``"rule engine"``.
    """
    from thematic.suggest.combine import CombinedEngine
    from thematic.suggest.hierarchy import prefer_children
    from thematic.suggest.rules import RuleEngine
    from thematic.suggest.semantic import SemanticEngine

    book = name_keywords(corpus.codebook)
    segments = corpus.segment_list(unit)
    from thematic.suggest.shipped_evidence import default_evidence

    # the semantic engine's shipped models are part of what is cached: a refit makes a new entry
    key = hashlib.sha256(repr((VERSION, corpus.name, book.content_hash or repr(book.codes),
                               len(segments), type(be).__name__, unit,
                               repr(default_evidence(be)))).encode()).hexdigest()[:16]
    path = cache_root() / "confidence" / f"{corpus.name}-{key}.pkl"
    if path.exists():
        return pd.read_pickle(path)
    rules = RuleEngine(calibration=Calibrator())
    engine = CombinedEngine([rules, SemanticEngine(be, cache=cache)], calibration=SourceCalibration())
    suggestions = prefer_children(engine.suggest(segments, book), book)
    alone = prefer_children(RuleEngine(calibration=Calibrator()).suggest(segments, book), book)
    gold = corpus.labels(unit)
    rows = {s: i for i, s in enumerate(gold.index)}
    cols = {c: j for j, c in enumerate(gold.columns)}
    g = gold.to_numpy()
    out = []
    for source, found in (("default", suggestions), ("rule engine", alone)):
        for s in found:
            if s.code_id not in cols or s.segment_id not in rows:
                continue
            ev = s.evidence
            raw = float((ev.get("combine") or {}).get("raw", s.confidence)) if source == "default" else float(
                ev.get("raw_confidence", s.confidence))
            rule = ev.get("rule", ev) if source == "default" else ev
            sem = ev.get("semantic", {}) if s.source != "semantic" else {"probability": s.confidence}
            out.append({"source": s.source if source == "default" else source, "raw": raw,
                        "shown": s.confidence, "code": s.code_id, "document": s.document_id,
                        "rule": float(rule["raw_confidence"]) if "raw_confidence" in rule else float("nan"),
                        "semantic": float(sem.get("probability", float("nan"))),
                        "right": int(g[rows[s.segment_id], cols[s.code_id]])})
    frame = pd.DataFrame(out, columns=["source", "raw", "shown", "code", "document", "rule", "semantic",
                                       "right"])
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_pickle(path)
    return frame


def reliability(p: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Suggestions binned by shown confidence: how many, mean confidence, share right."""
    rows = []
    for lo, hi in zip(EDGES, EDGES[1:], strict=False):
        m = (p >= lo) & (p < hi)
        rows.append({"confidence": f"{lo:.1f}-{min(hi, 1.0):.1f}", "suggestions": int(m.sum()),
                     "mean confidence": float(p[m].mean()) if m.any() else float("nan"),
                     "right": float(y[m].mean()) if m.any() else float("nan")})
    return pd.DataFrame(rows)


def family_data(frames: dict[str, pd.DataFrame], family: dict[str, str], source: str) -> Pairs:
    """Per family, the raw confidences and outcomes of ``source``'s suggestions."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, frame in frames.items():
        f = frame[frame["source"] == source]
        p, y = out.get(family[name], (np.zeros(0), np.zeros(0)))
        out[family[name]] = (np.concatenate([p, f["raw"].to_numpy()]), np.concatenate([y, f["right"].to_numpy()]))
    return out


def held_out(frames: dict[str, pd.DataFrame], family: dict[str, str]) -> tuple[dict, dict]:
    """Per family and calibrated source, the calibrator chosen and fitted on the other families,
    and per kind the calibrator each fold would have fitted (for the shipped choice)."""
    chosen: dict[str, dict[str, Calibrator]] = {}
    every: dict[str, dict[str, dict[str, Calibrator]]] = {}
    for held in sorted(set(family.values())):
        chosen[held], every[held] = {}, {}
        for source in CALIBRATED:
            data = {f: d for f, d in family_data(frames, family, source).items() if f != held and len(d[0])}
            kind = choose_kind(kinds_left_out(data, pseudo_count=PSEUDO_COUNT)) if len(data) > 1 else "none"
            chosen[held][source] = fit_on(kind, data, pseudo_count=PSEUDO_COUNT)
            every[held][source] = {k: fit_on(k, data, pseudo_count=PSEUDO_COUNT) for k in CALIBRATOR_KINDS}
    return chosen, every


def shown_after(frame: pd.DataFrame, cals: dict[str, Calibrator]) -> np.ndarray:
    """The confidence shown with the calibrators ``cals`` (semantic unchanged)."""
    out = frame["raw"].to_numpy(dtype=float).copy()
    for source, cal in cals.items():
        m = (frame["source"] == source).to_numpy()
        if m.any():
            out[m] = np.minimum(RULE_CEILING, cal.apply(frame.loc[m, "raw"].to_numpy(dtype=float)))
    return out


def average_precision(p: np.ndarray, y: np.ndarray) -> float:
    """Average precision of the suggestions ranked by confidence (ties broken by order)."""
    if not y.sum():
        return float("nan")
    order = np.argsort(-p, kind="stable")
    hits = y[order].astype(float)
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / hits.sum())


def shipped_calibrators() -> dict[str, Calibrator]:
    """The calibrators the product ships, by source."""
    from thematic.suggest.shipped_confidence import COMBINED_CALIBRATION, RULE_CALIBRATION

    return {"rule engine": RULE_CALIBRATION, "rule": COMBINED_CALIBRATION.rule,
            "combined": COMBINED_CALIBRATION.combined}


def table_rows(frames: dict[str, pd.DataFrame], family: dict[str, str], chosen: dict) -> pd.DataFrame:
    """Per corpus and source: suggestions, share right, ECE before and after (held out), and
    with the shipped calibrators (fitted on every corpus of the default configuration: in-sample
    there, a check on another unit or backend)."""
    rows = []
    for name, frame in frames.items():
        after = shown_after(frame, chosen[family[name]])
        ships = shown_after(frame, shipped_calibrators())
        default = (frame["source"] != "rule engine").to_numpy()
        for source in (*SOURCES, "all shown"):
            m = default if source == "all shown" else (frame["source"] == source).to_numpy()
            y = frame["right"].to_numpy()[m]
            before = frame["raw"].to_numpy()[m]
            row = {"corpus": name, "source": source, "suggestions": int(m.sum()),
                   "right": float(y.mean()) if m.any() else float("nan"),
                   "mean shown before": float(before.mean()) if m.any() else float("nan"),
                   "ECE before": expected_calibration_error(before, y),
                   "mean shown after": float(after[m].mean()) if m.any() else float("nan"),
                   "ECE after": expected_calibration_error(after[m], y),
                   "Brier before": brier(before, y), "Brier after": brier(after[m], y),
                   "ECE shipped": expected_calibration_error(ships[m], y)}
            if source == "all shown":
                row["AP before"] = average_precision(before, y)
                row["AP after"] = average_precision(after[m], y)
            rows.append(row)
    return pd.DataFrame(rows)


def shipped(frames: dict[str, pd.DataFrame], family: dict[str, str], every: dict) -> dict[str, Calibrator]:
    """Per source the kind of lowest mean held-out ECE over the families, fitted on them all."""
    out = {}
    for source in CALIBRATED:
        data = {f: d for f, d in family_data(frames, family, source).items() if len(d[0])}
        ece = {k: np.nanmean([expected_calibration_error(every[f][source][k].apply(p), y)
                              for f, (p, y) in data.items()]) for k in CALIBRATOR_KINDS}
        out[source] = fit_on(min(CALIBRATOR_KINDS, key=ece.__getitem__), data, pseudo_count=PSEUDO_COUNT)
        print(f"- {source}: held-out mean ECE by kind " + ", ".join(f"{k} {v:.3f}" for k, v in ece.items())
              + f"; shipped {out[source]!r}")
    return out


# ---------------------------------------------------------------------------- learning from decisions
SHARES = (0.1, 0.2, 0.3)  # share of a corpus's documents whose suggestions a person decided
SEEDS = 5
STRENGTHS = (2.0, 5.0, 10.0, 20.0, 50.0)  # candidates of decided_confidence.PRIOR_STRENGTH


def after_decisions(frame: pd.DataFrame, calibrated: np.ndarray) -> pd.DataFrame:
    """A person decides every suggestion of a random share of the documents (as the gold says);
    the other documents' rule and combined suggestions are shown moved by those decisions
    (:mod:`thematic.suggest.decided_confidence`, every candidate prior strength). Per share, seed
    and source: the ECE of the undecided documents' suggestions before and after."""
    from thematic.suggest.decided_confidence import decision_shift, shifted

    docs = np.array(sorted(frame["document"].unique()))
    y = frame["right"].to_numpy()
    rows = []
    for share in SHARES:
        for seed in range(SEEDS):
            picked = np.random.default_rng(seed).permutation(docs)[:max(1, round(share * len(docs)))]
            decided = frame["document"].isin(picked.tolist()).to_numpy()
            for source in ("rule engine", "rule", "combined"):
                is_source = (frame["source"] == source).to_numpy()
                seen, new = is_source & decided, is_source & ~decided
                if new.sum() < 5:
                    continue
                row = {"share": share, "seed": seed, "source": source, "decided": int(seen.sum()),
                       "undecided": int(new.sum()), "ECE before": expected_calibration_error(calibrated[new], y[new])}
                for c in STRENGTHS:
                    shift = decision_shift(source, calibrated[seen].tolist(), y[seen].tolist(), c).shift
                    moved = np.array([shifted(float(v), shift) for v in calibrated[new]])
                    row[f"ECE c={c:g}"] = expected_calibration_error(moved, y[new])
                rows.append(row)
    return pd.DataFrame(rows)


def learning_table(frames: dict[str, pd.DataFrame], family: dict[str, str], chosen: dict) -> tuple:
    """Per corpus, share and source, the held-out ECE before and after decisions, with the prior
    strength chosen on the other families (lowest mean ECE over them, families weighing the
    same); and the strength of lowest mean over every family (to ship)."""
    runs = {n: after_decisions(f, shown_after(f, chosen[family[n]])).assign(corpus=n, family=family[n])
            for n, f in frames.items()}
    every = pd.concat([r for r in runs.values() if len(r)], ignore_index=True)
    cols = [f"ECE c={c:g}" for c in STRENGTHS]

    def best(rows: pd.DataFrame) -> str:
        return str(rows.groupby("family")[cols].mean().mean().idxmin())

    picked = {h: best(every[every["family"] != h]) for h in sorted(set(family.values()))}
    every["ECE after"] = [row[picked[row["family"]]] for _, row in every.iterrows()]
    every["strength"] = [picked[f].split("=")[1] for f in every["family"]]
    table = (every.groupby(["corpus", "source", "share"])[["decided", "undecided", "ECE before", "ECE after"]]
             .mean().reset_index())
    table["strength (chosen without it)"] = [picked[family[n]].split("=")[1] for n in table["corpus"]]
    return table, best(every), every


def main() -> None:
    info = registry()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", choices=sorted(info), default=sorted(info))
    parser.add_argument("--fit", action="store_true", help="also print the calibrators to ship")
    parser.add_argument("--unit", choices=("sentence", "turn"), default="sentence")
    parser.add_argument("--backend", choices=("auto", "minilm", "tfidf"), default="auto")
    args = parser.parse_args()
    cache = DiskEmbeddingCache()
    t0 = time.perf_counter()
    frames, family = {}, {}
    for name in args.corpora:
        corpus = info[name].loader()
        be = backend(args.backend, corpus.segments["turn"]["text"].astype(str).tolist())
        frames[name], family[name] = collect(corpus, be, cache, args.unit), info[name].family
        print(f"- {name}: {len(frames[name])} suggestions ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    print(f"# Does the shown confidence mean what it says? ({args.unit} unit, backend {args.backend}, "
          "default engine)\n")
    print("`before`: the confidence `thematic code` showed before the rule and combined confidences "
          "were calibrated (raw rule noisy-OR, raw combined noisy-OR); `after`: calibrated with the "
          "calibrator chosen and fitted on the *other* families (held out). `semantic` is the "
          "semantic engine's own calibrated confidence, unchanged. `rule engine`: `thematic code -e "
          "rules` alone. ECE over 10 equal bins.\n")
    chosen, every = held_out(frames, family)
    fold = pd.DataFrame([{"held out": h, **{s: c.kind for s, c in cals.items()}} for h, cals in chosen.items()])
    print("Calibrator kind chosen per held-out family (on the training families):\n")
    print(markdown(fold, index=False) + "\n")
    table = table_rows(frames, family, chosen)
    print(markdown(table, index=False) + "\n")
    means = table.groupby("source")[["ECE before", "ECE after", "ECE shipped", "Brier before", "Brier after",
                                      "AP before", "AP after"]].mean()
    print("Mean over corpora:\n")
    print(markdown(means.reindex([*SOURCES, "all shown"])) + "\n")
    print("## Reliability, held out (rows: shown confidence; `right`: share a person coded)\n")
    for name, frame in frames.items():
        after = shown_after(frame, chosen[family[name]])
        for source in SOURCES:
            m = (frame["source"] == source).to_numpy()
            if not m.any():
                continue
            y = frame["right"].to_numpy()[m]
            both = reliability(frame["raw"].to_numpy()[m], y).merge(
                reliability(after[m], y), on="confidence", suffixes=(" before", " after"))
            print(f"**{name}, {source}**\n\n{markdown(both, index=False)}\n")
    print("## Confidence that follows the project's decisions (held out)\n")
    print(f"A person decides every suggestion of {', '.join(f'{s:.0%}' for s in SHARES)} of a corpus's "
          f"documents ({SEEDS} random draws each); the rule and combined suggestions of the other "
          "documents are shown moved by those decisions (`thematic/suggest/decided_confidence.py`), "
          "from the held-out calibration. ECE of the undecided documents' suggestions, mean over draws; "
          "the prior strength chosen on the other families.\n")
    learned, strength, _ = learning_table(frames, family, chosen)
    print(markdown(learned, index=False) + "\n")
    means = learned.groupby(["source", "share"])[["ECE before", "ECE after"]].mean()
    print("Mean over corpora:\n\n" + markdown(means) + "\n")
    if args.fit:
        print("## Calibrators to ship (kind: lowest mean held-out ECE; fitted on every family)\n")
        shipped(frames, family, every)
        print(f"- prior strength of the decisions (lowest mean ECE over every family): {strength}")


if __name__ == "__main__":
    main()
