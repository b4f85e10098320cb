"""Load a codebook file into a project: validate, diff against the project's codes, store.

The codebook file (YAML in ``codebooks/``, CSV or REFI-QDA .qdc) is the researcher's
instrument; loading it records a version (label + content hash) and reports what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.errors import Problem
from thematic.models import Codebook
from thematic.store import ProjectStore


@dataclass
class CodebookLoadReport:
    label: str
    content_hash: str
    changed: bool
    diff: Any = None  # thematic.codebook.CodebookDiff
    sync: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        if not self.changed:
            return f"codebook {self.label} already loaded; nothing changed"
        parts = [f"codebook {self.label}"]
        for key in ("added", "updated", "removed", "kept"):
            if self.sync.get(key):
                parts.append(f"{len(self.sync[key])} {key}")
        return ", ".join(parts)


def load_codebook_into(store: ProjectStore, source: str | Path | Codebook, *,
                       actor: str | None = None) -> CodebookLoadReport:
    """Validate and load a codebook (file or object) into the project, as one change."""
    from thematic.codebook import diff_codebooks
    from thematic.codebook.canonical import code_to_dict
    from thematic.codebook.formats import load_any_with_warnings

    warnings: list[Problem] = []
    if isinstance(source, Codebook):
        codebook = source
    else:  # one parse; its warnings are reported once, by the caller
        codebook, warnings = load_any_with_warnings(source)
    old = store.codebook.current()
    latest = store.codebook.latest_version()
    if latest is not None and latest[2] == codebook.content_hash:
        return CodebookLoadReport(codebook.label, codebook.content_hash, False, warnings=warnings)
    diff = diff_codebooks(old, codebook) if old.codes else None
    with store.unit(actor, "load codebook") as uow:
        sync = store.codebook.sync(uow, codebook)
        store.codebook.record_version(
            uow, codebook, {"codes": [code_to_dict(c) for c in codebook.codes]}
        )
    return CodebookLoadReport(codebook.label, codebook.content_hash, True, diff=diff, sync=sync,
                              warnings=warnings)
