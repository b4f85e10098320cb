"""Group codes (codes with children) in suggestions.

Codebooks usually say to apply a group code only when none of its children fits. Engines
score every code alike, so a group code whose definition summarises its children scores high
wherever a child does. ``prefer_children`` applies the codebook convention to suggestions:

- ``"children_first"`` (default): drop a group code's suggestion on a segment where one of
  its descendants is suggested too;
- ``"never"``: never suggest group codes;
- ``"keep"``: keep every suggestion.

Measured against the sample study's gold coding (``benchmarks/bench_agreement.py``),
``children_first`` removes about a quarter of the combined engine's false positives.
"""

from __future__ import annotations

from collections.abc import Sequence

from thematic.errors import ParameterError
from thematic.models import (
    GROUP_POLICIES,  # noqa: F401  (re-exported)
    Codebook,
    Suggestion,
)


def descendants(codebook: Codebook) -> dict[str, set[str]]:
    """Code id -> ids of every code below it."""
    children: dict[str | None, list[str]] = {}
    for code in codebook.codes:
        children.setdefault(code.parent_id, []).append(code.id)
    out: dict[str, set[str]] = {}

    def walk(code_id: str, seen: frozenset[str]) -> set[str]:
        if code_id in out:
            return out[code_id]
        found: set[str] = set()
        for child in children.get(code_id, []):
            if child not in seen:
                found |= {child} | walk(child, seen | {child})
        out[code_id] = found
        return found

    for code in codebook.codes:
        walk(code.id, frozenset({code.id}))
    return out


def prefer_children(
    suggestions: Sequence[Suggestion], codebook: Codebook, policy: str = "children_first"
) -> list[Suggestion]:
    """Apply a group-code ``policy`` (see the module docstring) to ``suggestions``."""
    if policy not in GROUP_POLICIES:
        raise ParameterError(f"group policy must be one of {', '.join(GROUP_POLICIES)}. Got {policy!r} instead.")
    if policy == "keep":
        return list(suggestions)
    below = {k: v for k, v in descendants(codebook).items() if v}
    by_segment: dict[tuple[int, int | None, int, int], set[str]] = {}
    for s in suggestions:
        by_segment.setdefault((s.document_id, s.segment_id, s.start, s.end), set()).add(s.code_id)
    kept = []
    for s in suggestions:
        if s.code_id in below:
            if policy == "never":
                continue
            if by_segment[(s.document_id, s.segment_id, s.start, s.end)] & below[s.code_id]:
                continue
        kept.append(s)
    return kept
