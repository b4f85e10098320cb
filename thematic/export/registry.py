"""One registry of exporters keyed by (kind, format): the one list of kinds and formats.

:data:`EXPORT_KINDS` declares every kind of output with its formats, its label and group on
the Export page, the help of ``thematic export KIND``, whether it writes a folder and whether
names in it can be pseudonymised; the CLI, the app and the services read it (cheaply: nothing
here imports pandas). Each format's writer is registered with the :func:`register` decorator
in its module (loaded on first use); registering a format the kind does not declare is an
error, and a test checks that every declared format has its writer.

A writer is ``writer(data, target, **options) -> None``: ``data`` is what the kind documents
(a :class:`~thematic.export.theme_table.ThemeTable`, a DataFrame, ...), ``target`` a path or a
binary file-like. Writers render in memory and write atomically
(:func:`thematic.export.files.write_bytes`), so a failed export writes nothing.

>>> "docx" in formats("theme-table")
True
>>> format_for("theme-table", "table1.tex")
'tex'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thematic.errors import ParameterError
from thematic.export.files import Target, target_name

__all__ = ["EXPORT_KINDS", "KINDS", "Exporter", "Kind", "export", "format_for", "formats", "get",
           "kind", "kinds", "register"]

Writer = Callable[..., None]


@dataclass(frozen=True)
class Kind:
    """A kind of output.

    Attributes
    ----------
    name
        ``thematic export NAME``.
    formats
        Its formats, the one people most often want first.
    label, group
        How the Export page names it, and the heading it stands under.
    help
        One line for ``thematic export NAME --help``.
    folder
        It writes a folder of files (the app offers it as a zip).
    pseudonymised
        An output for others to read: names in its quotes and texts are replaced and its
        frames cite public ids, unless the export is asked to be verbatim (the data tables
        and the whole project are the analyst's own, kept verbatim).
    """

    name: str
    formats: tuple[str, ...]
    label: str
    group: str
    help: str
    folder: bool = False
    pseudonymised: bool = False


#: Every kind of output, in the order ``thematic report`` writes them.
EXPORT_KINDS: tuple[Kind, ...] = (
    Kind("theme-table", ("docx", "xlsx", "tex", "md", "csv"),
         "Theme table (themes, participants n (%), quotes)", "Theme table",
         "The theme table: theme, subtheme, description, participants n (%), quotes.",
         pseudonymised=True),
    Kind("theme-table-long", ("csv", "xlsx"), "Theme table, long form (one row per quote)",
         "Theme table", "One row per quote: ids, offsets, timestamps, provenance.",
         pseudonymised=True),
    Kind("framework", ("xlsx",), "Framework matrix (one sheet per theme)", "Analysis tables",
         "Framework matrix, one sheet per theme, participants down, codes across.",
         pseudonymised=True),
    Kind("matrix", ("xlsx", "csv", "png", "svg"), "Code x participant matrix", "Analysis tables",
         "Codes by participant, theme or attribute (--by), as a table or a heatmap.",
         pseudonymised=True),
    Kind("cooccurrence", ("xlsx", "csv", "png", "svg"), "Code co-occurrence", "Analysis tables",
         "Code co-occurrence matrix or network.", pseudonymised=True),
    Kind("agreement", ("xlsx", "docx", "md"), "Inter-coder agreement report", "Analysis tables",
         "Inter-coder agreement report (--coders A,B, --unit).", pseudonymised=True),
    Kind("codebook", ("docx", "xlsx"), "Codebook with counts", "Codebook",
         "The codebook with counts.", pseudonymised=True),
    Kind("saturation", ("csv", "xlsx", "png", "svg"), "Saturation (code accumulation)",
         "Analysis tables", "Code accumulation, saturation point and bootstrap band.",
         pseudonymised=True),
    Kind("methods", ("md", "docx", "txt"), "Methods paragraph drafted from the record",
         "Analysis tables", "A methods paragraph drafted from the project's record.",
         pseudonymised=True),
    Kind("thematic-map", ("png", "svg"), "Thematic map", "Pictures",
         "Themes, subthemes and codes as a map.", pseudonymised=True),
    Kind("transcripts", ("txt",), "Transcripts, pseudonymised (a zip of .txt)", "Data",
         "De-identified transcripts, one file per participant, into a folder.", folder=True,
         pseudonymised=True),
    Kind("segments", ("csv", "xlsx"), "Segments (one row per segment, with attributes)", "Data",
         "Segments with document, participant, speaker, role, attributes, times and text."),
    Kind("codings", ("csv", "xlsx"), "Codings (one row per coding, with provenance)", "Data",
         "Codings with participant attributes, code path per level, context, provenance."),
    Kind("topics", ("csv", "xlsx"), "Topic candidates (one row per member segment)", "Data",
         "One row per member segment of the latest topics run's live topics."),
    Kind("qdpx", ("qdpx",), "REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA",
         "Whole project", "The whole project as REFI-QDA .qdpx (--for nvivo|atlasti|maxqda)."),
)
#: The names of :data:`EXPORT_KINDS`, in order.
KINDS = tuple(k.name for k in EXPORT_KINDS)
_BY_NAME = {k.name: k for k in EXPORT_KINDS}
_ALIASES = {"md": "md", "markdown": "md", "tex": "tex", "latex": "tex", "txt": "txt",
            "htm": "html", "jpeg": "jpg"}
_MODULES = ("thematic.export.theme_table_io", "thematic.export.tables_io",
            "thematic.export.methods", "thematic.export.plots", "thematic.export.transcripts",
            "thematic.refi.qde_write")


@dataclass(frozen=True)
class Exporter:
    """One registered writer."""

    kind: str
    fmt: str
    writer: Writer
    description: str = ""


_REGISTRY: dict[tuple[str, str], Exporter] = {}
_loaded = False


def register(kind: str, *fmts: str, description: str = "") -> Callable[[Writer], Writer]:
    """Decorator: register ``writer`` for ``kind`` in each of ``fmts`` (declared in
    :data:`EXPORT_KINDS`; anything else is a ValueError, a mistake in thematic itself)."""
    declared = _BY_NAME[kind].formats if kind in _BY_NAME else ()
    undeclared = [f for f in fmts if f not in declared]
    if undeclared:
        raise ValueError(f"export kind {kind!r} declares no format {', '.join(undeclared)}; "
                         "declare it in thematic.export.registry.EXPORT_KINDS")

    def deco(writer: Writer) -> Writer:
        for fmt in fmts:
            _REGISTRY[(kind, fmt)] = Exporter(kind, fmt, writer, description)
        return writer
    return deco


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for name in _MODULES:
            importlib.import_module(name)


def kinds() -> list[str]:
    """The kinds of output, in :data:`EXPORT_KINDS` order."""
    return list(KINDS)


def kind(name: str) -> Kind:
    """The kind called ``name``; ParameterError listing the kinds for an unknown one."""
    if name not in _BY_NAME:
        raise ParameterError(f"unknown export kind '{name}'",
                             hint=f"Choose one of: {', '.join(KINDS)}.")
    return _BY_NAME[name]


def formats(name: str) -> list[str]:
    """The formats of kind ``name``, sorted; ParameterError for an unknown kind."""
    return sorted(kind(name).formats)


def format_for(kind: str, target: Target | None, fmt: str | None = None) -> str:
    """The format: ``fmt`` if given, else the target's suffix (``.tex`` -> ``tex``)."""
    allowed = formats(kind)
    where = target_name(target, "") if target is not None else ""
    raw = fmt or Path(where).suffix.lstrip(".")
    name = _ALIASES.get(raw.lower(), raw.lower())
    if not name and len(allowed) == 1:
        return allowed[0]
    if not name:
        raise ParameterError(f"no format for '{kind}': the file name has no suffix",
                             path=where or None,
                             hint=f"End it with one of: {', '.join('.' + f for f in allowed)}.")
    if name not in allowed:
        raise ParameterError(f"cannot write '{kind}' as '{raw}'", path=where or None,
                             hint=f"Formats for {kind}: {', '.join(allowed)}.")
    return name


def get(name: str, fmt: str) -> Exporter:
    """The exporter for ``(name, fmt)`` (ParameterError listing the choices)."""
    _load()
    return _REGISTRY[(name, format_for(name, None, fmt))]


def export(name: str, data: Any, target: Target, *, fmt: str | None = None,
           **options: Any) -> str:
    """Write ``data`` as kind ``name`` to ``target``; the format from ``fmt`` or the suffix.

    Returns
    -------
    str
        The format written.
    """
    chosen = format_for(name, target, fmt)
    get(name, chosen).writer(data, target, fmt=chosen, **options)
    return chosen
