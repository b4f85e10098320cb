"""One registry of exporters keyed by (kind, format).

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

__all__ = ["KINDS", "Exporter", "export", "format_for", "formats", "get", "kinds", "register"]

Writer = Callable[..., None]

#: The kinds of output, in the order ``thematic report`` writes them.
KINDS = ("theme-table", "theme-table-long", "framework", "matrix", "cooccurrence", "agreement",
         "codebook", "saturation", "methods", "thematic-map", "transcripts", "segments", "codings")
_ALIASES = {"md": "md", "markdown": "md", "tex": "tex", "latex": "tex", "txt": "txt",
            "htm": "html", "jpeg": "jpg"}
_MODULES = ("thematic.export.theme_table_io", "thematic.export.tables_io",
            "thematic.export.methods", "thematic.export.plots", "thematic.export.transcripts")


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
    """Decorator: register ``writer`` for ``kind`` in each of ``fmts``."""
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
    """Registered kinds (in :data:`KINDS` order, then others)."""
    _load()
    known = {k for k, _ in _REGISTRY}
    return [k for k in KINDS if k in known] + sorted(known - set(KINDS))


def formats(kind: str) -> list[str]:
    """Formats registered for ``kind``; ParameterError listing the kinds for an unknown kind."""
    _load()
    found = sorted(f for k, f in _REGISTRY if k == kind)
    if not found:
        raise ParameterError(f"unknown export kind '{kind}'",
                             hint=f"Choose one of: {', '.join(kinds())}.")
    return found


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


def get(kind: str, fmt: str) -> Exporter:
    """The exporter for ``(kind, fmt)`` (ParameterError listing the choices)."""
    return _REGISTRY[(kind, format_for(kind, None, fmt))]


def export(kind: str, data: Any, target: Target, *, fmt: str | None = None, **options: Any) -> str:
    """Write ``data`` as ``kind`` to ``target``; the format from ``fmt`` or the suffix.

    Returns
    -------
    str
        The format written.
    """
    name = format_for(kind, target, fmt)
    _REGISTRY[(kind, name)].writer(data, target, fmt=name, **options)
    return name
