"""What changed between two versions of a codebook, matched by code id."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from thematic.codebook.canonical import code_to_dict
from thematic.models import Code, Codebook

EDIT_FIELDS = ("definition", "inclusion", "exclusion", "examples", "color", "rules")


@dataclass(frozen=True)
class Renamed:
    """A code kept its id but changed its name."""

    code_id: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class Moved:
    """A code kept its id but changed its parent (None: top level)."""

    code_id: str
    old_parent: str | None
    new_parent: str | None


@dataclass(frozen=True)
class Edited:
    """A code kept its id; ``fields`` lists what else changed (definition, rules, ...)."""

    code_id: str
    fields: tuple[str, ...]


@dataclass
class CodebookDiff:
    """The changes from ``old`` to ``new``: codes are matched by id.

    ``added`` and ``removed`` hold codes; ``renamed``, ``moved`` and ``edited`` hold records.
    A code can appear in several of ``renamed``/``moved``/``edited``.
    """

    old_label: str = ""
    new_label: str = ""
    added: list[Code] = field(default_factory=list)
    removed: list[Code] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    edited: list[Edited] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.moved or self.edited)

    def as_dict(self) -> dict[str, Any]:
        """The diff as JSON-able data (for ``thematic codebook diff --json``)."""
        return {
            "old_label": self.old_label,
            "new_label": self.new_label,
            "added": [{"id": c.id, "name": c.name} for c in self.added],
            "removed": [{"id": c.id, "name": c.name} for c in self.removed],
            "renamed": [asdict(r) for r in self.renamed],
            "moved": [asdict(m) for m in self.moved],
            "edited": [{"code_id": e.code_id, "fields": list(e.fields)} for e in self.edited],
        }

    def summary(self) -> str:
        """A readable, line-per-change account of the diff.

        Examples
        --------
        >>> from thematic.models import Code, Codebook
        >>> old = Codebook([Code("hope", "Hope")], label="cb@1")
        >>> new = Codebook([Code("hope", "Hope via lived experience"), Code("stigma", "Stigma")],
        ...                label="cb@2")
        >>> print(diff_codebooks(old, new).summary())
        cb@1 -> cb@2: 1 added, 0 removed, 1 renamed, 0 moved, 0 edited
          + stigma "Stigma"
          ~ hope renamed "Hope" -> "Hope via lived experience"
        """
        head = (
            f"{self.old_label or 'old'} -> {self.new_label or 'new'}: "
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.renamed)} renamed, "
            f"{len(self.moved)} moved, {len(self.edited)} edited"
        )
        if not self:
            return head + " (no changes)"
        lines = [head]
        lines += [f'  + {c.id} "{c.name}"' for c in self.added]
        lines += [f'  - {c.id} "{c.name}"' for c in self.removed]
        lines += [f'  ~ {r.code_id} renamed "{r.old_name}" -> "{r.new_name}"' for r in self.renamed]
        lines += [
            f"  ~ {m.code_id} moved {m.old_parent or '(top level)'} -> {m.new_parent or '(top level)'}"
            for m in self.moved
        ]
        lines += [f"  ~ {e.code_id} edited: {', '.join(e.fields)}" for e in self.edited]
        return "\n".join(lines)


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    """Compare two codebooks code by code (matched on id).

    Parameters
    ----------
    old, new
        Two versions of a codebook.

    Returns
    -------
    CodebookDiff
        Added and removed codes in their codebook's order; renamed (same id, new name), moved
        (new parent) and edited (which of definition, inclusion, exclusion, examples, color,
        rules changed).
    """
    old_by, new_by = old.by_id(), new.by_id()
    result = CodebookDiff(old_label=old.label, new_label=new.label)
    result.added = [c for c in new.codes if c.id not in old_by]
    result.removed = [c for c in old.codes if c.id not in new_by]
    for code in new.codes:
        before = old_by.get(code.id)
        if before is None:
            continue
        if before.name != code.name:
            result.renamed.append(Renamed(code.id, before.name, code.name))
        if before.parent_id != code.parent_id:
            result.moved.append(Moved(code.id, before.parent_id, code.parent_id))
        a, b = code_to_dict(before), code_to_dict(code)
        changed = tuple(f for f in EDIT_FIELDS if a[f] != b[f])
        if changed:
            result.edited.append(Edited(code.id, changed))
    return result
