"""Render the "Listening Circles" sample interviews into realistic transcript files.

The sample study (a fictional evaluation of a peer-listening programme in
addiction-recovery communities) is kept as canonical, format-neutral source
files in ``tools/sample_sources/PNN.txt``::

    # file: P01_dana.txt
    # format: txt-colon
    Maya Ellison: Thanks for making time, Dana. ...
    Dana Reyes: Yeah, um, of course...

Header lines start with ``# ``; every other non-blank line is one speaker turn
``Full Name: text``. This script renders each source into
``transcripts_sample/<file>`` in the format named by its header, imitating
what the real tools write (Otter.ai, Microsoft Teams, Zoom, SubRip captioners,
Word, LibreOffice, PDF printers).

Supported formats:

    txt-colon    ``Maya: text`` (first names), blank line between turns
    txt-upper    ``INTERVIEWER: text`` / ``P02: text``, blank line between turns
    txt-paren    ``Kevin Tran (00:01:02): text``, blank line between turns
    md-bracket   ``# Interview P08`` then ``[00:01:02] Jamal: text``
    otter        Otter.ai text export (keywords, speakers, ``Name  0:00`` headers)
    vtt-voice    WebVTT as Microsoft Teams writes it (GUID cue ids, ``<v Name>``)
    vtt-zoom     WebVTT as Zoom writes it (numbered cues, ``Name: text``)
    srt          SubRip, every cue labelled ``Name: text``
    docx-bold    Word document, bold ``Name:`` run then the text
    odt          OpenDocument text, one ``Name: text`` paragraph per turn
    pdf          PDF with a text layer, one ``Name: text`` paragraph per turn

Timestamps are simulated from word counts (150 words per minute, a 1-2 s pause
between turns, first turn at 0:00:02). Caption cues hold 8-15 words, split at
word boundaries, preferring sentence ends. Everything is deterministic: the
same sources give byte-identical outputs (zip entry dates, document metadata
and PDF ids are fixed).

Run from the repository root::

    .venv/bin/python tools/build_samples.py

Missing sources are skipped with a log line. Only python-docx, odfpy and
reportlab are needed beyond the standard library.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import logging
import re
import sys
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "tools" / "sample_sources"
OUT_DIR = ROOT / "transcripts_sample"
PARTICIPANT_IDS = [f"P{n:02d}" for n in range(1, 12)]

INTERVIEWERS = {"Maya Ellison", "Sam Okoro"}
STUDY_TITLE = "Listening Circles evaluation"

# Fixed interview dates (used in document metadata and headings).
INTERVIEW_DATES = {  # the same dates as transcripts_sample/participants.csv
    "P01": dt.date(2026, 2, 3),
    "P02": dt.date(2026, 2, 10),
    "P03": dt.date(2026, 2, 24),
    "P04": dt.date(2026, 3, 5),
    "P05": dt.date(2026, 3, 12),
    "P06": dt.date(2026, 3, 19),
    "P07": dt.date(2026, 3, 26),
    "P08": dt.date(2026, 4, 8),
    "P09": dt.date(2026, 2, 17),
    "P10": dt.date(2026, 5, 21),
    "P11": dt.date(2026, 4, 15),
}
DEFAULT_DATE = dt.date(2026, 6, 30)

WORDS_PER_MINUTE = 150
FIRST_TURN_START = 2.0
CUE_MIN_WORDS, CUE_MAX_WORDS, CUE_TARGET_WORDS = 8, 15, 12
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
GUID_NAMESPACE = uuid.UUID("6a1f3c52-94d7-4e0b-8c2e-5b7d9f1a2c3e")

log = logging.getLogger("build_samples")


# --------------------------------------------------------------------------
# Source model
# --------------------------------------------------------------------------

@dataclass
class Turn:
    speaker: str
    text: str
    start: float = 0.0  # seconds
    end: float = 0.0

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class Source:
    pid: str
    path: Path
    headers: dict[str, str]
    turns: list[Turn] = field(default_factory=list)

    @property
    def out_name(self) -> str:
        return self.headers["file"]

    @property
    def fmt(self) -> str:
        return self.headers["format"]

    @property
    def date(self) -> dt.date:
        if "date" in self.headers:
            return dt.date.fromisoformat(self.headers["date"])
        return INTERVIEW_DATES.get(self.pid, DEFAULT_DATE)

    @property
    def speakers(self) -> list[str]:
        """Speakers in order of first appearance."""
        return list(dict.fromkeys(t.speaker for t in self.turns))

    @property
    def participants(self) -> list[str]:
        return [s for s in self.speakers if s not in INTERVIEWERS]

    @property
    def interviewers(self) -> list[str]:
        return [s for s in self.speakers if s in INTERVIEWERS]

    @property
    def title(self) -> str:
        return f"Interview {self.pid} \u2013 {STUDY_TITLE}"


def parse_source(pid: str, path: Path) -> Source:
    """Read a canonical source file: ``# key: value`` headers, then turns."""
    headers: dict[str, str] = {}
    turns: list[Turn] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            key, _, value = line[2:].partition(":")
            headers[key.strip().lower()] = value.strip()
            continue
        speaker, sep, text = line.partition(": ")
        if not sep or not text.strip():
            raise ValueError(f"{path.name}:{lineno}: not a 'Name: text' turn: {line[:60]!r}")
        turns.append(Turn(speaker.strip(), " ".join(text.split())))
    for key in ("file", "format"):
        if key not in headers:
            raise ValueError(f"{path.name}: missing '# {key}:' header")
    source = Source(pid, path, headers, turns)
    assign_times(source)
    return source


def first_name(name: str) -> str:
    return name.split()[0]


# --------------------------------------------------------------------------
# Timing and cue splitting
# --------------------------------------------------------------------------

def speech_seconds(n_words: int) -> float:
    return n_words * 60.0 / WORDS_PER_MINUTE


def pause_after(index: int) -> float:
    """Deterministic pause of 1.0-2.0 s between turns (varies by turn index)."""
    return 1.0 + ((index * 7 + 3) % 11) / 10.0


def assign_times(source: Source) -> None:
    t = FIRST_TURN_START
    for i, turn in enumerate(source.turns):
        turn.start = round(t, 3)
        turn.end = round(t + speech_seconds(len(turn.words)), 3)
        t = turn.end + pause_after(i)


def split_words(words: list[str]) -> list[list[str]]:
    """Split a turn into caption chunks of 8-15 words.

    Prefers to end a chunk after a sentence end, then after a comma, else at
    12 words; never leaves a trailing chunk shorter than 8 words (unless the
    whole turn is shorter than that).
    """
    chunks: list[list[str]] = []
    rest = list(words)
    while len(rest) > CUE_MAX_WORDS:
        hi = min(CUE_MAX_WORDS, len(rest) - CUE_MIN_WORDS)
        candidates = range(CUE_MIN_WORDS, hi + 1)
        cut = next((k for k in reversed(candidates) if rest[k - 1][-1] in ".?!"), None)
        if cut is None:
            cut = next((k for k in reversed(candidates) if rest[k - 1][-1] in ",;"), None)
        if cut is None:
            cut = min(CUE_TARGET_WORDS, hi)
        chunks.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        chunks.append(rest)
    return chunks


def cues_for(turn: Turn) -> list[tuple[float, float, str]]:
    """(start, end, text) cues for one turn, time shared out by word count."""
    chunks = split_words(turn.words)
    total = sum(len(c) for c in chunks)
    span = turn.end - turn.start
    cues, t, done = [], turn.start, 0
    for chunk in chunks:
        done += len(chunk)
        end = turn.start + span * done / total
        cues.append((round(t, 3), round(end, 3), " ".join(chunk)))
        t = end
    return cues


def ts_hms(seconds: float) -> str:
    """00:01:02"""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def ts_otter(seconds: float) -> str:
    """0:02, 12:05 or 1:02:03 as Otter prints it."""
    s = int(seconds)
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def ts_cue(seconds: float, sep: str) -> str:
    """00:00:03.120 (VTT, sep='.') or 00:00:03,120 (SRT, sep=',')."""
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


# --------------------------------------------------------------------------
# Plain-text formats
# --------------------------------------------------------------------------

def write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def render_txt_colon(src: Source, out: Path) -> None:
    blocks = [f"{first_name(t.speaker)}: {t.text}" for t in src.turns]
    write_text(out, "\n\n".join(blocks) + "\n")


def render_txt_upper(src: Source, out: Path) -> None:
    def label(speaker: str) -> str:
        return "INTERVIEWER" if speaker in INTERVIEWERS else src.pid

    blocks = [f"{label(t.speaker)}: {t.text}" for t in src.turns]
    write_text(out, "\n\n".join(blocks) + "\n")


def render_txt_paren(src: Source, out: Path) -> None:
    blocks = [f"{t.speaker} ({ts_hms(t.start)}): {t.text}" for t in src.turns]
    write_text(out, "\n\n".join(blocks) + "\n")


def render_md_bracket(src: Source, out: Path) -> None:
    lines = [f"# Interview {src.pid}", ""]
    for t in src.turns:
        lines += [f"[{ts_hms(t.start)}] {first_name(t.speaker)}: {t.text}", ""]
    write_text(out, "\n".join(lines))


STOPWORDS = set("""
a about above actually after again against all almost also always am an and any
anyone anything are around as at back be because been before being bit both but by
can can't could couldn't did didn't do does doesn't doing don't down each even ever
every everyone first for from get gets getting go goes going gone good got had has
have haven't having he he'd he's her here hers him his how i i'd i'll i'm i've if in
into is isn't it it's its just kind know laughs like little lot made make many maybe
me mean might more most much my never no nobody not nothing now of off oh okay on
once one only or other our out over pause people probably put quite really right
said same say saying says see she she's should so some someone something sometimes
sort still such sure than thank thanks that that's the their them then there there's
these they they're thing things think this those though thought through time to
told too uh um up us very want wanted was wasn't way we we'd we're we've week well
were weren't what what's when where which while who whole why will with won't would
wouldn't yeah yes yet you you'd you're you've your yourself
ask asked call came come comes feel felt give great happened help hold honest
honestly keep last look lovely long mean need nice start started take talk talked
talking tell thinking three went work works year years else exactly
""".split())


def otter_keywords(src: Source, n: int = 12) -> list[str]:
    """Most frequent content words, as a stand-in for Otter's keyword list."""
    counts: collections.Counter[str] = collections.Counter()
    for t in src.turns:
        for w in re.findall(r"[a-z][a-z'-]+", t.text.lower()):
            w = w.strip("'-")
            if len(w) >= 4 and w not in STOPWORDS:
                counts[w] += 1
    names = {p.lower() for s in src.speakers for p in s.split()}
    ranked = sorted((w for w in counts if w not in names), key=lambda w: (-counts[w], w))
    return ranked[:n]


def render_otter(src: Source, out: Path) -> None:
    speakers = src.participants + src.interviewers
    lines = [
        "SUMMARY KEYWORDS",
        ", ".join(otter_keywords(src)),
        "",
        "SPEAKERS",
        ", ".join(speakers),
        "",
    ]
    for t in src.turns:
        lines += [f"{t.speaker}  {ts_otter(t.start)}", t.text, ""]
    # Otter's free-plan exports end with this line.
    lines += ["", "", "Transcribed by https://otter.ai", ""]
    write_text(out, "\n".join(lines))


# --------------------------------------------------------------------------
# Caption formats
# --------------------------------------------------------------------------

def render_vtt_voice(src: Source, out: Path) -> None:
    """Teams: ``<guid>/<n>-<k>`` ids, ``<v Name>text</v>`` payloads."""
    lines = ["WEBVTT", ""]
    for i, t in enumerate(src.turns):
        guid = uuid.uuid5(GUID_NAMESPACE, f"{src.pid}/{i}")
        for k, (start, end, text) in enumerate(cues_for(t)):
            lines += [
                f"{guid}/{10 + i}-{k}",
                f"{ts_cue(start, '.')} --> {ts_cue(end, '.')}",
                f"<v {t.speaker}>{text}</v>",
                "",
            ]
    write_text(out, "\n".join(lines))


def render_vtt_zoom(src: Source, out: Path) -> None:
    """Zoom: numbered cues, every cue labelled ``Name: text``."""
    lines, n = ["WEBVTT", ""], 0
    for t in src.turns:
        for start, end, text in cues_for(t):
            n += 1
            lines += [
                str(n),
                f"{ts_cue(start, '.')} --> {ts_cue(end, '.')}",
                f"{t.speaker}: {text}",
                "",
            ]
    write_text(out, "\n".join(lines))


def render_srt(src: Source, out: Path) -> None:
    lines, n = [], 0
    for t in src.turns:
        for start, end, text in cues_for(t):
            n += 1
            lines += [
                str(n),
                f"{ts_cue(start, ',')} --> {ts_cue(end, ',')}",
                f"{t.speaker}: {text}",
                "",
            ]
    write_text(out, "\n".join(lines))


# --------------------------------------------------------------------------
# Office / PDF formats
# --------------------------------------------------------------------------

def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


def fixed_datetime(src: Source) -> dt.datetime:
    return dt.datetime.combine(src.date, dt.time(17, 0, 0))


def metadata_line(src: Source) -> str:
    return (
        f"Date: {src.date.strftime('%d %B %Y')}   "
        f"Interviewer: {', '.join(src.interviewers)}   "
        f"Participant: {src.pid}"
    )


def render_docx_bold(src: Source, out: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(src.title, style="Title")
    document.add_paragraph(metadata_line(src))
    for t in src.turns:
        para = document.add_paragraph()
        para.add_run(f"{t.speaker}:").bold = True
        para.add_run(f" {t.text}")
    props = document.core_properties
    props.title = src.title
    props.author = props.last_modified_by = ", ".join(src.interviewers)
    props.created = props.modified = fixed_datetime(src)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    out.write_bytes(normalise_zip(buf.getvalue()))


def render_odt(src: Source, out: Path) -> None:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    stamp = fixed_datetime(src).isoformat()
    document.meta.addElement(dc.Title(text=src.title))
    document.meta.addElement(dc.Creator(text=", ".join(src.interviewers)))
    document.meta.addElement(dc.Date(text=stamp))
    document.meta.addElement(meta.CreationDate(text=stamp))
    for t in src.turns:
        document.text.addElement(P(text=f"{t.speaker}: {t.text}"))
    buf = io.BytesIO()
    document.write(buf)
    out.write_bytes(normalise_zip(buf.getvalue()))


def render_pdf(src: Source, out: Path) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    story = [
        Paragraph(escape(src.title), styles["Title"]),
        Paragraph(escape(metadata_line(src)), body),
        Spacer(1, 0.4 * cm),
    ]
    story += [Paragraph(escape(f"{t.speaker}: {t.text}"), body) for t in src.turns]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=src.title,
        author=", ".join(src.interviewers),
        creator="thematic sample builder",
        invariant=1,  # fixed creation date and document id
    )
    doc.build(story)
    out.write_bytes(buf.getvalue())


RENDERERS = {
    "txt-colon": render_txt_colon,
    "txt-upper": render_txt_upper,
    "txt-paren": render_txt_paren,
    "md-bracket": render_md_bracket,
    "otter": render_otter,
    "vtt-voice": render_vtt_voice,
    "vtt-zoom": render_vtt_zoom,
    "srt": render_srt,
    "docx-bold": render_docx_bold,
    "odt": render_odt,
    "pdf": render_pdf,
}


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def build(pids: list[str] = PARTICIPANT_IDS) -> list[Path]:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for pid in pids:
        path = SOURCE_DIR / f"{pid}.txt"
        if not path.exists():
            log.warning("%s: no source at %s, skipped", pid, path.relative_to(ROOT))
            continue
        src = parse_source(pid, path)
        renderer = RENDERERS.get(src.fmt)
        if renderer is None:
            log.error("%s: unknown format %r, skipped", pid, src.fmt)
            continue
        out = OUT_DIR / src.out_name
        renderer(src, out)
        n_words = sum(len(t.words) for t in src.turns)
        log.info(
            "%s: %-10s -> %s (%d turns, %d words, ends %s)",
            pid, src.fmt, out.relative_to(ROOT), len(src.turns), n_words,
            ts_hms(src.turns[-1].end) if src.turns else "-",
        )
        written.append(out)
    return written


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    pids = [a.upper() for a in argv] or PARTICIPANT_IDS
    build(pids)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
