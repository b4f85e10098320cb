"""A small reference matcher for codebook rules, used to check the sample codebook's quality.

It is not the suggestion engine (``thematic.suggest.rules``); it applies the documented rule
semantics so tests can assert that each code's rules find its typical examples and leave its
near-miss examples alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from thematic.models import Codebook, Rule
from thematic.nlp import lemma_of, load_nlp


def _lemmas(text: str) -> list[str]:
    return [lemma_of(t) for t in load_nlp()(text)]


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


def rule_matcher(rule: Rule) -> Callable[[str], bool]:
    """A predicate: does ``rule`` match a segment's text?"""
    if rule.kind == "regex":
        compiled = re.compile(rule.value, re.IGNORECASE)
        return lambda text: compiled.search(text) is not None
    if rule.kind == "keywords":
        phrases = [_lemmas(p) for p in rule.value]
        return lambda text: any(_contains(_lemmas(text), p) for p in phrases)
    from spacy.matcher import Matcher

    matcher = Matcher(load_nlp().vocab)
    matcher.add(rule.id, [rule.value])
    return lambda text: bool(matcher(load_nlp()(text)))


def code_segment(codebook: Codebook) -> Callable[[str], set[str]]:
    """A function from a segment's text to the ids of the codes its rules suggest."""
    compiled = [(c.id, r.exclude, rule_matcher(r)) for c in codebook.codes for r in c.rules]

    def apply(text: str) -> set[str]:
        hits: set[str] = set()
        vetoed: set[str] = set()
        for code_id, exclude, match in compiled:
            if match(text):
                (vetoed if exclude else hits).add(code_id)
        return hits - vetoed

    return apply
