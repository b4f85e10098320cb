"""Exports of a project and its pseudonym list: the use cases behind ``project.exports``.

Exports gather the data a kind needs through :class:`~thematic.services.reads.ProjectReads`
(see :mod:`thematic.services.gather`) and hand it to the export registry; pseudonym changes
are one audited transaction each (undoable).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.export.files import Target
from thematic.export.public_view import public_view
from thematic.export.registry import export, format_for
from thematic.export.report import ReportFile, write_report
from thematic.export.theme_table import build_theme_table
from thematic.pseudonymise import Pseudonymiser
from thematic.services.gather import documents_with_text, gather_report_data, themes_or_codebook
from thematic.services.reads import ProjectReads
from thematic.store import ProjectStore

__all__ = ["export_project", "project_pseudonymiser", "pseudonyms", "remove_pseudonym",
           "report_project", "set_pseudonym"]

def pseudonyms(store: ProjectStore) -> pd.DataFrame:
    """The project's pseudonym list: original, replacement, kind."""
    return store.pseudonyms.frame()


def set_pseudonym(store: ProjectStore, original: str, replacement: str, *, kind: str = "name",
                  actor: str) -> bool:
    """Add ``original -> replacement`` (or change its replacement); True when added."""
    with store.unit(actor, "pseudonym") as uow:
        return store.pseudonyms.set(uow, original, replacement, kind=kind)


def remove_pseudonym(store: ProjectStore, original: str, *, actor: str) -> None:
    """Remove the entry for ``original`` (undo brings it back)."""
    with store.unit(actor, "remove pseudonym") as uow:
        store.pseudonyms.remove(uow, original)


_ANALYSIS_KINDS = {"framework": "framework", "cooccurrence": "cooccurrence",
                   "agreement": "agreement", "saturation": "saturation", "methods": "methods"}


#: What an analysis output needs when the project has no data for it yet
_NEEDS = {
    "cooccurrence": "It needs accepted codings: accept suggestions on the Review page, or code "
                    "passages by hand.",
    "framework": "It needs accepted codings: accept suggestions on the Review page, or code "
                 "passages by hand.",
    "agreement": "It needs two people who coded the same documents (independent review).",
    "saturation": "It needs accepted codings in at least 6 documents.",
}


def what_it_needs(kind: str, notes: Sequence[str]) -> str:
    """Why an output of ``kind`` is empty, in one actionable sentence: the gathering note
    about it when there is one ("Saturation left out: ..."), else what it needs.

    >>> what_it_needs("cooccurrence", ["No themes defined yet: ..."])
    'It needs accepted codings: accept suggestions on the Review page, or code passages by hand.'
    >>> what_it_needs("saturation", ["Saturation left out: needs 6 documents with codings."])
    'Saturation left out: needs 6 documents with codings.'
    """
    own = [n for n in notes if n.lower().startswith(f"{kind} left out")]
    return " ".join(own) or _NEEDS.get(kind, "The project has no data for it yet.")


def project_pseudonymiser(reads: ProjectReads, *, ner: Any = "auto") -> Pseudonymiser:
    """Participants' names, speaker labels that are names, the project list, and NER."""
    from thematic.services.pseudonyms import pseudonymiser_for

    return pseudonymiser_for(reads.store, ner=ner)


def export_project(reads: ProjectReads, kind: str, target: Target, *, fmt: str | None = None,
                   pseudonymise: bool = True, ner: Any = "auto", quotes: int = 2,
                   attributes: list[str] | None = None, by: str = "participant",
                   **options: Any) -> dict[str, Any]:
    """Write one output of ``kind`` (format from ``fmt`` or the suffix).

    Parameters
    ----------
    pseudonymise
        Replace names in quotes and transcripts (default yes).
    quotes, attributes
        For the theme table: quotes per row, participant attributes after each quote.
    by
        For ``matrix``: ``"participant"``, ``"theme"`` or a participant attribute.
    options
        Passed to the analysis (``coders``, ``unit``, ``n_boot``, ``random_state``); for the
        data tables, ``unit`` (segments), ``status`` (codings) or ``run`` (topics).

    Returns
    -------
    dict
        ``kind``, ``format``, ``path``, ``pseudonymised`` and, where there are some, ``notes``.
    """
    name = format_for(kind, target, fmt)
    out: dict[str, Any] = {"kind": kind, "format": name, "path": str(target),
                           "pseudonymised": pseudonymise}
    names = project_pseudonymiser(reads, ner=ner) if pseudonymise else None
    reads = public_view(reads, names)
    participants = reads.participants()
    if attributes is None:
        attributes = ["role"] if "role" in participants.columns else []
    if kind in ("theme-table", "theme-table-long"):
        themes, links, _ = themes_or_codebook(reads)
        exemplars = reads.theme_quotes()
        table = build_theme_table(themes, links, reads.codings(), participants,
                                  exemplars=exemplars, quotes=quotes, attributes=attributes,
                                  pseudonymiser=names, pseudonymise=pseudonymise)
        export(kind, table, target, fmt=name)
        out["rows"] = len(table.rows) if kind == "theme-table" else len(table.long)
        return out
    if kind in ("segments", "codings", "topics"):
        frame = _data_table(reads, kind, participants, **options)
        export(kind, frame, target, fmt=name, sheet=kind)
        out.update(rows=len(frame), pseudonymised=False)
        return out
    if kind == "transcripts":
        docs = documents_with_text(reads)
        export(kind, docs, target, fmt=name, pseudonymiser=names, pseudonymise=pseudonymise)
        out["documents"] = len(docs)
        return out
    data, notes = gather_report_data(reads, attributes=attributes, pseudonymiser=names,
                                     quotes=quotes, transcripts=False, **options)
    out["notes"] = notes
    if kind == "thematic-map":
        payload: Any = {"themes": data.themes, "theme_codes": data.theme_codes,
                        "code_names": {c.id: c.name for c in reads.codebook().codes}}
    elif kind == "codebook":
        from thematic.export.tables_io import codebook_frame

        payload = codebook_frame(reads.codebook(), data.counts, pseudonymiser=names)
    elif kind == "matrix":
        key = {"participant": "code-participant", "theme": "theme-participant"}.get(by, f"code-{by}")
        if key not in data.matrices:
            data, _ = gather_report_data(reads, attributes=[by], transcripts=False, **options)
            key = f"code-{by}"
        payload = data.matrices[key]
    else:
        payload = getattr(data, _ANALYSIS_KINDS[kind])
    if payload is None:
        raise ParameterError(f"nothing to export as '{kind}' yet", hint=what_it_needs(kind, notes))
    export(kind, payload, target, fmt=name)
    return out


def _data_table(reads: ProjectReads, kind: str, participants: pd.DataFrame, *,
                unit: str | None = None, status: str | None = None,
                run: int | None = None) -> pd.DataFrame:
    """The rows of a data export: segments (of ``unit``), codings (of ``status``) or the
    members of a topics ``run``."""
    from thematic.export.tabular import codings_table, segments_table
    from thematic.services.topics import topics_table

    if kind == "segments":
        return segments_table(reads.segments(unit))
    if kind == "codings":
        return codings_table(reads.codings(status=status), reads.codebook(), participants)
    return topics_table(reads.store, run=run)


def report_project(reads: ProjectReads, outdir: str | Path, *, pseudonymise: bool = True,
                   ner: Any = "auto", progress: Any = None,
                   **options: Any) -> tuple[list[ReportFile], list[str]]:
    """Write every output into ``outdir``; returns the files written and notes on what was
    left out (and why)."""
    names = project_pseudonymiser(reads, ner=ner) if pseudonymise else None
    data, notes = gather_report_data(public_view(reads, names), pseudonymiser=names, **options)
    files = write_report(data, outdir, progress=progress)
    return files, notes
