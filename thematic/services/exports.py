"""Exports of a project and its pseudonym list: the use cases behind ``project.exports``.

Exports gather the data a kind needs through :class:`~thematic.services.reads.ProjectReads`
(see :mod:`thematic.services.gather`) and hand it to the export registry; pseudonym changes
are one audited transaction each (undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.export.files import Target
from thematic.export.registry import export, format_for
from thematic.export.registry import kind as export_kind
from thematic.export.report import ReportFile, write_report
from thematic.export.theme_table import build_theme_table
from thematic.pseudonymise import Pseudonymiser
from thematic.services.accounts import require_export
from thematic.services.gather import documents_with_text, gather_report_data, themes_or_codebook
from thematic.services.public_reads import public_reads
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


#: Kinds that hold the transcripts' text as it is, whatever ``pseudonymise`` says.
IDENTIFYING_KINDS = ("segments", "codings", "topics", "qdpx")


def export_project(reads: ProjectReads, kind: str, target: Target, *, fmt: str | None = None,
                   pseudonymise: bool = True, ner: Any = "auto", account: str | None = None,
                   **options: Any) -> dict[str, Any]:
    """Write one output of ``kind`` (a kind of :data:`thematic.export.registry.EXPORT_KINDS`;
    the format from ``fmt`` or the suffix): the one front door of every export.

    Parameters
    ----------
    pseudonymise
        Replace names in quotes and transcripts (default yes) for the kinds that hold them;
        their frames cite public ids.
    ner
        The NER pipeline of the pseudonymiser (``"auto"``: an installed one, None: none).
    options
        What the kind takes: ``quotes`` and ``attributes`` (theme table), ``by`` (matrix:
        ``"participant"``, ``"theme"`` or an attribute), ``coders``, ``unit``, ``n_boot``,
        ``random_state`` (analyses), ``unit`` (segments), ``status`` (codings), ``run``
        (topics), ``tool`` (qdpx: standard, nvivo, atlasti, maxqda).
    account
        Who exports. In a project with accounts it must be one, and a viewer writes only
        outputs without names (pseudonymised, or counts): AccessError otherwise.

    Returns
    -------
    dict
        ``kind``, ``format``, ``path``, ``pseudonymised`` and what the kind counts (``rows``,
        ``documents``, ``codings``, ...) or notes on what was left out (``notes``).
    """
    spec = export_kind(kind)
    identifying = kind in IDENTIFYING_KINDS or (spec.pseudonymised and not pseudonymise)
    require_export(reads.store, account, identifying=identifying, what=f"export {kind}")
    chosen = format_for(kind, target, fmt)
    names = project_pseudonymiser(reads, ner=ner) if pseudonymise and spec.pseudonymised else None
    gather = _GATHERERS.get(kind, _analysis)
    payload, counts, write_options = gather(public_reads(reads, names), kind, names, **options)
    export(kind, payload, target, fmt=chosen, **write_options)
    return {"kind": kind, "format": chosen, "path": str(target),
            "pseudonymised": names is not None, **counts}


Gathered = tuple[Any, dict[str, Any], dict[str, Any]]
"""What a kind's gatherer returns: the data to write, what it counts, the writer's options."""


def _theme_table(reads: ProjectReads, kind: str, names: Pseudonymiser | None, *, quotes: int = 2,
                 attributes: list[str] | None = None, **_: Any) -> Gathered:
    participants = reads.participants()
    if attributes is None:
        attributes = ["role"] if "role" in participants.columns else []
    themes, links, _standing_in = themes_or_codebook(reads)
    table = build_theme_table(themes, links, reads.codings(), participants,
                              exemplars=reads.theme_quotes(), quotes=quotes,
                              attributes=attributes, pseudonymiser=names,
                              pseudonymise=names is not None)
    rows = len(table.rows) if kind == "theme-table" else len(table.long)
    return table, {"rows": rows}, {}


def _data_table(reads: ProjectReads, kind: str, names: Pseudonymiser | None, *, unit: str | None = None,
                status: str | None = None, run: int | None = None, **_: Any) -> Gathered:
    """Segments (of ``unit``), codings (of ``status``) or the members of a topics ``run``."""
    from thematic.export.tabular import codings_table, segments_table
    from thematic.services.topics import topics_table

    if kind == "segments":
        frame = segments_table(reads.segments(unit))
    elif kind == "codings":
        frame = codings_table(reads.codings(status=status), reads.codebook(), reads.participants())
    else:
        frame = topics_table(reads.store, run=run)
    return frame, {"rows": len(frame)}, {"sheet": kind}


def _transcripts(reads: ProjectReads, kind: str, names: Pseudonymiser | None, **_: Any) -> Gathered:
    documents = documents_with_text(reads)
    return (documents, {"documents": len(documents)},
            {"pseudonymiser": names, "pseudonymise": names is not None})


def _qdpx(reads: ProjectReads, kind: str, names: Pseudonymiser | None, *, tool: str = "standard",
          **_: Any) -> Gathered:
    from thematic.refi.qde_write import check_target
    from thematic.services.exchange import exchange_snapshot

    check_target(tool)
    ex = exchange_snapshot(reads.store)
    return (ex, {"tool": tool, "documents": len(ex.sources), "codes": len(ex.codes),
                 "codings": len(ex.codings)}, {"tool": tool})


def _analysis(reads: ProjectReads, kind: str, names: Pseudonymiser | None, *, quotes: int = 2,
              attributes: list[str] | None = None, by: str = "participant",
              **options: Any) -> Gathered:
    """The analyses and pictures of a report: framework, matrix, co-occurrence, agreement,
    codebook, saturation, methods, thematic map."""
    data, notes = gather_report_data(reads, attributes=attributes, pseudonymiser=names,
                                     quotes=quotes, transcripts=False, **options)
    payload: Any
    if kind == "thematic-map":
        payload = {"themes": data.themes, "theme_codes": data.theme_codes,
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
    else:  # framework, cooccurrence, agreement, saturation, methods: a field of the report
        payload = getattr(data, kind)
    if payload is None:
        raise ParameterError(f"nothing to export as '{kind}' yet", hint=what_it_needs(kind, notes))
    return payload, {"notes": notes}, {}


_GATHERERS: dict[str, Callable[..., Gathered]] = {
    "theme-table": _theme_table, "theme-table-long": _theme_table, "segments": _data_table,
    "codings": _data_table, "topics": _data_table, "transcripts": _transcripts, "qdpx": _qdpx,
}
"""The kinds whose data is not a field of the report data (every other kind: :func:`_analysis`)."""


def report_project(reads: ProjectReads, outdir: str | Path, *, pseudonymise: bool = True,
                   ner: Any = "auto", progress: Any = None, account: str | None = None,
                   **options: Any) -> tuple[list[ReportFile], list[str]]:
    """Write every output into ``outdir``; returns the files written and notes on what was
    left out (and why). A viewer's report is pseudonymised."""
    require_export(reads.store, account, identifying=not pseudonymise, what="report")
    names = project_pseudonymiser(reads, ner=ner) if pseudonymise else None
    data, notes = gather_report_data(public_reads(reads, names), pseudonymiser=names, **options)
    files = write_report(data, outdir, progress=progress)
    return files, notes
