"""Whole-codebook checks: ids, hierarchy, rules. Every problem is collected, none raised.

These run on the codes every reader produces (:class:`ParsedSource`), so a CSV or a REFI-QDA
file gets the same checks as YAML, located by row or line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import regex

from thematic.codebook.parsed import ParsedSource
from thematic.codebook.schema import CodeMarks, Mark, closest
from thematic.errors import Problem
from thematic.models import Code, Rule
from thematic.regexes import RegexTimeout, compile_rule, nested_quantifiers, search

# Strings that share nothing: a regex that matches all of them matches any text.
_PROBES = ("x", "Q", "7", " ", "-", "é", "zz top")
_OPTIONAL_OPS = {"?", "*"}
_MIN_ZERO = re.compile(r"^\{\s*(?:0\s*)?(?:,\s*\d*\s*)?\}$")


class _Collector:
    def __init__(self, parsed: ParsedSource) -> None:
        self.parsed = parsed
        self.problems: list[Problem] = []

    def add(
        self,
        message: str,
        mark: Mark,
        *,
        code_id: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(
            Problem(
                message,
                path=self.parsed.source,
                line=mark.line,
                column=mark.column,
                code_id=code_id or None,
                hint=hint,
                severity=severity,
            )
        )


def check_parsed(parsed: ParsedSource) -> list[Problem]:
    """All whole-codebook problems of ``parsed`` (errors and warnings), in file order."""
    out = _Collector(parsed)
    if parsed.fatal:
        return []
    if not parsed.codes:
        if not parsed.errors:
            out.add("the codebook has no codes", Mark(1, 1), hint="Add at least one code under 'codes:'.")
        return out.problems
    pairs = list(zip(parsed.codes, _marks(parsed)))
    _check_ids(out, pairs)
    _check_parents(out, pairs)
    _check_cycles(out, pairs)
    parents = {c.parent_id for c in parsed.codes if c.parent_id}
    seen_rules: dict[str, Mark] = {}
    for code, marks in pairs:
        for i, rule in enumerate(code.rules):
            mark = marks.rule(i)
            if rule.id in seen_rules:
                out.add(
                    f"{marks.trail}: rule id '{rule.id}' is used twice (first at line {seen_rules[rule.id].line})",
                    mark,
                    code_id=code.id,
                )
            seen_rules.setdefault(rule.id, mark)
            for message, hint, severity in check_rule(rule):
                out.add(f"{marks.trail}.rules[{i}]: {message}", mark, code_id=code.id, hint=hint, severity=severity)
        _check_content(out, code, marks, is_parent=code.id in parents)
    return out.problems


def _marks(parsed: ParsedSource) -> list[CodeMarks]:
    marks = list(parsed.marks)
    marks += [CodeMarks(trail=f"codes[{i}]") for i in range(len(marks), len(parsed.codes))]
    return marks


def _check_ids(out: _Collector, pairs: list[tuple[Code, CodeMarks]]) -> None:
    first: dict[str, CodeMarks] = {}
    for code, marks in pairs:
        if not code.id:
            continue
        if code.id in first:
            out.add(
                f"{marks.trail}: duplicate code id '{code.id}' (first defined at {first[code.id].trail}, "
                f"line {first[code.id].node.line})",
                marks.at("id"),
                code_id=code.id,
                hint="Ids must be unique; give this code a new id.",
            )
        else:
            first[code.id] = marks


def _check_parents(out: _Collector, pairs: list[tuple[Code, CodeMarks]]) -> None:
    ids = [c.id for c, _ in pairs if c.id]
    known = set(ids)
    for code, marks in pairs:
        if code.parent_id is None or code.parent_id in known:
            continue
        best = closest(code.parent_id, ids)
        out.add(
            f"{marks.trail}: parent '{code.parent_id}' is not a code id in this codebook",
            marks.at("parent"),
            code_id=code.id,
            hint=f"Did you mean '{best}'?" if best else "Use the id of an existing code.",
        )


def _check_cycles(out: _Collector, pairs: list[tuple[Code, CodeMarks]]) -> None:
    parent_of = {c.id: c.parent_id for c, _ in pairs if c.id}
    marks_of = {c.id: m for c, m in pairs if c.id}
    reported: set[str] = set()
    for code, _ in pairs:
        chain: list[str] = []
        cur: str | None = code.id
        while cur is not None and cur in parent_of and cur not in chain:
            chain.append(cur)
            cur = parent_of[cur]
        if cur is None or cur not in chain:
            continue
        cycle = chain[chain.index(cur) :]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(cycle, key=lambda cid: marks_of[cid].node.line or 0)
        loop = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
        out.add(
            f"{marks_of[first].trail}: parent cycle: " + " -> ".join(loop),
            marks_of[first].at("parent"),
            code_id=first,
            hint="A code cannot be its own ancestor; remove one of these 'parent:' links.",
        )


def _check_content(out: _Collector, code: Code, marks: CodeMarks, *, is_parent: bool) -> None:
    if not code.id:
        return
    if not code.definition and not code.inclusion and not code.examples and not code.rules:
        hint = "Only its name can be matched; add a 'definition:' (with 'Use for:' / 'Not for:')."
        if is_parent:
            hint = "Coders rely on 'definition:'; a group code is suggested when no child fits."
        out.add(
            f"{marks.trail}: code '{code.name or code.id}' has no definition",
            marks.node,
            code_id=code.id,
            hint=hint,
            severity="warning",
        )
    elif not code.definition:
        out.add(
            f"{marks.trail}: code '{code.name or code.id}' has no definition",
            marks.node,
            code_id=code.id,
            hint="Coders and the semantic engine rely on 'definition:'.",
            severity="warning",
        )
    # A code with a definition but no rules and no examples is fine: the semantic engine
    # suggests it from its definition, and the classifier learns it from decisions.


# --------------------------------------------------------------------------- rules
Finding = tuple[str, str | None, str]  # message, hint, severity


def check_rule(rule: Rule) -> list[Finding]:
    """Problems of one rule: ``(message, hint, severity)`` triples.

    The one validation of rules: the codebook loaders report these with their locations, and
    the rule engine refuses to compile a rule with an error.
    """
    found = _check_weight(rule.weight)
    if rule.kind == "regex":
        return found + _check_regex(str(rule.value))
    if rule.kind == "keywords":
        values = [rule.value] if isinstance(rule.value, str) else list(rule.value or [])
        return found + _check_keywords(values)
    if rule.kind == "pattern":
        return found + _check_pattern(rule.value)
    return found + [(f"unknown rule kind '{rule.kind}'", "Use keywords, pattern or regex.", "error")]


def _check_weight(weight: object) -> list[Finding]:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        return [(f"weight must be a number. Got {weight!r} instead", None, "error")]
    if weight < 0:
        return [(f"weight must be >= 0. Got {weight!r} instead", None, "error")]
    return []


def _check_regex(pattern: str) -> list[Finding]:
    found: list[Finding] = []
    controls = sorted({f"\\x{ord(ch):02x}" for ch in pattern if ord(ch) < 32 and ch not in "\t\n"})
    if controls:
        found.append(
            (
                f"regex contains control characters ({', '.join(controls)})",
                "In double-quoted YAML '\\b' is a backspace: write regexes in single quotes.",
                "warning",
            )
        )
    try:
        compiled = compile_rule(pattern)
    except regex.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        found.append((f"invalid regular expression {pattern!r}: {exc.msg}{where}", None, "error"))
        return found
    nested = nested_quantifiers(pattern)
    if nested:
        found.append(
            (
                f"regex {pattern!r} repeats a group that itself repeats (at character "
                f"{nested[0] + 1}): it can take hours on an ordinary sentence",
                "Repeat the inner part once, or make the outer repeat possessive ('*+', '++') "
                "or the group atomic '(?>...)'.",
                "error",
            )
        )
        return found
    try:
        if search(compiled, ""):
            found.append(
                (
                    f"regex {pattern!r} matches the empty string, so it matches every segment",
                    "Make at least one part required (avoid a pattern made only of '*' or '?').",
                    "warning",
                )
            )
        elif all(search(compiled, p) for p in _PROBES):
            found.append(
                (
                    f"regex {pattern!r} matches any text",
                    "Anchor it on words that carry the code's meaning.",
                    "warning",
                )
            )
    except RegexTimeout as exc:
        found.append((str(exc.message), exc.hint, "error"))
    return found


def _check_keywords(words: Iterable[str]) -> list[Finding]:
    words = list(words)
    if not words:
        return [("keywords list is empty", "Add words or phrases, or remove the rule.", "error")]
    if any(not isinstance(w, str) or not w.strip() for w in words):
        return [("keywords must be non-empty strings", "Remove the empty entries.", "error")]
    stop = _stop_words()
    greedy = [w for w in words if len(w.split()) == 1 and w.strip().lower() in stop]
    if not greedy:
        return []
    return [
        (
            "stop-word keywords match almost every segment: " + ", ".join(map(repr, greedy)),
            "Use content words or multiword phrases ('felt heard', 'no one judged').",
            "warning",
        )
    ]


def _check_pattern(pattern: list[dict[str, Any]]) -> list[Finding]:
    from thematic.nlp import load_nlp

    vocab = load_nlp().vocab
    from spacy.matcher import Matcher

    matcher = Matcher(vocab, validate=True)
    try:
        matcher.add("rule", [pattern])
    except Exception as exc:  # spaCy raises MatchPatternError / ValueError / KeyError
        return [(f"spaCy rejects the token pattern: {_squeeze(str(exc))}", _PATTERN_HINT, "error")]
    if all(_token_optional(token) for token in pattern):
        return [
            (
                "every token of the pattern is optional or empty, so it matches (almost) every segment",
                "Give at least one token a required attribute such as LEMMA or LOWER.",
                "warning",
            )
        ]
    return []


_PATTERN_HINT = "See https://spacy.io/usage/rule-based-matching#adding-patterns-attributes."


def _token_optional(token: dict[str, Any]) -> bool:
    op = str(token.get("OP", "")).strip()
    attributes = [k for k in token if k != "OP"]
    return not attributes or op in _OPTIONAL_OPS or bool(_MIN_ZERO.match(op))


def _squeeze(message: str) -> str:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    details = [ln.lstrip("- ") for ln in lines if ln.startswith("- ")]
    if details:
        return "; ".join(details)
    return " ".join(lines).replace("Key: rule", "").strip()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from thematic.nlp import import_spacy

    import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
