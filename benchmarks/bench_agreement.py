"""Benchmark: agreement of the codebook-only suggestions with people, across corpora.

Every corpus of ``benchmarks/corpora`` (a new corpus module is picked up) is scored at the
``turn`` and the ``sentence`` unit, and ``sentence->turn``: the sentence suggestions read per
turn (a turn carries a code when any of its sentences does), what a study coded per turn sees
of a project coded per sentence (the default unit). A segment carries a person's code when
the coding covers half of it or lies inside it.

The semantic engine decides with its *evidence models*
(:class:`~thematic.suggest.calibration.Evidence`): logistic models of "a person would code
this" from the evidence of a pair, one for turns and one for sentences (which also reads its
turn's). They are fitted here, across corpora:

- each corpus weighs the same whatever its size (a corpus and its variants are one family);
- codes *from the other corpora's codebooks*, which no one applied to this corpus, are added
  as negatives (weight :data:`FOREIGN_WEIGHT`): they teach the models to abstain on a code
  the data never talks about, which the people's codes alone never show;
- the turn threshold and the sentence floor are chosen on the same corpora, and so is how many
  segments a code gets (``Evidence.count``: one probability threshold, or each code's count
  of highest expected kappa; ``--count auto``, the default, picks the better on the training
  corpora of every fold, and the table shows what each would have given on the held-out one);
  so is the best-code floor (``Evidence.best_floor``: each turn also gets its most probable
  code at or above it; "no floor" is a candidate);
- the calibration of the shown confidence (``Evidence.calibration``) is chosen by *nested*
  leave one out: for a held-out family, every training family's suggestions are predicted by
  models fitted without it (and without the held-out one); the calibrator kind of each unit
  (none, Platt, temperature, isotonic) with the lowest mean ECE over the training families
  (each scored fitted on the others) is fitted on them all; whether the kappa count reads the
  calibrated probabilities (``Evidence.count_on``) is chosen on the training families'
  sentence->turn kappa.

Printed, nothing asserted:

1. **Leave one corpus out** (the figures to quote): each family scored with models fitted and
   thresholds chosen on all the others; beside it the earlier rule (a prevalence quota per
   code, ``threshold="prior"``) on the same segments; how many suggestions codes that do not
   belong to the corpus get (abstention), and whether the number of suggestions per code
   follows the number people gave (Spearman's rho over codes).
2. **Reliability**: the calibrator chosen per fold, the expected calibration error before and
   after it per corpus, and of the suggestions shown at (calibrated) confidence about p, how
   many are right, per corpus and unit (leave one corpus out).
3. **The shipped models** (``--fit``): fitted on every corpus, as a Python literal to paste
   into ``thematic/suggest/shipped_evidence.py``; and the product path (``SemanticEngine`` with the
   shipped models) on every corpus, in-sample, to check the engine gives the benchmark's
   figures.

    python benchmarks/bench_agreement.py                       # every corpus in the cache
    python benchmarks/bench_agreement.py --corpora sample pdpilot --fit
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import sys
import time
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration_loco import Pairs, choose_kind, fit_on, kinds_left_out, merge  # noqa: E402
from corpora import UNITS, Corpus, DiskEmbeddingCache, cache_root, registry  # noqa: E402

from thematic.analysis import agreement_table  # noqa: E402
from thematic.models import Codebook  # noqa: E402
from thematic.suggest.calibration import (  # noqa: E402
    ConfidenceCalibration,
    Evidence,
    EvidenceModel,
    Prior,
    evidence_features,
    fit_evidence_model,
    prevalence_thresholds,
)
from thematic.suggest.calibrators import CALIBRATOR_KINDS, brier, expected_calibration_error  # noqa: E402
from thematic.suggest.example_fit import example_fit, fit_example_models  # noqa: E402
from thematic.suggest.semantic import SemanticEngine  # noqa: E402
from thematic.suggest.semantic_scores import EvidenceInputs, RawScores  # noqa: E402
from thematic.suggest.shipped_evidence import default_evidence  # noqa: E402
from thematic.suggest.turn_vectors import TURN_VECTORS as TURN_VECTOR_MODES  # noqa: E402

SCORED_UNITS = ("turn", "sentence", "sentence->turn")
FOREIGN_WEIGHT = 0.5  # the foreign codes of a corpus weigh half as much as its own codes
FOREIGN_CODES = 12  # at most this many codes of each other family are added to a corpus
TURN_THRESHOLDS = tuple(np.round(np.arange(0.15, 0.55, 0.05), 2))
SENTENCE_FLOORS = tuple(np.round(np.arange(0.1, 0.55, 0.05), 2))
#: Sentence suggestions moved off fillers as the engine moves them (``--keep-fillers``: not).
MOVE_OFF_FILLERS = True
INPUTS_VERSION = "5"  # bump when the views of the semantic engine change
#: The evidence the fitted turn and sentence models read: the shipped models' for the backend
#: (set in ``main``, with ``--add-features`` / ``--drop-features``).
TURN_FEATURES: tuple[str, ...] = default_evidence(None).turn.features
SENTENCE_FEATURES: tuple[str, ...] = default_evidence(None).sentence.features


# ---------------------------------------------------------------------------- helpers
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


def backend(kind: str, texts: list[str] | None = None):  # noqa: ANN201
    """The embedding backend: "auto" is the product's choice for the texts' language (MiniLM
    for English, a multilingual model otherwise); "minilm" and "tfidf" force one; a folder is a
    sentence-transformers model saved there (a model compared with MiniLM)."""
    from thematic.suggest.embeddings import SentenceTransformerBackend, TfidfSvdBackend

    if Path(kind).is_dir():
        return SentenceTransformerBackend(kind)
    if kind == "auto":
        from thematic.services.language import backend_for_texts

        return backend_for_texts(None, texts or [])[0]
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


def fast_kappa(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Macro Cohen's kappa and F1 over columns of two 0/1 matrices (checked against
    ``thematic.analysis.agreement_table`` by ``check_fast_kappa``)."""
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


def check_fast_kappa(pred: np.ndarray, gold: pd.DataFrame) -> float:
    """Largest difference between :func:`fast_kappa` and ``agreement_table`` on one scoring."""
    table = agreement_table(gold, pd.DataFrame(pred.astype(int), index=gold.index, columns=gold.columns))
    return abs(fast_kappa(pred, gold.to_numpy())[0] - float(table.loc["macro", "cohen_kappa"]))


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


# ---------------------------------------------------------------------------- the inputs
@dataclass
class Prepared:
    """One corpus, ready to score: evidence inputs of its own codebook and of it with other
    corpora's codes added (the foreign columns are the last ones), and the people's codes."""

    name: str
    family: str
    kind: str
    codes: list[str]  # evaluated codes
    own: dict[str, EvidenceInputs]  # unit -> inputs of the corpus's codebook
    foreign: dict[str, EvidenceInputs]  # unit -> inputs with the foreign codes appended
    n_foreign: int
    gold: dict[str, np.ndarray]  # unit -> 0/1 over the evaluated codes
    cols: list[int]  # columns of the evaluated codes in the corpus's codebook
    vetoed: dict[str, np.ndarray]
    s2t: np.ndarray
    n_turns: int
    is_group: np.ndarray
    gold_frames: dict[str, pd.DataFrame]


def foreign_codes(corpus: Corpus, others: dict[str, Corpus], seed: int = 0) -> list:
    """Up to :data:`FOREIGN_CODES` leaf codes of every other family, renamed apart."""
    rng = np.random.default_rng(seed)
    out = []
    for name, other in sorted(others.items()):
        leaves = [c for c in other.codebook.codes if not other.codebook.children(c.id)]
        picked = rng.permutation(len(leaves))[:FOREIGN_CODES]
        out += [replace(leaves[i], id=f"foreign:{name}:{leaves[i].id}", parent_id=None) for i in sorted(picked)]
    return out


class CachedInputs(pickle.Unpickler):
    """Reads cached inputs, also those pickled when the raw scores' class was
    ``thematic.suggest.semantic._Raw`` (the same fields as ``RawScores`` now)."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == ("thematic.suggest.semantic", "_Raw"):
            return RawScores
        return super().find_class(module, name)


def prepare(corpus: Corpus, family: str, kind: str, others: dict[str, Corpus], engine: SemanticEngine) -> Prepared:
    """The evidence inputs of a corpus (cached on disk by content)."""
    extra = foreign_codes(corpus, others)
    augmented = Codebook(codes=[*corpus.codebook.codes, *extra])
    params = {k: v for k, v in engine.get_params().items() if k not in ("evidence", "threshold")}
    key = hashlib.sha256(repr((INPUTS_VERSION, corpus.name, params,
                               [c.id for c in augmented.codes], corpus.codebook.content_hash,
                               {u: len(corpus.segments[u]) for u in UNITS})).encode()).hexdigest()[:16]
    path = cache_root() / "inputs" / f"{corpus.name}-{key}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            own, foreign = CachedInputs(fh).load()
    else:
        own, foreign = {}, {}
        for unit in UNITS:
            segments = corpus.segment_list(unit)
            own[unit] = engine.evidence_inputs(segments, corpus.codebook)
            foreign[unit] = engine.evidence_inputs(segments, augmented)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((own, foreign)))
    for inputs, book in ((own, corpus.codebook), (foreign, augmented)):
        for unit in UNITS:  # the features, from the stored views (cheap: changes need no re-scoring)
            add_example_fit(inputs[unit], corpus.segment_list(unit), book, engine)
            refresh(inputs[unit], book)
    codes_all = [c.id for c in corpus.codebook.codes]
    frames = {u: corpus.labels(u) for u in UNITS}
    return Prepared(
        name=corpus.name, family=family, kind=kind, codes=list(corpus.codes), own=own, foreign=foreign,
        n_foreign=len(extra), gold={u: f.to_numpy().astype(bool) for u, f in frames.items()},
        cols=[codes_all.index(c) for c in corpus.codes],
        vetoed={u: own[u].parts.raw.vetoed for u in UNITS}, s2t=sentence_to_turn(corpus),
        n_turns=len(corpus.segments["turn"]),
        is_group=np.array([bool(corpus.codebook.children(c)) for c in codes_all]), gold_frames=frames,
    )


_EXAMPLE_MODELS: dict[tuple[str, str], object] = {}


def add_example_fit(inputs: EvidenceInputs, segments: list, codebook: Codebook, engine: SemanticEngine) -> None:
    """The ``example_fit`` view of inputs cached before it existed: the segments' (and, for
    sentences, their turns') vectors from the embedding cache, the codebook's example models
    fitted once per backend and codebook."""
    from thematic.suggest.code_texts import code_texts
    from thematic.suggest.interview_context import sentence_turns

    texts = [code_texts(c) for c in codebook.codes]
    jobs = [(inputs.parts, segments)]
    if inputs.turn_parts is not None:
        jobs.append((inputs.turn_parts, sentence_turns(segments)[0]))
    for parts, segs in jobs:
        if getattr(parts, "example_fit", None) is not None:
            continue
        seg_v, _, _, code_v = engine.vectors(segs, codebook, [])
        key = (engine.backend_in_use().name, hashlib.sha256(repr(texts).encode()).hexdigest())
        if key not in _EXAMPLE_MODELS:
            _EXAMPLE_MODELS[key] = fit_example_models(code_v, texts)
        parts.example_fit = example_fit(_EXAMPLE_MODELS[key], seg_v)  # type: ignore[arg-type]


def refresh(inputs: EvidenceInputs, codebook: Codebook) -> None:
    """Recompute the evidence features of ``inputs`` from its views."""
    is_group = np.array([bool(codebook.children(c.id)) for c in codebook.codes], dtype=bool)
    inputs.values = evidence_features(inputs.parts, inputs.score, is_group)
    if inputs.turn_parts is not None and inputs.turn_score is not None:
        inputs.turn_values = evidence_features(inputs.turn_parts, inputs.turn_score, is_group)


def prepare_all(corpora: dict[str, Corpus], info: dict, kind: str,
                cache: DiskEmbeddingCache) -> tuple[list[Prepared], dict[str, object]]:
    """Every corpus prepared with its backend (:func:`backend`)."""
    prepared, backends = [], {}
    for name, corpus in corpora.items():
        be = backend(kind, corpus.segments["turn"]["text"].astype(str).tolist())
        backends[name] = be
        others = {n: c for n, c in corpora.items() if info[n].family != info[name].family}
        prepared.append(prepare(corpus, info[name].family, info[name].kind, others,
                                SemanticEngine(be, cache=cache, turn_vectors=TURN_VECTORS)))
    return prepared, backends


def take(values: dict[str, np.ndarray], cols: list[int] | slice) -> dict[str, np.ndarray]:
    return {k: np.asarray(v)[:, cols] for k, v in values.items()}


# ---------------------------------------------------------------------------- fitting
COUNTS = ("threshold", "kappa")  # how many segments a code gets (Evidence.count)
TURN_VECTORS = "embedded"  # SemanticEngine.turn_vectors of the prepared inputs (--turn-vectors)
COUNT = "auto"  # "auto": chosen on the training corpora (best mean kappa over the scored units)
KAPPA_FLOORS = (0.0, 0.05, 0.1, 0.15, 0.2)  # the turn threshold is only a floor with "kappa"
BEST_FLOORS = (None, 0.05, 0.1, 0.15, 0.2, 0.3)  # Evidence.best_floor (None: no best-code admission)


def fit_candidates(train: list[Prepared], *, C: float = 1.0) -> dict[str, Evidence]:  # noqa: N803
    """Evidence models fitted on ``train`` (families weighted equally), with thresholds chosen
    there for every count of :data:`COUNTS` (the models are the same; the thresholds differ)."""
    families = pd.Series([p.family for p in train]).value_counts().to_dict()

    def design(unit: str, turn_model: EvidenceModel | None) -> tuple[list, list, list]:
        values, gold, weights = [], [], []
        for p in train:
            share = 1.0 / families[p.family]
            for inputs, cols, g, w in ((p.own[unit], p.cols, p.gold[unit], share),
                                       (p.foreign[unit], slice(-p.n_foreign, None), None, share * FOREIGN_WEIGHT)):
                if isinstance(cols, slice) and p.n_foreign == 0:
                    continue
                v = take(inputs.values, cols)
                if turn_model is not None:
                    pt = turn_model.probability(take(inputs.turn_values, cols))
                    q = np.clip(pt[inputs.turn_of], 1e-6, 1 - 1e-6)
                    v["turn_logit"] = np.log(q / (1 - q))
                values.append(v)
                gold.append(g if g is not None else np.zeros(v["blend"].shape, dtype=bool))
                weights.append(w)
        return values, gold, weights

    tv, tg, tw = design("turn", None)
    turn = fit_evidence_model(tv, tg, TURN_FEATURES, threshold=0.3, weights=tw, C=C)
    sv, sg, sw = design("sentence", turn)
    sentence = fit_evidence_model(sv, sg, SENTENCE_FEATURES, threshold=0.3, weights=sw, C=C)
    counts = COUNTS if COUNT == "auto" else (COUNT,)
    return {c: choose_thresholds(Evidence(turn=turn, sentence=sentence, sentence_floor=0.2, count=c), train)
            for c in counts}


def fit_evidence(train: list[Prepared], *, C: float = 1.0) -> Evidence:  # noqa: N803
    """The evidence models of :func:`fit_candidates` with the count that scores best on
    ``train`` itself (mean kappa over :data:`SCORED_UNITS`, families weighted equally): the
    count, like the thresholds, is never chosen on the corpus it is reported on."""
    return choose_count(fit_candidates(train, C=C), train)


def merit(evidence: Evidence, train: list[Prepared], keys: tuple[str, ...]) -> float:
    """Mean over families of the mean kappa over ``keys`` (units of :data:`SCORED_UNITS`)."""
    per_family: dict[str, list[float]] = {}
    for p in train:
        k = score(p, evidence)
        per_family.setdefault(p.family, []).append(float(np.mean([k[u] for u in keys])))
    return float(np.mean([np.mean(v) for v in per_family.values()]))


def choose_count(candidates: dict[str, Evidence], train: list[Prepared]) -> Evidence:
    return max(candidates.values(), key=lambda ev: merit(ev, train, SCORED_UNITS))


def choose_thresholds(evidence: Evidence, train: list[Prepared]) -> Evidence:
    """The turn threshold (best mean of turn and sentence->turn kappa), the best-code floor
    (best sentence->turn kappa; ``None`` among the candidates) and then the sentence floor (best
    sentence kappa), each averaged over families."""
    grid = KAPPA_FLOORS if evidence.count == "kappa" else TURN_THRESHOLDS
    best_t = max(grid, key=lambda t: merit(
        replace(evidence, turn=replace(evidence.turn, threshold=float(t))), train, ("turn", "sentence->turn")))
    evidence = replace(evidence, turn=replace(evidence.turn, threshold=float(best_t)))
    best_b = max(BEST_FLOORS, key=lambda b: merit(replace(evidence, best_floor=b), train, ("sentence->turn",)))
    return choose_sentence_floor(replace(evidence, best_floor=best_b), train)


def choose_sentence_floor(evidence: Evidence, train: list[Prepared]) -> Evidence:
    """The sentence floor of best sentence kappa, averaged over families."""
    best_f = max(SENTENCE_FLOORS, key=lambda f: merit(replace(evidence, sentence_floor=float(f)), train,
                                                       ("sentence",)))
    return replace(evidence, sentence_floor=float(best_f))


# ---------------------------------------------------------------------------- scoring
def decide(p: Prepared, evidence: Evidence, *, foreign: bool = False) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Probability and pass per unit, over the evaluated codes (or the foreign ones)."""
    out = {}
    for unit in UNITS:  # every code competes with the whole codebook, as in the engine (best-code rule)
        inputs = p.foreign[unit] if foreign else p.own[unit]
        if unit == "turn":
            prob, passed = evidence.decide_turns(inputs.values)
        else:
            prob, passed = evidence.decide_sentences(inputs.values, inputs.turn_values, inputs.turn_of,
                                                     off_fillers=MOVE_OFF_FILLERS)
        if foreign:
            prob, passed = prob[:, -p.n_foreign:], passed[:, -p.n_foreign:]
        else:
            prob, passed = prob[:, p.cols], (passed & ~p.vetoed[unit])[:, p.cols]
        out[unit] = (prob, passed)
    return out


def kappas(p: Prepared, passed: dict[str, np.ndarray]) -> dict[str, float]:
    st = per_turn(passed["sentence"], p.s2t, p.n_turns)
    return {"turn": fast_kappa(passed["turn"], p.gold["turn"])[0],
            "sentence": fast_kappa(passed["sentence"], p.gold["sentence"])[0],
            "sentence->turn": fast_kappa(st, p.gold["turn"])[0]}


def score(p: Prepared, evidence: Evidence) -> dict[str, float]:
    return kappas(p, {u: v[1] for u, v in decide(p, evidence).items()})


def quota(p: Prepared, coverage: float = 0.5) -> dict[str, np.ndarray]:
    """The earlier rule: a prevalence prior per code (``threshold="prior"``)."""
    out = {}
    for unit in UNITS:
        s = p.own[unit].score
        _, _, _, threshold = prevalence_thresholds(s, p.is_group, Prior(coverage=coverage))
        out[unit] = ((s >= threshold[None, :]) & ~p.vetoed[unit])[:, p.cols]
    return out


def reliability(prob: np.ndarray, passed: np.ndarray, gold: np.ndarray) -> pd.DataFrame:
    """Suggestions binned by confidence: how many, mean confidence, share right."""
    edges = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0001]
    c, g = prob[passed], gold[passed]
    rows = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        m = (c >= lo) & (c < hi)
        rows.append({"confidence": f"{lo:.1f}-{min(hi, 1.0):.1f}", "suggestions": int(m.sum()),
                     "mean confidence": float(c[m].mean()) if m.any() else float("nan"),
                     "right": float(g[m].mean()) if m.any() else float("nan")})
    return pd.DataFrame(rows)


def count_follows(passed: np.ndarray, gold: np.ndarray) -> float:
    """Spearman's rho between suggestions per code and the people's codings per code."""
    from scipy.stats import spearmanr

    a, b = passed.sum(0), gold.sum(0)
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


# ---------------------------------------------------------------------------- calibration
def pair_fits(prepared: list[Prepared]) -> dict[frozenset[str], Evidence]:
    """For every two families, the evidence models fitted (and chosen) on all the others: the
    out-of-family predictions on either, when the other is held out (nested leave one out)."""
    families = sorted({p.family for p in prepared})
    return {frozenset(pair): fit_evidence([p for p in prepared if p.family not in pair])
            for pair in combinations(families, 2)}


def shown_pairs(decided: dict[str, tuple[np.ndarray, np.ndarray]], p: Prepared) -> dict[str, tuple]:
    """Per unit, the model probabilities of the suggestions and whether a person coded them."""
    return {u: (prob[passed], p.gold[u][passed]) for u, (prob, passed) in decided.items()}


def family_pairs(by_corpus: dict[str, dict[str, tuple]], prepared: list[Prepared],
                 families: list[str]) -> dict[str, Pairs]:
    """Per unit, the suggestion pairs of every family of ``families``."""
    return {u: {f: merge([by_corpus[p.name][u] for p in prepared if p.family == f]) for f in families}
            for u in UNITS}


#: Isotonic steps shrunk by Laplace's rule (``fit_calibrator``'s ``pseudo_count``): a top step of
#: a few suggestions all right must not show certainty (1.00).
PSEUDO_COUNT = 2.0


def calibration_of(kinds: dict[str, str], data: dict[str, Pairs]) -> ConfidenceCalibration:
    return ConfidenceCalibration(turn=fit_on(kinds["turn"], data["turn"], pseudo_count=PSEUDO_COUNT),
                                 sentence=fit_on(kinds["sentence"], data["sentence"], pseudo_count=PSEUDO_COUNT))


def calibrate_fold(held: str, prepared: list[Prepared], pairs: dict[frozenset[str], Evidence],
                   evidence: Evidence) -> tuple[Evidence, dict]:
    """The fold's evidence with its calibration: the kind per unit chosen, and fitted, on the
    out-of-family suggestions of the training families (:func:`pair_fits`); whether the kappa
    count reads calibrated probabilities chosen on the training families' sentence->turn kappa
    (each family scored with the calibration fitted without it)."""
    train_families = sorted({p.family for p in prepared} - {held})
    oof = {p.name: decide(p, pairs[frozenset((held, p.family))]) for p in prepared if p.family != held}
    data = family_pairs({n: shown_pairs(d, next(p for p in prepared if p.name == n)) for n, d in oof.items()},
                        prepared, train_families)
    tables = {u: kinds_left_out(data[u], pseudo_count=PSEUDO_COUNT) for u in UNITS}
    kinds = {u: choose_kind(tables[u]) for u in UNITS}
    merits: dict[str, list[float]] = {"model": [], "calibrated": []}
    for family in train_families:
        without = {u: {f: d for f, d in data[u].items() if f != family} for u in UNITS}
        ev = replace(pairs[frozenset((held, family))], calibration=calibration_of(kinds, without))
        for count_on, ks in merits.items():
            ks.append(float(np.mean([score(p, replace(ev, count_on=count_on))["sentence->turn"]
                                     for p in prepared if p.family == family])))
    count_on = "calibrated" if np.mean(merits["calibrated"]) > np.mean(merits["model"]) else "model"
    chosen = replace(evidence, calibration=calibration_of(kinds, data), count_on=count_on)
    every = {k: calibration_of({u: k for u in UNITS}, data) for k in CALIBRATOR_KINDS}
    return chosen, {"kinds": kinds, "tables": tables, "every": every,
                    "count merit": {k: float(np.mean(v)) for k, v in merits.items()}}


def ece_row(p: Prepared, decided: dict, evidence: Evidence, every: dict[str, ConfidenceCalibration]) -> dict:
    """ECE and Brier of the held-out suggestions before and after the fold's calibration, and
    the ECE every kind (fitted on the training families) would have given."""
    row: dict[str, object] = {"corpus": p.name}
    for unit in UNITS:
        prob, passed = decided[unit]
        c, g = prob[passed], p.gold[unit][passed]
        after = evidence.shown(c, unit)
        row[f"{unit} suggestions"] = int(passed.sum())
        row[f"{unit} ECE before"] = expected_calibration_error(c, g)
        row[f"{unit} ECE after"] = expected_calibration_error(after, g)
        row[f"{unit} Brier before"] = brier(c, g)
        row[f"{unit} Brier after"] = brier(after, g)
        for kind, cal in every.items():
            row[f"{unit} ECE ({kind})"] = expected_calibration_error(
                (cal.turn if unit == "turn" else cal.sentence).apply(c), g)
    return row


# ---------------------------------------------------------------------------- report
def leave_one_out(prepared: list[Prepared]) -> tuple[pd.DataFrame, dict[str, Evidence], dict, pd.DataFrame, dict]:
    rows, models, predictions, ece_rows, folds = [], {}, {}, [], {}
    pairs = pair_fits(prepared)
    for held in sorted({p.family for p in prepared}):
        train = [p for p in prepared if p.family != held]
        candidates = fit_candidates(train)
        evidence, fold = calibrate_fold(held, prepared, pairs, choose_count(candidates, train))
        models[held], folds[held] = evidence, fold
        for p in (q for q in prepared if q.family == held):
            decided = decide(p, evidence)
            predictions[p.name] = decided
            ece_rows.append(ece_row(p, decided, evidence, fold["every"]))
            ours = kappas(p, {u: v[1] for u, v in decided.items()})
            base = kappas(p, quota(p))
            foreign = decide(p, evidence, foreign=True) if p.n_foreign else {}
            row = {"corpus": p.name, "kind": p.kind, "count": evidence.count, "count on": evidence.count_on,
                   "best floor": "–" if evidence.best_floor is None else evidence.best_floor,
                   "turn threshold": evidence.turn.threshold, "sentence floor": evidence.sentence_floor}
            for u in SCORED_UNITS:
                row[f"{u}"] = ours[u]
                row[f"{u} (quota)"] = base[u]
            for c, ev in candidates.items():  # what each count would have given (not chosen here)
                row[f"sentence->turn ({c} count)"] = score(p, ev)["sentence->turn"]
            row["sentence->turn (no best code)"] = score(p, replace(evidence, best_floor=None))["sentence->turn"]
            for on in ("model", "calibrated"):
                row[f"sentence->turn (count on {on})"] = score(p, replace(evidence, count_on=on))["sentence->turn"]
            own_rate = decided["sentence"][1].mean()
            row["suggested / segment, own codes"] = float(own_rate)
            row["foreign codes"] = float(foreign["sentence"][1].mean()) if foreign else float("nan")
            row["rho count"] = count_follows(decided["sentence"][1], p.gold["sentence"])
            row["rho count (quota)"] = count_follows(quota(p)["sentence"], p.gold["sentence"])
            rows.append(row)
    return pd.DataFrame(rows), models, predictions, pd.DataFrame(ece_rows), folds


def shipped_calibration(prepared: list[Prepared], models: dict[str, Evidence], ece: pd.DataFrame
                        ) -> tuple[ConfidenceCalibration, dict[str, str]]:
    """The calibration to ship: per unit the kind with the lowest mean held-out ECE over the
    folds (each fitted on its training families), fitted on every corpus's leave-one-out
    suggestions (the kappa count on the model's probabilities, as the calibrators were fitted)."""
    kinds = {u: min(CALIBRATOR_KINDS, key=lambda k, u=u: float(ece[f"{u} ECE ({k})"].mean())) for u in UNITS}
    by_corpus = {p.name: shown_pairs(decide(p, replace(models[p.family], count_on="model")), p) for p in prepared}
    data = family_pairs(by_corpus, prepared, sorted({p.family for p in prepared}))
    return calibration_of(kinds, data), kinds


def passage_row(p: Prepared, passed: np.ndarray) -> dict[str, object]:
    """The review's passages (a code suggested on several sentences of one turn, decided at once
    with "Accept/Reject all in this turn") against people's sentence codes: how many are right
    on every sentence, wrong on every sentence, or mixed, and the decisions a reviewer makes
    deciding each uniform passage at once and a mixed one sentence by sentence."""
    rows, cols = np.nonzero(passed)
    keep = p.s2t[rows] >= 0
    frame = pd.DataFrame({"turn": p.s2t[rows[keep]], "code": cols[keep],
                          "right": p.gold["sentence"][rows[keep], cols[keep]].astype(bool)})
    groups = frame.groupby(["turn", "code"])["right"].agg(["size", "mean"])
    several = groups[groups["size"] > 1]
    mixed = several[(several["mean"] > 0) & (several["mean"] < 1)]
    decisions = len(groups) - len(mixed) + int(mixed["size"].sum())
    return {"corpus": p.name, "suggestions": int(passed.sum()), "(turn, code) passages": len(groups),
            "of several sentences": len(several), "all right": int((several["mean"] == 1).sum()),
            "all wrong": int((several["mean"] == 0).sum()), "mixed": len(mixed),
            "uniform share": (len(several) - len(mixed)) / len(several) if len(several) else float("nan"),
            "decisions by passage": decisions,
            "decisions / suggestions": decisions / max(1, int(passed.sum()))}


def literal(evidence: Evidence) -> str:
    """The Python literal of ``evidence`` for ``shipped_evidence.py``."""
    def model(m: EvidenceModel) -> str:
        return (f"EvidenceModel(\n        features={m.features!r},\n        coef={m.coef!r},\n"
                f"        intercept={m.intercept!r}, threshold={m.threshold!r})")
    cal = evidence.calibration
    return (f"DEFAULT_EVIDENCE = Evidence(\n    turn={model(evidence.turn)},\n"
            f"    sentence={model(evidence.sentence)},\n    sentence_floor={evidence.sentence_floor!r},\n"
            f"    count={evidence.count!r},\n    best_floor={evidence.best_floor!r},\n"
            f"    calibration=ConfidenceCalibration(\n        turn={cal.turn!r},\n"
            f"        sentence={cal.sentence!r}),\n    count_on={evidence.count_on!r},\n)")


def product_check(corpus: Corpus, be: object, cache: DiskEmbeddingCache) -> dict[str, float]:
    """The engine itself (shipped models), sentence unit: kappa per sentence and per turn."""
    engine = SemanticEngine(be, cache=cache, turn_vectors=TURN_VECTORS)
    suggestions = engine.suggest(corpus.segment_list("sentence"), corpus.codebook)
    gold = corpus.labels("sentence")
    pairs = [(s.segment_id, s.code_id) for s in suggestions if s.segment_id is not None]
    pred = labels_from_pairs(gold.index, corpus.codes, pairs).to_numpy().astype(bool)
    s2t = sentence_to_turn(corpus)
    turn_gold = corpus.labels("turn").to_numpy()
    return {"suggestions": len(suggestions), "sentence": fast_kappa(pred, gold.to_numpy())[0],
            "sentence->turn": fast_kappa(per_turn(pred, s2t, len(turn_gold)), turn_gold)[0]}


def print_reliability(prepared: list[Prepared], models: dict[str, Evidence], predictions: dict,
                      ece: pd.DataFrame, folds: dict) -> None:
    """Section 2: the calibration chosen per fold, ECE before and after, reliability after."""
    print("## 2. Reliability (leave one corpus out)\n")
    print("The shown confidence is the evidence model's probability calibrated. Per fold the "
          "calibrator kind of each unit (none, Platt, temperature, isotonic) is chosen by the mean "
          "expected calibration error (10 bins; Brier to break ties) over the training families, "
          "each scored with the calibrator fitted on the others, on *out-of-family* suggestions "
          "(predicted by evidence models fitted without that family and without the held-out one), "
          "then fitted on all training families; `count on`: whether the kappa count reads the "
          "calibrated probabilities, chosen on the training families' sentence->turn kappa.\n")
    fold_rows = [{"held out": h, "turn calibrator": f["kinds"]["turn"], "sentence calibrator": f["kinds"]["sentence"],
                  **{f"{u} ECE ({k}), training": float(f["tables"][u].loc[k, "ece"]) for u in UNITS
                     for k in CALIBRATOR_KINDS},
                  "count on": models[h].count_on,
                  "training sentence->turn, count on model": f["count merit"]["model"],
                  "training sentence->turn, count on calibrated": f["count merit"]["calibrated"]}
                 for h, f in folds.items()]
    print(markdown(pd.DataFrame(fold_rows), index=False) + "\n")
    print("Held-out ECE and Brier of the suggestions before (model probability) and after (shown "
          "confidence) calibration, and the held-out ECE each kind would have given:\n")
    print(markdown(ece, index=False) + "\n")
    means = ece.drop(columns=["corpus"]).mean()
    print("Mean over corpora: " + ", ".join(f"{k} {v:.3f}" for k, v in means.items()) + "\n")
    print("Suggestions binned by their shown (calibrated) confidence; `right`: the share a person "
          "coded. Calibrated confidence means `right` is close to `mean confidence`.\n")
    for p in prepared:
        for unit in UNITS:
            prob, passed = predictions[p.name][unit]
            print(f"**{p.name}, {unit}**\n")
            shown = models[p.family].shown(prob, unit)
            print(markdown(reliability(shown, passed, p.gold[unit]), index=False) + "\n")


def backend_kind(value: str) -> str:
    """``--backend``: one of the named kinds, or a folder holding a model."""
    if value in ("auto", "minilm", "tfidf") or Path(value).is_dir():
        return value
    raise argparse.ArgumentTypeError(f"auto, minilm, tfidf or a model's folder. Got {value!r} instead.")


def main() -> None:
    corpora_info = registry()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", choices=sorted(corpora_info), default=sorted(corpora_info))
    parser.add_argument("--backend", type=backend_kind, default="auto",
                        help="auto, minilm, tfidf, or the folder of a sentence-transformers model")
    parser.add_argument("--fit", action="store_true", help="also fit on every corpus and print the models")
    parser.add_argument("--add-features", nargs="*", default=[],
                        help="evidence the fitted models read besides the shipped models' (e.g. example_fit)")
    parser.add_argument("--drop-features", nargs="*", default=[],
                        help="evidence of the shipped models the fitted models do not read")
    parser.add_argument("--count", choices=("auto", *COUNTS), default=COUNT,
                        help="how many segments a code gets (Evidence.count); auto: chosen on the "
                             "training corpora of every fold")
    parser.add_argument("--turn-vectors", choices=TURN_VECTOR_MODES, default="embedded",
                        help="how turns of several sentences get their vectors (SemanticEngine.turn_vectors)")
    parser.add_argument("--keep-fillers", action="store_true",
                        help="leave sentence suggestions on fillers (the engine before off_fillers)")
    args = parser.parse_args()
    globals()["MOVE_OFF_FILLERS"] = not args.keep_fillers
    globals()["COUNT"] = args.count
    globals()["TURN_VECTORS"] = args.turn_vectors
    cache = DiskEmbeddingCache()
    t0 = time.perf_counter()
    corpora = {name: corpora_info[name].loader() for name in args.corpora}
    prepared, backends = prepare_all(corpora, corpora_info, args.backend, cache)
    shipped_features = default_evidence(next(iter(backends.values())))
    for unit, name in (("turn", "TURN_FEATURES"), ("sentence", "SENTENCE_FEATURES")):
        base = getattr(shipped_features, unit).features
        kept = [f for f in base if f not in args.drop_features]
        extra = [f for f in args.add_features if f not in kept]
        globals()[name] = (*[f for f in kept if f != "turn_logit"], *extra,
                           *(["turn_logit"] if "turn_logit" in kept else []))
    print(f"features: turn {TURN_FEATURES}; sentence {SENTENCE_FEATURES}")
    print("# Codebook-only suggestions against people, across corpora\n")
    for c in corpora.values():
        sizes = ", ".join(f"{len(c.segments[u])} {u}s" for u in UNITS)
        print(f"- **{c.name}** ({corpora_info[c.name].kind}, {corpora_info[c.name].language}, "
              f"{type(backends[c.name]).__name__}): {c.about}; {sizes}; {len(c.codes)} codes")
    p0 = prepared[0]
    gap = check_fast_kappa(quota(p0)["turn"], p0.gold_frames["turn"])
    print(f"\nbackends: {args.backend}; inputs ready in {time.perf_counter() - t0:.0f} s "
          f"(the fast kappa differs from agreement_table by {gap:.1e})\n")

    table, models, predictions, ece, folds = leave_one_out(prepared)
    print("## 1. Leave one corpus out (the figures to quote)\n")
    print("Macro Cohen's kappa over each corpus's codes: the evidence models fitted and their "
          "thresholds chosen on the *other* corpora, beside the prevalence quota of the previous "
          "engine (coverage 0.5) on the same segments. `foreign codes`: suggestions per sentence "
          f"for codes of other corpora's codebooks ({FOREIGN_CODES} per other corpus; a code the "
          "data never talks about should get none) against `own codes`. `rho count`: Spearman's "
          "rho between suggestions per code and people's codings per code (sentences).\n")
    print(markdown(table, index=False) + "\n")
    means = table[[c for c in table.columns if c.startswith(SCORED_UNITS)]].mean()
    print("Mean over corpora: " + ", ".join(f"{k} {v:.3f}" for k, v in means.items()) + "\n")

    print("### Passages: a code on several sentences of one turn, decided at once\n")
    print("The review offers \"Accept/Reject all N in this turn\" (and `thematic review accept --id N "
          "--turn`) when the held-out suggestions put a code on several sentences of one turn. "
          "Against people's sentence codes: passages right on every sentence, wrong on every "
          "sentence, or mixed (decided sentence by sentence), and the decisions a reviewer makes "
          "that way against one per suggestion.\n")
    passages = pd.DataFrame([passage_row(p, predictions[p.name]["sentence"][1]) for p in prepared])
    print(markdown(passages, index=False) + "\n")

    print_reliability(prepared, models, predictions, ece, folds)

    if args.fit:
        print("## 3. The shipped models (fitted on every corpus)\n")
        candidates = fit_candidates(prepared)
        calibration, kinds = shipped_calibration(prepared, models, ece)
        count_on = ("calibrated" if table["sentence->turn (count on calibrated)"].mean()
                    > table["sentence->turn (count on model)"].mean() else "model")
        evidence = replace(choose_count(candidates, prepared), calibration=calibration, count_on=count_on)
        if not table["sentence->turn"].mean() > table["sentence->turn (no best code)"].mean():
            evidence = choose_sentence_floor(replace(evidence, best_floor=None), prepared)
            print("The best-code rule does not raise the mean held-out sentence->turn kappa: not shipped.\n")
        print(f"Calibrators (lowest mean held-out ECE over the folds): turn {kinds['turn']}, sentence "
              f"{kinds['sentence']}, fitted on every corpus's leave-one-out suggestions; the kappa count "
              f"reads the {count_on} probabilities (higher mean held-out sentence->turn kappa).\n")
        print("In-sample mean kappa over the scored units by count (the shipped count is the best): "
              + ", ".join(f"{c} {merit(ev, prepared, SCORED_UNITS):.3f}" for c, ev in candidates.items()) + "\n")
        print("```python\n" + literal(evidence) + "\n```\n")
        shipped = default_evidence(next(iter(backends.values())))
        same = literal(evidence) == literal(shipped)
        print(f"(the shipped models for this backend {'are' if same else 'are not yet'} these)\n")
        rows = []
        for name, corpus in corpora.items():
            in_sample = score(next(p for p in prepared if p.name == name), evidence)
            rows.append({"corpus": name, **product_check(corpus, backends[name], cache),
                         "benchmark sentence (in-sample)": in_sample["sentence"],
                         "benchmark sentence->turn (in-sample)": in_sample["sentence->turn"]})
        print("The engine with the shipped models, in-sample (not figures to quote):\n")
        print(markdown(pd.DataFrame(rows), index=False))


if __name__ == "__main__":
    main()
