"""The project's codebook: load a codebook file (validate, diff, store) and edit its codes.

The codebook file (YAML in ``codebooks/``, CSV or REFI-QDA .qdc) is the researcher's
instrument; loading it records a version (label + content hash) and reports what changed.
Each edit (add, update, move, delete, merge, split) is one audited transaction by ``actor``,
undone with :func:`thematic.services.review.undo`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.errors import Problem
from thematic.models import Code, Codebook
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
                       actor: str) -> CodebookLoadReport:
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
    if latest is not None and latest.content_hash == codebook.content_hash:
        return CodebookLoadReport(codebook.label, codebook.content_hash, False, warnings=warnings)
    diff = diff_codebooks(old, codebook) if old.codes else None
    with store.unit(actor, "load codebook") as uow:
        sync = store.codebook.sync(uow, codebook)
        store.codebook.record_version(
            uow, codebook, {"codes": [code_to_dict(c) for c in codebook.codes]}
        )
    return CodebookLoadReport(codebook.label, codebook.content_hash, True, diff=diff, sync=sync,
                              warnings=warnings)


def add_code(store: ProjectStore, code: Code, *, actor: str) -> None:
    """Add a code to the project's codebook (e.g. from the app's codebook editor)."""
    with store.unit(actor, "add code") as uow:
        store.codebook.add_code(uow, code)


def update_code(store: ProjectStore, code: str, *, actor: str, **fields: Any) -> None:
    """Edit a code's name, definition, inclusion, exclusion, examples, color or rules."""
    with store.unit(actor, "edit code") as uow:
        store.codebook.update_code(uow, code, fields)


def move_code(store: ProjectStore, code: str, parent: str | None, *, actor: str) -> None:
    """Move a code under ``parent`` (None: to the top level)."""
    with store.unit(actor, "move code") as uow:
        store.codebook.move_code(uow, code, parent)


def delete_code(store: ProjectStore, code: str, *, actor: str) -> int:
    """Delete a code and its codings (children move up to its parent). Undo brings all back."""
    with store.unit(actor, "delete code") as uow:
        return store.codebook.delete_code(uow, code)


def merge_codes(store: ProjectStore, sources: Sequence[str], target: str, *, actor: str) -> int:
    """Merge ``sources`` into ``target``: their codings move (duplicates of a span already
    coded with ``target`` are dropped, keeping the decided one), their children move under
    ``target``, and the source codes are deleted. Returns the codings moved. Merging a code
    into its own descendant is refused."""
    with store.unit(actor, "merge codes") as uow:
        return store.codebook.merge_codes(uow, sources, target)


def split_code(store: ProjectStore, code: str, into: Mapping[str, Sequence[int]], *, actor: str,
               names: Mapping[str, str] | None = None, as_children: bool = True) -> dict[str, int]:
    """Split ``code``: create the codes in ``into`` (new id -> coding ids to move there).

    New codes become children of ``code`` (or its siblings with ``as_children=False``) and
    inherit its definition text to edit. Codings not listed stay on ``code``.
    """
    with store.unit(actor, "split code") as uow:
        return store.codebook.split_code(uow, code, into, names=names, as_children=as_children)
