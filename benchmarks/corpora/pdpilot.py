"""PDPilot user study (Kerrigan et al.): 7 interviews with ML practitioners, coded in MAXQDA.

Source: ``DanielKerrigan/PDPilotUserStudy`` at :data:`COMMIT` (BSD-3-Clause; files fetched into
the cache, not vendored): ``results/transcripts/P1..P7.pdf`` (interview transcripts),
``results/code-system.pdf`` (the code system with the authors' memos) and
``results/coded-segments.pdf`` (every coded segment: document, code path, text).

Codes are the code system's **top-level themes** (like the held-out study's 9 themes): a
segment coded with any code under a theme is coded with the theme. A theme's description is
the authors' memo of the theme and ``Use for:`` the names of its child codes (both part of the
published code system); no rules, no examples. The authors' ``Anonymize`` code is not a theme
and is left out. Segments are located in the transcripts by their text (whitespace-normalised);
the few that cannot be found are reported, not guessed.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from thematic.codebook.canonical import build_codebook
from thematic.models import Code

from . import Corpus, build_cached, code, source_dir, universe, write_transcripts

KIND = "interview"

log = logging.getLogger(__name__)
REPO = "DanielKerrigan/PDPilotUserStudy"
COMMIT = "42514894f50c0768e3137e1c5dab86e07204e7b0"
DOCS = [f"P{i}" for i in range(1, 8)]
SKIP_THEMES = {"Anonymize"}
_SPEAKER = re.compile(r"^([A-Z][A-Za-z]{1,20}):\s*$")
_PAGE = re.compile(r"^\s*\d+/\d+\s*$")
_LABEL = re.compile(r"\b(?:Dan|Participant):")
_FREQ = re.compile(r"\s+\d+\s*$")


def _pdf_text(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def parse_transcript(text: str) -> list[tuple[str, str]]:
    """``[(speaker, text)]`` of an exported transcript (``Name:`` lines, tab-indented turns)."""
    turns: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if _PAGE.match(line) or (not turns and not _SPEAKER.match(line)):
            continue
        m = _SPEAKER.match(line.strip())
        if m:
            turns.append((m.group(1), []))
        elif turns:
            turns[-1][1].append(line.replace("\t", " "))
    return [("Interviewer" if s != "Participant" else "Participant", _norm(" ".join(b)))
            for s, b in turns if _norm(" ".join(b))]


def parse_code_system(text: str) -> list[tuple[str, str]]:
    """``[(line without frequency)]`` of the code system as ``(name_and_memo, raw)`` pairs."""
    lines = [ln.strip() for ln in text.splitlines()[2:] if ln.strip()]
    return [(_FREQ.sub("", ln).strip(), ln) for ln in lines if not ln.startswith("Code System")]


def parse_segments(text: str, names: list[str]) -> list[tuple[str, list[str], str]]:
    """``[(document, code path, segment text)]`` of MAXQDA's coded-segments export."""
    records: list[list[str]] = []
    for line in text.splitlines():
        if re.match(r"^P\d+ ", line):
            records.append([line])
        elif records and not line.startswith(("Coded Segments", "Document name")):
            records[-1].append(line)
    out = []
    for rec in records:
        doc, _, rest = " ".join(rec).partition(" ")
        *parents, last = rest.split(" > ")
        # The last path component runs into the text: take the longest code name it starts with.
        name = max((n for n in names if last.startswith(n + " ") or last == n), key=len, default=None)
        if name is None:
            log.warning("no code name found in %r", last[:60])
            continue
        out.append((doc, [*parents, name], _norm(last[len(name):])))
    return out


def _codebook(system: list[tuple[str, str]], paths: list[list[str]]) -> list[Code]:
    children: dict[str, list[str]] = {}
    for path in paths:
        for child in path[1:]:
            children.setdefault(path[0], [])
            if child not in children[path[0]]:
                children[path[0]].append(child)
    codes = []
    for theme in dict.fromkeys(p[0] for p in paths):
        if theme in SKIP_THEMES:
            continue
        memo = next((line[len(theme):].strip() for line, _ in system if line.startswith(theme)), "")
        uses = "; ".join(children.get(theme, []))
        cid = re.sub(r"[^a-z0-9]+", "-", theme.lower()).strip("-")
        codes.append(code(cid, theme, memo or theme + ".", uses))
    return codes


def _locate(text: str, quote: str) -> tuple[int, int] | None:
    norm_text = text
    start = norm_text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    head, tail = quote[:50], quote[-50:]
    a, b = norm_text.find(head), norm_text.find(tail)
    if a >= 0 and b >= a:
        return a, b + len(tail)
    if a >= 0:
        return a, min(len(text), a + len(quote))
    return None


def load() -> Corpus:
    """The PDPilot corpus (participant turns; top-level themes)."""
    from thematic import Project

    folder = source_dir("pdpilot", COMMIT, REPO, "results/coded-segments.pdf")
    transcripts = {d: parse_transcript(_pdf_text(folder / "results" / "transcripts" / f"{d}.pdf"))
                   for d in DOCS}
    system = parse_code_system(_pdf_text(folder / "results" / "code-system.pdf"))
    names = sorted({line for line, _ in system} | {_norm(line.split("  ")[0]) for _, line in system})
    # Code names are the code-system lines up to the memo; collect every prefix that occurs
    # as a path component in the export.
    seg_text = _pdf_text(folder / "results" / "coded-segments.pdf")
    name_set = set()
    for line, _ in system:
        words = line.split()
        name_set.update(" ".join(words[:k]) for k in range(1, len(words) + 1))
    records = parse_segments(seg_text, sorted(name_set))
    codes = _codebook(system, [p for _, p, _ in records])
    codebook = build_codebook(codes, name="PDPilot themes", version="1")
    del names

    def build(path: Path) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            write_transcripts(Path(tmp), transcripts)
            with Project.create(path, unit="turn") as project:
                project.settings.set_interviewers(["Interviewer"], actor="bench")
                project.documents.ingest([Path(tmp)], actor="bench")
                project.codebook.load(codebook, actor="bench")

    path = build_cached("pdpilot", f"{COMMIT}|{len(codes)}", build)
    with Project.open(path) as project:
        texts = {d: project.documents.get(d).text for d in DOCS}
    by_name = {c.name: c.id for c in codes}
    rows, missing = [], 0
    for doc, code_path, quote in records:
        if code_path[0] not in by_name or not quote:
            continue
        # A segment may run over several turns ("Dan: ... Participant: ..."): one span each.
        pieces = [q.strip() for q in _LABEL.split(quote) if len(q.strip()) > 3]
        spans = [_locate(texts[doc], q) for q in pieces]
        missing += sum(s is None for s in spans)
        rows += [(doc, by_name[code_path[0]], *s) for s in spans if s is not None]
    gold = pd.DataFrame(rows, columns=["document", "code", "start", "end"])
    return Corpus(
        name="pdpilot",
        project_path=path,
        codebook=codebook,
        segments=universe(path, DOCS, ["participant"]),
        gold=gold,
        codes=[c.id for c in codes if c.id in set(gold["code"])],
        about=f"{REPO}@{COMMIT[:8]} (BSD-3-Clause, fetched); 7 interviews, "
              f"{len(records)} coded segments, {len(gold)} spans located, {missing} pieces not found",
        documents=DOCS,
    )
