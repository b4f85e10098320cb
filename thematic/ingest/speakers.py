"""Speaker-labelled plain text -> turns with exact offsets into the normalised text.

The whole normalised text is stored (labels included); each :class:`~thematic.models.Turn`
covers the utterance only. Line conventions recognised (``TIME`` is ``m:ss``, ``mm:ss``,
``h:mm:ss`` or ``hh:mm:ss`` with optional ``.ms``):

- ``name-colon``: ``Name: text`` or ``**Name:** text``; the utterance follows on the line.
- ``time-prefix``: ``[TIME] Name: text`` or ``TIME Name: text``; likewise.
- ``name-time``: ``Name (TIME): text``, or ``Name (TIME):`` with the utterance on the next
  lines (Teams/Stream).
- ``header``: ``Name  TIME`` (Otter) or ``TIME Name`` (Word "Transcribe") alone on a line,
  the utterance on the next lines.

Lines without a label continue the previous turn (blank lines included). Text before the
first label (an Otter ``SUMMARY KEYWORDS``/``SPEAKERS`` preamble, a title block) stays in
the text but is not a turn; so do Markdown headings (``# ...``) and Otter's
"Transcribed by https://otter.ai" footer. A text with no labels becomes one turn per
paragraph, speaker None.

A label must look like a name: 1-4 capitalised words (lower-case particles such as "de"
or "van" allowed inside), an all-caps tag (``INTERVIEWER``), ``P01``/``R2``, or a word and
a number (``Speaker 1``, ``Interviewer 2``). Common words ("Note", "So", "Date", ...) are
never labels unless a timestamp goes with them.

**Label-frequency heuristic.** A candidate label is *strong* if it carries a timestamp,
a reader marked it (a bold leading run in Word), or it names a role (Interviewer,
Moderator, Speaker 2, P07, Q, ...). When a text has repeated or strong labels, a label
used only once is accepted only if it is strong, shares a word (digits ignored) with
another accepted label ("Speaker 3" beside "Speaker 1"), or the transcript is short
(fewer than 4 such labelled lines); otherwise it is read as part of the speech (a
``My Mum:`` quoted mid-answer). A text whose labels are all single and weak is read as
speaker-labelled only if *every* line is a label line (a tiny dialogue); otherwise it is
prose (``Title: ...`` / ``Author: ...`` on top of an essay).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from thematic.models import Turn
from thematic.text import BIDI_CONTROLS, strip_bidi

logger = logging.getLogger(__name__)

TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
# bidirectional controls (U+202E ...) may hide in a label; they are allowed here and removed
# from the speaker name (:func:`thematic.text.strip_bidi`), so "P01\u202e:" is "P01"
_NAME = r"(?P<name>[" + BIDI_CONTROLS + r"]*[^\W\d_][^\n:()\[\]*]{0,40}?)"
_B = r"(?:\*\*|__)?"
_END = r"(?=[ \t]|$)"
# Order matters: the first pattern that matches (and whose name looks like a name) wins.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time-prefix", re.compile(rf"^[\[(]?{TIME}[\])]?[ \t]+{_B}{_NAME}{_B}[ \t]*:{_B}{_END}")),
    (
        "name-time",
        re.compile(rf"^{_B}{_NAME}[ \t]*[\[(]{TIME}[\])]{_B}[ \t]*(?P<colon>:)?{_B}{_END}"),
    ),
    ("header", re.compile(rf"^{_NAME}[ \t]+{TIME}[ \t]*$")),
    ("header", re.compile(rf"^[\[(]?{TIME}[\])]?[ \t]+{_NAME}[ \t]*$")),
    ("name-colon", re.compile(rf"^{_B}{_NAME}{_B}[ \t]*:{_B}{_END}")),
)
_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_FOOTER = re.compile(r"^Transcribed by https?://(?:www\.)?otter\.ai\b", re.IGNORECASE)
_PARTICLES = frozenset(
    "de da del della der den di du la le van von ter ten bin ibn al el y of".split()
)
_STOP_LABELS = frozenset(
    """note notes nb ps pps re so and but or well yes no ok okay then now also because like
    eg ie example examples quote update edit warning important tip source sources url link
    http https www date time location place subject title summary keywords speakers
    transcript duration attendees question answer and so i mean""".split()
)
_ROLE_LABEL = re.compile(
    r"^(?:interviewer|interviewee|moderator|facilitator|participant|respondent|speaker|"
    r"researcher|unknown speaker|int|iv|ie|q|a|i|p|r|m)[ \t]*\d*$|^[PR]\d+$",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"^[\w'’.\-]+$")
_LONG_TRANSCRIPT = 4
_LABEL_REACH = 80  # name (<= 40) + time + brackets, bold markers and spaces


@dataclass(frozen=True)
class LineHint:
    """What a reader knows about a line from the file's structure.

    ``heading``: the line is a heading (never a turn). ``label``: the line starts with this
    speaker label, as written (e.g. a bold leading run in Word); the utterance follows it.
    """

    heading: bool = False
    label: str | None = None


@dataclass
class ParsedText:
    """Result of :func:`parse_turns`."""

    turns: list[Turn]
    convention: str
    rejected_labels: list[str] = field(default_factory=list)


@dataclass
class _Line:
    start: int
    end: int
    kind: str  # blank | heading | footer | label | text
    speaker: str | None = None
    time: float | None = None
    body_start: int | None = None  # absolute offset of inline utterance, if any
    strong: bool = False
    convention: str = ""


def parse_clock(value: str) -> float:
    """``'1:02:15'`` -> ``3735.0``; ``'01:02'`` (mm:ss) -> ``62.0``; ``'00:00:01.5'`` -> 1.5.

    Examples
    --------
    >>> parse_clock("1:02:03,250")
    3723.25
    """
    main, _, frac = value.replace(",", ".").partition(".")
    parts = [int(p) for p in main.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    if frac:
        seconds += int(frac) / 10 ** len(frac)
    return seconds


def is_name_like(label: str) -> bool:
    """Whether ``label`` looks like a speaker label (see the module docstring).

    Examples
    --------
    >>> [is_name_like(s) for s in ["Maria de la Cruz", "P01", "Speaker 2", "he said", "Note"]]
    [True, True, True, False, False]
    """
    label = strip_bidi(label).strip()
    if _ROLE_LABEL.match(label):  # "I:", "R:", "Q:", "INT:" are labels, whatever the stop list
        return True
    if not label or len(label) > 40 or label.lower() in _STOP_LABELS:
        return False
    words = label.split()
    if not 1 <= len(words) <= 4:
        return False
    for i, word in enumerate(words):
        if not _NAME_CHARS.match(word) or "_" in word:
            return False
        if word.isdigit():
            if i == 0:
                return False
        elif word[0].isupper():
            continue
        elif not (0 < i < len(words) - 1 and word.lower() in _PARTICLES):
            return False
    return True


def is_role_label(label: str) -> bool:
    """Whether ``label`` names a role (Interviewer, Moderator, Speaker 1, P07, Q, ...)."""
    return bool(_ROLE_LABEL.match(label.strip()))


def _family(label: str) -> set[str]:
    return set(re.sub(r"\d+", " ", label).lower().split())


def _match_label(content: str) -> tuple[str, str, str | None, int | None] | None:
    """Match a label line: (convention, name, time, utterance offset in ``content``)."""
    if ":" not in content[:_LABEL_REACH]:  # every label line has a colon near its start
        return None
    for convention, pattern in _PATTERNS:
        m = pattern.match(content)
        if not m or not is_name_like(m.group("name")):
            continue
        rest = content[m.end() :]
        if convention == "name-time" and m.group("colon") is None and rest.strip():
            continue
        if rest.startswith("//"):
            continue
        body = len(content) - len(rest.lstrip()) if rest.strip() else None
        return convention, strip_bidi(m.group("name")).strip(), m.groupdict().get("time"), body
    return None


def _classify(text: str, hints: Mapping[int, LineHint]) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        content = raw.lstrip()
        indent = len(raw) - len(content)
        hint = hints.get(start)
        if not content.strip():
            lines.append(_Line(start, end, "blank"))
        elif (hint and hint.heading) or _HEADING.match(content):
            lines.append(_Line(start, end, "heading"))
        elif _FOOTER.match(content):
            lines.append(_Line(start, end, "footer"))
        elif hint and hint.label and raw.startswith(hint.label):
            after = raw[len(hint.label) :]
            stripped = after.lstrip(" \t:*").lstrip()
            body = start + len(raw) - len(stripped) if stripped.strip() else None
            speaker = strip_bidi(hint.label).strip().strip(":*").strip()
            lines.append(_Line(start, end, "label", speaker, None, body, True, "bold-label"))
        else:
            found = _match_label(content)
            if found is None:
                lines.append(_Line(start, end, "text"))
                continue
            convention, name, clock, body = found
            lines.append(
                _Line(
                    start,
                    end,
                    "label",
                    name,
                    parse_clock(clock) if clock else None,
                    start + indent + body if body is not None else None,
                    clock is not None or is_role_label(name),
                    convention,
                )
            )
    return lines


def _accept_labels(lines: list[_Line]) -> list[str]:
    """Apply the label-frequency heuristic in place; return the rejected labels."""
    candidates = [ln for ln in lines if ln.kind == "label"]
    if not candidates:
        return []
    counts = Counter(ln.speaker for ln in candidates)
    repeated = {name for name, n in counts.items() if n >= 2}
    anchors = [ln for ln in candidates if ln.strong or ln.speaker in repeated]
    if not anchors:
        content = [ln for ln in lines if ln.kind in ("label", "text")]
        if len(candidates) == len(content):
            return []
        for ln in candidates:
            ln.kind = "text"
        return [ln.speaker or "" for ln in candidates]
    families: set[str] = set()
    for ln in anchors:
        families |= _family(ln.speaker or "")
    long = len(anchors) >= _LONG_TRANSCRIPT
    rejected: list[str] = []
    for ln in candidates:
        ok = ln.strong or ln.speaker in repeated or not long
        ok = ok or bool(_family(ln.speaker or "") & families)
        if not ok:
            rejected.append(ln.speaker or "")
            ln.kind = "text"
    return rejected


def _paragraph_turns(text: str, lines: list[_Line]) -> list[Turn]:
    turns: list[Turn] = []
    first: _Line | None = None
    last: _Line | None = None
    for ln in [*lines, _Line(len(text), len(text), "blank")]:
        if ln.kind in ("text", "label"):
            first = first or ln
            last = ln
            continue
        if first is not None and last is not None:
            start = (
                first.start
                + len(text[first.start : first.end])
                - len(text[first.start : first.end].lstrip())
            )
            end = last.start + len(text[last.start : last.end].rstrip())
            turns.append(Turn(start, end))
        first = last = None
    return turns


def parse_turns(text: str, *, hints: Mapping[int, LineHint] | None = None) -> ParsedText:
    """Split normalised text into turns.

    Parameters
    ----------
    text
        The normalised text (see :func:`thematic.ingest.normalise.normalise_text`).
    hints
        Per line, keyed by the offset where the line starts: what the file's structure
        says about it (a heading, a bold speaker label).

    Returns
    -------
    ParsedText
        Turns whose ``[start, end)`` index ``text`` and cover the utterance only, the
        convention recognised, and the candidate labels rejected as speech.

    Examples
    --------
    >>> text = "Interviewer: How did it start?\\nP01: Slowly.\\nThen all at once."
    >>> parsed = parse_turns(text)
    >>> [(t.speaker, text[t.start:t.end]) for t in parsed.turns]
    [('Interviewer', 'How did it start?'), ('P01', 'Slowly.\\nThen all at once.')]
    """
    lines = _classify(text, hints or {})
    rejected = _accept_labels(lines)
    if rejected:
        logger.debug("labels read as speech (used once): %s", rejected)
    labels = [ln for ln in lines if ln.kind == "label"]
    if not labels:
        return ParsedText(_paragraph_turns(text, lines), "paragraphs", rejected)
    convention = Counter(ln.convention for ln in labels).most_common(1)[0][0]
    turns: list[Turn] = []
    current: _Line | None = None
    start: int | None = None
    end = 0

    def close() -> None:
        if current is not None and start is not None and end > start:
            turns.append(Turn(start, end, current.speaker, current.time))

    for ln in lines:
        if ln.kind == "label":
            close()
            current = ln
            start = ln.body_start
            end = ln.start + len(text[ln.start : ln.end].rstrip()) if start is not None else 0
        elif ln.kind in ("heading", "footer"):
            close()
            current, start = None, None
        elif ln.kind == "text" and current is not None:
            raw = text[ln.start : ln.end]
            if start is None:
                start = ln.start + len(raw) - len(raw.lstrip())
            end = ln.start + len(raw.rstrip())
    close()
    return ParsedText(turns, convention, rejected)
