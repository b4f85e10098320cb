"""Learning from decisions on a project: training labels, the classifier's status, the review queue.

Labels of a unit's segments (:func:`training_labels`) come from the project's codings:

- accepted codings (suggested and accepted, or made by hand: hand codings are stored
  accepted) are positives of their code on every segment they label;
- rejected suggestions are negatives;
- a *finished* document is one with at least one decision and no coding left suggested: its
  segments coded with other codes only are weak negatives (``other_code_weight``), its uncoded
  segments weaker ones (``uncoded_weight``). A run adds no suggestion on those (segment, code)
  pairs (:meth:`Labels.keeps`): the person finished the document without them, and a new
  suggestion there would reopen a finished document with what it was taught to leave out.

Contradictory decisions are handled by the project's review mode (DESIGN, "Decisions and
coders"), never averaged:

- **shared review**: a coding has one current decision; when two codings of the same code on
  the same segment were decided differently (one accepted, one rejected), the later decision
  is the project's current word and wins (counted as ``overridden``);
- **independent review**: the consensus (final) decision counts; a coding still waiting for
  its consensus counts when every coder who decided it agrees, and is left out while they
  disagree (counted as ``contested``), as is a segment whose codings disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from thematic.models import Segment
from thematic.store import ProjectStore

OTHER_CODE_WEIGHT = 0.3
UNCODED_WEIGHT = 0.3
LABEL_FRAME_COLUMNS = ["segment_id", "code", "label", "weight", "kind"]


@dataclass
class Labels:
    """Training data of one unit, and how contradictions were resolved."""

    labels: pd.DataFrame  # segment_id, code, label, weight, kind
    finished_documents: list[int]
    mode: str = "shared"
    contested: int = 0  # (segment, code) pairs left out: coders disagree, no consensus yet
    overridden: int = 0  # (segment, code) pairs where a later decision replaced an earlier one
    closed: frozenset[tuple[int, str]] = frozenset()  # negatives in finished documents

    def keeps(self, suggestion: Any) -> bool:
        """Whether a run may store ``suggestion``: not on a (segment, code) a person closed by
        finishing its document without that code (the learned model was taught "no" there)."""
        return (suggestion.segment_id, suggestion.code_id) not in self.closed


class DecidedCodings(NamedTuple):
    """The project's codings as a run learns from them (:func:`decided_codings`)."""

    codings: pd.DataFrame
    mode: str
    contested: int


def decided_codings(store: ProjectStore, *, evidence: bool = False,
                    codings: pd.DataFrame | None = None) -> DecidedCodings:
    """Every coding with the status learning reads from it, the review mode, and the number of
    codings left out because their coders disagree (module docstring). A run reads them once,
    for the learned model and for the confidence the decisions move (which reads their
    ``evidence``: the learned model does not). ``codings``: the project's codings frame already
    read (with the stored statuses)."""
    if codings is None:
        codings = store.codings.frame(evidence=evidence)
    mode = str(store.settings().review_mode or "shared")
    if mode != "independent" or codings.empty:
        return DecidedCodings(codings, mode, 0)
    own = store.decisions.frame(final=False)
    verdicts = {int(cid): set(st) - {"suggested"} for cid, st in own.groupby("coding_id")["status"]}
    status = codings["status"].to_list()
    contested = 0
    for k, (cid, current) in enumerate(zip(codings["coding_id"], status, strict=True)):
        if current != "suggested":
            continue  # the consensus decided it
        said = verdicts.get(int(cid), set())
        if len(said) == 1:
            status[k] = next(iter(said))
        elif len(said) > 1:
            status[k] = "contested"
            contested += 1
    return DecidedCodings(codings.assign(status=status), mode, contested)


def training_labels(store: ProjectStore, segments: Sequence[Segment], codes: Sequence[str], *,
                    decided: DecidedCodings | None = None) -> Labels:
    """Labels of ``segments`` from the project's decisions (module docstring); ``decided``: the
    project's codings already read (:func:`decided_codings`)."""
    from thematic.suggest.decision_labels import decision_labels

    codings, mode, contested = decided if decided is not None else decided_codings(store)
    seg_frame = pd.DataFrame({"segment_id": [s.id for s in segments],
                              "document": [s.document_id for s in segments],
                              "start": [s.start for s in segments], "end": [s.end for s in segments]})
    if codings.empty or seg_frame.empty:
        return Labels(pd.DataFrame(columns=LABEL_FRAME_COLUMNS), [], mode, contested)
    spans = codings.assign(document=codings["document_id"])
    pairs = {status: set(_covered(seg_frame, spans[spans["status"] == status], codes))
             for status in ("accepted", "rejected")}
    both = pairs["accepted"] & pairs["rejected"]
    overridden = 0
    if both and mode == "independent":
        contested += len(both)
        pairs = {k: v - both for k, v in pairs.items()}
    elif both:
        later = _latest_status(seg_frame, spans, both)
        overridden = len(both)
        for key, status in later.items():
            pairs["rejected" if status == "accepted" else "accepted"].discard(key)
    rows = [(s, c, st) for st, found in pairs.items() for s, c in sorted(found)]
    decisions = pd.DataFrame(rows, columns=["segment_id", "code", "status"])
    finished = _finished(codings)
    in_finished = seg_frame[seg_frame["document"].isin(finished)]
    positive_segments = {s for s, _ in pairs["accepted"]}
    uncoded = [int(s) for s in in_finished["segment_id"] if int(s) not in positive_segments]
    labels = decision_labels(decisions, other_code_weight=OTHER_CODE_WEIGHT, uncoded_weight=UNCODED_WEIGHT,
                             uncoded_segments=uncoded, codes=list(codes))
    finished_segments = {int(s) for s in in_finished["segment_id"]}
    negative = labels[(labels["label"] == 0) & labels["segment_id"].isin(finished_segments)]
    closed = frozenset(zip(negative["segment_id"].astype(int), negative["code"].astype(str), strict=True))
    return Labels(labels, finished, mode, contested, overridden, closed)


def _covered(seg_frame: pd.DataFrame, spans: pd.DataFrame, codes: Sequence[str]) -> list[tuple[int, str]]:
    """(segment, code) pairs the ``spans`` label."""
    import numpy as np

    from thematic.analysis import segment_labels

    if spans.empty:
        return []
    matrix = segment_labels(seg_frame, spans, list(codes))
    rows, cols = np.nonzero(matrix.to_numpy())
    return [(int(matrix.index[r]), str(matrix.columns[c])) for r, c in zip(rows, cols, strict=True)]


def _latest_status(seg_frame: pd.DataFrame, spans: pd.DataFrame,
                   pairs: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """For each (segment, code) decided both ways, the status of its latest decision."""
    where = seg_frame.set_index("segment_id")
    decided = spans[spans["status"].isin(["accepted", "rejected"])]
    out = {}
    for seg, code in pairs:
        s = where.loc[seg]
        hit = decided[(decided["document_id"] == s["document"]) & (decided["code"] == code)
                      & (decided["start"] < s["end"]) & (decided["end"] > s["start"])]
        latest = hit.sort_values(["decided_at", "coding_id"], kind="stable", na_position="first").iloc[-1]
        out[(seg, code)] = str(latest["status"])
    return out


def _finished(codings: pd.DataFrame) -> list[int]:
    """Documents with a decision and nothing left suggested (or contested)."""
    open_ = codings["status"].isin(["suggested", "contested"])
    by_doc = open_.groupby(codings["document_id"])
    return [int(d) for d, still in by_doc if (~still).any() and not still.any()]


def fit_classifier(store: ProjectStore, *, unit: str | None = None, backend: Any = None,
                   include_interviewer: bool = False, seed: int = 0,
                   decided: DecidedCodings | None = None) -> tuple[Any, list[Segment]]:
    """A :class:`~thematic.suggest.classifier_engine.ClassifierEngine` fitted on the project
    (``decided``: its codings already read, :func:`decided_codings`)."""
    from thematic.services.language import backend_for_texts
    from thematic.services.runs import unit_segments
    from thematic.suggest.classifier_engine import ClassifierEngine

    _, segments = unit_segments(store, unit, include_interviewer=include_interviewer)
    codebook = store.codebook.current()
    data = training_labels(store, segments, [c.id for c in codebook.codes], decided=decided)
    # the model of the documents' language, as suggestion runs choose it
    chosen, _ = backend_for_texts(backend, [s.text for s in segments], random_state=seed)
    engine = ClassifierEngine(chosen, random_state=seed, cache=store.embedding_cache())
    engine.fit(segments, codebook, data.labels)
    return engine, segments


def learning_status(store: ProjectStore, **kwargs: Any) -> pd.DataFrame:
    """Per code: positives, negatives, ready, needs (more decisions), the model it uses
    (codebook or learned) and why."""
    engine, _ = fit_classifier(store, **kwargs)
    table = engine.classifier_.counts_.copy()
    report = engine.code_report().set_index("code")
    table["model"] = [report.loc[c, "model"] for c in table["code"]]
    table["why"] = [report.loc[c, "why"] for c in table["code"]]
    return table


def review_queue(store: ProjectStore, *, limit: int | None = 20, code: str | None = None,
                 **kwargs: Any) -> pd.DataFrame:
    """Suggestions still to decide, the most informative first.

    A suggestion is ranked by how unsure the model its code uses is of it (probability nearest
    0.5: the learned model's for a learned code, the codebook's otherwise).

    Returns
    -------
    DataFrame
        coding_id, document, segment_id, code, source, confidence, probability (nan when the
        segment is not among the unit's), uncertainty (``1 - 2 |p - 0.5|``), passage (how many
        suggestions of the code its turn holds, itself included: decided at once with
        ``turn_suggestions``), text.
    """
    from thematic.errors import ParameterError

    if limit is not None and limit < 1:
        raise ParameterError(f"limit must be a positive integer. Got {limit!r} instead.")
    codings = store.codings.frame(evidence=False)  # read once: the queue and the training labels
    pending = codings[codings["status"] == "suggested"]
    pending = pending.assign(passage=passage_sizes(pending))
    if code is not None:
        pending = pending[pending["code"] == code]
    columns = ["coding_id", "document", "segment_id", "code", "source", "confidence", "probability",
               "uncertainty", "passage", "text"]
    if pending.empty:
        return pd.DataFrame(columns=columns)
    engine, _ = fit_classifier(store, decided=decided_codings(store, codings=codings), **kwargs)
    clf = engine.classifier_
    proba = clf.probability()
    row = {sid: i for i, sid in enumerate(clf.segment_ids_)}
    col = {c: j for j, c in enumerate(clf.codes_)}
    probability = []
    for seg, c in zip(pending["segment_id"], pending["code"], strict=True):
        i = row.get(int(seg)) if pd.notna(seg) else None
        probability.append(float(proba[i, col[c]]) if i is not None and c in col else float("nan"))
    frame = pending.assign(probability=probability)
    p = frame["probability"].fillna(frame["confidence"].astype(float))
    frame["uncertainty"] = 1.0 - 2.0 * (p - 0.5).abs()
    frame = frame.sort_values(["uncertainty", "coding_id"], ascending=[False, True], kind="stable")
    out = frame[columns].reset_index(drop=True)
    return out.head(limit) if limit else out


def passage_sizes(codings: pd.DataFrame) -> pd.Series:
    """For each coding of ``codings`` (with ``document_id``, ``turn``, ``code``), how many of
    ``codings`` share its code and turn, itself included (1 outside every turn).

    >>> frame = pd.DataFrame({"document_id": [1, 1, 1, 2], "turn": [0, 0, None, 0],
    ...                       "code": ["a", "a", "a", "a"]})
    >>> passage_sizes(frame).tolist()
    [2, 2, 1, 1]
    """
    if codings.empty:
        return pd.Series([], dtype="int64", index=codings.index)
    turn = codings["turn"]
    sizes = codings.groupby(["document_id", turn, "code"])["code"].transform("size")
    return sizes.where(turn.notna(), 1).astype("int64")


def fittable_parts(engine: Any) -> list[Any]:
    """The engines inside ``engine`` (itself, or a combiner's members) that learn from decisions."""
    from thematic.suggest.base import FittableEngine
    from thematic.suggest.combine import CombinedEngine

    members = engine.members() if isinstance(engine, CombinedEngine) else [engine]
    return [m for m in members if isinstance(m, FittableEngine)]


def reporting_parts(engine: Any) -> list[Any]:
    """The engines inside ``engine`` that say per code what they did and why."""
    from thematic.suggest.base import ReportingEngine
    from thematic.suggest.combine import CombinedEngine

    members = engine.members() if isinstance(engine, CombinedEngine) else [engine]
    return [m for m in members if isinstance(m, ReportingEngine)]


@dataclass
class Learning:
    """What a suggestion run learns from decisions: whether the classifier runs, on what."""

    included: bool
    automatic: bool
    data: Labels | None
    needs: dict[str, int] = field(default_factory=dict)
    encoder: Any = None  # the encoder fine-tuned on the decisions, when the run uses one
    finetuned: dict[str, Any] | None = None  # what the run records of it

    def fit(self, engine: Any, segments: Sequence[Segment], codebook: Any) -> dict[str, int]:
        """Fit every engine inside ``engine`` that learns from decisions; the codes' needs."""
        needs: dict[str, int] = dict(self.needs)
        if self.data is None:
            return needs
        for part in fittable_parts(engine):
            if self.encoder is not None and hasattr(part, "encoder"):
                part.set_params(encoder=self.encoder)
            part.fit(segments, codebook, self.data.labels)
            if hasattr(part, "needs"):
                needs = part.needs()
        return needs

    def record(self, needs: dict[str, int], engine: Any = None) -> dict[str, Any]:
        """What the run stores about learning: the data, and each code's model and reason."""
        out: dict[str, Any] = {
            "classifier": self.included, "automatic": self.automatic,
            "labels": 0 if self.data is None else int(len(self.data.labels)),
            "finished_documents": [] if self.data is None else self.data.finished_documents,
            "review_mode": None if self.data is None else self.data.mode,
            "contested": 0 if self.data is None else self.data.contested,
            "overridden": 0 if self.data is None else self.data.overridden,
            "needs": needs, "finetuned": self.finetuned,
        }
        if engine is not None:
            reads = [part.learn_on for part in fittable_parts(engine) if hasattr(part, "learn_on")]
            if reads:  # what the learned model reads of a segment (learning_features)
                out["learn_on"] = reads[0]
            models = code_models(engine)
            out["learned"] = sorted(c for c, (model, _) in models.items() if model == "learned")
            out["models"] = {c: {"model": m, "why": why} for c, (m, why) in models.items()}
        return out


def code_models(engine: Any) -> dict[str, tuple[str, str]]:
    """Per code, the model the fitted engines chose (codebook or learned) and why."""
    out: dict[str, tuple[str, str]] = {}
    for part in reporting_parts(engine):
        if part in fittable_parts(engine):
            report = part.code_report()
            if "model" in report.columns:
                out.update({str(r.code): (str(r.model), str(r.why)) for r in report.itertuples()})
    return out


def add_learning(store: ProjectStore, engines: Sequence[str], segments: Sequence[Segment],
                 codebook: Any, *, encoder: tuple[Any, dict[str, Any] | None] = (None, None),
                 decided: DecidedCodings | None = None) -> tuple[list[str], Learning]:
    """The run's engines, with the classifier added when the defaults run and a code is ready.

    The classifier joins the default engines automatically once at least one code has
    ``min_positives`` positive and ``min_negatives`` negative decisions (3 and 3); named
    explicitly (``-e classifier``) it always runs. Each code then uses the learned model only
    when its cross-validated estimate beats the codebook's. ``encoder``: the fine-tuned encoder
    whose vectors the learned model uses, and its record
    (:func:`thematic.services.finetune.finetuned_encoder`), or ``(None, None)``. ``decided``:
    the project's codings already read (:func:`decided_codings`).
    """
    from thematic.suggest.classifier_engine import ClassifierEngine
    from thematic.suggest.registry import default_engines, resolve

    names = [spec.name for spec in resolve(engines)]
    explicit = "classifier" in names
    automatic = set(names) == set(default_engines())
    if not (explicit or automatic):
        return list(engines), Learning(False, False, None)
    data = training_labels(store, segments, [c.id for c in codebook.codes], decided=decided)
    defaults = ClassifierEngine()
    needs = {}
    for code in codebook.codes:
        sub = data.labels[data.labels["code"] == code.id]
        pos, neg = int((sub["label"] == 1).sum()), int((sub["label"] == 0).sum())
        needs[code.id] = max(0, defaults.min_positives - pos) + max(0, defaults.min_negatives - neg)
    if explicit:
        return list(engines), Learning(True, False, data, needs, *encoder)
    if any(n == 0 for n in needs.values()):
        return [*names, "classifier"], Learning(True, True, data, needs, *encoder)
    return list(engines), Learning(False, True, data, needs)
