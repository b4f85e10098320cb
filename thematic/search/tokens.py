"""The words of many segments, flat, with their document offsets, lower case and lemma.

A :class:`TokenIndex` is built once from a segments frame (``project.documents.segments()``: ``text`` and
``start``) and searched many times (:func:`thematic.search.text_search`). A word is a run of
letters and digits (any script): punctuation, hyphens and apostrophes separate words, so a
phrase matches across a hyphen or a comma ("wait list" finds "wait-list") and "Carol" finds
"Carol's". Lemmas come from spaCy's lookup tables (``spacy-lookups-data``), looked up on the
lower-case word; without them the lemma is the lower-case word. (A regular expression, not
spaCy's tokenizer: fifteen times faster on a study's 300,000 words, and the query's words are
split by the same rule.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from thematic.search._frames import require_columns

#: A word: letters and digits of any script (the index's and the query's words alike).
WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4)
def lemmatiser(lang: str = "en") -> Callable[[str], str]:
    """A function giving the lemma of a lower-case word (the word itself when unknown).

    >>> lemma = lemmatiser("en")
    >>> lemma("waiting"), lemma("lists"), lemma("felt")
    ('wait', 'list', 'feel')
    """
    from thematic.nlp import load_nlp

    nlp = load_nlp(lang, prefer_trained=False)
    table = None
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            table = lookups.get_table("lemma_lookup")

    @lru_cache(maxsize=200_000)
    def lemma(word: str) -> str:
        if table is None:
            return word
        found = table.get(word, word)
        return str(found).lower() if found else word

    return lemma


def words_of(text: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of each word of ``text`` (offsets in code points of ``text``).

    >>> words_of("It's a wait-list, café.")
    [(0, 2, 'It'), (3, 4, 's'), (5, 6, 'a'), (7, 11, 'wait'), (12, 16, 'list'), (18, 22, 'café')]
    """
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


@dataclass(frozen=True)
class TokenIndex:
    """Every word of a segments frame, in order (one array entry per word).

    Attributes
    ----------
    row : ndarray of int
        Position (0-based, ``iloc``) of the word's segment in the frame the index was built from.
    start, end : ndarray of int
        The word's span in its document's text.
    lower, lemma : ndarray of str
        The word in lower case, and its lemma.
    rows : int
        How many segments the index covers.
    """

    row: np.ndarray
    start: np.ndarray
    end: np.ndarray
    lower: np.ndarray
    lemma: np.ndarray
    rows: int

    def __len__(self) -> int:
        return len(self.row)


def build_index(segments: pd.DataFrame, *, lang: str = "en") -> TokenIndex:
    """The :class:`TokenIndex` of ``segments`` (columns ``text`` and ``start``).

    >>> index = build_index(pd.DataFrame({"text": ["We waited.", "Lists!"], "start": [0, 11]}))
    >>> index.lemma.tolist(), index.start.tolist(), index.row.tolist()
    (['we', 'wait', 'list'], [0, 3, 11], [0, 0, 1])
    """
    require_columns(segments, ("text", "start"), "segments")
    lemma = lemmatiser(lang)
    texts = segments["text"].fillna("").astype(str).tolist()
    offsets = segments["start"].astype(int).tolist()
    rows: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    lowers: list[str] = []
    for i, text in enumerate(texts):
        base = offsets[i]
        for m in WORD.finditer(text):
            rows.append(i)
            starts.append(base + m.start())
            ends.append(base + m.end())
            lowers.append(m.group().lower())
    where, unique = pd.factorize(pd.Series(lowers, dtype=object))  # each word looked up once
    words = _strings([str(w) for w in unique])
    lemmas = _strings([lemma(str(w)) for w in unique])
    return TokenIndex(
        row=np.asarray(rows, dtype=np.int64), start=np.asarray(starts, dtype=np.int64),
        end=np.asarray(ends, dtype=np.int64), lower=words[where] if lowers else words,
        lemma=lemmas[where] if lowers else lemmas, rows=len(texts),
    )


def _strings(values: Sequence[str]) -> np.ndarray:
    return np.asarray(values, dtype=str) if values else np.asarray([], dtype="<U1")


__all__ = ["TokenIndex", "build_index", "lemmatiser", "words_of"]
