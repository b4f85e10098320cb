"""What the Export page offers: every exporter of the library as a download.

:func:`export_items` lists the downloads (from the export registry when it is there), grouped
for the page; :func:`missing_for` says which Project method an item still lacks;
:func:`export_bytes` runs one export through ``Project`` into a temporary folder and returns
the file's bytes (a folder of files, such as the report or the transcripts, as a zip). This is
the one function of the views that writes: it writes only inside its own temporary folder.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ExportItem", "ExportResult", "EXPORT_GROUPS", "export_items", "missing_for",
           "export_bytes", "export_file_name", "mime_type", "zip_folder", "registry_formats"]

#: The groups of the page, in order.
EXPORT_GROUPS = ("Theme table", "Analysis tables", "Pictures", "Codebook", "Data",
                 "Whole project")

_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv", "md": "text/markdown", "tex": "application/x-tex", "txt": "text/plain",
    "png": "image/png", "svg": "image/svg+xml", "zip": "application/zip",
    "qdpx": "application/zip", "json": "application/json", "html": "text/html",
}

# (kind, group, label, method, formats if no registry, writes a folder)
_KINDS: tuple[tuple[str, str, str, str, tuple[str, ...], bool], ...] = (
    ("theme-table", "Theme table", "Theme table (themes, participants n (%), quotes)", "export",
     ("docx", "xlsx", "tex", "md", "csv"), False),
    ("theme-table-long", "Theme table", "Theme table, long form (one row per quote)", "export",
     ("csv", "xlsx"), False),
    ("matrix", "Analysis tables", "Code x participant matrix", "export", ("xlsx", "csv"), False),
    ("cooccurrence", "Analysis tables", "Code co-occurrence", "export", ("xlsx", "csv"), False),
    ("framework", "Analysis tables", "Framework matrix (one sheet per theme)", "export",
     ("xlsx",), False),
    ("agreement", "Analysis tables", "Inter-coder agreement report", "export",
     ("xlsx", "docx", "md"), False),
    ("saturation", "Analysis tables", "Saturation (code accumulation)", "export",
     ("csv", "xlsx"), False),
    ("methods", "Analysis tables", "Methods paragraph drafted from the record", "export",
     ("md", "docx", "txt"), False),
    ("thematic-map", "Pictures", "Thematic map", "export", ("png", "svg"), False),
    ("codebook", "Codebook", "Codebook with counts", "export", ("docx", "xlsx"), False),
    ("segments", "Data", "Segments (one row per segment, with attributes)", "export_segments",
     ("csv", "xlsx"), False),
    ("codings", "Data", "Codings (one row per coding, with provenance)", "export_codings",
     ("csv", "xlsx"), False),
    ("transcripts", "Data", "Transcripts, pseudonymised (a zip of .txt)", "export",
     ("txt",), True),
    ("qdpx", "Whole project", "REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA",
     "export_qdpx", ("qdpx",), False),
    ("report", "Whole project", "The whole report: every output above (a zip)", "report",
     ("zip",), True),
)
#: Kinds whose quotes (or texts) may be pseudonymised.
PSEUDONYMISED = frozenset({"theme-table", "theme-table-long", "framework", "transcripts",
                           "report", "agreement"})


@dataclass(frozen=True)
class ExportItem:
    """One download: a kind in one format, and the Project method that writes it."""

    kind: str
    fmt: str
    group: str
    label: str
    method: str
    folder: bool = False

    @property
    def key(self) -> str:
        """A unique id (``theme-table.docx``) for widget keys."""
        return f"{self.kind}.{self.fmt}"

    @property
    def suffix(self) -> str:
        """The downloaded file's suffix (a folder comes as a zip)."""
        return "zip" if self.folder else self.fmt

    @property
    def pseudonymisable(self) -> bool:
        return self.kind in PSEUDONYMISED


@dataclass(frozen=True)
class ExportResult:
    """The bytes of one download, its file name and MIME type, and the library's notes."""

    name: str
    data: bytes
    mime: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def registry_formats() -> Callable[[str], list[str]] | None:
    """The export registry's ``formats(kind)``, or None when the registry is not installed."""
    try:
        from thematic.export.registry import formats
    except ImportError:
        return None
    return formats


def export_items(formats: Callable[[str], list[str]] | None = None) -> list[ExportItem]:
    """Every download, grouped: the registry's formats for each kind when ``formats`` is
    given (a kind it does not know keeps the formats listed here), else those listed here.

    >>> items = export_items(lambda kind: ["docx", "md"])
    >>> [i.key for i in items][:2]
    ['theme-table.docx', 'theme-table.md']
    >>> [i.key for i in items if i.group == "Whole project"]
    ['qdpx.qdpx', 'report.zip']
    """
    out: list[ExportItem] = []
    for kind, group, label, method, fallback, folder in _KINDS:
        fmts: Sequence[str] = fallback
        if formats is not None and method == "export":
            try:
                fmts = [f for f in formats(kind) if f] or fallback
            except (ValueError, KeyError):
                fmts = fallback
        ordered = [f for f in fallback if f in fmts] + [f for f in fmts if f not in fallback]
        out += [ExportItem(kind, f, group, label, method, folder) for f in ordered]
    return out


def missing_for(project: object, item: ExportItem) -> str | None:
    """The Project method ``item`` needs when the project does not have it yet, else None."""
    return None if callable(getattr(project, item.method, None)) else item.method


def export_file_name(project_name: str, item: ExportItem) -> str:
    """A safe file name: ``<project>-<kind>.<suffix>`` in lower-case ASCII.

    >>> export_file_name("Peer listening <2024>", ExportItem("theme-table", "docx", "", "", ""))
    'peer-listening-2024-theme-table.docx'
    """
    stem = re.sub(r"[^a-z0-9]+", "-", str(project_name).lower()).strip("-")[:60] or "thematic"
    return f"{stem}-{item.kind}.{item.suffix}"


def mime_type(fmt: str) -> str:
    """The MIME type of a format (``application/octet-stream`` when unknown)."""
    return _MIME.get(fmt, "application/octet-stream")


def zip_folder(folder: Path) -> bytes:
    """Every file under ``folder`` in a zip (paths relative to it, sorted)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _notes(result: Any) -> tuple[str, ...]:
    if isinstance(result, dict):
        notes = result.get("notes") or ()
        return tuple(str(n) for n in notes)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
        return tuple(str(n) for n in result[1])
    return ()


def export_bytes(project: Any, item: ExportItem, *, project_name: str = "thematic",
                 pseudonymise: bool = True, options: dict[str, Any] | None = None
                 ) -> ExportResult:
    """Write ``item`` with its Project method into a temporary folder; return its bytes.

    ``options`` go to ``Project.export`` (``by``, ``coders``, ``unit``, ``quotes``, ...).
    Library errors (``ThematicError``) propagate for the page to show.
    """
    name = export_file_name(project_name, item)
    opts = dict(options or {})
    with tempfile.TemporaryDirectory(prefix="thematic-export-") as tmp:
        target = Path(tmp) / ("out" if item.folder else f"out.{item.fmt}")
        if item.method == "export":
            result = project.exports.write(item.kind, target, fmt=item.fmt,
                                    **({"pseudonymise": pseudonymise}
                                       if item.pseudonymisable else {}), **opts)
        elif item.method == "report":
            result = project.exports.report(target, pseudonymise=pseudonymise, **opts)
        elif item.method == "export_segments":
            result = project.exports.write("segments", target, fmt=item.fmt)
        elif item.method == "export_codings":
            result = project.exports.write("codings", target, fmt=item.fmt)
        else:
            result = project.exchange.export_qdpx(target)
        data = zip_folder(target) if item.folder else target.read_bytes()
    return ExportResult(name, data, mime_type(item.suffix), _notes(result))
