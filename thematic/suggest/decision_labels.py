"""Training labels from a project's decisions on (segment, code) pairs: what the decision
classifier (:mod:`thematic.suggest.classifier`) learns from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

ACCEPTED = frozenset({"accepted", "coded", "manual"})
REJECTED = frozenset({"rejected"})
LABEL_COLUMNS = ["segment_id", "code", "label", "weight", "kind"]


def decision_labels(
    decisions: pd.DataFrame,
    *,
    other_code_weight: float = 0.3,
    uncoded_weight: float = 0.0,
    uncoded_segments: Sequence[int] = (),
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Training labels from decisions on (segment, code) pairs.

    Parameters
    ----------
    decisions : DataFrame
        Columns ``segment_id``, ``code``, ``status``: ``accepted`` or ``coded`` (by hand) is a
        positive, ``rejected`` a negative; other statuses (``suggested``) are ignored. One
        decision per pair: contradictory decisions are resolved before, by the project's
        review mode (:mod:`thematic.services.learning`); a pair that still has both is left
        out (kind ``contested`` is not returned).
    other_code_weight : float, default=0.3
        Weight of a negative for code ``c`` on a segment positive only for other codes.
    uncoded_weight : float, default=0.0
        Weight of a negative for every code on each of ``uncoded_segments``.
    uncoded_segments : sequence of int
        Segments a reviewer saw and left uncoded (e.g. of finished documents).
    codes : sequence of str, optional
        The codes to label; default: the codes in ``decisions``.

    Returns
    -------
    DataFrame
        Columns ``segment_id``, ``code``, ``label`` (1/0), ``weight``, ``kind``
        (``positive``, ``rejected``, ``other_code``, ``uncoded``); one row per
        (segment, code), an explicit decision winning over an inferred one.
    """
    import pandas as pd

    missing = {"segment_id", "code", "status"} - set(decisions.columns)
    if missing:
        raise ValueError(
            f"decisions must have columns segment_id, code, status. Got {list(decisions.columns)} instead."
        )
    frame = decisions.dropna(subset=["segment_id"])
    codes = list(dict.fromkeys(codes if codes is not None else frame["code"]))
    pos = frame[frame["status"].isin(ACCEPTED)]
    neg = frame[frame["status"].isin(REJECTED)]
    contested = ({(int(s), str(c)) for s, c in zip(pos["segment_id"], pos["code"], strict=True)}
                 & {(int(s), str(c)) for s, c in zip(neg["segment_id"], neg["code"], strict=True)})
    rows: dict[tuple[int, str], tuple[int, float, str]] = {}
    positive_segments = {int(s) for s in pos["segment_id"]}
    for seg in positive_segments:
        for c in codes:
            if other_code_weight > 0:
                rows[(seg, c)] = (0, other_code_weight, "other_code")
    for seg in uncoded_segments:
        if uncoded_weight > 0 and int(seg) not in positive_segments:
            for c in codes:
                rows[(int(seg), c)] = (0, uncoded_weight, "uncoded")
    for r in neg.itertuples():
        rows[(int(r.segment_id), str(r.code))] = (0, 1.0, "rejected")
    for r in pos.itertuples():
        rows[(int(r.segment_id), str(r.code))] = (1, 1.0, "positive")
    for key in contested:
        rows.pop(key, None)
    keep = set(codes)
    out = pd.DataFrame(
        [(s, c, lab, w, k) for (s, c), (lab, w, k) in rows.items() if c in keep],
        columns=LABEL_COLUMNS,
    )
    return out.sort_values(["code", "segment_id"], kind="stable").reset_index(drop=True)
