"""The whole report for a paper: every output of :mod:`thematic.export` in one folder.

:func:`write_report` takes a :class:`ReportData` (the frames and analysis results, gathered by
``project.exports.report``) and writes each available output through the registry, then an
``index.md`` listing the files, what each is, and whether the quotes are pseudonymised.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from thematic.export.files import check_folder, write_text
from thematic.export.methods import MethodsRecord
from thematic.export.registry import export
from thematic.export.tables_io import codebook_frame
from thematic.export.text import markdown_escape
from thematic.export.theme_table import build_theme_table
from thematic.models import Codebook
from thematic.pseudonymise import Pseudonymiser

__all__ = ["ReportData", "ReportFile", "write_report"]


@dataclass
class ReportData:
    """What a report is made of; None (or empty) parts are skipped.

    Attributes
    ----------
    participants, codings, themes, theme_codes
        The shared frames (see :mod:`thematic.export.theme_table`).
    exemplars
        Chosen quotes: ``theme``, ``coding_id``.
    codebook, counts
        The codebook and per-code counts (``thematic.analysis.frequencies``).
    matrices
        Name -> wide matrix (``"participant"``, ``"role"``...), each written as xlsx, csv, png.
    cooccurrence, framework, agreement, saturation
        Analysis results in the shapes :mod:`thematic.export.tables_io` documents.
    methods
        The record for the methods paragraph.
    documents
        ``document``, ``participant``, ``text``: written as de-identified transcripts when given.
    pseudonymiser
        Replaces names in quotes and transcripts (None: verbatim; the outputs say so).
    attributes
        Participant attributes printed after each quote.
    """

    participants: pd.DataFrame
    codings: pd.DataFrame
    themes: pd.DataFrame | None = None
    theme_codes: pd.DataFrame | None = None
    exemplars: pd.DataFrame | None = None
    codebook: Codebook | None = None
    counts: pd.DataFrame | None = None
    matrices: dict[str, pd.DataFrame] = field(default_factory=dict)
    cooccurrence: pd.DataFrame | None = None
    framework: pd.DataFrame | None = None
    agreement: Mapping[str, Any] | None = None
    saturation: Mapping[str, Any] | None = None
    methods: MethodsRecord | None = None
    documents: pd.DataFrame | None = None
    pseudonymiser: Pseudonymiser | None = None
    attributes: Sequence[str] = ()
    quotes: int = 2


@dataclass(frozen=True)
class ReportFile:
    """One file written: its kind, path and a line describing it."""

    kind: str
    path: Path
    description: str


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(name)).strip("-") or "x"


def write_report(data: ReportData, outdir: str | Path, *,
                 progress: Callable[[str, int, int], None] | None = None) -> list[ReportFile]:
    """Write every available output of ``data`` into ``outdir`` (created if missing).

    Everything is written into a temporary folder beside ``outdir`` first and moved in at the
    end, so a failure leaves ``outdir`` as it was (not created, or unchanged): a report folder
    holds ``index.md`` and all its files, or none of this run's files.

    Returns
    -------
    list of ReportFile
        The files written, in order (``index.md`` last), at their place in ``outdir``.
    """
    final = Path(outdir)
    check_folder(final.parent, create=False)
    if final.exists() and not final.is_dir():
        check_folder(final)  # the one-line error for a file in the way
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent))
    try:
        written = _write_all(data, staging, progress)
        _move_into(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [ReportFile(f.kind, final / f.path.relative_to(staging), f.description) for f in written]


def _move_into(staging: Path, final: Path) -> None:
    """Put the staged files in ``final`` (a rename when it does not exist), index.md last."""
    if not final.exists():
        staging.rename(final)
        return
    check_folder(final)
    entries = sorted(staging.iterdir(), key=lambda p: p.name == "index.md")
    for entry in entries:
        target = final / entry.name
        if target.is_dir() and entry.is_dir():
            shutil.rmtree(target)
        os.replace(entry, target)


def _write_all(data: ReportData, folder: Path,
               progress: Callable[[str, int, int], None] | None) -> list[ReportFile]:
    jobs: list[tuple[str, Any, str, dict[str, Any], str]] = []
    pseudo = data.pseudonymiser is not None
    if data.themes is not None and data.theme_codes is not None and not data.themes.empty:
        table = build_theme_table(data.themes, data.theme_codes, data.codings, data.participants,
                                  exemplars=data.exemplars, quotes=data.quotes,
                                  attributes=data.attributes, pseudonymiser=data.pseudonymiser,
                                  pseudonymise=pseudo)
        for fmt in ("docx", "xlsx", "csv", "md", "tex"):
            jobs.append(("theme-table", table, f"theme-table.{fmt}", {}, "the theme table for the paper"))
        jobs.append(("theme-table-long", table, "theme-table-quotes.csv", {},
                     "one row per quote: ids, offsets, timestamps, provenance, replacements"))
        names = {c.id: c.name for c in data.codebook.codes} if data.codebook else {}
        themap = {"themes": data.themes, "theme_codes": data.theme_codes, "code_names": names}
        for fmt in ("png", "svg"):
            jobs.append(("thematic-map", themap, f"thematic-map.{fmt}", {}, "themes, subthemes and codes"))
    if data.codebook is not None:
        book = codebook_frame(data.codebook, data.counts, pseudonymiser=data.pseudonymiser)
        for fmt in ("docx", "xlsx"):
            jobs.append(("codebook", book, f"codebook.{fmt}", {}, "the codebook with counts"))
    for name, matrix in data.matrices.items():
        for fmt in ("xlsx", "csv", "png", "svg"):
            rows, _, cols = str(name).partition("-")
            jobs.append(("matrix", matrix, f"matrix-{_slug(name)}.{fmt}", {},
                         f"{rows}s by {cols}" if cols else f"matrix: {name}"))
    if data.cooccurrence is not None and not data.cooccurrence.empty:
        for fmt in ("xlsx", "csv", "png", "svg"):
            jobs.append(("cooccurrence", data.cooccurrence, f"cooccurrence.{fmt}", {},
                         "code co-occurrence (network in the plots)"))
    if data.framework is not None and not data.framework.empty:
        jobs.append(("framework", data.framework, "framework.xlsx", {},
                     "framework matrix, one sheet per theme"))
    if data.agreement:
        for fmt in ("xlsx", "docx", "md"):
            jobs.append(("agreement", data.agreement, f"agreement.{fmt}", {}, "inter-coder agreement"))
    if data.saturation:
        for fmt in ("csv", "xlsx", "png", "svg"):
            jobs.append(("saturation", data.saturation, f"saturation.{fmt}", {},
                         "code accumulation and the bootstrap saturation band"))
    if data.methods is not None:
        for fmt in ("md", "docx", "txt"):
            jobs.append(("methods", data.methods, f"methods.{fmt}", {}, "methods paragraph (draft)"))
    if data.documents is not None and not data.documents.empty:
        jobs.append(("transcripts", data.documents, "transcripts",
                     {"pseudonymiser": data.pseudonymiser, "pseudonymise": pseudo},
                     "de-identified transcripts" if pseudo else "verbatim transcripts"))
    written: list[ReportFile] = []
    for done, (kind, payload, name, options, text) in enumerate(jobs):
        if progress:
            progress("report", done, len(jobs))
        export(kind, payload, folder / name, **options)
        written.append(ReportFile(kind, folder / name, text))
    if progress:
        progress("report", len(jobs), len(jobs))
    return [*written, _write_index(data, folder, written)]


def _write_index(data: ReportData, folder: Path, written: list[ReportFile]) -> ReportFile:
    """``index.md``: the files written and what the pseudonymisation did and did not check."""
    said = data.pseudonymiser.describe() if data.pseudonymiser else ""
    status = ("Quotes and transcripts are pseudonymised. " + markdown_escape(said)
              if data.pseudonymiser is not None else "Quotes and transcripts are NOT pseudonymised.")
    lines = ["# Report", "", status, "", "| file | kind | what |", "|---|---|---|"]
    lines += [f"| {f.path.name} | {f.kind} | {markdown_escape(f.description)} |"  # names: slugs
              for f in written]
    write_text(folder / "index.md", "\n".join(lines) + "\n")
    return ReportFile("index", folder / "index.md", "this list")
