"""The analysis methods of :class:`thematic.Project`: frames from the store, pure functions.

Each method reads the project's frames (codings, segments, participants, themes) and calls
one function of :mod:`thematic.analysis`; nothing here changes the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from thematic import analysis
from thematic.errors import ParameterError

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


class ProjectAnalysis:
    """Mixed into :class:`thematic.Project`; relies on its frame methods."""

    # provided by Project
    def codings(self, *, status: str | None = None,
                document: int | str | None = None) -> pd.DataFrame: ...  # pragma: no cover
    def segments(self, unit: str | None = None) -> pd.DataFrame: ...  # pragma: no cover
    def participants(self) -> pd.DataFrame: ...  # pragma: no cover
    def themes(self) -> pd.DataFrame: ...  # pragma: no cover
    def theme_codes(self) -> pd.DataFrame: ...  # pragma: no cover
    def framework_summaries(self) -> pd.DataFrame: ...  # pragma: no cover
    def codebook(self) -> Any: ...  # pragma: no cover

    def _rows(self, rows: str, descendants: bool, subthemes: bool) -> dict[str, Any]:
        """Keyword arguments that choose codes or themes as the rows of a table."""
        if rows not in ("code", "theme"):
            raise ParameterError(f"rows must be 'code' or 'theme'. Got {rows!r} instead.")
        kwargs: dict[str, Any] = {"by": rows, "subthemes": subthemes}
        if descendants:
            kwargs["code_parents"] = {c.id: c.parent_id for c in self.codebook().codes}
        if rows == "theme":
            kwargs.update(themes=self.themes(), theme_codes=self.theme_codes())
        return kwargs

    def _studied(self) -> pd.DataFrame:
        """The participants who speak in a document (the denominator of percentages)."""
        people = self.participants()
        speaking = set(self.segments()["participant"].dropna().astype(str))
        return people[people["participant"].astype(str).isin(speaking)]

    def frequencies(self, *, rows: str = "code", descendants: bool = False,
                    subthemes: bool = False) -> pd.DataFrame:
        """Codings, segments, documents and participants (n, %) of each code or theme.

        See :func:`thematic.analysis.frequencies`; ``rows="theme"`` counts themes,
        ``descendants`` adds each code's child codes, ``subthemes`` each theme's subthemes.
        """
        codes = None if rows == "theme" else [c.id for c in self.codebook().codes]
        return analysis.frequencies(self.codings(status="accepted"), segments=self.segments(),
                                    participants=self._studied(), codes=codes,
                                    **self._rows(rows, descendants, subthemes))

    def matrix(self, by: str = "participant", *, rows: str = "code", value: str = "segments",
               form: str = "wide", descendants: bool = False,
               subthemes: bool = False) -> pd.DataFrame:
        """A code (or theme) x participant matrix, or x the values of attribute ``by``.

        See :func:`thematic.analysis.participant_matrix` and
        :func:`thematic.analysis.attribute_matrix` (``form`` applies to the latter).
        """
        codings = self.codings(status="accepted")
        kwargs = self._rows(rows, descendants, subthemes)
        if by == "participant":
            return analysis.participant_matrix(codings, value=value, segments=self.segments(),
                                               participants=self._studied(), **kwargs)
        return analysis.attribute_matrix(codings, self._studied(), by, form=form,
                                         segments=self.segments(), **kwargs)

    def drill_down(self, *, code: str | None = None, participant: str | None = None,
                   attribute: str | None = None, value: str | None = None,
                   rows: str = "code", descendants: bool = False,
                   subthemes: bool = False) -> pd.DataFrame:
        """The accepted codings behind a matrix cell. See :func:`thematic.analysis.drill_down`."""
        return analysis.drill_down(self.codings(status="accepted"), code=code,
                                   participant=participant, attribute=attribute, value=value,
                                   participants=self._studied(), segments=self.segments(),
                                   **self._rows(rows, descendants, subthemes))

    def cooccurrence(self, *, method: str = "segment", window: int = 1,
                     measure: str = "count", form: str = "long", rows: str = "code",
                     descendants: bool = False, subthemes: bool = False) -> pd.DataFrame:
        """Co-occurrence of codes or themes. See :func:`thematic.analysis.cooccurrence`."""
        return analysis.cooccurrence(self.codings(status="accepted"), method=method,
                                     window=window, measure=measure, form=form,
                                     segments=self.segments(),
                                     **self._rows(rows, descendants, subthemes))

    def framework(self, *, rows: str = "theme", form: str = "long",
                  descendants: bool = False, subthemes: bool = False) -> pd.DataFrame:
        """The framework matrix with the stored summaries.

        See :func:`thematic.analysis.framework_matrix`; ``rows`` are its columns (themes or
        codes), one row per participant who speaks.
        """
        summaries = self.framework_summaries()
        if rows == "theme":
            summaries = summaries[summaries["theme"].notna()]
        else:
            summaries = summaries[summaries["code"].notna()]
        return analysis.framework_matrix(self.codings(status="accepted"), summaries,
                                         form=form, participants=self._studied(),
                                         **self._rows(rows, descendants, subthemes))

    def interview_order(self, attribute: str = "interview_date") -> list[str]:
        """Documents in interview order: by the participant attribute (a date), then name."""
        segs = self.segments()
        docs = segs.drop_duplicates("document")[["document", "participant"]]
        people = self.participants()
        if attribute in people.columns:
            dates = people.set_index(people["participant"].astype(str))[attribute]
            docs = docs.assign(_when=docs["participant"].astype(str).map(dates))
            docs = docs.sort_values(["_when", "document"], na_position="last", kind="stable")
        else:
            docs = docs.sort_values("document")
        return [str(d) for d in docs["document"]]

    def saturation(self, *, base_size: int = 4, run_length: int = 2, threshold: float = 0.05,
                   n_boot: int = 1000, random_state: int | None = 0,
                   order: Sequence[str] | None = None,
                   order_by: str = "interview_date") -> SaturationReport:
        """Code accumulation in interview order and the saturation point, with a bootstrap.

        See :mod:`thematic.analysis.saturation`. The order is ``order``, else the documents
        sorted by the participants' ``order_by`` attribute (interview date), else by name.
        Only documents with accepted codings are assessed.
        """
        codings = self.codings(status="accepted")
        coded = set(codings["document"].astype(str))
        chosen = [d for d in (order or self.interview_order(order_by)) if d in coded]
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

    def coder_codings(self, coder: str) -> pd.DataFrame:
        """The codings of one coder, for agreement.

        A person's codings are those they made by hand (``source`` manual or import with
        ``coder`` them) and the suggestions they accepted (their own decisions); an engine
        (``"engine:rule"``, or just its source name, ``"rule"`` or ``"rules"``) has every
        coding it suggested, whatever was decided. In independent review a person's codings
        are only their own decisions (the consensus is nobody's), so agreement between coders
        is the same before and after the consensus step.
        """
        codings = self.codings()
        engine = coder.removeprefix("engine:")
        sources = set(codings["source"].dropna()) - {"manual", "import"}
        source = next((s for s in (engine, engine.removesuffix("s")) if s in sources), None)
        if source is not None:
            return codings[codings["source"] == source].assign(coder=coder)
        decisions = getattr(self, "decisions", None)
        settings = getattr(self, "settings", None)
        if decisions is not None and settings is not None and \
                settings().get("review_mode") == "independent":
            # blind review: a coder's codings are their own decisions, never the consensus
            frame = decisions(coder=coder)
            frame = frame[~frame["final"].astype(bool) & (frame["status"] == "accepted")]
            return codings[codings["coding_id"].isin(set(frame["coding_id"]))].assign(coder=coder)
        own = codings[(codings["coder"] == coder) & codings["source"].isin(["manual", "import"])
                      & (codings["status"] == "accepted")]
        decided = codings[(codings["decided_by"] == coder) & (codings["status"] == "accepted")]
        if decisions is not None:
            frame = decisions(coder=coder)
            ids = set(frame.loc[frame["status"] == "accepted", "coding_id"])
            decided = pd.concat([decided, codings[codings["coding_id"].isin(ids)]])
        both = pd.concat([own, decided]).drop_duplicates("coding_id")
        return both.assign(coder=coder)

    def agreement(self, coders: Sequence[str], *, unit: str = "sentence",
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
        segments = self.segments("sentence" if unit == "document" else unit)
        if roles is not None:
            segments = segments[segments["role"].isin(list(roles))]
        units = analysis.document_units(segments) if unit == "document" else segments
        codings = pd.concat([self.coder_codings(c) for c in pair], ignore_index=True)
        labels = analysis.unit_labels(codings, units)
        table = analysis.intercoder_agreement(labels, pair, n_boot=n_boot,
                                              random_state=random_state)
        diffs = analysis.disagreements(labels, pair, units=units)
        return AgreementReport(table, diffs, (pair[0], pair[1]), unit)
