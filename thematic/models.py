"""Domain dataclasses shared by every part of thematic.

Spans are ``[start, end)`` in 0-based code points into a document's normalised text
(DESIGN invariant 1). Times are seconds from the start of the recording (floats) or None.
Nothing here touches a database: ``thematic.store`` turns rows into these objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

Role = str  # one of SPEAKER_ROLES
SOURCES = ("manual", "rule", "semantic", "classifier", "topic", "import", "combined")
STATUSES = ("suggested", "accepted", "rejected")
Source = Literal["manual", "rule", "semantic", "classifier", "topic", "import", "combined"]
Status = Literal["suggested", "accepted", "rejected"]
INTERVIEWER_ROLES = frozenset({"interviewer", "moderator", "facilitator"})
SPEAKER_ROLES = ("participant", "interviewer", "moderator", "facilitator", "observer")
"""Roles a person may give a speaker label (``thematic role``): participants' turns are
analysed, the others' are not."""

# The vocabularies of options (one home: the library validates with them, the CLI offers them)
UNITS = ("turn", "sentence")
"""Units of coding and analysis: a speaker's turn, or a sentence inside it."""
SURVEY_LAYOUTS = ("respondent", "question")
"""A survey table becomes one document per respondent or one per question."""
ATTRIBUTE_TYPES = ("number", "date", "category", "text")
"""Types of participant attributes."""
GROUP_POLICIES = ("children_first", "never", "keep")
"""What suggestion runs do with codes that have children (see ``suggest.hierarchy``)."""
MEMO_TARGETS = ("project", "document", "code", "theme", "coding")
"""What a memo can be about."""
DECISIONS = ("accepted", "rejected", "suggested")
"""What a person can set a coding to (``suggested``: take the decision back)."""
TOPIC_STATUSES = ("candidate", "adopted", "mapped", "merged", "rejected")
"""States of a topic candidate: undecided, adopted as a code, mapped to a code, merged, rejected."""
REVIEW_MODES = ("shared", "independent")
"""Shared review: one current decision anyone may change; independent: one decision per coder."""
APPROACHES = ("reflexive", "codebook", "coding-reliability")
"""How the study approaches coding (Braun & Clarke's three families of thematic analysis)."""


# --------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class Settings:
    """A project's settings, with their defaults (the one place they are written down).

    Attributes
    ----------
    unit : str
        The unit of coding and analysis, one of :data:`UNITS`.
    interviewers : tuple of str
        Speaker labels that are always interviewers.
    language : str
        The language of the transcripts (the spaCy language code).
    review_mode : str
        One of :data:`REVIEW_MODES`.
    approach : str
        One of :data:`APPROACHES`.

    >>> Settings.from_mapping({"unit": "turn", "colour": "red"}).unit
    'turn'
    """

    unit: str = "sentence"
    interviewers: tuple[str, ...] = ()
    language: str = "en"
    review_mode: str = "shared"
    approach: str = "reflexive"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from stored values: unknown keys are ignored, missing ones take defaults."""
        known = {f.name for f in fields(cls)}
        kept = {k: v for k, v in values.items() if k in known and v is not None}
        if "interviewers" in kept:
            kept["interviewers"] = tuple(str(n) for n in kept["interviewers"])
        return cls(**kept)

    def as_dict(self) -> dict[str, Any]:
        """The settings as stored (lists, not tuples)."""
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v)
                for f in fields(self)}


# --------------------------------------------------------------------------- ingestion
@dataclass(frozen=True)
class Turn:
    """One speaker's stretch of talk. ``start``/``end`` cover the utterance, not its label."""

    start: int
    end: int
    speaker: str | None = None
    time_start: float | None = None
    time_end: float | None = None
    role: Role | None = None


@dataclass
class Document:
    """A transcript as a reader returns it, before it is stored.

    ``text`` is the normalised text; every turn's span indexes into it. ``speaker_attributes``
    carries attributes a file states about its speakers itself (a survey's respondent columns).
    """

    name: str
    text: str
    turns: list[Turn]
    format: str
    sha256: str = ""
    source_path: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    speaker_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def turn_text(self, turn: Turn) -> str:
        return self.text[turn.start : turn.end]


# --------------------------------------------------------------------------- codebook
@dataclass(frozen=True)
class Example:
    """An example of a code: ``kind`` is "typical", "atypical" or "near_miss"."""

    text: str
    kind: str = "typical"


@dataclass(frozen=True)
class Rule:
    """A match rule of a code.

    ``kind``: "keywords" (``value``: list of words/phrases matched on lemmas, case-insensitive),
    "pattern" (``value``: a spaCy token pattern, list of dicts), "regex" (``value``: a regular
    expression, case-insensitive). ``exclude=True`` makes a match veto the code in that segment.
    ``roles`` restricts the rule to speakers of those roles (None: participants only is decided
    by the engine settings, not here).
    """

    id: str
    kind: str
    value: Any
    exclude: bool = False
    roles: tuple[str, ...] | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Code:
    """A node of the codebook (MacQueen et al. 1998 structure)."""

    id: str
    name: str
    parent_id: str | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: tuple[Example, ...] = ()
    color: str | None = None
    rules: tuple[Rule, ...] = ()


@dataclass
class Codebook:
    """The tree of codes, with a label and a content hash that identify its version."""

    codes: list[Code]
    name: str = "codebook"
    label: str = ""
    content_hash: str = ""
    source_path: str | None = None

    def by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent_id == code_id]

    def path(self, code_id: str) -> list[str]:
        """Names from the root to ``code_id``."""
        index = self.by_id()
        names: list[str] = []
        seen: set[str] = set()
        cur: str | None = code_id
        while cur is not None and cur in index and cur not in seen:
            seen.add(cur)
            names.append(index[cur].name)
            cur = index[cur].parent_id
        return list(reversed(names))


# --------------------------------------------------------------------------- coding
@dataclass(frozen=True)
class Segment:
    """The unit of coding: a turn or a sentence of a stored document."""

    id: int
    document_id: int
    turn_id: int
    kind: str  # "turn" | "sentence"
    start: int
    end: int
    text: str
    speaker: str | None = None
    role: Role | None = None
    participant: str | None = None
    prompt: str | None = None  # the interviewer's turn this segment answers, when known
    #: a turn's stored sentences (ingest's spaCy segmentation), in order, when known
    sentences: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Suggestion:
    """A coding an engine proposes. ``evidence`` says why; ``source`` which engine."""

    document_id: int
    start: int
    end: int
    code_id: str
    source: str
    confidence: float
    evidence: dict[str, Any]
    segment_id: int | None = None


@dataclass(frozen=True)
class Coding:
    """A code applied to a span, as stored."""

    id: int
    document_id: int
    code_id: str
    start: int
    end: int
    source: str
    status: str
    confidence: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    coder: str | None = None
    run_id: int | None = None
    created_at: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    version: int = 1
