"""Exporters: one registry keyed by (kind, format); tables, the theme table, reports, plots.

The names below load on first use, so that reading the registry's kinds
(``thematic.export.registry``) imports no pandas.

>>> from thematic.export import export, formats
>>> formats("theme-table")
['csv', 'docx', 'md', 'tex', 'xlsx']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from thematic.export.registry import export, format_for, formats, kinds, register
    from thematic.export.tabular import codings_table, segments_table, write_table
    from thematic.export.theme_table import ThemeTable, build_theme_table

_HOMES = {"export": "registry", "format_for": "registry", "formats": "registry",
          "kinds": "registry", "register": "registry", "codings_table": "tabular",
          "segments_table": "tabular", "write_table": "tabular", "ThemeTable": "theme_table",
          "build_theme_table": "theme_table"}

__all__ = ["ThemeTable", "build_theme_table", "codings_table", "export", "format_for", "formats",
           "kinds", "register", "segments_table", "write_table"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"thematic.export.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'thematic.export' has no attribute {name!r}")
