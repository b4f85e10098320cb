"""Caption files: WebVTT (.vtt, via webvtt-py) and SubRip (.srt).

Speakers come from voice tags (``<v Jane Doe>text</v>``, as Microsoft Teams writes them)
or from a ``Name: text`` label at the start of a cue (as Zoom writes them). Consecutive
cues of one speaker merge into one turn that keeps the first cue's start and the last
cue's end. In a file with speakers, a cue without one continues the previous turn; in a
file without any, every cue is its own turn. NOTE, STYLE and REGION blocks are skipped.

The stored text is rendered: one paragraph per turn, ``Name: text`` (or just the text),
paragraphs separated by a blank line; each turn covers its text after the label.
``Document.metadata["cue_ids"]`` lists, per turn, the ids of its cues (when cues have ids).
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from thematic.errors import IngestError
from thematic.ingest.normalise import decode_bytes, normalise_block, normalise_text
from thematic.ingest.registry import Source, register_reader
from thematic.ingest.speakers import is_name_like, is_role_label
from thematic.ingest.text import empty_error
from thematic.models import Document, Turn

logger = logging.getLogger(__name__)

# lenient on padding: old Microsoft Teams exports write "0:0:3.730" for "00:00:03.730"
_VTT_TS = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_SRT_TS = r"\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}"
_TIMING = {
    "vtt": re.compile(rf"^\s*({_VTT_TS})[ \t]+-->[ \t]+({_VTT_TS})(?:[ \t].*)?$"),
    "srt": re.compile(rf"^\s*({_SRT_TS})[ \t]*-->[ \t]*({_SRT_TS})(?:[ \t].*)?$"),
}
_TIMING_HINT = {
    "vtt": "Cue timings look like '00:01:02.500 --> 00:01:05.000'; correct the line or "
    "re-export the captions.",
    "srt": "Cue timings look like '00:01:02,500 --> 00:01:05,000'; correct the line or "
    "re-export the subtitles.",
}
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]+)>")
_TAG = re.compile(r"<[^>]*>")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")
_INLINE_LABEL = re.compile(r"^([^:\n]{1,40}):[ \t]+(?=\S)")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class Cue:
    """One caption cue, its text cleaned of tags."""

    identifier: str | None
    start: float
    end: float
    text: str
    speaker: str | None = None


@dataclass
class _Turn:
    speaker: str | None
    start: float
    end: float
    texts: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


def _seconds(stamp: str) -> float:
    main, _, ms = stamp.replace(",", ".").partition(".")
    total = 0
    for part in main.split(":"):
        total = total * 60 + int(part)
    return total + (int(ms) / 10 ** len(ms) if ms else 0.0)


def _canonical(stamp: str) -> str:
    """``HH:MM:SS.mmm`` for any timestamp :func:`_seconds` reads."""
    total_ms = round(_seconds(stamp) * 1000)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _canonical_vtt(lines: list[str]) -> str:
    """The WebVTT text with every cue timing written in full (webvtt-py wants padded times)."""
    pattern = _TIMING["vtt"]
    out = []
    for line in lines:
        m = pattern.match(line) if "-->" in line else None
        if m:
            line = (f"{_canonical(m.group(1))} --> {_canonical(m.group(2))}"
                    + line[m.end(2):])
        out.append(line)
    return "\n".join(out)


def _check_timings(source: Source, lines: list[str], kind: str) -> None:
    """Every timing line (one holding ``-->``) must parse; raise with its line number."""
    pattern = _TIMING[kind]
    skipping = False
    previous_blank = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            skipping, previous_blank = False, True
            continue
        if previous_blank and kind == "vtt" and line.split(" ", 1)[0] in _SKIPPED_BLOCKS:
            skipping = True
        previous_blank = False
        if skipping or "-->" not in line:
            continue
        m = pattern.match(line)
        if m is None:
            raise IngestError(
                f"malformed cue timing {line.strip()!r}",
                path=source.path,
                line=number,
                hint=_TIMING_HINT[kind],
            )
        if _seconds(m.group(2)) < _seconds(m.group(1)):
            raise IngestError(
                f"cue ends before it starts ({line.strip()!r})",
                path=source.path,
                line=number,
                hint=_TIMING_HINT[kind],
            )


def _clean(raw: str) -> str:
    text = _ASS_TAG.sub("", _TAG.sub("", raw))
    text = html.unescape(text).replace("\u00a0", " ")
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def _vtt_cues(source: Source, text: str) -> list[Cue]:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    lines = text.split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise IngestError(
            "a WebVTT file must start with the line 'WEBVTT'",
            path=source.path,
            line=1,
            hint="Check the file is a .vtt caption file; .srt subtitles need the .srt suffix.",
        )
    _check_timings(source, lines, "vtt")
    try:
        captions = webvtt.from_string(_canonical_vtt(lines))
    except (MalformedCaptionError, MalformedFileError) as e:
        raise IngestError(
            f"malformed WebVTT file ({e})", path=source.path, hint=_TIMING_HINT["vtt"]
        ) from e
    cues = []
    for caption in captions.captions:
        voice = _VOICE.search(caption.raw_text)
        cues.append(
            Cue(
                caption.identifier or None,
                caption.start_time.in_milliseconds() / 1000,
                caption.end_time.in_milliseconds() / 1000,
                _clean(caption.raw_text),
                voice.group(1).strip() if voice else None,
            )
        )
    return cues


def _srt_cues(source: Source, text: str) -> list[Cue]:
    lines = text.split("\n")
    _check_timings(source, lines, "srt")
    pattern = _TIMING["srt"]
    cues: list[Cue] = []
    block: list[tuple[int, str]] = []
    for number, line in [*enumerate(lines, start=1), (len(lines) + 1, "")]:
        if line.strip():
            block.append((number, line))
            continue
        if not block:
            continue
        first_no, first = block[0]
        identifier = None
        body = block
        if "-->" not in first:
            if len(block) > 1 and "-->" in block[1][1]:
                identifier, body = first.strip(), block[1:]
            elif cues and not first.strip().isdigit():
                cues[-1].text += " " + _clean("\n".join(t for _, t in block))
                block = []
                continue
            else:
                raise IngestError(
                    f"expected a cue timing line after {first.strip()!r}",
                    path=source.path,
                    line=first_no + 1,
                    hint=_TIMING_HINT["srt"],
                )
        m = pattern.match(body[0][1])
        assert m is not None  # checked by _check_timings
        cue_text = _clean("\n".join(t for _, t in body[1:]))
        if cue_text:
            cues.append(Cue(identifier, _seconds(m.group(1)), _seconds(m.group(2)), cue_text))
        block = []
    return cues


def _inline_speakers(cues: list[Cue]) -> None:
    """Move ``Name: text`` labels at the start of cues into ``speaker`` (Zoom style)."""
    found: list[tuple[Cue, str, int]] = []
    for cue in cues:
        if cue.speaker is not None:
            continue
        m = _INLINE_LABEL.match(cue.text)
        if m and is_name_like(m.group(1)):
            found.append((cue, m.group(1).strip(), m.end()))
    counts = Counter(name for _, name, _ in found)
    few = len(found) < 4
    for cue, name, end in found:
        if counts[name] >= 2 or few or is_role_label(name):
            cue.speaker, cue.text = name, cue.text[end:].strip()


def _merge(cues: list[Cue]) -> list[_Turn]:
    has_speakers = any(c.speaker for c in cues)
    turns: list[_Turn] = []
    for cue in cues:
        if not cue.text:
            continue
        prev = turns[-1] if turns else None
        same = (
            prev is not None
            and has_speakers
            and (cue.speaker == prev.speaker or cue.speaker is None)
        )
        if not same:
            prev = _Turn(cue.speaker, cue.start, cue.end)
            turns.append(prev)
        assert prev is not None
        prev.texts.append(cue.text)
        prev.end = max(prev.end, cue.end)
        if cue.identifier:
            prev.ids.append(cue.identifier)
    return turns


def _render(source: Source, cues: list[Cue], fmt: str, encoding: str) -> Document:
    _inline_speakers(cues)
    merged = _merge(cues)
    if not merged:
        raise empty_error(source, "no caption text")
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for turn in merged:
        utterance = normalise_block(" ".join(turn.texts))
        prefix = f"{normalise_block(turn.speaker)}: " if turn.speaker else ""
        start = pos + len(prefix)
        turns.append(Turn(start, start + len(utterance), turn.speaker, turn.start, turn.end))
        parts.append(prefix + utterance)
        pos += len(prefix) + len(utterance) + 2
    text = normalise_text("\n\n".join(parts))
    metadata: dict[str, Any] = {"encoding": encoding, "cue_count": len(cues)}
    if any(t.ids for t in merged):
        metadata["cue_ids"] = [t.ids for t in merged]
    return Document(
        name=source.name,
        text=text,
        turns=turns,
        format=fmt,
        sha256=source.sha256,
        source_path=str(source.path),
        metadata=metadata,
    )


@register_reader(".vtt", ".srt")
def read_captions(source: Source) -> list[Document]:
    """Read a WebVTT or SubRip caption file.

    Parameters
    ----------
    source
        The file, its bytes and the read options.

    Returns
    -------
    list[Document]
        One document with the cues rendered as ``Name: text`` paragraphs.

    Raises
    ------
    IngestError
        A malformed timing line (the error names the line) or a missing ``WEBVTT`` header.
    EmptyDocumentError
        No cue holds text.
    """
    decoded = decode_bytes(source.data, path=source.path, encoding=source.options.encoding)
    text = normalise_text(decoded.text)
    if not text.strip():
        raise empty_error(source)
    fmt = source.path.suffix.lower().lstrip(".")
    cues = _vtt_cues(source, text) if fmt == "vtt" else _srt_cues(source, text)
    return [_render(source, cues, fmt, decoded.encoding)]
