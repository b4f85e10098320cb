"""The confidence of a run's rule-based suggestions, moved by the project's decisions
(:mod:`thematic.suggest.decided_confidence`)."""

from __future__ import annotations

from collections.abc import Mapping

from thematic.services.learning import DecidedCodings, decided_codings
from thematic.store import ProjectStore
from thematic.suggest.decided_confidence import (
    PRIOR_STRENGTH,
    SHIFTED_SOURCES,
    DecisionShift,
    decision_shift,
)


def decision_shifts(store: ProjectStore, *, prior_strength: float = PRIOR_STRENGTH,
                    decided: DecidedCodings | None = None) -> dict[str, DecisionShift]:
    """Per shifted source, what the project's decided suggestions of that source say: those
    accepted or rejected (in independent review, the consensus, or the coders' common word;
    contested ones left out) that recorded the calibrated confidence they were shown with.
    ``decided``: the project's codings already read (:func:`~thematic.services.learning.decided_codings`)."""
    codings = (decided if decided is not None else decided_codings(store, evidence=True)).codings
    out: dict[str, DecisionShift] = {}
    for source in SHIFTED_SOURCES:
        if codings.empty:
            out[source] = decision_shift(source, [], [], prior_strength)
            continue
        rows = codings[(codings["source"] == source) & codings["status"].isin(["accepted", "rejected"])]
        shown, accepted = [], []
        for evidence, status in zip(rows["evidence"], rows["status"], strict=True):
            if isinstance(evidence, Mapping) and "calibrated_confidence" in evidence:
                shown.append(float(evidence["calibrated_confidence"]))
                accepted.append(status == "accepted")
        out[source] = decision_shift(source, shown, accepted, prior_strength)
    return out
