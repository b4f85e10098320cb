"""Learning from decisions on a project: training labels, the classifier's status, the review queue.

Labels of a unit's segments (:func:`training_labels`) come from the project's codings:

- accepted codings (suggested and accepted, or made by hand: hand codings are stored
  accepted) are positives of their code on every segment they label;
- rejected suggestions are negatives;
- a *finished* document is one with at least one decision and no coding left suggested: its
  segments coded with other codes only are weak negatives (``other_code_weight``), its uncoded
  segments weaker ones (``uncoded_weight``), and the share of its segments people coded with
  a code is that code's *prevalence*, the classifier's threshold (see
  :mod:`thematic.suggest.classifier`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from thematic.models import INTERVIEWER_ROLES, Segment
from thematic.store import ProjectStore

OTHER_CODE_WEIGHT = 0.3
UNCODED_WEIGHT = 0.3


@dataclass
class Labels:
    """Training data of one unit."""

    labels: pd.DataFrame  # segment_id, code, label, weight, kind
    prevalence: dict[str, float]
    finished_documents: list[int]


def training_labels(store: ProjectStore, segments: Sequence[Segment], codes: Sequence[str]) -> Labels:
    """Labels of ``segments`` from the project's decisions (module docstring)."""
    from thematic.analysis import segment_labels
    from thematic.suggest.classifier import decision_labels

    codings = store.codings.frame()
    seg_frame = pd.DataFrame({"segment_id": [s.id for s in segments],
                              "document": [s.document_id for s in segments],
                              "start": [s.start for s in segments], "end": [s.end for s in segments]})
    if codings.empty or seg_frame.empty:
        empty = pd.DataFrame(columns=["segment_id", "code", "label", "weight", "kind"])
        return Labels(empty, {}, [])
    spans = codings.assign(document=codings["document_id"])
    rows = []
    for status in ("accepted", "rejected"):
        part = spans[spans["status"] == status]
        if part.empty:
            continue
        matrix = segment_labels(seg_frame, part, list(codes))
        for seg_id, code in _pairs(matrix):
            rows.append((int(seg_id), code, status))
    decisions = pd.DataFrame(rows, columns=["segment_id", "code", "status"])
    finished = _finished(codings)
    in_finished = seg_frame[seg_frame["document"].isin(finished)]
    positive_segments = set(decisions.loc[decisions["status"] == "accepted", "segment_id"])
    uncoded = [int(s) for s in in_finished["segment_id"] if int(s) not in positive_segments]
    labels = decision_labels(decisions, other_code_weight=OTHER_CODE_WEIGHT, uncoded_weight=UNCODED_WEIGHT,
                             uncoded_segments=uncoded, codes=list(codes))
    prevalence: dict[str, float] = {}
    if len(in_finished):
        done = set(in_finished["segment_id"].astype(int))
        pos = decisions[(decisions["status"] == "accepted") & decisions["segment_id"].isin(done)]
        counts = pos.groupby("code")["segment_id"].nunique()
        prevalence = {c: float(counts.get(c, 0)) / len(done) for c in codes}
    return Labels(labels, prevalence, finished)


def _pairs(matrix: pd.DataFrame) -> list[tuple[int, str]]:
    import numpy as np

    rows, cols = np.nonzero(matrix.to_numpy())
    return [(int(matrix.index[r]), str(matrix.columns[c])) for r, c in zip(rows, cols, strict=True)]


def _finished(codings: pd.DataFrame) -> list[int]:
    """Documents with a decision and nothing left suggested."""
    by_doc = codings.groupby("document_id")["status"]
    return [int(d) for d, st in by_doc if (st != "suggested").any() and not (st == "suggested").any()]


def unit_segments(store: ProjectStore, unit: str | None = None, *,
                  include_interviewer: bool = False) -> tuple[str, list[Segment]]:
    """The unit (project setting by default) and the segments a run codes."""
    unit = unit or store.settings().unit
    exclude = None if include_interviewer else sorted(INTERVIEWER_ROLES)
    return unit, store.documents.segments(unit, exclude_roles=exclude)


def fit_classifier(store: ProjectStore, *, unit: str | None = None, backend: Any = None,
                   include_interviewer: bool = False, seed: int = 0) -> tuple[Any, list[Segment]]:
    """A :class:`~thematic.suggest.classifier_engine.ClassifierEngine` fitted on the project."""
    from thematic.suggest.classifier_engine import ClassifierEngine
    from thematic.suggest.registry import make_backend

    _, segments = unit_segments(store, unit, include_interviewer=include_interviewer)
    codebook = store.codebook.current()
    data = training_labels(store, segments, [c.id for c in codebook.codes])
    engine = ClassifierEngine(make_backend(backend, random_state=seed), random_state=seed,
                              cache=store.embedding_cache())
    engine.fit(segments, codebook, data.labels, prevalence=data.prevalence or None)
    return engine, segments


def learning_status(store: ProjectStore, **kwargs: Any) -> pd.DataFrame:
    """Per code: positives, negatives, ready, needs (more decisions), expected_precision."""
    engine, _ = fit_classifier(store, **kwargs)
    clf = engine.classifier_
    table = clf.counts_.copy()
    table["expected_precision"] = [clf.expected_precision_.get(c, float("nan")) for c in table["code"]]
    return table


def review_queue(store: ProjectStore, *, limit: int | None = 20, code: str | None = None,
                 **kwargs: Any) -> pd.DataFrame:
    """Suggestions still to decide, the most informative first.

    A suggestion of a code the classifier has learned is ranked by how unsure the classifier
    is of it (probability nearest 0.5); the others by how unsure their engine is (confidence
    nearest 0.5), after the learned ones' equally unsure pairs.

    Returns
    -------
    DataFrame
        coding_id, document, segment_id, code, source, confidence, probability (nan when the
        code is not learned yet), uncertainty (``1 - 2 |p - 0.5|``), text.
    """
    import numpy as np

    from thematic.errors import ParameterError

    if limit is not None and limit < 1:
        raise ParameterError(f"limit must be a positive integer. Got {limit!r} instead.")
    pending = store.codings.frame(status="suggested")
    if code is not None:
        pending = pending[pending["code"] == code]
    columns = ["coding_id", "document", "segment_id", "code", "source", "confidence", "probability",
               "uncertainty", "text"]
    if pending.empty:
        return pd.DataFrame(columns=columns)
    engine, _ = fit_classifier(store, **kwargs)
    clf = engine.classifier_
    proba = clf.predict_proba(clf.X_) if clf.codes_ else np.zeros((len(clf.segment_ids_), 0))
    row = {sid: i for i, sid in enumerate(clf.segment_ids_)}
    probability = []
    for seg, c in zip(pending["segment_id"], pending["code"], strict=True):
        i = row.get(int(seg)) if pd.notna(seg) else None
        probability.append(float(proba[i, clf.codes_.index(c)]) if i is not None and c in clf.codes_
                           else float("nan"))
    frame = pending.assign(probability=probability)
    p = frame["probability"].fillna(frame["confidence"].astype(float))
    frame["uncertainty"] = 1.0 - 2.0 * (p - 0.5).abs()
    frame["learned"] = frame["probability"].notna()
    frame = frame.sort_values(["uncertainty", "learned", "coding_id"], ascending=[False, False, True],
                              kind="stable")
    out = frame[columns].reset_index(drop=True)
    return out.head(limit) if limit else out


@dataclass
class Learning:
    """What a suggestion run learns from decisions: whether the classifier runs, on what."""

    included: bool
    automatic: bool
    data: Labels | None
    needs: dict[str, int] | None = None

    def fit(self, engine: Any, segments: Sequence[Segment], codebook: Any) -> dict[str, int]:
        """Fit every fittable engine inside ``engine``; the codes' remaining needs."""
        from thematic.suggest.classifier_engine import ClassifierEngine

        needs: dict[str, int] = dict(self.needs or {})
        parts = engine._parts()[0] if hasattr(engine, "_parts") else [engine]
        for part in parts:
            if isinstance(part, ClassifierEngine) and self.data is not None:
                part.fit(segments, codebook, self.data.labels, prevalence=self.data.prevalence or None)
                needs = part.needs()
        return needs

    def record(self, needs: dict[str, int]) -> dict[str, Any]:
        """What the run stores about learning."""
        return {"classifier": self.included, "automatic": self.automatic,
                "labels": 0 if self.data is None else int(len(self.data.labels)),
                "finished_documents": [] if self.data is None else self.data.finished_documents,
                "trained": sorted(c for c, n in needs.items() if n == 0), "needs": needs}

    def per_code(self, table: pd.DataFrame, engine: Any) -> pd.DataFrame:
        """The per-code table with each code's expected precision and remaining needs."""
        from thematic.suggest.classifier_engine import ClassifierEngine

        parts = engine._parts()[0] if hasattr(engine, "_parts") else [engine]
        clf = next((p for p in parts if isinstance(p, ClassifierEngine) and "classifier_" in p.__dict__), None)
        if clf is None:
            return table
        precision = clf.classifier_.expected_precision_
        needs = clf.needs()
        return table.assign(expected_precision=[precision.get(c, float("nan")) for c in table["code"]],
                            needs=[needs.get(c, 0) for c in table["code"]])


def add_learning(store: ProjectStore, engines: Sequence[str], segments: Sequence[Segment],
                 codebook: Any) -> tuple[list[str], Learning]:
    """The run's engines, with the classifier added when the defaults run and a code is ready.

    The classifier joins the default engines automatically once at least one code has
    ``min_positives`` positive and ``min_negatives`` negative decisions (5 and 5); named
    explicitly (``-e classifier``) it always runs.
    """
    from thematic.suggest.classifier_engine import ClassifierEngine
    from thematic.suggest.registry import default_engines, resolve

    names = [spec.name for spec in resolve(engines)]
    explicit = "classifier" in names
    automatic = set(names) == set(default_engines())
    if not (explicit or automatic):
        return list(engines), Learning(False, False, None)
    data = training_labels(store, segments, [c.id for c in codebook.codes])
    min_pos, min_neg = ClassifierEngine().min_positives, ClassifierEngine().min_negatives
    needs = {}
    for code in codebook.codes:
        sub = data.labels[data.labels["code"] == code.id]
        pos, neg = int((sub["label"] == 1).sum()), int((sub["label"] == 0).sum())
        needs[code.id] = max(0, min_pos - pos) + max(0, min_neg - neg)
    if explicit:
        return list(engines), Learning(True, False, data, needs)
    if any(n == 0 for n in needs.values()):
        return [*names, "classifier"], Learning(True, True, data, needs)
    return list(engines), Learning(False, True, data, needs)
