"""The vocabulary of a codebook file: known fields, ids, colours and source marks.

Every reader (YAML, CSV, REFI-QDA) reports locations with :class:`Mark` and
:class:`CodeMarks`, so the whole-codebook checks in :mod:`thematic.codebook.checks` can say
``file:line:column`` whatever the format.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

TOP_FIELDS = ("codebook", "codes")
META_FIELDS = ("name", "version", "defaults")
DEFAULT_FIELDS = ("roles", "weight")
CODE_FIELDS = (
    "id",
    "name",
    "parent",
    "definition",
    "inclusion",
    "exclusion",
    "examples",
    "color",
    "rules",
    "children",
)
EXAMPLE_KINDS = ("typical", "atypical", "near_miss")
RULE_KINDS = ("keywords", "pattern", "regex")
RULE_FIELDS = (*RULE_KINDS, "id", "exclude", "roles", "weight")
TEXT_FIELDS = ("definition", "inclusion", "exclusion")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RULE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def closest(name: str, known: tuple[str, ...] | list[str]) -> str | None:
    """The known field closest to ``name`` (difflib), or None when nothing is close."""
    found = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_field_hint(name: str, known: tuple[str, ...] | list[str]) -> str:
    """A hint for an unknown field: the closest known one, else the list of known ones."""
    best = closest(name, known)
    if best:
        return f"Did you mean '{best}'?"
    return "Known fields: " + ", ".join(known) + "."


def slugify(text: str) -> str:
    """A code id made from a name: lower case ASCII letters, digits and hyphens.

    Examples
    --------
    >>> slugify("Hope through lived experience!")
    'hope-through-lived-experience'
    >>> slugify("Café / Zoom")
    'cafe-zoom'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "code"


def normalize_color(value: str) -> str | None:
    """``#rrggbb`` in lower case (``#rgb`` is expanded), or None when ``value`` is not a colour."""
    value = value.strip()
    if not COLOR_RE.match(value):
        return None
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits


def default_rule_id(code_id: str, index: int) -> str:
    """The stable id of the ``index``-th (0-based) rule of a code: ``<code_id>/r<n>``."""
    return f"{code_id}/r{index + 1}"


@dataclass(frozen=True)
class Mark:
    """A 1-based location in a source file (either part may be unknown)."""

    line: int | None = None
    column: int | None = None


@dataclass
class CodeMarks:
    """Where a code and its parts come from in the source file.

    ``trail`` is the code's position in the document (``codes[2].children[0]``, ``row 7``),
    ``fields`` the marks of field values and ``rules`` the marks of each rule's value.
    """

    node: Mark = field(default_factory=Mark)
    trail: str = ""
    fields: dict[str, Mark] = field(default_factory=dict)
    rules: list[Mark] = field(default_factory=list)

    def at(self, name: str) -> Mark:
        """The mark of field ``name``, falling back to the code's own mark."""
        return self.fields.get(name, self.node)

    def rule(self, index: int) -> Mark:
        """The mark of rule ``index``, falling back to the ``rules`` field."""
        return self.rules[index] if index < len(self.rules) else self.at("rules")
