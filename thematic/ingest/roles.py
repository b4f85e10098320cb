"""Who is the interviewer? Roles of speaker labels from the way they talk.

A turn is a *question* if it ends with ``?`` or starts with a question word ("what",
"how", "could", "tell me" ...). In each document, a speaker is the interviewer if its
label names the role (Interviewer, Moderator, Facilitator, Researcher, Q, INT, I, IV,
with an optional number), or if it asks the most questions there, more than 40 % of its
turns are questions, and every other speaker asks at most 20 % (with at least two
speakers). Everyone else is a participant. A label's role across documents is the one it
gets in most of them (interviewer on a tie). A configured ``interviewers`` list wins:
those labels are interviewers and every other label a participant.

A role the reader already gave a turn is not guessed: a survey's respondents are participants
by construction, even when an answer starts with "How" or "When".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from thematic.models import Document

INTERVIEWER = "interviewer"
PARTICIPANT = "participant"
QUESTION_SHARE = 0.4
OTHERS_MAX_SHARE = 0.2
_QUESTION_WORDS = frozenset(
    """what what's why how how's when where who who's whom which whose can could would will
    do does did is are was were have has had should shall may might tell describe explain
    talk walk""".split()
)
_FILLERS = frozenset({"so", "and", "okay", "ok", "then", "right", "but"})
_ROLE_NAME = re.compile(
    r"^(?:interviewer|moderator|facilitator|researcher|q|int|iv|i|mod)[ \t]*\d*$", re.I
)


def is_question(text: str) -> bool:
    """Whether an utterance is a question.

    Examples
    --------
    >>> is_question("And then?"), is_question("Tell me about it."), is_question("Yes.")
    (True, True, False)
    """
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    words = re.findall(r"[\w']+", stripped.lower())
    if len(words) > 1 and words[0] in _FILLERS:
        words = words[1:]
    return bool(words) and words[0] in _QUESTION_WORDS


def question_shares(documents: Iterable[Document]) -> dict[str, float]:
    """Per speaker label across documents, the share of its turns that are questions."""
    asked: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for doc in documents:
        for turn in doc.turns:
            if turn.speaker:
                total[turn.speaker] += 1
                asked[turn.speaker] += is_question(doc.text[turn.start : turn.end])
    return {label: asked[label] / total[label] for label in total}


def _reader_roles(documents: Iterable[Document]) -> dict[str, str]:
    """The role each speaker label's turns were given by their reader (the first one given)."""
    given: dict[str, str] = {}
    for doc in documents:
        for turn in doc.turns:
            if turn.speaker and turn.role:
                given.setdefault(turn.speaker, turn.role)
    return given


def _document_roles(doc: Document) -> dict[str, str]:
    unguessed = [t for t in doc.turns if not t.role]
    shares = question_shares([replace(doc, turns=unguessed)])
    roles = {
        label: INTERVIEWER if _ROLE_NAME.match(label.strip()) else PARTICIPANT for label in shares
    }
    if INTERVIEWER in roles.values() or len(shares) < 2:
        return roles
    top = max(shares.values())
    askers = [label for label, share in shares.items() if share == top]
    others = [share for label, share in shares.items() if label not in askers]
    if top > QUESTION_SHARE and others and max(others) <= OTHERS_MAX_SHARE:
        for label in askers:
            roles[label] = INTERVIEWER
    return roles


def detect_roles(
    documents: Iterable[Document], *, interviewers: list[str] | None = None
) -> dict[str, str]:
    """Guess the role of every speaker label: ``"interviewer"`` or ``"participant"``.

    Parameters
    ----------
    documents
        Documents with speaker-labelled turns.
    interviewers
        Labels known to be interviewers (case-insensitive). When given, they win: these
        labels are interviewers and every other label is a participant.

    Returns
    -------
    dict[str, str]
        ``label -> role`` for every label that has turns.

    Examples
    --------
    >>> from thematic.models import Document, Turn
    >>> text = "Ann: How was it?\\nP1: Fine.\\nAnn: Why?\\nP1: It was."
    >>> doc = Document("d", text, [Turn(5, 16, "Ann"), Turn(21, 26, "P1"),
    ...                            Turn(32, 36, "Ann"), Turn(41, 48, "P1")], "txt")
    >>> detect_roles([doc])
    {'Ann': 'interviewer', 'P1': 'participant'}
    """
    documents = list(documents)
    if interviewers is not None:
        wanted = {label.strip().lower() for label in interviewers}
        labels = dict.fromkeys(t.speaker for d in documents for t in d.turns if t.speaker)
        return {
            label: INTERVIEWER if label.strip().lower() in wanted else PARTICIPANT
            for label in labels
        }
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in documents:
        for label, role in _document_roles(doc).items():
            votes[label][role] += 1
    guessed = {
        label: INTERVIEWER if count[INTERVIEWER] >= count[PARTICIPANT] else PARTICIPANT
        for label, count in votes.items()
    }
    return {**guessed, **_reader_roles(documents)}


def apply_roles(documents: Iterable[Document], roles: Mapping[str, str], *,
                default: str = PARTICIPANT) -> list[Document]:
    """Copies of ``documents`` whose turns carry the role of their speaker label.

    The one place roles are applied: a turn takes ``roles[speaker]``; a turn whose speaker has
    no entry (or no label) keeps the role its reader gave it, else ``default``.
    """
    out = []
    for doc in documents:
        turns = [replace(t, role=roles.get(t.speaker or "") or t.role or default) for t in doc.turns]
        out.append(replace(doc, turns=turns))
    return out
