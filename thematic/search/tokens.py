"""The words of many segments, flat, with their document offsets, lower case and lemma.

A :class:`TokenIndex` is built once from a segments frame (``Project.segments()``: ``text`` and
``start``) and searched many times (:func:`thematic.search.text_search`). Words are spaCy's
tokens without punctuation or spaces, so a phrase matches across a hyphen or a comma
("wait list" finds "wait-list"). Lemmas come from spaCy's lookup tables
(``spacy-lookups-data``), looked up on the lower-case word; without them the lemma is the
lower-case word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from thematic.search._frames import require_columns


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

    >>> words_of("It's a wait-list.")
    [(0, 2, 'It'), (2, 4, "'s"), (5, 6, 'a'), (7, 11, 'wait'), (12, 16, 'list')]
    """
    from thematic.nlp import load_nlp

    tokenizer = load_nlp(lang, prefer_trained=False).tokenizer
    return [(t.idx, t.idx + len(t.text), t.text) for t in tokenizer(text)
            if not (t.is_punct or t.is_space)]


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
    from thematic.nlp import load_nlp

    tokenizer: Any = load_nlp(lang, prefer_trained=False).tokenizer
    lemma = lemmatiser(lang)
    rows: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    lowers: list[str] = []
    texts = segments["text"].fillna("").astype(str).tolist()
    offsets = segments["start"].astype(int).tolist()
    for i, doc in enumerate(tokenizer.pipe(texts, batch_size=512)):
        base = offsets[i]
        for tok in doc:
            if tok.is_punct or tok.is_space:
                continue
            rows.append(i)
            starts.append(base + tok.idx)
            ends.append(base + tok.idx + len(tok.text))
            lowers.append(tok.lower_)
    lemmas = [lemma(w) for w in lowers]
    return TokenIndex(
        row=np.asarray(rows, dtype=np.int64), start=np.asarray(starts, dtype=np.int64),
        end=np.asarray(ends, dtype=np.int64), lower=_strings(lowers), lemma=_strings(lemmas),
        rows=len(texts),
    )


def _strings(values: Sequence[str]) -> np.ndarray:
    return np.asarray(values, dtype=str) if values else np.asarray([], dtype="<U1")


__all__ = ["TokenIndex", "build_index", "lemmatiser", "words_of"]
