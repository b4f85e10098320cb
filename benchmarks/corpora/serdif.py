"""SERDIF usability study (Navarro-Gallinad et al. 2022): 17 think-aloud sessions, coded in Taguette.

Source: ``navarral/swj2022-usability-paper`` at :data:`COMMIT` (GPL-3.0; files fetched into
the cache, not vendored): ``data/transcripts/thematic-analysis/SERDIF_P2_ThematicAnalysis.sqlite3``,
the authors' Taguette project (17 manual transcripts of health data researchers doing tasks
with the SERDIF dashboard while thinking aloud and answering the moderator's questions; the
final codebook of 22 tags with descriptions; 1,794 highlights by one coder, offsets into the
documents).

A transcript is a sequence of paragraphs: the task sheet's numbered prompts (``3.b Are the
query input options clear to you?``), the moderator's words (``MODERATOR: ...``), the
participant's talk, and the transcriber's notes in brackets (``(The participant reads the task
again)``). Prompts and moderator lines are the ``Moderator`` (interviewer) turns; the
paragraphs between them are one ``Participant`` turn (notes included: they record what the
participant did; a stretch that is only notes is an ``Observer`` turn, outside the evaluated
participant turns like the moderator's). Where the transcriber ran a prompt and the answer into one paragraph, the
prompt is cut off where the sessions' copies of it part (:func:`_prompt_length`).

Codes are the 22 tags less ``Moderator assist`` (it codes the moderator's interventions, not
what participants said). A code's description is the tag's own description; ``Not for:``
names the tag of opposite polarity of the same feature where the codebook has one
(:data:`OPPOSITES`), with that tag's description. No rules, no examples. Highlights are
mapped from Taguette's offsets (UTF-8 bytes of the tag-stripped HTML) to the stored text,
paragraph by paragraph; pieces that cannot be found are reported, not guessed.
"""

from __future__ import annotations

import html
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from thematic.codebook.canonical import build_codebook
from thematic.models import Code

from . import Corpus, build_cached, code, source_dir, universe, write_transcripts

KIND = "think-aloud"

REPO = "navarral/swj2022-usability-paper"
COMMIT = "8ce3b61b0ee9d0b5f3bbef4bcd3a8eca9fc8db1b"
DB = "data/transcripts/thematic-analysis/SERDIF_P2_ThematicAnalysis.sqlite3"
SKIP_TAGS = {"Moderator assist"}
OPPOSITES = {
    "Query process clear": "Query process complex",
    "Metadata content clear and useful": "Metadata content not useful or confusing",
    "Search feature simple": "Search information process complex",
    "Visualization useful": "Plot design complex",
}
INTERVIEWER, PARTICIPANT, NOTE = "Moderator", "Participant", "Observer"
# A task-sheet item: "3", "3.b", or a sub-item "c.ii" at the start of a paragraph.
_TASK = re.compile(r"^\s*(?P<id>[1-9](?:\.[a-e])?|[a-e]\.i{1,3}v?)\s+")
_MODERATOR = re.compile(r"^\s*MODERATOR\s*:", re.I)
_BLOCK = re.compile(r"<(p|h\d)\b[^>]*>(.*?)</\1\s*>", re.S)
_TAG = re.compile(r"<[^>]+>")
_NOTE = re.compile(r"^\s*\([^()]*\)\s*$")


@dataclass
class Piece:
    """A stretch of one paragraph: byte offsets into the document's Taguette text, who said it."""

    start: int
    end: int
    speaker: str
    text: str


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def paragraphs(contents: str) -> list[tuple[int, int, str]]:
    """``[(start, end, text)]`` of a Taguette document's ``<p>``/``<h*>`` blocks.

    Offsets are UTF-8 byte offsets into the text with the HTML tags removed and entities
    decoded (Taguette's highlight offsets); ``text`` is decoded too.
    """
    out, pos, last = [], 0, 0
    for m in _BLOCK.finditer(contents):
        pos += _bytes(html.unescape(_TAG.sub("", contents[last:m.start()])))
        inner = html.unescape(_TAG.sub("", m.group(2)))
        out.append((pos, pos + _bytes(inner), inner))
        pos += _bytes(inner)
        last = m.end()
    return out


def _task_words(paras: dict[str, list[tuple[int, int, str]]]) -> dict[str, list[list[str]]]:
    """Per task id, the words after the id in every paragraph that starts with it."""
    found: dict[str, list[list[str]]] = defaultdict(list)
    for items in paras.values():
        for _, _, text in items:
            m = _TASK.match(text)
            if m:
                found[m.group("id")].append(text[m.end():].split())
    return found


def _prompt_length(words: list[str], occurrences: list[list[str]]) -> int:
    """How many of ``words`` (after a task id) are the task sheet's prompt.

    Walk the words the sessions share: the prompt goes on while at least one other session
    has the same next word, and ends where some session's paragraph ends or the next task id
    follows (the sheet's text is complete there). A variant of the sheet ("reusable" /
    "re-usable") is followed; a paragraph no other session shares is not a prompt (0).
    """
    group, depth = occurrences, 0
    while depth < len(words):
        following = [w[depth] if len(w) > depth else None for w in group]
        if None in following or any(_TASK.match(w + " ") for w in following if w):
            break
        same = [w for w in group if w[depth] == words[depth]]
        if len(same) < 2:
            break
        group, depth = same, depth + 1
    return depth


def _split_task(start: int, text: str, tasks: dict[str, list[list[str]]]) -> list[Piece]:
    """A task paragraph as prompt piece(s), then the participant's words run into it, if any."""
    pieces, offset = [], 0
    while True:
        m = _TASK.match(text[offset:])
        if not m:
            break
        words = text[offset + m.end():].split()
        keep = _prompt_length(words, tasks[m.group("id")])
        if not keep:  # "4 data sets..." said by the participant, not the sheet's item 4
            break
        # Walk the original text to the end of the kept words (whitespace as it is).
        cut = offset + m.end()
        for word in words[:keep]:
            cut = text.index(word, cut) + len(word)
        pieces.append(Piece(start + _bytes(text[:offset]), start + _bytes(text[:cut]),
                            INTERVIEWER, text[offset:cut]))
        offset = cut
        if not text[offset:].strip():
            return pieces
    pieces.append(Piece(start + _bytes(text[:offset]), start + _bytes(text), PARTICIPANT,
                        text[offset:]))
    return pieces


def document_turns(items: list[tuple[int, int, str]],
                   tasks: dict[str, list[list[str]]]) -> list[tuple[str, list[Piece]]]:
    """``[(speaker, pieces)]``: consecutive pieces of one speaker make one turn.

    A participant turn that is only transcriber's notes (``(The participant reads ...)``) is
    an ``Observer`` turn: nothing the participant said.
    """
    pieces: list[Piece] = []
    for start, end, text in items:
        if _TASK.match(text):
            pieces += _split_task(start, text, tasks)
        else:
            speaker = INTERVIEWER if _MODERATOR.match(text) else PARTICIPANT
            pieces.append(Piece(start, end, speaker, text))
    turns: list[tuple[str, list[Piece]]] = []
    for piece in pieces:
        if not _norm(piece.text):
            continue
        if turns and turns[-1][0] == piece.speaker:
            turns[-1][1].append(piece)
        else:
            turns.append((piece.speaker, [piece]))
    return [(NOTE if s == PARTICIPANT and all(_NOTE.match(p.text) for p in ps) else s, ps)
            for s, ps in turns]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _codebook(tags: dict[str, str]) -> list[Code]:
    codes = []
    reverse = {b: a for a, b in OPPOSITES.items()}
    for name, description in tags.items():
        if name in SKIP_TAGS:
            continue
        lines = [ln.strip() for ln in description.splitlines() if ln.strip()]
        if len(lines) > 1:  # a list of what the tag covers, not a definition
            definition, use_for = name + ".", "; ".join(ln.rstrip(".") for ln in lines)
        else:
            definition, use_for = _sentence(description), ""
        other = OPPOSITES.get(name) or reverse.get(name)
        not_for = f"{other}: {_sentence(tags[other])}" if other else ""
        cid = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        codes.append(code(cid, name, definition, use_for, not_for))
    return codes


def _read(folder: Path) -> tuple[dict[str, str], dict[str, str], list[tuple[str, int, int, str]]]:
    """Documents ``{P1: html}``, tags ``{name: description}`` and highlights of the project."""
    with sqlite3.connect(f"file:{folder / DB}?mode=ro", uri=True) as db:
        names = {i: re.match(r"(P\d+)_", n).group(1)  # type: ignore[union-attr]
                 for i, n in db.execute("SELECT id, name FROM documents")}
        docs = {names[i]: c for i, c in db.execute("SELECT id, contents FROM documents")}
        tags = dict(db.execute("SELECT path, description FROM tags ORDER BY id"))
        rows = db.execute(
            "SELECT h.document_id, h.start_offset, h.end_offset, t.path FROM highlights h "
            "JOIN highlight_tags ht ON ht.highlight_id = h.id JOIN tags t ON t.id = ht.tag_id "
            "ORDER BY h.document_id, h.start_offset").fetchall()
    return docs, tags, [(names[d], s, e, t) for d, s, e, t in rows]


def _place(text: str, turns: list[tuple[str, list[Piece]]]) -> list[tuple[Piece, int, int]]:
    """Each piece with its ``[start, end)`` in the stored document text (in order)."""
    placed, cursor = [], 0
    for _, pieces in turns:
        for piece in pieces:
            norm = _norm(piece.text)
            at = text.find(norm, cursor)
            if at < 0:
                raise SystemExit(f"serdif: a paragraph is not in the stored text: {norm[:60]!r}")
            placed.append((piece, at, at + len(norm)))
            cursor = at + len(norm)
    return placed


def gold_spans(text: str, turns: list[tuple[str, list[Piece]]],
               highlights: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int, str]], int]:
    """Highlights on participant pieces as ``(start, end, tag)`` in the stored text; and misses."""
    speakers = [s for s, pieces in turns for _ in pieces]
    placed = [p for p, s in zip(_place(text, turns), speakers, strict=True) if s == PARTICIPANT]
    spans, missing = [], 0
    for start, end, tag in highlights:
        for piece, a, b in placed:
            lo, hi = max(start, piece.start), min(end, piece.end)
            if hi <= lo:
                continue
            raw = piece.text.encode("utf-8")[lo - piece.start:hi - piece.start]
            quote = _norm(raw.decode("utf-8", errors="ignore"))
            if not quote:  # the highlight only touches the paragraph's leading whitespace
                continue
            at = text.find(quote, a, b)
            if at < 0:
                missing += 1
                continue
            spans.append((at, at + len(quote), tag))
    return spans, missing


def load() -> Corpus:
    """The SERDIF corpus (participant turns; the authors' Taguette tags)."""
    from thematic import Project

    folder = source_dir("serdif", COMMIT, REPO, DB)
    contents, tags, highlights = _read(folder)
    docs = sorted(contents, key=lambda n: int(n[1:]))
    paras = {d: paragraphs(contents[d]) for d in docs}
    tasks = _task_words(paras)
    turns = {d: document_turns(paras[d], tasks) for d in docs}
    codes = _codebook(tags)
    codebook = build_codebook(codes, name="SERDIF usability themes", version="1")

    def build(path: Path) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            write_transcripts(Path(tmp), {d: [(s, " ".join(p.text for p in pieces))
                                              for s, pieces in turns[d]] for d in docs})
            with Project.create(path, unit="turn") as project:
                project.settings.set_interviewers([INTERVIEWER, NOTE], actor="bench")
                project.documents.ingest([Path(tmp)], actor="bench")
                project.codebook.load(codebook, actor="bench")

    path = build_cached("serdif", f"{COMMIT}|{len(codes)}|observer|prompts2", build)
    with Project.open(path) as project:
        texts = {d: project.documents.get(d).text for d in docs}
    by_name = {c.name: c.id for c in codes}
    per_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc, start, end, tag in highlights:
        if tag in by_name:
            per_doc[doc].append((start, end, by_name[tag]))
    rows, missing = [], 0
    for d in docs:
        spans, miss = gold_spans(texts[d], turns[d], per_doc[d])
        rows += [(d, cid, a, b) for a, b, cid in spans]
        missing += miss
    gold = pd.DataFrame(rows, columns=["document", "code", "start", "end"]).drop_duplicates()
    return Corpus(
        name="serdif",
        project_path=path,
        codebook=codebook,
        segments=universe(path, docs, ["participant"]),
        gold=gold.reset_index(drop=True),
        codes=[c.id for c in codes if c.id in set(gold["code"])],
        about=f"{REPO}@{COMMIT[:8]} (GPL-3.0, fetched); {len(docs)} think-aloud sessions, "
              f"{len(highlights)} tag applications, {len(gold)} spans on participant turns, "
              f"{missing} pieces not found",
        documents=docs,
    )
