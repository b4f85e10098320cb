"""The readable ``<Description>`` block thematic writes into REFI-QDA codes, and its parser.

Other tools show a code's description as plain text, so the block is written for people::

    Participant says someone really listened to them ...

    Include: explicit statements of being listened to ...

    Exclude: listening they gave to others (code active-listening).

    Typical examples:
    - "She just let me talk, and I felt heard."
    - "Nobody cut me off ..."

    Near-miss examples:
    - "I listened to the speaker share."

    [thematic code: feeling-heard]

The last line marks the block as ours; without it the whole description is the definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thematic.models import Code, Example

MARKER_RE = re.compile(r"^\[thematic code: ([a-z0-9][a-z0-9_-]*)\]$")
_SECTIONS = {
    "Include:": "inclusion",
    "Exclude:": "exclusion",
    "Typical examples:": "typical",
    "Atypical examples:": "atypical",
    "Near-miss examples:": "near_miss",
}
_HEADING_OF = {v: k for k, v in _SECTIONS.items()}
_HEADING_RE = re.compile(r"^(" + "|".join(re.escape(h) for h in _SECTIONS) + r")\s*(.*)$")


@dataclass(frozen=True)
class DescriptionParts:
    """What a description block holds: ``code_id`` is None for a foreign description."""

    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: tuple[Example, ...] = ()
    code_id: str | None = None


def format_description(code: Code) -> str:
    """The description block of ``code`` (always ends with the marker line)."""
    blocks: list[str] = []
    if code.definition:
        blocks.append(code.definition)
    for field in ("inclusion", "exclusion"):
        value = getattr(code, field)
        if value:
            blocks.append(f"{_HEADING_OF[field]} {value}")
    for kind in ("typical", "atypical", "near_miss"):
        texts = [e.text for e in code.examples if e.kind == kind]
        if texts:
            bullets = ["- " + t.replace("\n", "\n  ") for t in texts]
            blocks.append("\n".join([_HEADING_OF[kind], *bullets]))
    blocks.append(f"[thematic code: {code.id}]")
    return "\n\n".join(blocks)


def parse_description(text: str | None) -> DescriptionParts:
    """Split a description written by :func:`format_description`; otherwise all of it is the definition."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    lines = text.split("\n")
    match = MARKER_RE.match(lines[-1].strip()) if lines else None
    if match is None:
        return DescriptionParts(definition=text)
    sections: dict[str, list[str]] = {"definition": []}
    current = "definition"
    for line in lines[:-1]:
        heading = _HEADING_RE.match(line)
        if heading:
            current = _SECTIONS[heading.group(1)]
            sections[current] = [heading.group(2)] if heading.group(2) else []
        else:
            sections.setdefault(current, []).append(line)
    examples: list[Example] = []
    for kind in ("typical", "atypical", "near_miss"):
        examples.extend(Example(t, kind) for t in _bullets(sections.get(kind, [])))
    return DescriptionParts(
        definition="\n".join(sections["definition"]).strip(),
        inclusion="\n".join(sections.get("inclusion", [])).strip(),
        exclusion="\n".join(sections.get("exclusion", [])).strip(),
        examples=tuple(examples),
        code_id=match.group(1),
    )


def _bullets(lines: list[str]) -> list[str]:
    items: list[list[str]] = []
    for line in lines:
        if line.startswith("- "):
            items.append([line[2:]])
        elif items and line.startswith("  "):
            items[-1].append(line[2:])
        elif items and line.strip():
            items[-1].append(line.strip())
    return ["\n".join(item).strip() for item in items]
