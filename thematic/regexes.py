"""The one regular-expression engine of codebook rules.

Codebook regexes are data a person wrote; a careless one (``(a+)+$``, ``^(\\w+\\s?)*$``) can
backtrack for hours on an ordinary sentence. Every rule regex therefore

- is compiled by the ``regex`` module (a superset of :mod:`re` that also offers possessive
  quantifiers ``*+`` and atomic groups ``(?>...)``) with :data:`regex.IGNORECASE`;
- runs with a time budget per segment (:data:`MATCH_TIMEOUT` seconds): past it the match
  stops with :class:`RegexTimeout` and the rule engine drops the rule for the rest of the
  run and reports it;
- is checked at ``codebook validate`` by :func:`nested_quantifiers`, which finds a group
  repeated without bound that itself holds an unbounded repeat (the classic catastrophic
  shape), with its position.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex

from thematic.errors import ThematicError

#: Seconds one rule regex may spend on one segment.
MATCH_TIMEOUT = 0.25

Pattern = Any  # regex.Pattern[str]; the regex module ships no type hints


class RegexTimeout(ThematicError, TimeoutError):
    """A rule regex took longer than its time budget on one text."""


def compile_rule(pattern: str) -> Pattern:
    """Compile a rule regex (case-insensitive, :mod:`re`-compatible syntax).

    Raises
    ------
    regex.error
        The pattern is not a valid regular expression (``.pos`` says where).
    """
    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)


def finditer(rx: Pattern, text: str, *, timeout: float = MATCH_TIMEOUT) -> Iterator[Any]:
    """Matches of ``rx`` in ``text``, stopping with :class:`RegexTimeout` past ``timeout`` s."""
    try:
        yield from rx.finditer(text, timeout=timeout)
    except TimeoutError as exc:
        raise RegexTimeout(
            f"regex {rx.pattern!r} took more than {timeout:g} s on one text",
            hint="Rewrite it without nested repeats, e.g. with a possessive '*+' or an "
            "atomic group '(?>...)'.",
        ) from exc


def search(rx: Pattern, text: str, *, timeout: float = MATCH_TIMEOUT) -> Any:
    """``rx.search(text)`` with the time budget (see :func:`finditer`)."""
    for match in finditer(rx, text, timeout=timeout):
        return match
    return None


_QUANT_OPEN = "*+?{"


def _quantifier_at(pattern: str, i: int) -> tuple[bool, int] | None:
    """The quantifier starting at ``i``: (unbounded or bounded above 1, its end), or None.

    ``?`` and ``{0,1}`` are not repeats; a trailing ``+`` (possessive) or ``?`` (lazy) is
    consumed. A possessive quantifier never backtracks, so it counts as no repeat.
    """
    if i >= len(pattern) or pattern[i] not in _QUANT_OPEN:
        return None
    ch = pattern[i]
    end = i + 1
    if ch == "{":
        close = pattern.find("}", i)
        body = pattern[i + 1 : close] if close > 0 else ""
        parts = body.split(",")
        if close < 0 or len(parts) > 2 or not all(p.strip().isdigit() or p.strip() == "" for p in parts) \
                or not parts[0].strip().isdigit() and len(parts) == 1:
            return None  # a literal "{"
        end = close + 1
        high = parts[-1].strip()
        repeats = high == "" or int(high) > 1
    else:
        repeats = ch in "*+"
    possessive = end < len(pattern) and pattern[end] == "+"
    if end < len(pattern) and pattern[end] in "+?":
        end += 1
    return (repeats and not possessive, end)


def _class_end(pattern: str, i: int) -> int:
    """The position just after the character class ``[...]`` that opens at ``i`` (a ``]``
    first in the class, after an optional ``^``, is a member).

    >>> _class_end("[]a]b", 0), _class_end("[^]x]y", 0)
    (4, 5)
    """
    j, n = i + 1, len(pattern)
    if j < n and pattern[j] == "^":
        j += 1
    if j < n and pattern[j] == "]":
        j += 1
    while j < n and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def nested_quantifiers(pattern: str) -> list[int]:
    """0-based positions of groups repeated without bound that hold an unbounded repeat.

    ``(a+)+$`` -> ``[0]``; ``^(\\w+\\s?)*$`` -> ``[1]``; ``(?:\\w+\\s){0,3}`` (bounded) and
    ``(?>\\w+\\s?)*`` (atomic) -> ``[]``.

    Examples
    --------
    >>> nested_quantifiers(r"(a+)+$"), nested_quantifiers(r"^(\\w+\\s?)*$")
    ([0], [1])
    >>> nested_quantifiers(r"\\b(?:felt|feel) (?:\\w+ ){0,3}heard\\b"), nested_quantifiers(r"(?>a+)+")
    ([], [])
    """
    found: list[int] = []
    stack: list[list[Any]] = []  # [start, holds an unbounded repeat, atomic]
    i, n = 0, len(pattern)
    last_atom_end = -1
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            last_atom_end = i
        elif ch == "[":
            i = _class_end(pattern, i)
            last_atom_end = i
        elif ch == "(":
            stack.append([i, False, pattern.startswith("(?>", i)])
            i += 1
        elif ch == ")" and stack:
            start, inner, atomic = stack.pop()
            quant = _quantifier_at(pattern, i + 1)
            i += 1
            if quant is not None:
                unbounded = quant[0] and (pattern[i] in "*+" or pattern[i:quant[1]].rstrip("+?").endswith(",}"))
                if unbounded and inner and not atomic:
                    found.append(start)
                i = quant[1]
                if quant[0] and stack:
                    stack[-1][1] = True
            if inner and stack and not atomic:
                stack[-1][1] = True
            last_atom_end = -1
            continue
        else:
            quant = _quantifier_at(pattern, i) if i == last_atom_end else None
            if quant is not None:
                if quant[0] and stack:
                    stack[-1][1] = True
                i = quant[1]
                last_atom_end = -1
                continue
            i += 1
            last_atom_end = i
    return sorted(found)


__all__ = ["MATCH_TIMEOUT", "RegexTimeout", "compile_rule", "finditer", "nested_quantifiers", "search"]
