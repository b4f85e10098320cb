"""NaPiRE 2018 (Méndez, Wagner et al.): short survey answers coded by people, in three languages.

Source: ``NaPiRE/napire2018`` at :data:`COMMIT` (CC-BY-4.0; files fetched into the cache, not
vendored). Practitioners named the five requirements-engineering problems they met most and,
for each, answered in free text *which effects the problem had* (variables ``v_282`` ..
``v_286``; the problem is ``v_246`` .. ``v_254``). The authors coded every answer with one or
more effect codes (``data/freetext_coded/v_28x_*_coded.csv``: one row per answer and code);
the coding sheet (``Problem_coding-Categories.xlsx``, sheet ``Effects``) groups the codes in
five categories. ``NotCodable`` answers are uncoded segments.

Respondents of the Portuguese and Spanish survey versions answered in their language; the coded
files hold the Google translation the coders read, and
``.../Translations/*EntriesForTranslation.xlsx`` the original answers (joined on ``lfdn``).
So one coding gives four corpora:

================ =============================================================================
napire           the English-language respondents (answers as written)
napire-pt        the Portuguese-language respondents, answers in Portuguese as written
napire-pt-en     the same respondents and codes, answers in the English translation the coders read
napire-es        the Spanish-language respondents, answers in Spanish as written
napire-pt-own    the Portuguese respondents outside the pilot quarter, examples from the
                 Portuguese pilot respondents' own answers as written (a Portuguese codebook)
napire-pt-own-en the same respondents, examples and codes, all in the English translation
================ =============================================================================

The codebook is the coding sheet: five categories, their codes as children. The codes have
names only, so a code's **examples** are answers of *pilot* respondents (English-language
respondents whose ``lfdn`` hash falls in one quarter, :func:`is_pilot`): up to
:data:`N_EXAMPLES` per code, in English. Pilot respondents are in no corpus's evaluation
universe. One document per question (``v_282`` .. ``v_286``), one turn per respondent (the
product's survey reader, ``survey_layout="question"``); the unit is the answer (a turn).
Evaluated codes: those with at least :data:`MIN_ANSWERS` answers in the corpus.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from thematic.codebook.canonical import build_codebook
from thematic.models import Code, Example

from . import Corpus, answer_gold, build_cached, source_dir, universe

REPO = "NaPiRE/napire2018"
COMMIT = "bdc54d8f41318f276191bf6202ebd5d605cc63d1"
CODED = "data/freetext_coded"
SHEET = "data/freetext_code-validation/Problem_coding-Categories.xlsx"
TRANSLATIONS = "data/exports and preparation/Final Export 2018-02-05/Translations"
ORIGINALS = {
    "pt": f"{TRANSLATIONS}/data_project_400193_2018_02_05_PortugueseEntriesForTranslation.xlsx",
    "es": f"{TRANSLATIONS}/data_project_400193_2018_02_05_SpanishEntriesForTranslation.xlsx",
}
QUESTIONS = ("v_282", "v_283", "v_284", "v_285", "v_286")
N_EXAMPLES = 8
MIN_ANSWERS = 5
NOT_CODABLE = {"notcodable", "notcodeable", "nan", ""}
TYPOS = {"inneficient development": "inefficient development"}
VARIANTS = {
    "napire": ("en", "as written"),
    "napire-pt": ("pt", "as written"),
    "napire-pt-en": ("pt", "translated"),
    "napire-es": ("es", "as written"),
    "napire-pt-own": ("pt", "as written"),
    "napire-pt-own-en": ("pt", "translated"),
}
OWN_EXAMPLES = {"napire-pt-own", "napire-pt-own-en"}
"""Variants whose examples are the Portuguese pilot respondents' own answers (as written, or
in translation), left out of their universe: a codebook written in the study's language."""


@dataclass(frozen=True)
class Answer:
    """One coded answer: respondent, question, English text (as coded), codes."""

    lfdn: int
    question: str
    text: str
    codes: tuple[str, ...]


def slug(name: str) -> str:
    """A code id from a code name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def is_pilot(lfdn: int) -> bool:
    """Whether a respondent's answers give the codebook's examples (a fixed quarter)."""
    return int(hashlib.sha256(str(lfdn).encode()).hexdigest(), 16) % 4 == 0


def codebook_sheet(folder: Path) -> tuple[list[Code], dict[str, str]]:
    """Category and effect codes of the coding sheet, and the lower-cased name -> code id map."""
    sheet = pd.read_excel(folder / SHEET, sheet_name="Effects")
    sheet = sheet[sheet["Categories"].notna() & sheet["Codes"].notna()]
    codes: list[Code] = []
    index: dict[str, str] = {}
    for category in dict.fromkeys(str(c).strip() for c in sheet["Categories"]):
        codes.append(Code(id=slug(category), name=category,
                          definition=f"Effects of requirements-engineering problems on: {category}."))
    for row in sheet.itertuples():
        name = str(row.Codes).strip()
        if name.lower() in index:
            continue
        index[name.lower()] = slug(name)
        codes.append(Code(id=slug(name), name=name, parent_id=slug(str(row.Categories).strip())))
    return codes, index


def answers(folder: Path, index: dict[str, str]) -> tuple[list[Answer], Counter[str]]:
    """Every coded answer of the effect questions, with its code ids; unknown tags counted."""
    unknown: Counter[str] = Counter()
    out: dict[tuple[int, str], tuple[str, list[str]]] = {}
    for question in QUESTIONS:
        [path] = sorted((folder / CODED).glob(f"{question}_with_*_coded.csv"))
        frame = pd.read_csv(path, sep=";", encoding="latin-1", keep_default_na=False)
        for row in frame.itertuples(index=False):
            lfdn, text, tag = int(row.lfdn), " ".join(str(getattr(row, question)).split()), str(row.tag)
            key = tag.strip().lower()
            key = TYPOS.get(key, key)
            entry = out.setdefault((lfdn, question), (text, []))
            if key in NOT_CODABLE:
                continue
            if key not in index:
                unknown[tag.strip()] += 1
                continue
            entry[1].append(index[key])
    rows = [Answer(lfdn, q, text, tuple(dict.fromkeys(codes)))
            for (lfdn, q), (text, codes) in sorted(out.items()) if text.strip()]
    return rows, unknown


def originals(folder: Path, language: str) -> dict[tuple[int, str], str]:
    """The answers as written by the respondents of a survey version: (lfdn, question) -> text."""
    frame = pd.read_excel(folder / ORIGINALS[language])
    out = {}
    frame = frame[pd.to_numeric(frame["lfdn"], errors="coerce").notna()]
    for row in frame.itertuples(index=False):
        for question in QUESTIONS:
            value = getattr(row, question)
            if isinstance(value, str) and value.strip():
                out[(int(row.lfdn), question)] = " ".join(value.split())
    return out


def with_examples(codes: list[Code], pilot: list[Answer]) -> list[Code]:
    """Codes with up to :data:`N_EXAMPLES` pilot answers each (answers with one code first)."""
    ranked = sorted(pilot, key=lambda a: (len(a.codes), a.lfdn, a.question))
    out = []
    for c in codes:
        texts = list(dict.fromkeys(a.text for a in ranked if c.id in a.codes))[:N_EXAMPLES]
        out.append(replace(c, examples=tuple(Example(t) for t in texts)))
    return out


def load(name: str = "napire") -> Corpus:
    """One NaPiRE corpus (see the module docstring for the names)."""
    from thematic import Project

    if name not in VARIANTS:
        raise SystemExit(f"NaPiRE corpus must be one of {sorted(VARIANTS)}. Got {name!r} instead.")
    language, form = VARIANTS[name]
    folder = source_dir("napire", COMMIT, REPO, SHEET)
    codes, index = codebook_sheet(folder)
    rows, unknown = answers(folder, index)
    foreign = {key for lang in ORIGINALS for key in originals(folder, lang)}
    foreign_ids = {lfdn for lfdn, _ in foreign}
    own = name in OWN_EXAMPLES
    written = originals(folder, language) if language != "en" else {}
    if own:  # the pilot quarter of this language's own respondents, in the corpus's form
        pilot = [replace(a, text=written[(a.lfdn, a.question)] if form == "as written" else a.text)
                 for a in rows if is_pilot(a.lfdn) and (a.lfdn, a.question) in written]
    else:
        pilot = [a for a in rows if is_pilot(a.lfdn) and a.lfdn not in foreign_ids]
    codes = with_examples(codes, pilot)
    codebook = build_codebook(codes, name="NaPiRE 2018 effects", version="1")
    if language == "en":
        chosen = {(a.lfdn, a.question): a.text for a in rows
                  if a.lfdn not in foreign_ids and not is_pilot(a.lfdn)}
    else:
        chosen = {(a.lfdn, a.question): (written[(a.lfdn, a.question)] if form == "as written"
                                         else a.text)
                  for a in rows if (a.lfdn, a.question) in written
                  and not (own and is_pilot(a.lfdn))}
    coded = {(a.lfdn, a.question): a.codes for a in rows}
    table = pd.DataFrame({"respondent": sorted({lfdn for lfdn, _ in chosen})})
    for q in QUESTIONS:
        table[q] = [chosen.get((r, q), "") for r in table["respondent"]]
    table["respondent"] = "R" + table["respondent"].astype(str)

    def build(path: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / f"{name}.csv"
            table.to_csv(csv, index=False)
            with Project.create(path, unit="turn") as project:
                project.documents.ingest([csv], id_column="respondent", text_columns=list(QUESTIONS),
                                         survey_layout="question", actor="bench")
                project.codebook.load(codebook, actor="bench")

    key = f"{COMMIT}|{name}|{len(chosen)}|{codebook.content_hash}"
    path = build_cached(name, key, build)
    documents = [f"{name}:{q}" for q in QUESTIONS if table[q].str.strip().ne("").any()]
    segments = universe(path, documents, ["participant"])
    turns = segments["turn"]
    gold_rows = []
    for seg in turns.itertuples():
        question = str(seg.document).rsplit(":", 1)[1]
        for cid in coded.get((int(str(seg.speaker)[1:]), question), ()):
            gold_rows.append((seg.document, cid, int(seg.start), int(seg.end)))
    gold, evaluated = answer_gold(gold_rows, codes, MIN_ANSWERS)
    left = f"; tags not in the sheet: {sum(unknown.values())}" if unknown else ""
    return Corpus(
        name=name,
        project_path=path,
        codebook=codebook,
        segments=segments,
        gold=gold,
        codes=evaluated,
        about=f"{REPO}@{COMMIT[:8]} (CC-BY-4.0, fetched); {len(turns)} answers ({language}, "
              f"{form}), {len(evaluated)} codes with {MIN_ANSWERS}+ answers, examples from "
              f"{len({a.lfdn for a in pilot})} pilot respondents{left}",
        documents=documents,
    )
