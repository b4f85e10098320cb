"""Exports of a project and its pseudonym list: the use cases behind ``Project.export``,
``Project.report`` and ``Project.set_pseudonym``.

Exports gather the data a kind needs from the project's public methods (see
:mod:`thematic.export.gather`) and hand it to the registry; pseudonym changes are one audited
transaction each (undoable).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.export.files import Target
from thematic.export.gather import codebook_themes, gather_report_data
from thematic.export.registry import export, format_for
from thematic.export.report import ReportFile, write_report
from thematic.export.theme_table import build_theme_table
from thematic.pseudonymise import Pseudonymiser
from thematic.store import ProjectStore

__all__ = ["export_project", "project_pseudonymiser", "pseudonyms", "remove_pseudonym",
           "report_project", "set_pseudonym"]

def pseudonyms(store: ProjectStore) -> pd.DataFrame:
    """The project's pseudonym list: original, replacement, kind."""
    return store.pseudonyms.frame()


def set_pseudonym(store: ProjectStore, original: str, replacement: str, *, kind: str = "name",
                  actor: str | None = None) -> bool:
    """Add ``original -> replacement`` (or change its replacement); True when added."""
    with store.unit(actor, "pseudonym") as uow:
        return store.pseudonyms.set(uow, original, replacement, kind=kind)


def remove_pseudonym(store: ProjectStore, original: str, *, actor: str | None = None) -> None:
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


def project_pseudonymiser(project: Any, *, ner: Any = "auto") -> Pseudonymiser:
    """Participants' names, speaker labels that are names, the project list, and NER."""
    listed = project.pseudonyms() if hasattr(project, "pseudonyms") else None
    return Pseudonymiser.for_project(project.participants(), speakers=project.segments("turn"),
                                     pseudonyms=listed, ner=ner)


def _themes(project: Any) -> tuple[Any, Any]:
    themes = project.themes() if hasattr(project, "themes") else None
    links = project.theme_codes() if hasattr(project, "theme_codes") else None
    if themes is None or themes.empty:
        return codebook_themes(project.codebook())
    return themes, links


def export_project(project: Any, kind: str, target: Target, *, fmt: str | None = None,
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
        Passed to the analysis (``coders``, ``unit``, ``n_boot``, ``random_state``).

    Returns
    -------
    dict
        ``kind``, ``format``, ``path``, ``pseudonymised`` and, where there are some, ``notes``.
    """
    name = format_for(kind, target, fmt)
    out: dict[str, Any] = {"kind": kind, "format": name, "path": str(target),
                           "pseudonymised": pseudonymise}
    names = project_pseudonymiser(project, ner=ner) if pseudonymise else None
    participants = project.participants()
    if attributes is None:
        attributes = ["role"] if "role" in participants.columns else []
    if kind in ("theme-table", "theme-table-long"):
        themes, links = _themes(project)
        exemplars = project.theme_quotes() if hasattr(project, "theme_quotes") else None
        table = build_theme_table(themes, links, project.codings(), participants,
                                  exemplars=exemplars, quotes=quotes, attributes=attributes,
                                  pseudonymiser=names, pseudonymise=pseudonymise)
        export(kind, table, target, fmt=name)
        out["rows"] = len(table.rows) if kind == "theme-table" else len(table.long)
        return out
    if kind in ("segments", "codings"):
        from thematic.export.tabular import codings_table, segments_table

        frame = (segments_table(project.segments()) if kind == "segments" else
                 codings_table(project.codings(), project.codebook(), participants))
        export(kind, frame, target, fmt=name, sheet=kind)
        out.update(rows=len(frame), pseudonymised=False)
        return out
    if kind == "transcripts":
        docs = _documents(project)
        export(kind, docs, target, fmt=name, pseudonymiser=names, pseudonymise=pseudonymise)
        out["documents"] = len(docs)
        return out
    data, notes = gather_report_data(project, attributes=attributes, pseudonymiser=names,
                                     quotes=quotes, transcripts=False, **options)
    out["notes"] = notes
    if kind == "thematic-map":
        payload: Any = {"themes": data.themes, "theme_codes": data.theme_codes,
                        "code_names": {c.id: c.name for c in project.codebook().codes}}
    elif kind == "codebook":
        from thematic.export.tables_io import codebook_frame

        payload = codebook_frame(project.codebook(), data.counts)
    elif kind == "matrix":
        key = {"participant": "code-participant", "theme": "theme-participant"}.get(by, f"code-{by}")
        if key not in data.matrices:
            data, _ = gather_report_data(project, attributes=[by], transcripts=False, **options)
            key = f"code-{by}"
        payload = data.matrices[key]
    else:
        payload = getattr(data, _ANALYSIS_KINDS[kind])
    if payload is None:
        raise ParameterError(f"nothing to export as '{kind}' yet", hint=what_it_needs(kind, notes))
    export(kind, payload, target, fmt=name)
    return out


def _documents(project: Any) -> pd.DataFrame:
    """Each document's name, its one participant (None for a group) and its text."""
    docs = project.documents()
    rows = []
    for name, people in zip(docs["name"], docs["participants"]):
        ids = [p.strip() for p in str(people or "").split(",") if p.strip()]
        rows.append({"document": name, "participant": ids[0] if len(ids) == 1 else None,
                     "text": project.document(name).text})
    return pd.DataFrame(rows, columns=["document", "participant", "text"])


def report_project(project: Any, outdir: str | Path, *, pseudonymise: bool = True,
                   ner: Any = "auto", progress: Any = None,
                   **options: Any) -> tuple[list[ReportFile], list[str]]:
    """Write every output into ``outdir``; returns the files written and notes on what was
    left out (and why)."""
    names = project_pseudonymiser(project, ner=ner) if pseudonymise else None
    data, notes = gather_report_data(project, pseudonymiser=names, **options)
    files = write_report(data, outdir, progress=progress)
    return files, notes
