"""Candidate names: capitalised words in transcripts that may be people or places.

Participants' names and speaker labels are replaced automatically; third parties ("I messaged
Ana") are not, unless someone lists them. :func:`find_candidates` lists what a researcher should
look at, with contexts, to confirm into the pseudonym list:

- a capitalised word (or a run of them, ``St. Anne's``) that is **not sentence-initial** and
  **not an English word** (a word whose lower-case form is at least as frequent as its
  capitalised form in spaCy's English lexeme table, ``spacy-lookups-data``; the list ships as
  ``thematic/data/english_words.txt.gz``: ``Church`` and ``Okay`` are words, ``Carol``,
  ``Leeds`` and ``Okafor`` are not); days, months, ``I`` and acronyms are left out; a word
  after a sentence end, a colon or a bracketed cue (``[laughs]``) is sentence-initial, and
  such occurrences only count towards a candidate found elsewhere;
- participants' names and speaker labels (status ``participant``/``speaker``: replaced already);
- with a trained NER pipeline, the people, places and organisations it finds.

Examples
--------
>>> texts = {"d1": "Dana: Then I messaged Ana at the Church in Leeds. Ana said no."}
>>> common = lambda w: w.lower() in {"then", "church", "the"}
>>> found = find_candidates(texts, speakers=["Dana"], is_word=common)
>>> found[["candidate", "status", "count"]].values.tolist()
[['Ana', 'new', 2], ['Leeds', 'new', 1], ['Dana', 'speaker', 0]]
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
import regex

__all__ = ["CANDIDATE_COLUMNS", "english_word", "find_candidates"]


#: Columns of :func:`find_candidates`' frame.
CANDIDATE_COLUMNS = ["candidate", "status", "source", "kind", "count", "documents", "contexts"]

_TOKEN = regex.compile(r"\p{Lu}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*\.?")
_OPENERS = "\"'“‘([«"
_ENDERS = ".!?:;…\n])"
_JOINERS = {"st.", "mr.", "mrs.", "ms.", "dr.", "prof."}
_NOT_NAMES = {
    "i", "i'm", "i'd", "i've", "i'll", "ok", "okay", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "mondays", "tuesdays", "wednesdays",
    "thursdays", "fridays", "saturdays", "sundays", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december",
    "christmas", "easter", "english", "god", "mum", "mom", "dad", "mr", "mrs", "ms", "dr",
}
_CLITICS = {"d", "ll", "ve", "re", "m", "t"}
_PLACE_CUES = {"in", "at", "from", "near"}
_NER_KINDS = {"PERSON": "name", "GPE": "place", "LOC": "place", "FAC": "place",
              "ORG": "organisation"}
NerFunction = Callable[[str], list[tuple[int, int, str]]]


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """The shipped word list (``tools/build_english_words.py`` builds it from spaCy's lexeme
    table): lower-case words at least as frequent as their capitalised form."""
    from importlib.resources import files

    data = files("thematic") / "data" / "english_words.txt.gz"
    with data.open("rb") as raw, gzip.open(raw) as stream:
        return frozenset(stream.read().decode("utf-8").split())


def english_word(word: str) -> bool:
    """True when ``word`` is an ordinary English word: its lower-case form is at least as
    frequent as its capitalised form (``Church``, ``Okay``; not ``Carol``, ``Leeds``).

    >>> english_word("Church"), english_word("Carol"), english_word("Okafor")
    (True, False, False)
    """
    return word.lower() in _english_words()


@dataclass
class _Found:
    kind: str = "name"
    source: str = "capitalised"
    count: int = 0
    place_cues: int = 0
    documents: set[str] = field(default_factory=set)
    contexts: list[str] = field(default_factory=list)


def _bare(token: str) -> str:
    token = token.rstrip(".") if token.lower() not in _JOINERS else token
    for tail in ("'s", "’s"):
        if token.endswith(tail):
            return token[: -len(tail)]
    return token


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _ENDERS or (text[i] == "." and i > 0)


def _runs(text: str) -> Iterable[tuple[int, int, list[str], bool]]:
    """Runs of capitalised tokens: (start, end, tokens, sentence-initial)."""
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        j = i
        while (j + 1 < len(tokens) and text[tokens[j].end():tokens[j + 1].start()] == " "
               and (not tokens[j].group().endswith(".") or tokens[j].group().lower() in _JOINERS)):
            j += 1
        words = [t.group() for t in tokens[i:j + 1]]
        yield tokens[i].start(), tokens[j].end(), words, _sentence_initial(text, tokens[i].start())
        i = j + 1


def _name_like(word: str, is_word: Callable[[str], bool]) -> bool:
    bare = _bare(word).rstrip(".")
    stem, _, suffix = bare.replace("’", "'").partition("'")
    if suffix in _CLITICS:  # You'll, OD'd
        bare = stem
    if len(bare) < 2 or bare.isupper() or bare.lower() in _NOT_NAMES:
        return False
    parts = bare.split("-")
    if any(part[:1].islower() for part in parts[1:]):  # T-shirt, Spanish-speaking
        return False
    return not is_word(bare)


def _phrase(words: list[str], is_word: Callable[[str], bool]) -> str | None:
    """The candidate in a run of capitalised words (None when there is none)."""
    while words and (not _name_like(words[0], is_word) and words[0].lower() not in _JOINERS):
        words = words[1:]
    while words and not _name_like(words[-1], is_word):
        words = words[:-1]
    if not words or not any(_name_like(w, is_word) for w in words):
        return None
    phrase = _bare(" ".join(words))
    return phrase.rstrip(".") if not phrase.lower().endswith(tuple(_JOINERS)) else None


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def _scan(texts: Mapping[str, str], is_word: Callable[[str], bool]) -> dict[str, _Found]:
    found: dict[str, _Found] = {}
    initial_hits: list[tuple[str, str, int, int]] = []
    for doc, text in texts.items():
        for start, end, words, initial in _runs(text or ""):
            phrase = _phrase(list(words), is_word)
            if phrase is None:
                continue
            at = text.find(phrase.split()[0], start, end)
            span = (at, at + len(phrase)) if at >= 0 else (start, end)
            if initial and at == start:
                initial_hits.append((phrase, doc, *span))
                continue
            before = text[max(0, start - 12):start].split()
            item = found.setdefault(phrase, _Found())
            item.place_cues += bool(before and before[-1].lower() in _PLACE_CUES)
            _count(item, doc, text, *span)
            if item.source == "capitalised":
                item.kind = "place" if 2 * item.place_cues > item.count else "name"
    for phrase, doc, s, e in initial_hits:
        if phrase in found:
            _count(found[phrase], doc, texts[doc], s, e)
    return found


def _count(item: _Found, doc: str, text: str, start: int, end: int, contexts: int = 3) -> None:
    item.count += 1
    item.documents.add(doc)
    if len(item.contexts) < contexts:
        item.contexts.append(_context(text, start, end))


def _ner(texts: Mapping[str, str], ner: Any, found: dict[str, _Found]) -> None:
    for doc, text in texts.items():
        if not text:
            continue
        if callable(ner) and not hasattr(ner, "pipe_names"):
            ents = ner(text)
        else:
            ents = [(e.start_char, e.end_char, e.label_) for e in ner(text).ents]
        for start, end, label in ents:
            if label not in _NER_KINDS:
                continue
            phrase = _bare(text[start:end].strip())
            item = found.get(phrase)
            if item is None:
                item = found[phrase] = _Found(kind=_NER_KINDS[label], source=f"ner:{label}")
                _count(item, doc, text, start, end)
            elif not item.source.startswith("ner"):
                item.source += f"+ner:{label}"


def _status(phrase: str, known: Mapping[str, str]) -> str:
    return known.get(" ".join(phrase.split()).casefold(), "new")


def find_candidates(texts: Mapping[str, str], *, participants: Iterable[str] = (),
                    speakers: Iterable[str] = (), listed: Iterable[str] = (),
                    ner: Any | None = None,
                    is_word: Callable[[str], bool] | None = None) -> pd.DataFrame:
    """Words in ``texts`` that may be names, for a person to confirm.

    Parameters
    ----------
    texts
        Document name -> text.
    participants, speakers, listed
        Participants' names (and parts), speaker labels that are names, and the originals of
        the pseudonym list: candidates among them get that status, and each is listed.
    ner
        A spaCy pipeline with NER, or a function ``text -> [(start, end, label)]``.
    is_word
        Whether a capitalised word is an ordinary word (default :func:`english_word`).

    Returns
    -------
    DataFrame
        :data:`CANDIDATE_COLUMNS`, new candidates first (most frequent first). ``status``:
        ``new`` (in no list), ``listed``, ``participant`` or ``speaker`` (replaced already);
        ``kind``: ``name``, ``place`` or ``organisation`` (a guess); ``documents``: how many
        documents; ``contexts``: up to three, the candidate in ``[...]``.
    """
    is_word = is_word or english_word
    found = _scan(texts, is_word)
    if ner is not None:
        _ner(texts, ner, found)
    known: dict[str, str] = {}
    for status, names in (("speaker", speakers), ("participant", participants), ("listed", listed)):
        for name in names:
            if isinstance(name, str) and name.strip():
                known[" ".join(name.split()).casefold()] = status
                if status != "listed":
                    found.setdefault(" ".join(name.split()), _Found(source=status))
    rows = [{"candidate": phrase, "status": _status(phrase, known), "source": item.source,
             "kind": item.kind, "count": item.count, "documents": len(item.documents),
             "contexts": list(item.contexts)} for phrase, item in found.items()]
    frame = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    if frame.empty:
        return frame
    order = {"new": 0, "listed": 1, "participant": 2, "speaker": 3}
    frame["_o"] = frame["status"].map(order)
    frame = frame.sort_values(["_o", "count", "candidate"], ascending=[True, False, True])
    return frame.drop(columns="_o").reset_index(drop=True)
