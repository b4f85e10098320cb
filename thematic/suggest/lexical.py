"""The codebook's own words: a lexical score of every (segment, code) pair.

A codebook with only names and descriptions still says which words its codes are about
("waiting lists", "stigma", "camera"). The semantic engine reads the description as a whole;
this module reads its words, the way a researcher's first keyword search would, and the
semantic engine adds the two (validated across corpora in ``benchmarks/bench_agreement.py``:
adding it raised the mean average precision on every corpus).

Terms
    The lemmas of the lower-cased text (spaCy's lookup lemmatizer, :func:`thematic.nlp.load_nlp`) of a
    code's name, definition and inclusion text (``Use for:``), alphabetic, three letters or
    more, without English stop words, speech fillers and the words codebooks use to talk about
    codes ("participant", "mention", "describe"...). The exclusion text (``Not for:``) is not
    read: its words are what the code is *not* about.

Score (Okapi BM25 with a code-specificity factor)::

    score(s, c) = sum over terms t of c found in s:
                  idf(t) * log(1 + n_codes / codes_with(t)) * tf * (k1 + 1) / (tf + k1 * norm(s))

``idf`` is BM25's over the project's segments (a word every segment says tells nothing), the
second factor down-weights words many codes share, ``norm(s) = 1 - b + b * len(s) / mean len``.
Pure functions; deterministic.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from spacy.tokens import Token

# Words that carry no topic in interview speech. Not the topic keywords' list
# (topic_pipeline.FILLERS): that one drops "right" ("right, so..."), which a codebook
# about patients' rights needs as a term.
FILLERS = frozenset(
    "um uh erm hmm yeah yes okay like know mean kind sort really just thing lot stuff think "
    "actually basically literally pretty quite maybe probably little bit get got go going "
    "say said tell way ways time"
    .split()
)
CODEBOOK_WORDS = frozenset(
    "code coded coding participant interviewee respondent person people mention describe "
    "description discuss talk include exclude example instance statement refer reference "
    "use general specific etc e.g. i.e. relate related relating particular aspect".split()
)
MIN_LENGTH = 3


@dataclass(frozen=True)
class LexicalScores:
    """BM25 scores, shape ``(n_segments, n_codes)``, and each code's terms."""

    score: np.ndarray
    terms: list[list[str]]
    matched: list[dict[int, list[str]]]  # per code: segment row -> matched terms, best first

    def standardised(self) -> np.ndarray:
        """``log1p(score)`` standardised per code (mean 0, SD 1; 0 where a code matches nothing).

        Most segments match none of a code's words, so the median absolute deviation is 0:
        the lexical score uses the mean and the standard deviation.
        """
        import numpy as np

        x = np.log1p(self.score)
        if x.size == 0:
            return x
        sd = x.std(axis=0, keepdims=True)
        return np.where(sd > 0, (x - x.mean(axis=0, keepdims=True)) / np.where(sd > 0, sd, 1.0), 0.0)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (scikit-learn's list) plus :data:`FILLERS` and :data:`CODEBOOK_WORDS`."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | FILLERS | CODEBOOK_WORDS


#: Lemmas already read, by (language, lower-cased text): a run reads each sentence twice (as a
#: sentence and inside its turn, often the same text) and re-runs read the same texts again.
#: A memo of a pure function, bounded; clearing it changes no result.
_LEMMAS: OrderedDict[tuple[str, str], tuple[str, ...]] = OrderedDict()
LEMMA_MEMO_SIZE = 200_000
#: The components of a pipeline that reads each whitespace-separated word on its own: spaCy's
#: tokenizer splits on whitespace before anything else, the sentencizer sets no lemma, and a
#: lookup lemmatizer looks each token up alone.
WORD_BY_WORD = frozenset({"sentencizer", "lemmatizer"})


def tokenize(texts: Sequence[str], lang: str = "en") -> list[list[str]]:
    """Content-word lemmas of every text (lower case, in order).

    Examples
    --------
    >>> tokenize(["Um, the waiting lists were like months long."])
    [['wait', 'list', 'month', 'long']]
    """
    lowered = [t.lower() for t in texts]  # the lookup lemmatizer leaves capitals as they are
    missing = list(dict.fromkeys(t for t in lowered if (lang, t) not in _LEMMAS))
    if missing:
        read = _read_word_by_word if reads_word_by_word(lang) else _read_lemmas
        for text, words in zip(missing, read(missing, lang), strict=True):
            _LEMMAS[(lang, text)] = words
        while len(_LEMMAS) > LEMMA_MEMO_SIZE:
            _LEMMAS.popitem(last=False)
    return [list(_LEMMAS[(lang, t)]) for t in lowered]


def reads_word_by_word(lang: str) -> bool:
    """Whether ``lang``'s pipeline (:func:`thematic.nlp.load_nlp`) gives every whitespace-separated
    word the same lemmas wherever it stands (no tagger or parser: a blank pipeline with the lookup
    lemmatizer, or none). A trained pipeline's lemmas follow each word's context."""
    from thematic.nlp import load_nlp

    nlp = load_nlp(lang)
    if not set(nlp.pipe_names) <= WORD_BY_WORD:
        return False
    return "lemmatizer" not in nlp.pipe_names or getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "lookup"


def _read_word_by_word(texts: Sequence[str], lang: str) -> list[tuple[str, ...]]:
    """:func:`_read_lemmas` of lower-cased ``texts`` for a pipeline that reads word by word
    (:func:`reads_word_by_word`): each distinct whitespace-separated word is read once, many
    words to a document (:func:`_read_words`), and a text's lemmas are its words' in order (the
    same lemmas; on 16,411 sentences and turns of six benchmark corpora 0.26 s instead of 5.6 s)."""
    words = list(dict.fromkeys(w for t in texts for w in t.split()))
    lemmas = dict(zip(words, _read_words(words, lang), strict=True))
    return [tuple(lemma for w in t.split() for lemma in lemmas[w]) for t in texts]


#: Words, and characters, read at most per document by :func:`_read_words` (spaCy refuses a
#: document longer than ``nlp.max_length``, a million characters by default).
WORDS_PER_DOC = 2_000
CHARS_PER_DOC = 100_000


def _read_words(words: Sequence[str], lang: str) -> list[tuple[str, ...]]:
    """The content-word lemmas of each of ``words`` (no whitespace in any), read many to a
    document (:data:`WORDS_PER_DOC`, :data:`CHARS_PER_DOC`; a longer word alone) joined by
    spaces: spaCy splits on whitespace before anything else, so each word's tokens are those it
    has read alone, found by their offsets."""
    from bisect import bisect_right

    from thematic.nlp import load_nlp

    nlp = load_nlp(lang)
    stop = stop_words()
    out: list[list[str]] = [[] for _ in words]
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if "lemmatizer" in p]):
        for first, starts, text in _word_documents(words):
            for tok in nlp(text):
                lemma = _content_lemma(tok, stop)
                if lemma:
                    out[first + bisect_right(starts, tok.idx) - 1].append(lemma)
    return [tuple(lemmas) for lemmas in out]


def _word_documents(words: Sequence[str]) -> list[tuple[int, list[int], str]]:
    """``words`` joined by spaces into documents of at most :data:`WORDS_PER_DOC` words and
    :data:`CHARS_PER_DOC` characters (a longer word alone): each as (its first word's index,
    each word's offset in it, the text)."""
    docs: list[tuple[int, list[int], str]] = []
    first, at = 0, 0
    starts: list[int] = []
    for i, word in enumerate(words):
        if starts and (len(starts) >= WORDS_PER_DOC or at + len(word) > CHARS_PER_DOC):
            docs.append((first, starts, " ".join(words[first:i])))
            first, starts, at = i, [], 0
        starts.append(at)
        at += len(word) + 1
    if starts:
        docs.append((first, starts, " ".join(words[first:])))
    return docs


def _read_lemmas(texts: Sequence[str], lang: str) -> list[tuple[str, ...]]:
    """The content-word lemmas of lower-cased ``texts``, read by spaCy in batches."""
    from thematic.nlp import load_nlp

    nlp = load_nlp(lang)
    stop = stop_words()
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if "lemmatizer" in p]):
        return [tuple(lemma for tok in doc if (lemma := _content_lemma(tok, stop)))
                for doc in nlp.pipe(texts, batch_size=256)]


def _content_lemma(tok: Token, stop: frozenset[str]) -> str:
    """The token's lower-case lemma when it is a content word (alphabetic, long enough, not a
    stop word), else ""."""
    from thematic.nlp import lemma_of

    if not tok.is_alpha or len(tok.text) < MIN_LENGTH or tok.lower_ in stop:
        return ""
    lemma = lemma_of(tok).lower()
    return lemma if len(lemma) >= MIN_LENGTH and lemma not in stop else ""


def term_weights(seg_tokens: Sequence[Sequence[str]], code_terms: Sequence[Sequence[str]]) -> dict[str, float]:
    """The weight of every code term: its BM25 inverse document frequency over the segments
    times how few codes share it, ``log(1 + m / codes with the term)``.

    Examples
    --------
    >>> w = term_weights([["wait", "long"], ["family"]], [["wait", "list"], ["family", "wait"]])
    >>> w["list"] > w["wait"] > 0
    True
    """
    n, m = len(seg_tokens), len(code_terms)
    df: Counter[str] = Counter()
    for words in seg_tokens:
        df.update(set(words))
    cf: Counter[str] = Counter()
    for terms in code_terms:
        cf.update(terms)
    return {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * math.log(1 + m / cf[t]) for t in cf}


def shares_no_word(segment_texts: Sequence[str], code_texts: Sequence[str], *, lang: str = "en") -> list[bool]:
    """Per code text, whether none of its content-word lemmas (:func:`tokenize`) occurs in any
    segment: a word space (TF-IDF) has no evidence for such a code.

    Examples
    --------
    >>> shares_no_word(["The waiting list was long."], ["Waiting lists.", "Telescopes and stars."])
    [False, True]
    """
    seen = {w for words in tokenize(segment_texts, lang) for w in words}
    return [not seen.intersection(terms) for terms in tokenize(code_texts, lang)]


def lexical_scores(
    segment_texts: Sequence[str],
    code_texts: Sequence[str],
    *,
    k1: float = 1.2,
    b: float = 0.75,
    lang: str = "en",
) -> LexicalScores:
    """BM25 score of every segment for every code's terms (module docstring).

    Parameters
    ----------
    segment_texts
        The segments' texts.
    code_texts
        Per code, the text its terms come from (name, definition, inclusion).
    k1, b
        BM25's term-frequency saturation and length normalisation.

    Examples
    --------
    >>> sc = lexical_scores(["The waiting list was long.", "My family judged me."],
    ...                     ["Waiting lists. Delays before help.", "Family stigma."])
    >>> bool(sc.score[0, 0] > 0), bool(sc.score[0, 1] == 0), bool(sc.score[1, 1] > 0)
    (True, True, True)
    >>> sc.matched[0][0]
    ['list', 'wait']
    """
    import numpy as np

    seg_tokens = tokenize(segment_texts, lang)
    code_terms = [list(dict.fromkeys(t)) for t in tokenize(code_texts, lang)]
    n, m = len(seg_tokens), len(code_terms)
    score = np.zeros((n, m))
    matched: list[dict[int, list[str]]] = [{} for _ in range(m)]
    if n == 0 or m == 0:
        return LexicalScores(score, code_terms, matched)
    avg_len = max(sum(len(w) for w in seg_tokens) / n, 1.0)
    weight = term_weights(seg_tokens, code_terms)
    index: dict[str, list[int]] = {}
    for j, terms in enumerate(code_terms):
        for t in terms:
            index.setdefault(t, []).append(j)
    for i, words in enumerate(seg_tokens):
        tf = Counter(w for w in words if w in index)
        if not tf:
            continue
        norm = k1 * (1 - b + b * len(words) / avg_len)
        per_code: dict[int, list[tuple[float, str]]] = {}
        for t, f in tf.items():
            part = weight[t] * f * (k1 + 1) / (f + norm)
            for j in index[t]:
                score[i, j] += part
                per_code.setdefault(j, []).append((part, t))
        for j, parts in per_code.items():
            matched[j][i] = [t for _, t in sorted(parts, key=lambda p: (-p[0], p[1]))]
    return LexicalScores(score, code_terms, matched)
