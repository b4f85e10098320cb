"""Test-flakiness survey (Gruber & Fraser, ICST 2022): short survey answers coded by the authors.

Source: ``gruberma/A-Survey-on-How-Test-Flakiness-Affects-Developers-and-What-Support-They-Need-To-Address-It``
at :data:`COMMIT` (no licence file: fetched into the cache, never vendored). Developers (a
general sample and an automotive one, ``origin``) answered in free text *which tool or
information would help them deal with flaky tests* (every respondent) and, where the closed
options did not fit, *which other negative effects*, *root causes* and *mitigation
strategies* they met. ``coded_free_text_answers.csv`` holds one row per answer with one
boolean column per code of the authors' MAXQDA code system (``Code\\Wishes\\Visualization\\Visual
Diffing``; a column ending in ``\\*`` marks any code under that node).

Codes are the **themes** of each question, the first level of its code-system node
(``Wishes\\Visualization``, ``RootCauses\\Infrastructure``); ``Consequence\\Known`` and
``\\New`` (effects known from the literature or not) are groupings, so their children are the
themes. An answer carries a theme when any code at or under it is set. A theme's description
is the question and ``Use for:`` the names of the codes under it (all from the published code
system); the four questions are parent codes. The code system has no definitions or examples,
so a theme's **examples** are answers of *pilot* respondents (a fixed quarter by hash,
:func:`is_pilot`), up to :data:`N_EXAMPLES` each, as :mod:`napire` takes them; pilot
respondents' answers are in no evaluation universe. One document per question, one turn per
answer (the survey reader, ``survey_layout="question"``; every respondent is then set to be a
participant, as a researcher would: the role guesser makes a respondent whose one answer starts
with "How", "When" or "Would" an interviewer); the unit is the answer. Evaluated
codes: themes with at least :data:`MIN_ANSWERS` answers in the universe.
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

from . import Corpus, answer_gold, build_cached, code, source_dir, universe

KIND = "survey"

REPO = "gruberma/A-Survey-on-How-Test-Flakiness-Affects-Developers-and-What-Support-They-Need-To-Address-It"
COMMIT = "772d507238a3e701938b7eaa6f705c627a8d514a"
ANSWERS = "coded_free_text_answers.csv"
QUESTIONS = {  # the data's question -> (document column, code-system node, question as asked)
    "wishes": ("wishes", "Wishes",
               "What tool or information would you like to have in order to help you deal with flaky tests?"),
    "Consequences": ("consequences", "Consequence",
                     "Which negative effects of flaky tests have you experienced? (other effects)"),
    "RootCauses": ("root_causes", "RootCauses",
                   "What are the root causes of the flakiness you experienced? (other causes)"),
    "Mitigations": ("mitigations", "Mitigations",
                    "What is your current strategy to deal with flakiness? (other strategies)"),
}
GROUPINGS = {("Consequence", "Known"), ("Consequence", "New")}
"""Code-system nodes that group themes by where they are known from, not by what they say."""
N_EXAMPLES = 8
MIN_ANSWERS = 5


@dataclass(frozen=True)
class Answer:
    """One coded answer: respondent, its answer number to the question, question, text, themes."""

    respondent: str
    number: int
    question: str
    text: str
    codes: tuple[str, ...]

    @property
    def row(self) -> str:
        """The answer's row id in the survey table (a respondent's later answers apart)."""
        return self.respondent if self.number == 0 else f"{self.respondent}-{self.number + 1}"


def slug(name: str) -> str:
    """A code id from a name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def is_pilot(respondent: str) -> bool:
    """Whether a respondent's answers give the codebook's examples (a fixed quarter)."""
    return int(hashlib.sha256(respondent.encode()).hexdigest(), 16) % 4 == 0


def code_paths(columns: list[str]) -> dict[str, tuple[str, ...]]:
    """Code column -> its code-system path without ``Code`` and a trailing ``*``."""
    out = {}
    for column in columns:
        parts = tuple(column.split("\\"))
        if parts[0] == "Code":
            out[column] = parts[1:-1] if parts[-1] == "*" else parts[1:]
    return out


def theme_of(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The theme a code-system path belongs to (None for a question's own node)."""
    depth = 3 if path[:2] in GROUPINGS else 2
    return path[:depth] if len(path) >= depth else None


def codebook_codes(paths: dict[str, tuple[str, ...]]) -> tuple[list[Code], dict[tuple[str, ...], str]]:
    """The four questions as parents and their themes as codes; theme path -> code id."""
    nodes = {q_node: (column, text) for column, q_node, text in QUESTIONS.values()}
    children: dict[tuple[str, ...], list[str]] = {}
    for path in dict.fromkeys(paths.values()):
        theme = theme_of(path)
        if theme is not None and path[0] in nodes:
            below = children.setdefault(theme, [])
            if len(path) > len(theme) and path[-1] not in below:
                below.append(path[-1])
    codes = [Code(id=column, name=node, definition=f"Answers to the question: {text}")
             for node, (column, text) in nodes.items()]
    index = {}
    for theme, below in children.items():
        column, text = nodes[theme[0]]
        cid = slug(f"{column} {theme[-1]}")
        index[theme] = cid
        codes.append(code(cid, theme[-1], f"Answers to the question '{text}' about: {theme[-1]}.",
                          use_for="; ".join(below), parent=column))
    return codes, index


def answers(folder: Path) -> tuple[list[Answer], list[Code]]:
    """Every answer with its theme ids, and the codebook's codes."""
    frame = pd.read_csv(folder / ANSWERS, dtype={"answer": str})
    paths = code_paths(list(frame.columns))
    codes, index = codebook_codes(paths)
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for row in frame.to_dict("records"):
        text = " ".join(re.sub(r"<br\s*/?>", " ", str(row["answer"] or "")).split())
        if not text or text == "nan" or row["question"] not in QUESTIONS:
            continue
        respondent = f"{'A' if row['origin'] == 'automotive' else 'G'}{int(row['participant_id'])}"
        question = QUESTIONS[row["question"]][0]
        themes = [index[t] for c, p in paths.items() if _is_set(row[c])
                  and (t := theme_of(p)) is not None and t in index]
        number = seen[(respondent, question)]
        seen[(respondent, question)] += 1
        out.append(Answer(respondent, number, question, text, tuple(dict.fromkeys(themes))))
    return out, codes


def _is_set(value: object) -> bool:
    return str(value).strip().lower() in {"true", "1", "1.0"}


def with_examples(codes: list[Code], pilot: list[Answer]) -> list[Code]:
    """Codes with up to :data:`N_EXAMPLES` pilot answers each (answers with fewest themes first)."""
    ranked = sorted(pilot, key=lambda a: (len(a.codes), a.respondent, a.question, a.number))
    out = []
    for c in codes:
        texts = list(dict.fromkeys(a.text for a in ranked if c.id in a.codes))[:N_EXAMPLES]
        out.append(replace(c, examples=tuple(Example(t) for t in texts)))
    return out


def load() -> Corpus:
    """The flakiness survey corpus (see the module docstring)."""
    from thematic import Project

    folder = source_dir("flakiness", COMMIT, REPO, ANSWERS)
    rows, codes = answers(folder)
    pilot = [a for a in rows if is_pilot(a.respondent)]
    scored = [a for a in rows if not is_pilot(a.respondent)]
    codes = with_examples(codes, pilot)
    codebook = build_codebook(codes, name="Test flakiness survey themes", version="1")
    columns = [column for column, _, _ in QUESTIONS.values()]
    table = pd.DataFrame({"respondent": sorted({a.row for a in scored})})
    chosen = {(a.row, a.question): a.text for a in scored}
    for column in columns:
        table[column] = [chosen.get((r, column), "") for r in table["respondent"]]

    def build(path: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "flakiness.csv"
            table.to_csv(csv, index=False)
            with Project.create(path, unit="turn") as project:
                project.documents.ingest([csv], id_column="respondent", text_columns=columns,
                                         survey_layout="question", actor="bench")
                turns = project.documents.segments("turn")
                for speaker in sorted(set(turns.loc[turns["role"] != "participant", "speaker"])):
                    project.documents.set_speaker_role(str(speaker), "participant", actor="bench")
                project.codebook.load(codebook, actor="bench")

    key = f"{COMMIT}|flakiness|{len(chosen)}|{codebook.content_hash}|respondents are participants"
    path = build_cached("flakiness", key, build)
    documents = [f"flakiness:{c}" for c in columns if table[c].str.strip().ne("").any()]
    segments = universe(path, documents, ["participant"])
    coded = {(a.row, a.question): a.codes for a in scored}
    gold_rows = []
    for seg in segments["turn"].itertuples():
        question = str(seg.document).rsplit(":", 1)[1]
        for cid in coded.get((str(seg.speaker), question), ()):
            gold_rows.append((seg.document, cid, int(seg.start), int(seg.end)))
    gold, evaluated = answer_gold(gold_rows, codes, MIN_ANSWERS)
    return Corpus(
        name="flakiness",
        project_path=path,
        codebook=codebook,
        segments=segments,
        gold=gold,
        codes=evaluated,
        about=f"gruberma/A-Survey-on-How-Test-Flakiness-...@{COMMIT[:8]} (no licence file: fetched, "
              f"not vendored); {len(segments['turn'])} answers of "
              f"{len({a.respondent for a in scored})} respondents to 4 open questions (en), "
              f"{len(evaluated)} themes with {MIN_ANSWERS}+ answers, examples from "
              f"{len({a.respondent for a in pilot})} pilot respondents",
        documents=documents,
    )
