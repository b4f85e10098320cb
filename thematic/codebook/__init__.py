"""Codebooks: the YAML format, whole-file validation, diffs, and CSV / REFI-QDA exchange.

Every reader validates the whole file before returning and raises one
:class:`~thematic.errors.CodebookError` whose ``problems`` list every error with its
location. Warnings (greedy rules, codes without definitions) are issued as
:class:`CodebookWarning`, or returned by :func:`load_codebook_with_warnings` and
:func:`validate_codebook`. The format is documented in ``codebooks/README.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from thematic.codebook.canonical import canonical_json, content_hash
    from thematic.codebook.diff import CodebookDiff, Edited, Moved, Renamed, diff_codebooks
    from thematic.codebook.formats import (
        load_any,
        read_codebook_csv,
        read_qdc,
        save_any,
        validate_codebook,
        write_codebook_csv,
        write_qdc,
    )
    from thematic.codebook.loader import (
        CodebookWarning,
        load_codebook,
        load_codebook_with_warnings,
        parse_codebook,
        parse_codebook_with_warnings,
    )
    from thematic.codebook.yaml_write import dump_codebook_yaml

#: Where each public name lives (loaded on first use, so that importing one module of the
#: package, say ``thematic.codebook.schema``, runs no other).
_HOMES = {
    **dict.fromkeys(("canonical_json", "content_hash"), "canonical"),
    **dict.fromkeys(("CodebookDiff", "Edited", "Moved", "Renamed", "diff_codebooks"), "diff"),
    **dict.fromkeys(("load_any", "read_codebook_csv", "read_qdc", "save_any",
                     "validate_codebook", "write_codebook_csv", "write_qdc"), "formats"),
    **dict.fromkeys(("CodebookWarning", "load_codebook", "load_codebook_with_warnings",
                     "parse_codebook", "parse_codebook_with_warnings"), "loader"),
    "dump_codebook_yaml": "yaml_write",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"thematic.codebook.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'thematic.codebook' has no attribute {name!r}")


__all__ = [
    "CodebookDiff",
    "CodebookWarning",
    "Edited",
    "Moved",
    "Renamed",
    "canonical_json",
    "content_hash",
    "diff_codebooks",
    "dump_codebook_yaml",
    "load_any",
    "load_codebook",
    "load_codebook_with_warnings",
    "parse_codebook",
    "parse_codebook_with_warnings",
    "read_codebook_csv",
    "read_qdc",
    "save_any",
    "validate_codebook",
    "write_codebook_csv",
    "write_qdc",
]
