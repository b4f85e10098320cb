"""Filters of codings (by code, coder, status, engine) shared by the transcript and review views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CodingFilter:
    """Which codings to show; an empty field lets everything through.

    ``coders`` matches the person who made the coding (``coder``) or decided it (``decided_by``);
    ``engines`` matches ``source`` (rule, semantic, classifier, topic, manual, import).

    Examples
    --------
    >>> frame = pd.DataFrame({"code": ["a", "b"], "coder": ["ana", None], "decided_by": [None, "ben"],
    ...                       "status": ["accepted", "suggested"], "source": ["manual", "rule"],
    ...                       "confidence": [1.0, 0.4], "document": ["d", "d"]})
    >>> CodingFilter(coders=("ben",)).apply(frame)["code"].tolist()
    ['b']
    """

    codes: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    engines: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    min_confidence: float | None = None
    max_confidence: float | None = None

    @classmethod
    def of(cls, *, codes: Sequence[str] = (), coders: Sequence[str] = (),
           statuses: Sequence[str] = (), engines: Sequence[str] = (),
           documents: Sequence[str] = (), min_confidence: float | None = None,
           max_confidence: float | None = None) -> CodingFilter:
        """A filter from the lists a page's widgets return."""
        return cls(tuple(codes), tuple(coders), tuple(statuses), tuple(engines), tuple(documents),
                   min_confidence, max_confidence)

    @property
    def active(self) -> bool:
        return bool(self.codes or self.coders or self.statuses or self.engines or self.documents
                    or self.min_confidence is not None or self.max_confidence is not None)

    def apply(self, codings: pd.DataFrame) -> pd.DataFrame:
        """The rows of a ``project.review.codings()`` frame that pass."""
        if codings.empty or not self.active:
            return codings
        keep = pd.Series(True, index=codings.index)
        if self.codes:
            keep &= codings["code"].isin(self.codes)
        if self.coders:
            keep &= codings["coder"].isin(self.coders) | codings["decided_by"].isin(self.coders)
        if self.statuses:
            keep &= codings["status"].isin(self.statuses)
        if self.engines:
            keep &= codings["source"].isin(self.engines)
        if self.documents:
            keep &= codings["document"].isin(self.documents)
        confidence = pd.to_numeric(codings["confidence"], errors="coerce")
        if self.min_confidence is not None:
            keep &= confidence >= self.min_confidence
        if self.max_confidence is not None:
            keep &= confidence <= self.max_confidence
        return codings[keep]


def as_seen_by(codings: pd.DataFrame, decisions: pd.DataFrame, coder: str,
               mode: str = "shared") -> pd.DataFrame:
    """The codings as ``coder`` sees them: in shared review, as they are; in independent
    review, every suggestion carries ``coder``'s own decision (status, decided_by,
    decided_at) or stays "suggested", and other coders' hand codings are left out until a
    consensus decision, so that nobody sees another coder's work.

    >>> codings = pd.DataFrame({"coding_id": [1, 2], "status": ["suggested", "suggested"],
    ...                         "decided_by": [None, None], "decided_at": [None, None]})
    >>> decisions = pd.DataFrame({"coding_id": [1, 2], "coder": ["ana", "ben"],
    ...                           "status": ["accepted", "rejected"], "decided_at": ["t1", "t2"],
    ...                           "final": [False, False]})
    >>> as_seen_by(codings, decisions, "ana", "independent")["status"].tolist()
    ['accepted', 'suggested']
    """
    if mode != "independent" or codings.empty:
        return codings
    mine = decisions[(decisions["coder"] == coder) & ~decisions["final"].astype(bool)]
    mine = mine.drop_duplicates("coding_id", keep="last").set_index("coding_id")
    out = codings
    if "source" in out.columns and "coder" in out.columns:  # others' hand codings stay blind
        theirs = ((out["source"] == "manual") & (out["coder"] != coder)
                  & (out["status"] == "suggested") & ~out["coding_id"].isin(mine.index))
        out = out[~theirs]
    out = out.copy()
    open_ = out["status"] == "suggested"
    ids = out.loc[open_, "coding_id"]
    out.loc[open_, "status"] = ids.map(mine["status"]).fillna("suggested").to_numpy()
    out.loc[open_, "decided_by"] = ids.map(lambda i: coder if i in mine.index else None).to_numpy()
    out.loc[open_, "decided_at"] = ids.map(mine["decided_at"]).to_numpy()
    return out


def filter_options(codings: pd.DataFrame) -> dict[str, list[str]]:
    """The values each filter can take in ``codings``: coders, engines, statuses (sorted)."""
    if codings.empty:
        return {"coders": [], "engines": [], "statuses": []}
    people = pd.concat([codings["coder"], codings["decided_by"]]).dropna().astype(str)
    return {"coders": sorted(set(people)), "engines": sorted(set(codings["source"].dropna())),
            "statuses": sorted(set(codings["status"].dropna()))}


__all__ = ["CodingFilter", "as_seen_by", "filter_options"]
