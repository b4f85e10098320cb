"""Canonical form of a codebook: the JSON its content hash is computed from, and its label."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from thematic.models import Code, Codebook, Rule


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """A rule as plain JSON-able data (tuples become lists)."""
    return {
        "id": rule.id,
        "kind": rule.kind,
        "value": rule.value,
        "exclude": rule.exclude,
        "roles": list(rule.roles) if rule.roles is not None else None,
        "weight": rule.weight,
    }


def code_to_dict(code: Code) -> dict[str, Any]:
    """A code as plain JSON-able data; examples keep their order within each kind."""
    return {
        "id": code.id,
        "name": code.name,
        "parent_id": code.parent_id,
        "definition": code.definition,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "examples": [[e.kind, e.text] for e in code.examples],
        "color": code.color,
        "rules": [rule_to_dict(r) for r in code.rules],
    }


def canonical_json(codes: list[Code]) -> str:
    """Codes sorted by id, keys sorted, no whitespace: equal content gives equal text.

    Sibling order is presentation, not content, so reordering codes keeps the hash.
    """
    data = [code_to_dict(c) for c in sorted(codes, key=lambda c: c.id)]
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_hash(codes: list[Code]) -> str:
    """sha256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(codes).encode("utf-8")).hexdigest()


def make_label(name: str, version: str, digest: str) -> str:
    """``name@version``, or ``name@<first 12 hex of the hash>`` when there is no version."""
    return f"{name}@{version}" if version else f"{name}@{digest[:12]}"


def split_label(codebook: Codebook) -> tuple[str, str]:
    """``(name, version)`` recovered from a codebook's label (version is '' when unknown)."""
    label = codebook.label
    prefix = f"{codebook.name}@"
    if label.startswith(prefix):
        version = label[len(prefix) :]
        if not (len(version) == 12 and codebook.content_hash.startswith(version)):
            return codebook.name, version
    return codebook.name, ""


def build_codebook(codes: list[Code], *, name: str, version: str = "", source_path: str | None = None) -> Codebook:
    """A :class:`Codebook` with its content hash and label filled in."""
    digest = content_hash(codes)
    return Codebook(
        codes=list(codes),
        name=name,
        label=make_label(name, version, digest),
        content_hash=digest,
        source_path=source_path,
    )
