"""Plain dataclasses of an exchanged project, independent of our store.

Readers (``.qdpx``/``.qde``, QualCoder, Taguette) fill an :class:`ExProject`; writers read
one. Every span is ``[start, end)`` in code points of the source's *normalised* text
(DESIGN invariant 1): foreign offsets are converted by :mod:`thematic.refi.offsets` before
they reach these objects. Identifiers are the foreign guids (or ids made stable from the
foreign keys), kept as strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["kept", "converted", "skipped"]
VariableType = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]
VARIABLE_TYPES: tuple[str, ...] = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
SourceKind = Literal["text", "docx", "pdf", "odt", "other"]


@dataclass
class ExUser:
    """A person who coded (a REFI ``User``; a coder in thematic)."""

    guid: str
    name: str


@dataclass
class ExCode:
    """A node of the code tree. ``description`` is the raw text of ``<Description>``."""

    guid: str
    name: str
    parent: str | None = None  # guid of the parent code
    color: str | None = None  # "#RRGGBB"
    description: str = ""
    codable: bool = True


@dataclass
class ExSource:
    """A document: its normalised text and where that text came from (``kind``)."""

    guid: str
    name: str
    text: str
    kind: SourceKind = "text"
    description: str = ""
    creator: str | None = None  # user guid
    created: str | None = None  # ISO 8601
    modified: str | None = None


@dataclass
class ExCoding:
    """A code applied to a span of a source.

    ``selection`` is the guid of the selection (one selection may carry several codings);
    ``guid`` the guid of the coding itself.
    """

    guid: str
    selection: str
    source: str  # source guid
    code: str  # code guid
    start: int
    end: int
    coder: str | None = None  # user guid
    created: str | None = None


@dataclass
class ExVariable:
    """A case variable (a participant attribute) with its REFI type."""

    guid: str
    name: str
    type: VariableType = "Text"
    description: str = ""


@dataclass
class ExCase:
    """A case (a participant): typed values keyed by variable guid, and linked sources."""

    guid: str
    name: str
    description: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class ExNote:
    """A note (a memo). ``targets`` are the guids it is attached to; ``span`` a place in a source."""

    guid: str
    name: str
    text: str
    creator: str | None = None
    created: str | None = None
    targets: list[str] = field(default_factory=list)
    span: tuple[str, int, int] | None = None  # (source guid, start, end)


@dataclass
class ExSet:
    """A set of codes (a theme in thematic) with its description."""

    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Unplaced:
    """A coding we could not put on its source's text: reported, never guessed.

    ``code`` names the code(s) the selection carries and ``coding`` the coding's guid, so
    that a refused import says which coding and why.
    """

    source: str  # source name
    selection: str  # selection guid (or foreign id)
    reason: str
    start: int | None = None
    end: int | None = None
    code: str = ""
    coding: str = ""

    def line(self) -> str:
        """One line naming the coding, where it points and why it cannot be placed."""
        what = f"coding {self.coding}" if self.coding else f"selection {self.selection}"
        code = f" ('{self.code}')" if self.code else ""
        return f"{what}{code} on '{self.source}' [{self.start}, {self.end}): {self.reason}"


@dataclass(frozen=True)
class Outcome:
    """What became of one foreign element that was not kept as it is.

    ``action`` is ``converted`` (kept in another shape: a renamed source, a comment kept as
    a memo) or ``skipped`` (not imported); ``kind`` is the element's kind (source, code,
    coding, case, note, set, link, graph, user, sidecar ...); ``name`` what the researcher
    recognises it by (empty for a group of elements).
    """

    kind: str
    name: str
    action: Action
    reason: str

    def line(self) -> str:
        """``kind 'name': reason`` (or ``kind: reason`` for a group)."""
        return f"{self.kind} '{self.name}': {self.reason}" if self.name else f"{self.kind}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        """The outcome as a JSON-ready record."""
        return {"kind": self.kind, "name": self.name, "action": self.action, "reason": self.reason}


class OutcomeLog:
    """Outcomes recorded while reading or planning; ``dropped``/``notices`` as lines."""

    outcomes: list[Outcome]

    def skip(self, kind: str, name: str, reason: str) -> None:
        """Record an element that is not imported, and why."""
        self.outcomes.append(Outcome(kind, name, "skipped", reason))

    def convert(self, kind: str, name: str, reason: str) -> None:
        """Record an element kept in another shape, and how."""
        self.outcomes.append(Outcome(kind, name, "converted", reason))

    @property
    def dropped(self) -> list[str]:
        """One line per skipped element."""
        return [o.line() for o in self.outcomes if o.action == "skipped"]

    @property
    def notices(self) -> list[str]:
        """One line per converted element."""
        return [o.line() for o in self.outcomes if o.action == "converted"]


@dataclass
class ExProject(OutcomeLog):
    """A whole exchanged project.

    ``outcomes`` lists the foreign elements the reader could not keep (a picture source, a
    graph, a link ...) or kept in another shape, each with its reason (``dropped`` and
    ``notices`` give them as lines); ``unplaced`` the codings whose span failed the
    checks. ``sidecar`` holds what REFI-QDA cannot (confidence, evidence, status, runs ...)
    when the archive was written by thematic; it is empty otherwise. ``conventions`` says,
    per source guid, which offset convention placed its codings.
    """

    name: str
    origin: str = ""
    users: list[ExUser] = field(default_factory=list)
    codes: list[ExCode] = field(default_factory=list)
    sources: list[ExSource] = field(default_factory=list)
    codings: list[ExCoding] = field(default_factory=list)
    variables: list[ExVariable] = field(default_factory=list)
    cases: list[ExCase] = field(default_factory=list)
    notes: list[ExNote] = field(default_factory=list)
    sets: list[ExSet] = field(default_factory=list)
    description: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    conventions: dict[str, str] = field(default_factory=dict)
    sidecar: dict[str, Any] = field(default_factory=dict)

    def source_by_guid(self) -> dict[str, ExSource]:
        """Sources keyed by guid."""
        return {s.guid: s for s in self.sources}

    def code_by_guid(self) -> dict[str, ExCode]:
        """Codes keyed by guid."""
        return {c.guid: c for c in self.codes}

    def coding_text(self, coding: ExCoding) -> str:
        """The text a coding covers, from its source."""
        return self.source_by_guid()[coding.source].text[coding.start : coding.end]
