"""Analyses of a project: its frames read through :class:`~thematic.services.reads.ProjectReads`,
computed by the pure functions of :mod:`thematic.analysis`; nothing here changes the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from thematic import analysis
from thematic.errors import ParameterError
from thematic.services.coders import coder_codings
from thematic.services.reads import ProjectReads

__all__ = ["AGREEMENT_UNITS", "AgreementReport", "SaturationReport", "agreement", "cooccurrence",
           "drill_down", "framework", "frequencies", "interview_order", "matrix", "saturation"]

#: Units agreement can be measured at.
AGREEMENT_UNITS = ("sentence", "turn", "document")


@dataclass(frozen=True)
class AgreementReport:
    """Inter-coder agreement of two coders at one unit.

    Attributes
    ----------
    table : DataFrame
        :func:`thematic.analysis.intercoder_agreement`: per code, then ``(pooled)``.
    disagreements : DataFrame
        :func:`thematic.analysis.disagreements`, with each unit's text.
    coders : tuple of str
    unit : str
    """

    table: pd.DataFrame
    disagreements: pd.DataFrame
    coders: tuple[str, str]
    unit: str


@dataclass(frozen=True)
class SaturationReport:
    """Code accumulation and Guest, Namey & Chen (2020) saturation for the project.

    Attributes
    ----------
    accumulation : DataFrame
        :func:`thematic.analysis.code_accumulation` in interview order.
    runs : DataFrame
        :func:`thematic.analysis.saturation_runs` in that order.
    point : int or None
        Interviews at saturation in that order (None: not reached).
    bootstrap : SaturationBootstrap
        The saturation point over random orders (median, IQR, curve band).
    order : list of str
        The interview order used.
    """

    accumulation: pd.DataFrame
    runs: pd.DataFrame
    point: int | None
    bootstrap: analysis.SaturationBootstrap
    order: list[str]


def _rows(reads: ProjectReads, rows: str, descendants: bool, subthemes: bool) -> dict[str, Any]:
    """Keyword arguments that choose codes or themes as the rows of a table."""
    if rows not in ("code", "theme"):
        raise ParameterError(f"rows must be 'code' or 'theme'. Got {rows!r} instead.")
    kwargs: dict[str, Any] = {"by": rows, "subthemes": subthemes}
    if descendants:
        kwargs["code_parents"] = {c.id: c.parent_id for c in reads.codebook().codes}
    if rows == "theme":
        kwargs.update(themes=reads.themes(), theme_codes=reads.theme_codes())
    return kwargs


def _studied(reads: ProjectReads) -> pd.DataFrame:
    """The participants who speak in a document (the denominator of percentages)."""
    people = reads.participants()
    speaking = set(reads.segments()["participant"].dropna().astype(str))
    return people[people["participant"].astype(str).isin(speaking)]


def _accepted(reads: ProjectReads) -> pd.DataFrame:
    """The accepted codings, without the engines' evidence (no analysis reads it; on a big
    project it is most of the time of the read)."""
    return reads.codings(status="accepted", evidence=False)


def frequencies(reads: ProjectReads, *, rows: str = "code", descendants: bool = False,
                subthemes: bool = False) -> pd.DataFrame:
    """Codings, segments, documents and participants (n, %) of each code or theme.

    See :func:`thematic.analysis.frequencies`; ``rows="theme"`` counts themes,
    ``descendants`` adds each code's child codes, ``subthemes`` each theme's subthemes.
    """
    codes = None if rows == "theme" else [c.id for c in reads.codebook().codes]
    return analysis.frequencies(_accepted(reads), segments=reads.segments(),
                                participants=_studied(reads), codes=codes,
                                **_rows(reads, rows, descendants, subthemes))


def matrix(reads: ProjectReads, by: str = "participant", *, rows: str = "code", value: str = "segments",
           form: str = "wide", descendants: bool = False,
           subthemes: bool = False) -> pd.DataFrame:
    """A code (or theme) x participant matrix, or x the values of attribute ``by``.

    See :func:`thematic.analysis.participant_matrix` and
    :func:`thematic.analysis.attribute_matrix` (``form`` applies to the latter).
    """
    codings = _accepted(reads)
    kwargs = _rows(reads, rows, descendants, subthemes)
    if by == "participant":
        return analysis.participant_matrix(codings, value=value, segments=reads.segments(),
                                           participants=_studied(reads), **kwargs)
    return analysis.attribute_matrix(codings, _studied(reads), by, form=form,
                                     segments=reads.segments(), **kwargs)


def drill_down(reads: ProjectReads, *, code: str | None = None, participant: str | None = None,
               attribute: str | None = None, value: str | None = None,
               rows: str = "code", descendants: bool = False,
               subthemes: bool = False) -> pd.DataFrame:
    """The accepted codings behind a matrix cell. See :func:`thematic.analysis.drill_down`."""
    return analysis.drill_down(_accepted(reads), code=code,
                               participant=participant, attribute=attribute, value=value,
                               participants=_studied(reads), segments=reads.segments(),
                               **_rows(reads, rows, descendants, subthemes))


def cooccurrence(reads: ProjectReads, *, method: str = "segment", window: int = 1,
                 measure: str = "count", form: str = "long", rows: str = "code",
                 descendants: bool = False, subthemes: bool = False) -> pd.DataFrame:
    """Co-occurrence of codes or themes. See :func:`thematic.analysis.cooccurrence`."""
    return analysis.cooccurrence(_accepted(reads), method=method,
                                 window=window, measure=measure, form=form,
                                 segments=reads.segments(),
                                 **_rows(reads, rows, descendants, subthemes))


def framework(reads: ProjectReads, *, rows: str = "theme", form: str = "long",
              descendants: bool = False, subthemes: bool = False) -> pd.DataFrame:
    """The framework matrix with the stored summaries.

    See :func:`thematic.analysis.framework_matrix`; ``rows`` are its columns (themes or
    codes), one row per participant who speaks.
    """
    summaries = reads.framework_summaries()
    if rows == "theme":
        summaries = summaries[summaries["theme"].notna()]
    else:
        summaries = summaries[summaries["code"].notna()]
    return analysis.framework_matrix(_accepted(reads), summaries,
                                     form=form, participants=_studied(reads),
                                     **_rows(reads, rows, descendants, subthemes))


def interview_order(reads: ProjectReads, attribute: str = "interview_date") -> list[str]:
    """Documents in interview order: by the participant attribute (a date), then name."""
    segs = reads.segments()
    docs = segs.drop_duplicates("document")[["document", "participant"]]
    people = reads.participants()
    if attribute in people.columns:
        dates = people.set_index(people["participant"].astype(str))[attribute]
        docs = docs.assign(_when=docs["participant"].astype(str).map(dates))
        docs = docs.sort_values(["_when", "document"], na_position="last", kind="stable")
    else:
        docs = docs.sort_values("document")
    return [str(d) for d in docs["document"]]


def saturation(reads: ProjectReads, *, base_size: int = 4, run_length: int = 2, threshold: float = 0.05,
               n_boot: int = 1000, random_state: int | None = 0,
               order: Sequence[str] | None = None,
               order_by: str = "interview_date") -> SaturationReport:
    """Code accumulation in interview order and the saturation point, with a bootstrap.

    See :mod:`thematic.analysis.saturation`. The order is ``order``, else the documents
    sorted by the participants' ``order_by`` attribute (interview date), else by name.
    Only documents with accepted codings are assessed.
    """
    codings = _accepted(reads)
    coded = set(codings["document"].astype(str))
    chosen = [d for d in (order or interview_order(reads, order_by)) if d in coded]
    accumulation = analysis.code_accumulation(codings, order=chosen)
    runs = analysis.saturation_runs(codings, order=chosen, base_size=base_size,
                                    run_length=run_length, threshold=threshold)
    hit = runs[runs["saturated"]]
    point = None if hit.empty else int(hit["run_start"].iloc[0]) - 1
    boot = analysis.saturation_bootstrap(codings, base_size=base_size,
                                         run_length=run_length, threshold=threshold,
                                         n_boot=n_boot, random_state=random_state,
                                         documents=chosen)
    return SaturationReport(accumulation, runs, point, boot, chosen)


def agreement(reads: ProjectReads, coders: Sequence[str], *, unit: str = "sentence",
              roles: Sequence[str] | None = ("participant",), n_boot: int = 1000,
              random_state: int | None = 0) -> AgreementReport:
    """Agreement of two coders (people or engines) at ``unit``.

    See :func:`thematic.analysis.intercoder_agreement`. The units are the project's
    ``unit`` segments (sentence or turn) of speakers with a role in ``roles`` (None: all),
    or whole documents; a coder covers the documents where they have a coding.
    """
    pair = [str(c).strip() for c in coders if str(c).strip()]
    if len(pair) != 2 or pair[0] == pair[1]:
        raise ParameterError(f"agreement needs two different coders. Got {pair} instead; "
                             "pass --coders A,B.")
    if unit not in AGREEMENT_UNITS:
        raise ParameterError(f"unit must be one of {list(AGREEMENT_UNITS)}. Got {unit!r} "
                             "instead.")
    segments = reads.segments("sentence" if unit == "document" else unit)
    if roles is not None:
        segments = segments[segments["role"].isin(list(roles))]
    units = analysis.document_units(segments) if unit == "document" else segments
    codings = pd.concat([coder_codings(reads, c) for c in pair], ignore_index=True)
    labels = analysis.unit_labels(codings, units)
    table = analysis.intercoder_agreement(labels, pair, n_boot=n_boot,
                                          random_state=random_state)
    diffs = analysis.disagreements(labels, pair, units=units)
    return AgreementReport(table, diffs, (pair[0], pair[1]), unit)
