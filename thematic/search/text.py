"""Full-text search over segments: words, phrases, prefixes, exclusions, alternatives, lemmas.

The query language (:func:`parse_search`) is the one NVivo and ATLAS.ti users know:

- ``waiting list`` -- both words somewhere in the same segment;
- ``"waiting list"`` -- the phrase, word after word (punctuation between words is ignored);
- ``listen*`` -- any word starting with "listen";
- ``-meeting`` or ``-"group therapy"`` -- segments without it;
- ``shame OR stigma`` -- either side (``OR`` in capitals; each side is its own set of terms).

With ``match="lemma"`` (the default, NVivo's "with stemmed words") a word finds every word of
the same lemma: ``waited`` finds "wait", "waiting", "waits"; ``match="exact"`` finds the word
itself (case-insensitive).

Examples
--------
>>> segments = pd.DataFrame({"document": ["P01", "P01", "P02"], "start": [0, 22, 0],
...     "end": [21, 40, 19], "text": ["We waited for months.", "The list was long.",
...     "Wait lists are long"]})
>>> text_search(segments, '"wait list"')[["document", "matched"]].to_dict("records")
[{'document': 'P02', 'matched': 'Wait lists'}]
>>> text_search(segments, "wait -months")["text"].tolist()
['Wait lists are long']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from thematic.errors import ParameterError
from thematic.search._frames import require_columns
from thematic.search.tokens import TokenIndex, build_index, lemmatiser, words_of

#: How a query word finds words of the text.
MATCHES = ("lemma", "exact")
#: Columns :func:`text_search` adds to the segments it returns.
HIT_COLUMNS = ["hits", "match_start", "match_end", "matched", "context_before", "context_after"]
_PIECE = re.compile(r'-?"[^"]*"?|\S+')


@dataclass(frozen=True)
class Word:
    """One word of a query, lower case; ``prefix``: it ends with ``*``."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Term:
    """A word or phrase to find (``exclude``: to avoid)."""

    words: tuple[Word, ...]
    exclude: bool = False

    def __str__(self) -> str:
        body = " ".join(w.text + ("*" if w.prefix else "") for w in self.words)
        body = f'"{body}"' if len(self.words) > 1 else body
        return ("-" if self.exclude else "") + body


@dataclass(frozen=True)
class TextQuery:
    """A parsed search: alternatives (joined by ``OR``), each a set of terms all required."""

    alternatives: tuple[tuple[Term, ...], ...]

    def __str__(self) -> str:
        return " OR ".join(" ".join(map(str, terms)) for terms in self.alternatives)


def parse_search(text: str, *, lang: str = "en") -> TextQuery:
    """Parse a search (module docstring); words are split as the text's words are.

    >>> str(parse_search('"Wait-list" listen* -meeting OR stigma'))
    '"wait list" listen* -meeting OR stigma'

    Raises
    ------
    ParameterError
        For an empty search, or a side of ``OR`` that only excludes.
    """
    alternatives: list[tuple[Term, ...]] = []
    current: list[Term] = []
    for piece in _PIECE.findall(text or ""):
        if piece == "OR":
            alternatives.append(tuple(current))
            current = []
            continue
        exclude = piece.startswith("-") and len(piece) > 1
        body = piece[1:] if exclude else piece
        quoted = body.startswith('"')
        words = _words(body.strip('"'), lang)
        if words:
            current.append(Term(words, exclude=exclude))
        elif quoted:
            continue  # an empty phrase finds nothing more
    alternatives.append(tuple(current))
    if not any(alternatives):
        raise ParameterError("the search is empty. Got no word to find.",
                             hint='Type words, a "phrase in quotes", or word* for a prefix.')
    for terms in alternatives:
        if not any(not t.exclude for t in terms):
            raise ParameterError("each side of OR must name a word to find, not only words to "
                                 f"leave out. Got {text!r} instead.",
                                 hint="Add a word before the -exclusion, e.g. family -meeting.")
    return TextQuery(tuple(alternatives))


def _words(body: str, lang: str) -> tuple[Word, ...]:
    out: list[Word] = []
    for part in body.split():
        prefix = part.endswith("*")
        found = [w.lower() for _, _, w in words_of(part.rstrip("*"), lang)]
        out += [Word(w, prefix and i == len(found) - 1) for i, w in enumerate(found)]
    return tuple(out)


def text_search(segments: pd.DataFrame, query: str | TextQuery, *, match: str = "lemma",
                index: TokenIndex | None = None, lang: str = "en") -> pd.DataFrame:
    """The segments that match ``query``, in reading order, with where and what matched.

    Parameters
    ----------
    segments : DataFrame
        ``project.documents.segments()``: at least ``document``, ``start``, ``end`` and ``text``
        (every other column, attributes included, is kept).
    query : str or TextQuery
        See :func:`parse_search`.
    match : {"lemma", "exact"}
    index : TokenIndex, optional
        :func:`~thematic.search.tokens.build_index` of this very frame (built when None; pass
        it to search the same segments again without re-reading every word).

    Returns
    -------
    DataFrame
        The matching rows of ``segments`` plus :data:`HIT_COLUMNS`: ``hits`` (list of
        ``[start, end]`` document offsets of each word or phrase found), ``match_start`` and
        ``match_end`` (from the first hit to the last), ``matched`` (the words found, as
        written), ``context_before`` and ``context_after`` (the neighbouring segments' text in
        the same document).
    """
    if match not in MATCHES:
        raise ParameterError(f"match must be one of {list(MATCHES)}. Got {match!r} instead.")
    require_columns(segments, ("document", "start", "end", "text"), "segments")
    parsed = query if isinstance(query, TextQuery) else parse_search(query, lang=lang)
    if index is None:
        index = build_index(segments, lang=lang)
    if index.rows != len(segments):
        raise ParameterError(f"the index covers {index.rows} segments, not these "
                             f"{len(segments)}. Got an index of another frame instead.",
                             hint="Build it with build_index(segments) of the same frame.")
    finder = _Finder(index, match, lemmatiser(lang))
    hits: dict[int, list[tuple[int, int]]] = {}
    for terms in parsed.alternatives:
        found = [finder.term(t) for t in terms]
        rows = set.intersection(*({r for r, _, _ in f} for f, t in zip(found, terms)
                                  if not t.exclude))
        for f, t in zip(found, terms):
            if t.exclude:
                rows -= {r for r, _, _ in f}
        for f, t in zip(found, terms):
            if not t.exclude:
                for r, a, b in f:
                    if r in rows:
                        hits.setdefault(r, []).append((a, b))
    return _result(segments, hits)


class _Finder:
    """Where each term of a query occurs in an index (rows and spans)."""

    def __init__(self, index: TokenIndex, match: str, lemma: Callable[[str], str]) -> None:
        self.index, self.match, self.lemma = index, match, lemma

    def word(self, word: Word) -> np.ndarray:
        lower = self.index.lower
        if word.prefix:
            return np.char.startswith(lower, word.text) if len(lower) else np.zeros(0, bool)
        if self.match == "exact":
            return lower == word.text
        return (self.index.lemma == self.lemma(word.text)) | (lower == word.text)

    def term(self, term: Term) -> list[tuple[int, int, int]]:
        """``(row, start, end)`` of each occurrence of ``term``."""
        n, k = len(self.index), len(term.words)
        ok = self.word(term.words[0]).copy()
        for i in range(1, k):
            ok[: n - i] &= self.word(term.words[i])[i:]
            ok[max(0, n - i):] = False
        row = self.index.row
        if k > 1 and n >= k:
            ok[: n - k + 1] &= row[: n - k + 1] == row[k - 1:]
        at = np.flatnonzero(ok)
        return list(zip(row[at].tolist(), self.index.start[at].tolist(),
                        self.index.end[at + k - 1].tolist(), strict=True))


def _result(segments: pd.DataFrame, hits: dict[int, list[tuple[int, int]]]) -> pd.DataFrame:
    columns = [*segments.columns, *HIT_COLUMNS]
    if not hits:
        return pd.DataFrame(columns=columns)
    before, after = _neighbours(segments)
    rows = sorted(hits)
    out = segments.iloc[rows].copy()
    spans = [sorted(set(hits[r])) for r in rows]
    texts = segments["text"].astype(str).tolist()
    starts = segments["start"].astype(int).tolist()
    out["hits"] = [[list(s) for s in spans_] for spans_ in spans]
    out["match_start"] = [s[0][0] for s in spans]
    out["match_end"] = [max(b for _, b in s) for s in spans]
    out["matched"] = ["; ".join(dict.fromkeys(texts[r][a - starts[r]:b - starts[r]] for a, b in s))
                      for r, s in zip(rows, spans, strict=True)]
    out["context_before"] = [before[r] for r in rows]
    out["context_after"] = [after[r] for r in rows]
    key = "document_id" if "document_id" in out.columns else "document"
    return out.sort_values([key, "start"], kind="stable").reset_index(drop=True)[columns]


def _neighbours(segments: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The text of the segment before and after each row, in the same document ("" if none)."""
    key = "document_id" if "document_id" in segments.columns else "document"
    order = np.lexsort((segments["start"].to_numpy(), pd.factorize(segments[key])[0]))
    docs = segments[key].to_numpy()[order]
    texts = segments["text"].astype(str).to_numpy()[order]
    n = len(order)
    before, after = [""] * n, [""] * n
    for i in range(n):
        pos = int(order[i])
        if i > 0 and docs[i - 1] == docs[i]:
            before[pos] = str(texts[i - 1])
        if i + 1 < n and docs[i + 1] == docs[i]:
            after[pos] = str(texts[i + 1])
    return before, after


__all__ = ["HIT_COLUMNS", "MATCHES", "Term", "TextQuery", "Word", "parse_search", "text_search"]
