"""The semantic engine's scores as suggestions: which (segment, code) pairs it emits, each with
its confidence and evidence (:meth:`~thematic.suggest.semantic.SemanticEngine.suggest`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from thematic.models import Codebook, Segment, Suggestion
from thematic.suggest.semantic_scores import SemanticScores, pair_evidence, round_finite

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def suggestions_from_scores(
    sc: SemanticScores,
    segments: Sequence[Segment],
    codebook: Codebook,
    *,
    source: str,
    calibrated: bool,
    near_miss_margin: float,
    keep_vetoed: bool = False,
    also: Iterable[tuple[int, str]] = (),
) -> tuple[list[Suggestion], np.ndarray]:
    """The suggestions of the pairs that pass (and, with ``keep_vetoed``, the pairs a near miss
    vetoed, at confidence 0; ``also``: pairs reported even below threshold), in segment order,
    then codebook order; and which pairs are shown as suggested (passed, not vetoed), for the
    per-code report."""
    import numpy as np

    conf = sc.confidence()
    passed = sc.passed if sc.passed is not None else sc.score >= sc.threshold[None, :]
    emit = passed & ~sc.vetoed
    if keep_vetoed:
        emit |= sc.vetoed & passed
    shown = emit & ~sc.vetoed
    col = {cid: j for j, cid in enumerate(sc.code_ids)}
    row = {s.id: i for i, s in enumerate(segments)}
    for seg_id, code_id in also:
        if seg_id in row and code_id in col:
            emit[row[seg_id], col[code_id]] = True
    codes = list(codebook.codes)
    out: list[Suggestion] = []
    for i, j in zip(*np.nonzero(emit), strict=True):
        seg, code = segments[int(i)], codes[int(j)]
        vetoed = bool(sc.vetoed[i, j])
        out.append(
            Suggestion(
                document_id=seg.document_id, start=seg.start, end=seg.end,
                code_id=code.id,
                source=source,
                confidence=0.0 if vetoed else round_finite(conf[i, j]),
                evidence=pair_evidence(sc, code, int(i), int(j), passed=bool(passed[i, j]),
                                       calibrated=calibrated, near_miss_margin=near_miss_margin),
                segment_id=seg.id,
            )
        )
    return out, shown


__all__ = ["suggestions_from_scores"]
