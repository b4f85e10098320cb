"""Exporters: one registry keyed by (kind, format); tables, the theme table, reports, plots.

>>> from thematic.export import export, formats
>>> formats("theme-table")
['csv', 'docx', 'md', 'tex', 'xlsx']
"""

from thematic.export.registry import export, format_for, formats, kinds, register
from thematic.export.tabular import codings_table, segments_table, write_table
from thematic.export.theme_table import ThemeTable, build_theme_table

__all__ = ["ThemeTable", "build_theme_table", "codings_table", "export", "format_for", "formats",
           "kinds", "register", "segments_table", "write_table"]
