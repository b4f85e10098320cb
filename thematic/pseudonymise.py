"""Pseudonymisation: replace names in quotes and transcripts before they leave the project.

A :class:`Pseudonymiser` holds a list of :class:`PseudonymEntry` (an original string and its
replacement) built from three sources:

- participants: a participant's name, and each part of it (split at spaces, hyphens and
  apostrophes: ``"O'Brien-Smith"``, ``"O'Brien"``, ``"Brien"``, ``"Smith"``), maps to the
  participant's public id in square brackets (``"Dana Reyes"``, ``"Dana"`` and ``"Reyes"`` ->
  ``"[P01]"``; see :mod:`thematic.public_ids`) or to a chosen pseudonym;
- speakers: speaker labels that are names (``"Maya"``, an interviewer) map to their participant
  id or their role (``"[Interviewer]"``); labels that are not names (``I``, ``R``, ``P01``,
  ``Interviewer``) are left alone so that no ordinary word is replaced;
- the project list the analyst edits (other people, places, organisations); a listed person's
  name is replaced in part too.

Matching is whole-word (never inside another word: ``Dana`` does not touch ``Danashire``),
case-aware (the form listed, its capitalised and its upper-case forms; ``Rose`` does not replace
the flower ``rose``; an upper-case match gets an upper-case replacement), longest first (``Dana
Reyes`` before ``Dana``), and tolerant of line breaks inside multi-word names, of curly
apostrophes (``O’Brien``) and of Unicode hyphens.

When a trained spaCy pipeline with a named-entity recogniser is installed (``en_core_web_sm``
and the like; ``spacy.blank`` has none), person and place names it detects are replaced too
(``[name]``, ``[place]``); :attr:`Pseudonymiser.ner_status` says which pipeline was used or why
none was. Every replacement is recorded as a :class:`Replacement` (original, replacement,
offsets in the original and in the new text, source).

Examples
--------
>>> p = Pseudonymiser([PseudonymEntry("Carol", "[friend]"), PseudonymEntry("St. Anne's", "[church]")])
>>> result = p.apply("Carol took me to St. Anne's. CAROL!")
>>> result.text
'[friend] took me to [church]. [FRIEND]!'
>>> [(r.original, r.start, r.end) for r in result.replacements]
[('Carol', 0, 5), ("St. Anne's", 17, 27), ('CAROL', 29, 34)]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.public_ids import PublicIds, assign_public_ids, looks_like_id

__all__ = ["NER_LABELS", "PseudonymEntry", "PseudonymisedText", "Pseudonymiser", "Replacement",
           "load_ner", "name_parts", "participant_entries", "speaker_entries"]

log = logging.getLogger(__name__)

#: spaCy entity labels replaced when a pipeline with NER is installed, and their replacement.
NER_LABELS: dict[str, str] = {"PERSON": "[name]", "GPE": "[place]", "LOC": "[place]",
                              "FAC": "[place]"}

_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "rev", "fr"}
_GENERIC_LABELS = {"interviewer", "interviewee", "respondent", "participant", "moderator",
                   "facilitator", "researcher", "speaker", "unknown", "int", "resp", "q", "a",
                   "i", "r", "p", "you", "me", "all", "everyone", "group", "host", "guest"}
_WORD = re.compile(r"\w+")
_APOSTROPHES = "'\u2019\u02bc"
_HYPHENS = "-\u2010\u2011"
_PART_SPLIT = re.compile(f"[\\s{_APOSTROPHES}{_HYPHENS}]+")
_NOT_A_NAME = re.compile(r"^(?:[A-Z]{1,4}\d*|[A-Za-z]*\d+[A-Za-z\d]*)$")

NerFunction = Callable[[str], list[tuple[int, int, str]]]


@dataclass(frozen=True)
class PseudonymEntry:
    """One original string and what replaces it (``source``: participant, speaker, list)."""

    original: str
    replacement: str
    source: str = "list"


@dataclass(frozen=True)
class Replacement:
    """One replacement made: ``[start, end)`` in the original text, ``[new_start, new_end)``
    in the pseudonymised text."""

    original: str
    replacement: str
    start: int
    end: int
    new_start: int
    new_end: int
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {"original": self.original, "replacement": self.replacement, "start": self.start,
                "end": self.end, "new_start": self.new_start, "new_end": self.new_end,
                "source": self.source}


@dataclass(frozen=True)
class PseudonymisedText:
    """A text after pseudonymisation, with every replacement made."""

    text: str
    replacements: tuple[Replacement, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def _name_like(label: str) -> bool:
    """True when a speaker label looks like a person's name (not ``I``, ``R``, ``P01``, ``INT``)."""
    label = label.strip()
    if len(label) < 2 or label.lower() in _GENERIC_LABELS or _NOT_A_NAME.match(label):
        return False
    words = label.replace("-", " ").split()
    return all(w[:1].isupper() and w.replace("'", "").replace(".", "").isalpha() for w in words)


def name_parts(name: str) -> list[str]:
    """The parts of a name replaced on their own: words, and words split at hyphens and
    apostrophes; capitalised, at least two letters, no titles (``Dr``).

    >>> name_parts("Dr. Aoife O'Brien-Smith")
    ['Aoife', "O'Brien-Smith", "O'Brien", 'Smith', 'Brien-Smith', 'Brien']
    >>> name_parts("Jean-Luc van der Berg")
    ['Jean-Luc', 'Berg', 'Jean', 'Luc']
    """
    whole = " ".join(name.split())
    found: list[str] = []
    words = [w.strip(".,;:()") for w in whole.split()]
    hyphen = re.compile(f"[{_HYPHENS}]+")
    apostrophe = re.compile(f"[{_APOSTROPHES}]+")
    pieces = words + [h for w in words for h in hyphen.split(w)]
    pieces += [a for w in pieces for a in apostrophe.split(w)]
    for part in pieces:
        part = part.strip(".,;:()" + _APOSTROPHES + _HYPHENS)
        if (len(part) >= 2 and part[:1].isupper() and part.lower().rstrip(".") not in _TITLES
                and part != whole and part not in found):
            found.append(part)
    return found


def _participant_label(label: str, pid: Any) -> bool:
    """A participant's speaker label that is no id and no generic word (``TOM``, ``DANA``)."""
    label = label.strip()
    return (isinstance(pid, str) and bool(pid) and len(label) >= 2 and label.isalpha()
            and label.lower() not in _GENERIC_LABELS and not looks_like_id(label))


def participant_entries(participants: pd.DataFrame, *,
                        pseudonyms: Mapping[str, str] | None = None,
                        public: PublicIds | None = None) -> list[PseudonymEntry]:
    """Entries for participants' names: the full name and each part map to ``[ID]``.

    Parameters
    ----------
    participants
        ``project.participants.frame()``: columns ``participant`` (id) and ``name``.
    pseudonyms
        Participant id -> chosen pseudonym used instead of ``[ID]``.
    public
        The public ids (default: the stored ids).

    Returns
    -------
    list of PseudonymEntry
        A name part shared by two participants maps to ``[participant]``.
    """
    if participants.empty or "name" not in participants.columns:
        return []
    chosen = dict(pseudonyms or {})
    full: list[PseudonymEntry] = []
    parts: dict[str, set[str]] = {}
    for pid, name in zip(participants["participant"], participants["name"]):
        if not isinstance(name, str) or not name.strip():
            continue
        cited = public.participant(pid) if public is not None else pid
        replacement = chosen.get(str(pid), f"[{cited}]")
        full.append(PseudonymEntry(" ".join(name.split()), replacement, "participant"))
        for part in name_parts(name):
            parts.setdefault(part, set()).add(replacement)
    for part, replacements in sorted(parts.items()):
        only = next(iter(replacements)) if len(replacements) == 1 else "[participant]"
        full.append(PseudonymEntry(part, only, "participant"))
    return full


def speaker_entries(frame: pd.DataFrame, *, pseudonyms: Mapping[str, str] | None = None,
                    public: PublicIds | None = None) -> list[PseudonymEntry]:
    """Entries for speaker labels that are names, from segments or codings.

    A label spoken by a participant maps to ``[ID]`` (or the participant's pseudonym); one
    spoken in another role (an interviewer) maps to ``[Role]``. Labels that are not names are
    skipped (see the module docstring).

    Parameters
    ----------
    frame
        Columns ``speaker``, ``participant`` and ``role`` (``project.documents.segments()``).
    pseudonyms
        Participant id -> chosen pseudonym.
    public
        The public ids (default: the stored ids).
    """
    if frame.empty or "speaker" not in frame.columns:
        return []
    chosen = dict(pseudonyms or {})
    cols = [c for c in ("speaker", "participant", "role") if c in frame.columns]
    pairs = frame[cols].drop_duplicates()
    entries: dict[str, PseudonymEntry] = {}
    for row in pairs.itertuples(index=False):
        label = getattr(row, "speaker", None)
        pid = getattr(row, "participant", None)
        role = getattr(row, "role", None)
        if not isinstance(label, str) or label in entries or not (
                _name_like(label) or _participant_label(label, pid)):
            continue
        if isinstance(pid, str) and pid and role not in ("interviewer",):
            cited = public.participant(pid) if public is not None else pid
            entries[label] = PseudonymEntry(label, chosen.get(pid, f"[{cited}]"), "speaker")
        else:
            name = str(role or "speaker").replace("_", " ").capitalize()
            entries[label] = PseudonymEntry(label, f"[{name}]", "speaker")
    return list(entries.values())


def load_ner(model: str | None = None) -> tuple[Any | None, str]:
    """A trained spaCy pipeline with NER, if one is installed (never downloads one).

    Parameters
    ----------
    model
        A pipeline package name (``"en_core_web_sm"``); by default the first installed
        pipeline that has an ``ner`` component.

    Returns
    -------
    (nlp or None, status)
        ``status`` says which pipeline is used or why none is, with the install command.
    """
    from thematic.nlp import import_spacy

    try:
        spacy = import_spacy()
        from spacy.util import get_installed_models
    except ImportError:  # pragma: no cover - spaCy is a core dependency
        return None, "spaCy is not installed: names were replaced from the project list only"
    candidates = [model] if model else sorted(get_installed_models())
    for name in candidates:
        try:
            nlp = spacy.load(name, exclude=["parser", "lemmatizer", "textcat"])
        except OSError as exc:
            if model:
                raise ParameterError(f"the spaCy pipeline '{model}' is not installed",
                                     hint="Install it (python -m spacy download "
                                          f"{model}) or leave out the model.") from exc
            continue
        if "ner" in nlp.pipe_names:
            return nlp, f"person and place names detected with {name} {nlp.meta.get('version', '')}".strip()
    return None, ("no trained spaCy pipeline with NER is installed (spacy.blank has no NER): "
                  "names were replaced from participants, speakers and the project list only; "
                  "install one with: python -m spacy download en_core_web_sm")


def _listed_entries(original: str, replacement: str, kind: str) -> list[PseudonymEntry]:
    """A list entry, and for a person's name its parts (``O'Brien-Smith`` -> ``Smith``...)."""
    entries = [PseudonymEntry(original, replacement, "list")]
    if kind == "name":
        entries += [PseudonymEntry(part, replacement, "list-part") for part in name_parts(original)]
    return entries


def _normal(text: str) -> str:
    """One spelling of apostrophes, hyphens and spaces, for keys and comparisons."""
    text = " ".join(text.split())
    for ch in _APOSTROPHES[1:]:
        text = text.replace(ch, "'")
    for ch in _HYPHENS[1:]:
        text = text.replace(ch, "-")
    return text


def _pattern_of(original: str) -> str:
    """A regex for ``original``: any run of spaces between words, any apostrophe or hyphen."""
    out = []
    for ch in _normal(original):
        if ch == " ":
            out.append(r"\s+")
        elif ch == "'":
            out.append(f"[{_APOSTROPHES}]")
        elif ch == "-":
            out.append(f"[{_HYPHENS}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _case_variants(original: str) -> set[str]:
    if original.islower():
        return set()  # any case matches
    return {original, original.upper(), original[:1].upper() + original[1:]}


@dataclass
class Pseudonymiser:
    """Replace listed (and, with a NER pipeline, detected) names in texts.

    Parameters
    ----------
    entries
        What to replace. Later entries with the same original win (the project list can
        override a participant's default).
    ner
        A spaCy ``Language`` with an ``ner`` pipe, or a function ``text -> [(start, end,
        label)]``, or None (list only).
    ner_status
        A sentence saying how detected names were handled (see :func:`load_ner`).
    public
        The ids outputs cite for participants, documents and speakers
        (:func:`thematic.public_ids.assign_public_ids`).
    unreviewed
        How many candidate names (:mod:`thematic.name_candidates`) are in no list, when
        counted; :meth:`describe` says so.
    """

    entries: list[PseudonymEntry] = field(default_factory=list)
    ner: Any | None = None
    ner_status: str = "names replaced from the project list only (no NER)"
    public: PublicIds | None = None
    unreviewed: int | None = None

    def __post_init__(self) -> None:
        by_key: dict[str, PseudonymEntry] = {}
        for entry in self.entries:
            if not entry.original.strip():
                raise ParameterError("a pseudonym's original must not be empty. "
                                     f"Got {entry.original!r} instead.")
            by_key[_normal(entry.original).casefold()] = entry
        self._by_key = by_key
        ordered = sorted(by_key.values(), key=lambda e: (-len(e.original), e.original))
        parts = [_pattern_of(e.original) for e in ordered]
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
                         if parts else None)
        # a text holding none of the entries' first words needs no regex scan (fast path)
        firsts = [_WORD.findall(e.original.casefold())[:1] for e in ordered]
        self._first_words = {w[0] for w in firsts if w}
        self._prefilter = all(firsts)

    @classmethod
    def for_project(cls, participants: pd.DataFrame, *, speakers: pd.DataFrame | None = None,
                    pseudonyms: pd.DataFrame | Iterable[PseudonymEntry] | None = None,
                    ner: Any | None | str = "auto",
                    documents: pd.DataFrame | None = None) -> Pseudonymiser:
        """Participants, speakers, the project list and (``ner="auto"``) an installed NER pipeline.

        Parameters
        ----------
        participants
            ``project.participants.frame()``.
        speakers
            A frame with ``speaker``, ``participant``, ``role`` (segments or codings).
        pseudonyms
            The project list: a frame with ``original``, ``replacement`` (optional ``kind``:
            a ``name`` is replaced in part too; optional ``participant``: a pseudonym chosen
            for that participant) or entries.
        ner
            ``"auto"`` (use an installed pipeline if any), None (no NER), a pipeline name,
            a spaCy ``Language`` or a function.
        documents
            ``project.documents.frame()``: with it, documents get public ids too (:attr:`public`).
        """
        listed: list[PseudonymEntry] = []
        chosen: dict[str, str] = {}
        if isinstance(pseudonyms, pd.DataFrame):
            for row in pseudonyms.to_dict("records"):
                if isinstance(row.get("participant"), str) and row["participant"]:
                    chosen[row["participant"]] = str(row["replacement"])
                if isinstance(row.get("original"), str) and row["original"].strip():
                    listed += _listed_entries(row["original"], str(row["replacement"]),
                                              str(row.get("kind") or "name"))
        elif pseudonyms is not None:
            listed = list(pseudonyms)
        public = assign_public_ids(participants, documents if documents is not None
                                   else pd.DataFrame(columns=["name", "participants"]), speakers)
        # parts of listed names first: a participant's own entries and whole listed names win
        entries = [e for e in listed if e.source == "list-part"]
        entries += participant_entries(participants, pseudonyms=chosen, public=public)
        if speakers is not None:
            entries += speaker_entries(speakers, pseudonyms=chosen, public=public)
        entries += [e for e in listed if e.source != "list-part"]
        if ner == "auto" or isinstance(ner, str):
            nlp, status = load_ner(None if ner == "auto" else ner)
        elif ner is None:
            nlp, status = None, "named-entity detection not used: names replaced from the lists only"
        else:
            nlp, status = ner, "person and place names detected with the given pipeline"
        return cls(entries, ner=nlp, ner_status=status, public=public)

    def counts(self) -> dict[str, int]:
        """How many originals each source contributes (participant, speaker, list)."""
        out: dict[str, int] = {}
        for entry in self._by_key.values():
            out[entry.source] = out.get(entry.source, 0) + 1
        return out

    def describe(self) -> str:
        """What was replaced, what was checked and what was not, in plain sentences.

        Every pseudonymised output carries this text (a README, a footnote, a note).
        """
        n = self.counts()
        said = [f"{n.get('participant', 0)} participants' names and name parts",
                f"{n.get('speaker', 0)} speaker labels that are names",
                f"{n.get('list', 0)} entries of the project's pseudonym list"]
        text = ("Replaced: " + ", ".join(said) + "; documents and participants are cited by "
                "participant id, never by file or speaker name. ")
        text += self.ner_status[:1].upper() + self.ner_status[1:] + ". "
        if self.ner is None:
            text += ("Not checked: names of other people and places that are in none of these "
                     "lists stay as written")
        else:
            text += "Not checked: names the pipeline missed that are in none of these lists"
        if self.unreviewed is not None:
            text += (f"; {self.unreviewed} capitalised words that may be names are not in the "
                     "pseudonym list (review them among the project's name candidates)")
        return text + "."

    def _listed_spans(self, text: str) -> list[tuple[int, int, str, str]]:
        if self._pattern is None:
            return []
        if self._prefilter and self._first_words.isdisjoint(_WORD.findall(text.casefold())):
            return []
        spans = []
        for m in self._pattern.finditer(text):
            found = m.group(0)
            key = _normal(found).casefold()
            entry = self._by_key.get(key)
            if entry is None:
                continue
            variants = _case_variants(_normal(entry.original))
            if variants and _normal(found) not in variants:
                continue
            replacement = entry.replacement
            if found.isupper() and len(found) > 1 and not entry.original.isupper():
                replacement = replacement.upper()
            spans.append((m.start(), m.end(), replacement, entry.source))
        return spans

    def _ner_spans(self, text: str) -> list[tuple[int, int, str, str]]:
        if self.ner is None or not text.strip():
            return []
        if callable(self.ner) and not hasattr(self.ner, "pipe_names"):
            found = self.ner(text)
        else:
            doc = self.ner(text)
            found = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        return [(s, e, NER_LABELS[label], f"ner:{label}") for s, e, label in found
                if label in NER_LABELS]

    def apply(self, text: str) -> PseudonymisedText:
        """Replace names in ``text``; returns the new text and every replacement made."""
        spans = self._listed_spans(text)
        taken = [(s, e) for s, e, _, _ in spans]
        for span in self._ner_spans(text):
            if not any(span[0] < e and s < span[1] for s, e in taken):
                spans.append(span)
                taken.append((span[0], span[1]))
        spans.sort()
        out: list[str] = []
        made: list[Replacement] = []
        pos = 0
        new_len = 0
        for start, end, replacement, source in spans:
            out.append(text[pos:start])
            new_len += start - pos
            out.append(replacement)
            made.append(Replacement(text[start:end], replacement, start, end, new_len,
                                    new_len + len(replacement), source))
            new_len += len(replacement)
            pos = end
        out.append(text[pos:])
        return PseudonymisedText("".join(out), tuple(made))

    def __call__(self, text: str) -> str:
        return self.apply(text).text
