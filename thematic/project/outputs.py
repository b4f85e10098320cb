"""The namespaces of what a project gives out: analyses, exports, exchange with other tools.
Each method is one call into :mod:`thematic.services`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.progress import Progress
from thematic.project.base import Namespace
from thematic.services import analysis as analysis_service

if TYPE_CHECKING:
    from thematic.export.report import ReportFile
    from thematic.pseudonymise import Pseudonymiser
    from thematic.services.analysis import AgreementReport, SaturationReport
    from thematic.services.exchange import ExchangeReport, ExportReport


class Analysis(Namespace):
    """Analyses of the accepted codings (``project.analysis``); nothing here changes the
    project. See :mod:`thematic.services.analysis`."""

    def frequencies(self, *, rows: str = "code", descendants: bool = False,
                    subthemes: bool = False) -> pd.DataFrame:
        """Codings, segments, documents and participants (n, %) of each code or theme."""
        return analysis_service.frequencies(self._reads, rows=rows, descendants=descendants,
                                            subthemes=subthemes)

    def matrix(self, by: str = "participant", **options: Any) -> pd.DataFrame:
        """A code (or theme) x participant matrix, or x the values of attribute ``by``."""
        return analysis_service.matrix(self._reads, by, **options)

    def drill_down(self, **cell: Any) -> pd.DataFrame:
        """The accepted codings behind a matrix cell."""
        return analysis_service.drill_down(self._reads, **cell)

    def cooccurrence(self, **options: Any) -> pd.DataFrame:
        """Co-occurrence of codes or themes."""
        return analysis_service.cooccurrence(self._reads, **options)

    def framework(self, **options: Any) -> pd.DataFrame:
        """The framework matrix with the stored summaries."""
        return analysis_service.framework(self._reads, **options)

    def interview_order(self, attribute: str = "interview_date") -> list[str]:
        """Documents in interview order: by the participant attribute (a date), then name."""
        return analysis_service.interview_order(self._reads, attribute)

    def saturation(self, **options: Any) -> SaturationReport:
        """Code accumulation in interview order and the saturation point, with a bootstrap."""
        return analysis_service.saturation(self._reads, **options)

    def agreement(self, coders: Sequence[str], **options: Any) -> AgreementReport:
        """Agreement of two coders (people or engines) at a unit."""
        return analysis_service.agreement(self._reads, coders, **options)


class Exports(Namespace):
    """Outputs for papers and the pseudonym list (``project.exports``). See
    :mod:`thematic.services.exports`."""

    def write(self, kind: str, target: str | Path, *, fmt: str | None = None,
              **options: Any) -> dict[str, Any]:
        """Write one output (``theme-table``, ``matrix``, ``codings``, ``qdpx``, ...); the format
        from ``fmt`` or the suffix. See :func:`thematic.services.exports.export_project`."""
        from thematic.services.exports import export_project

        return export_project(self._reads, kind, target, fmt=fmt, **options)

    def report(self, outdir: str | Path, **options: Any) -> tuple[list[ReportFile], list[str]]:
        """Write every output for a paper into ``outdir``: the files written and notes on what
        was left out."""
        from thematic.services.exports import report_project

        return report_project(self._reads, outdir, **options)

    def pseudonyms(self) -> pd.DataFrame:
        """The pseudonym list: original, replacement, kind."""
        return self._reads.pseudonyms()

    def set_pseudonym(self, original: str, replacement: str, *, actor: str,
                      kind: str = "name") -> bool:
        """Add ``original -> replacement`` to the list (or change it). True when added."""
        from thematic.services.exports import set_pseudonym

        return set_pseudonym(self._store, original, replacement, kind=kind, actor=actor)

    def remove_pseudonym(self, original: str, *, actor: str) -> None:
        """Remove an entry of the pseudonym list (undo brings it back)."""
        from thematic.services.exports import remove_pseudonym

        remove_pseudonym(self._store, original, actor=actor)

    def save_pseudonym_list(self, table: pd.DataFrame, *, actor: str) -> dict[str, int]:
        """Make the pseudonym list what ``table`` says (original, replacement, kind), in one
        undoable step. See :func:`thematic.services.participants.save_pseudonym_list`."""
        from thematic.services.participants import save_pseudonym_list

        return save_pseudonym_list(self._store, table, actor=actor)

    def name_candidates(self, *, ner: Any = "auto", include_known: bool = False) -> pd.DataFrame:
        """Words that may be names, with contexts. See
        :func:`thematic.services.pseudonyms.name_candidates`."""
        from thematic.services.pseudonyms import name_candidates

        return name_candidates(self._store, ner=ner, include_known=include_known)

    def confirm_names(self, names: Sequence[str], *, actor: str, kind: str = "name",
                      replacement: str | None = None) -> int:
        """Add candidate names to the pseudonym list; returns how many were added. See
        :func:`thematic.services.pseudonyms.confirm_names`."""
        from thematic.services.pseudonyms import confirm_names

        return confirm_names(self._store, names, kind=kind, replacement=replacement, actor=actor)

    def pseudonymiser(self, *, ner: Any = "auto") -> Pseudonymiser:
        """The pseudonymiser of this project's quotes: participants' and speakers' names, the
        pseudonym list, and (``ner="auto"``) an installed NER pipeline."""
        from thematic.services.exports import project_pseudonymiser

        return project_pseudonymiser(self._reads, ner=ner)


class Exchange(Namespace):
    """REFI-QDA and other tools' projects (``project.exchange``). See
    :mod:`thematic.services.exchange`."""

    def import_project(self, path: str | Path, *, actor: str, allow_unplaced: bool = False,
                       progress: Progress | None = None,
                       sources: str | Path | None = None) -> ExchangeReport:
        """Import a REFI-QDA ``.qdpx``/``.qde``, a QualCoder ``.qda`` or a Taguette ``.sqlite3``
        project in one transaction (``sources``: the folder of a ``.qde``'s external
        sources). See :func:`thematic.services.exchange.import_project`."""
        from thematic.services.exchange import import_project

        return import_project(self._store, path, actor=actor, allow_unplaced=allow_unplaced,
                              progress=progress, sources=sources)

    def export_qdpx(self, path: str | Path, *, target: str = "standard",
                    account: str | None = None) -> ExportReport:
        """Write the project as REFI-QDA ``.qdpx`` for ``target`` (standard, nvivo, atlasti,
        maxqda); in a project with accounts, by ``account`` (a coder or owner)."""
        from thematic.services.exchange import export_qdpx

        return export_qdpx(self._store, path, target=target, account=account)
