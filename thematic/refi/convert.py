"""Pure conversions between thematic's vocabulary and the exchange model.

Codes keep their identity through a round trip: the REFI guid of a code is
:func:`thematic.codebook.qdc.code_guid` of its id (as in ``.qdc`` exports), and the
description block written by :func:`thematic.codebook.qdc_description.format_description`
carries the id and the definition / inclusion / exclusion / examples back. Attribute types
map to REFI variable types and back (:data:`REFI_TO_OURS`, :func:`refi_type`).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from thematic.codebook.qdc import code_guid
from thematic.codebook.qdc_description import format_description, parse_description
from thematic.codebook.schema import normalize_color, slugify
from thematic.models import Code, Codebook
from thematic.refi.model import ExCode, ExProject, VariableType

GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:thematic:qdpx")
REFI_TO_OURS: dict[str, str] = {
    "Integer": "number",
    "Float": "number",
    "Date": "date",
    "DateTime": "date",
    "Boolean": "category",
    "Text": "text",
}


def guid(kind: str, key: object) -> str:
    """A stable REFI guid for one of our objects (``kind`` and its key)."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def exchange_codes(codebook: Codebook) -> list[ExCode]:
    """Our codebook as exchange codes, parents before children, descriptions folded."""
    known = {c.id for c in codebook.codes}
    return [
        ExCode(
            guid=code_guid(c.id),
            name=c.name,
            parent=code_guid(c.parent_id) if c.parent_id in known else None,
            color=c.color.upper() if c.color else None,
            description=format_description(c),
        )
        for c in codebook.codes
    ]


def codes_from_exchange(project: ExProject) -> tuple[list[Code], dict[str, str]]:
    """Exchange codes as our codes, and the map from code guid to our code id.

    A description written by thematic gives back the id and the definition, inclusion,
    exclusion and examples; a foreign one is the definition, and the id is made from the
    name (unique, prefixed by the parent's id when the name is taken).
    """
    taken = {
        p.code_id for p in (parse_description(c.description) for c in project.codes) if p.code_id
    }
    ids: dict[str, str] = {}
    codes: list[Code] = []
    for ex in _parents_first(project.codes):
        parts = parse_description(ex.description)
        parent = ids.get(ex.parent) if ex.parent else None
        code_id = parts.code_id or _new_id(ex.name, parent, taken)
        ids[ex.guid] = code_id
        codes.append(
            Code(
                id=code_id,
                name=ex.name,
                parent_id=parent,
                definition=parts.definition,
                inclusion=parts.inclusion,
                exclusion=parts.exclusion,
                examples=parts.examples,
                color=normalize_color(ex.color) if ex.color else None,
            )
        )
    return codes, ids


def _parents_first(codes: list[ExCode]) -> list[ExCode]:
    by_guid = {c.guid: c for c in codes}
    out: list[ExCode] = []
    done: set[str] = set()

    def visit(c: ExCode, trail: frozenset[str]) -> None:
        if c.guid in done:
            return
        if c.parent in by_guid and c.parent not in trail:
            visit(by_guid[c.parent], trail | {c.guid})
        done.add(c.guid)
        out.append(c)

    for c in codes:
        visit(c, frozenset())
    return out


def _new_id(name: str, parent: str | None, taken: set[str]) -> str:
    base = slugify(name or "code")
    candidate = f"{parent}-{base}" if base in taken and parent else base
    n = 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def refi_type(our_type: str, values: Iterable[Any]) -> VariableType:
    """The REFI variable type of one of our attribute types, given its values."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if our_type == "number":
        whole = all(float(v).is_integer() for v in present if _is_number(v))
        return "Integer" if present and whole and all(_is_number(v) for v in present) else "Float"
    if our_type == "date":
        return "Date" if all(len(str(v)) == 10 for v in present) else "DateTime"
    if present and all(isinstance(v, bool) for v in present):
        return "Boolean"
    return "Text"


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def refi_value(value: Any, kind: VariableType) -> Any:
    """A value written as ``kind`` (``34.0`` as Integer is ``34``; dates as ISO text)."""
    if kind == "Integer":
        return int(float(value))
    if kind == "Float":
        return float(value)
    if kind in ("Date", "DateTime"):
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return text[:10] if kind == "Date" else text
    return value


def our_value(value: Any, our_type: str) -> Any:
    """A REFI value as our attribute value (booleans as ``"true"``/``"false"`` categories)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if our_type == "number" and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


def attribute_types(
    project: ExProject, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Our attribute type of each variable name (the sidecar's types win when present)."""
    out = {v.name: REFI_TO_OURS.get(v.type, "text") for v in project.variables}
    out.update({k: v for k, v in (overrides or {}).items() if k in out})
    return out
