"""The result every reader produces before the whole-codebook checks run."""

from __future__ import annotations

from dataclasses import dataclass, field

from thematic.codebook.schema import CodeMarks
from thematic.errors import Problem
from thematic.models import Code


@dataclass
class ParsedSource:
    """Codes read from one source, with their marks and the problems met while reading.

    ``codes`` and ``marks`` are parallel lists. A code whose ``id`` could not be read has
    ``id == ""``; the checks skip it for id-based tests.
    """

    codes: list[Code] = field(default_factory=list)
    marks: list[CodeMarks] = field(default_factory=list)
    name: str = ""
    version: str = ""
    source: str | None = None
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # nothing could be read (syntax error, wrong top level)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
