"""Open-science focus groups (Thompson et al.): 4 focus groups of assistant professors, coded in Word.

Source: ``AustinRThompson/OS-Focus-Group-Study`` at :data:`COMMIT` (no licence file: fetched into
the cache, never vendored; the transcripts are also on OSF, osf.io/tprzu). Files:
``Data/Prepped Data/masterTranscript.csv`` (one row per turn of the four focus groups, two with
assistant professors at R1 universities, two at other institutions; ``F`` is the facilitator),
``Data/Prepped Data/codeReferences.csv`` (every Word comment of the coders: transcript, the
commented text, and the code abbreviations) and ``Data/Prepped Data/Master Codebook.csv``
(initial codes with names and definitions, nested in axial codes and subcategories).

Codes are the codebook's **subcategories** (``1.9 - Resources`` ...), the level the authors
report, like the held-out study's top-level themes: a comment with any code nested in a
subcategory codes its text with the subcategory. A subcategory's description is its name and
``Use for:`` the names of its initial codes (all part of the published codebook); no rules,
no examples. Practice-specific barrier/facilitator codes that belong to no subcategory, the
``Graveyard`` and codes missing from the codebook are left out (counted in ``about``).

Quotes are located in the turn text (whitespace and quote marks matched loosely, :func:`locate`), searching
from the turn of the previous comment of the same transcript on (comments are in document
order); quotes that cannot be found are reported, not guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from thematic.codebook.canonical import build_codebook
from thematic.models import Code

from . import Corpus, build_cached, code, source_dir, universe, write_transcripts

KIND = "focus group"

REPO = "AustinRThompson/OS-Focus-Group-Study"
COMMIT = "f45a93c7139028205d05c2ff8c0e8b22660d3c7a"
TRANSCRIPT = "Data/Prepped Data/masterTranscript.csv"
REFERENCES = "Data/Prepped Data/codeReferences.csv"
CODEBOOK = "Data/Prepped Data/Master Codebook.csv"
FACILITATOR = "Facilitator"
SKIP_SUBCATEGORIES = {"Graveyard"}
_LABEL = re.compile(r"^\s*[^:\s]{1,12}:\s*")  # "19: ", "F: " before each turn's text
_QUOTES = "'\u2018\u2019`"
_DQUOTES = "\"\u201c\u201d"


def _speaker(participant: str) -> str:
    """A speaker label the reader accepts: ``F`` is the facilitator, ``nR1-04`` -> ``NR1-04``."""
    participant = participant.strip()
    return FACILITATOR if participant == "F" else participant[:1].upper() + participant[1:]


def documents(frame: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """``{transcript: [(speaker, text)]}`` in turn order, the speaker label removed from the text."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, rows in frame.sort_values("commentNumber").groupby("Transcript", sort=True):
        turns = [(_speaker(str(r.Participant)), " ".join(_LABEL.sub("", str(r.Comment)).split()))
                 for r in rows.itertuples()]
        out[str(name)] = [t for t in turns if t[1]]
    return out


def quote_pattern(quote: str) -> re.Pattern[str]:
    """A regex for ``quote`` that tolerates whitespace and curly/straight quote differences."""
    parts = []
    for ch in " ".join(quote.split()):
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _QUOTES:
            parts.append(f"[{_QUOTES}]")
        elif ch in _DQUOTES:
            parts.append(f"[{_DQUOTES}]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def locate(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """``(start, end)`` of ``quote`` in ``text[start:end]``, or None.

    The export marks paragraph breaks ``<P>``; a coder's quote that differs inside (an
    anonymised name, an ellipsis) is found by its first and last pieces of 25+ characters.
    """
    quote = quote.replace("<P>", " ")
    m = quote_pattern(quote).search(text, start, end)
    if m:
        return m.start(), m.end()
    pieces = [p.strip() for p in re.split(r"\.\.\.|\[[^\]]*\]|\bX\b", quote) if len(p.strip()) >= 25]
    if not pieces:
        return None
    head = quote_pattern(pieces[0]).search(text, start, end)
    tail = quote_pattern(pieces[-1]).search(text, head.end() if head else start, end)
    if head and tail:
        return head.start(), tail.end()
    return None


def subcategories(codebook: pd.DataFrame) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Code abbreviation -> subcategory, and subcategory -> its initial codes' names (in order)."""
    of: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for row in codebook.itertuples():
        sub = row.Subcategory if isinstance(row.Subcategory, str) and row.Subcategory else None
        if sub is None or sub in SKIP_SUBCATEGORIES:
            continue
        for abbr in (row.initialCode, row.axialCode):
            if isinstance(abbr, str):
                of.setdefault(abbr.strip(), sub)
        name = " ".join(str(row.codeName).split())
        if name not in names.setdefault(sub, []):
            names[sub].append(name)
    return of, names


def _label(sub: str) -> str:
    """``1.9 - Resources`` -> ``Resources``."""
    return sub.split(" - ", 1)[-1].strip()


def _code_id(sub: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _label(sub).lower()).strip("-")


def _codes(names: dict[str, list[str]]) -> list[Code]:
    def order(sub: str) -> tuple[int, ...]:
        return tuple(int(x) for x in sub.split(" ")[0].split(".") if x.isdigit())

    codes = []
    for sub in sorted(names, key=order):
        codes.append(code(_code_id(sub), _label(sub), _label(sub) + ".", "; ".join(names[sub])))
    return codes


def gold_spans(text: str, turns: list[tuple[int, int, str]], refs: pd.DataFrame,
               of: dict[str, str]) -> tuple[list[tuple[str, int, int]], Counter[str]]:
    """``[(code, start, end)]`` of one transcript's comments; and what was left out, counted.

    ``turns`` are ``(start, end, speaker)`` of the stored turns in order.
    """
    spans: list[tuple[str, int, int]] = []
    skipped: Counter[str] = Counter()
    cursor = 0
    for ref in refs.itertuples():
        subs = []
        for abbr in re.split(r"[,;]", str(ref.Code)):
            abbr = abbr.strip()
            if abbr in of:
                subs.append(of[abbr])
            elif abbr:
                skipped["code outside the subcategories"] += 1
        if not subs:
            continue
        order = list(range(max(cursor - 2, 0), len(turns))) + list(range(max(cursor - 2, 0)))
        hit = None
        for i in order:
            hit = locate(text, turns[i][0], turns[i][1], str(ref.Comment))
            if hit:
                cursor = i
                break
        if hit is None:
            skipped["quote not found"] += 1
            continue
        spans += [(_code_id(s), *hit) for s in dict.fromkeys(subs)]
    return spans, skipped


def load() -> Corpus:
    """The open-science focus groups (participant turns; the authors' subcategories)."""
    from thematic import Project

    folder = source_dir("osfocus", COMMIT, REPO, REFERENCES)
    docs = documents(pd.read_csv(folder / TRANSCRIPT))
    refs = pd.read_csv(folder / REFERENCES)
    of, names = subcategories(pd.read_csv(folder / CODEBOOK))
    codes = _codes(names)
    codebook = build_codebook(codes, name="Open science focus groups", version="1")

    def build(path: Path) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            write_transcripts(Path(tmp), docs)
            with Project.create(path, unit="turn") as project:
                project.settings.set_interviewers([FACILITATOR], actor="bench")
                project.documents.ingest([Path(tmp)], actor="bench")
                project.codebook.load(codebook, actor="bench")

    path = build_cached("osfocus", f"{COMMIT}|{len(codes)}", build)
    segments = universe(path, list(docs), ["interviewer", "participant"])
    rows: list[tuple[str, str, int, int]] = []
    skipped: Counter[str] = Counter()
    with Project.open(path) as project:
        for name in docs:
            turns = segments["turn"][segments["turn"]["document"] == name].sort_values("start")
            if len(turns) != len(docs[name]):
                raise SystemExit(f"osfocus {name}: {len(turns)} stored turns, {len(docs[name])} written")
            spans, miss = gold_spans(project.documents.get(name).text,
                                     [(int(t.start), int(t.end), str(t.speaker)) for t in turns.itertuples()],
                                     refs[refs["Transcript"] == name], of)
            rows += [(name, cid, a, b) for cid, a, b in spans]
            skipped += miss
    gold = pd.DataFrame(rows, columns=["document", "code", "start", "end"]).drop_duplicates()
    left_out = ", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
    return Corpus(
        name="osfocus",
        project_path=path,
        codebook=codebook,
        segments={u: f[f["role"] == "participant"].reset_index(drop=True) for u, f in segments.items()},
        gold=gold.reset_index(drop=True),
        codes=[c.id for c in codes if c.id in set(gold["code"])],
        about=f"{REPO}@{COMMIT[:8]} (no licence file: fetched, not vendored); 4 focus groups, "
              f"{len(refs)} coder comments, {len(gold)} spans; left out: {left_out or 'nothing'}",
        documents=list(docs),
    )
