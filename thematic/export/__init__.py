"""Exporters: tables (csv/xlsx) now; reports and REFI-QDA build on the same registry."""

from thematic.export.tabular import codings_table, segments_table, write_table

__all__ = ["codings_table", "segments_table", "write_table"]
