"""What the Export page offers: every kind of the export registry as a download.

:func:`export_items` lists the downloads, one per kind and format of
:data:`thematic.export.registry.EXPORT_KINDS` (the one list of kinds and formats), plus the
whole report; :func:`export_bytes` writes one through ``project.exports`` into a temporary
folder and returns the file's bytes (a folder of files, such as the report or the
transcripts, as a zip). This is the one function of the views that writes: it writes only
inside its own temporary folder.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematic.export.registry import EXPORT_KINDS

if TYPE_CHECKING:
    from thematic.project import Project

__all__ = ["ExportItem", "ExportResult", "EXPORT_GROUPS", "REPORT", "export_items",
           "export_bytes", "export_file_name", "mime_type", "zip_folder"]

#: The report: every output at once (a folder, downloaded as a zip); not a kind of its own.
REPORT = "report"
#: The groups of the page, in order.
EXPORT_GROUPS = tuple(dict.fromkeys([*(k.group for k in EXPORT_KINDS), "Whole project"]))

_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv", "md": "text/markdown", "tex": "application/x-tex", "txt": "text/plain",
    "png": "image/png", "svg": "image/svg+xml", "zip": "application/zip",
    "qdpx": "application/zip", "json": "application/json", "html": "text/html",
}


@dataclass(frozen=True)
class ExportItem:
    """One download: a kind in one format."""

    kind: str
    fmt: str
    group: str = ""
    label: str = ""
    folder: bool = False
    pseudonymisable: bool = False

    @property
    def key(self) -> str:
        """A unique id (``theme-table.docx``) for widget keys."""
        return f"{self.kind}.{self.fmt}"

    @property
    def suffix(self) -> str:
        """The downloaded file's suffix (a folder comes as a zip)."""
        return "zip" if self.folder else self.fmt


@dataclass(frozen=True)
class ExportResult:
    """The bytes of one download, its file name and MIME type, and the library's notes."""

    name: str
    data: bytes
    mime: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def export_items() -> list[ExportItem]:
    """Every download, grouped: each kind of the registry in each of its formats, then the
    whole report.

    >>> items = export_items()
    >>> [i.key for i in items][:2]
    ['theme-table.docx', 'theme-table.xlsx']
    >>> [i.key for i in items if i.group == "Whole project"]
    ['qdpx.qdpx', 'report.zip']
    """
    out = [ExportItem(k.name, f, k.group, k.label, k.folder, k.pseudonymised)
           for k in EXPORT_KINDS for f in k.formats]
    return out + [ExportItem(REPORT, "zip", "Whole project",
                             "The whole report: every output above (a zip)", folder=True,
                             pseudonymisable=True)]


def export_file_name(project_name: str, item: ExportItem) -> str:
    """A safe file name: ``<project>-<kind>.<suffix>`` in lower-case ASCII.

    >>> export_file_name("Peer listening <2024>", ExportItem("theme-table", "docx"))
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


def export_bytes(project: Project, item: ExportItem, *, project_name: str = "thematic",
                 pseudonymise: bool = True, options: dict[str, Any] | None = None
                 ) -> ExportResult:
    """Write ``item`` through ``project.exports`` into a temporary folder; return its bytes.

    ``options`` go to ``project.exports.write`` (``by``, ``coders``, ``unit``, ``quotes``, ...).
    Library errors (``ThematicError``) propagate for the page to show.
    """
    name = export_file_name(project_name, item)
    opts = dict(options or {})
    with tempfile.TemporaryDirectory(prefix="thematic-export-") as tmp:
        target = Path(tmp) / ("out" if item.folder else f"out.{item.fmt}")
        if item.kind == REPORT:
            notes = project.exports.report(target, pseudonymise=pseudonymise, **opts)[1]
        else:
            notes = project.exports.write(item.kind, target, fmt=item.fmt,
                                          pseudonymise=pseudonymise, **opts).get("notes", [])
        data = zip_folder(target) if item.folder else target.read_bytes()
    return ExportResult(name, data, mime_type(item.suffix), tuple(str(n) for n in notes))
