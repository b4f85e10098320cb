"""AnnoMI (Wu et al. 2022, 2023): motivational-interviewing dialogues annotated by MI experts.

Source: ``uccollab/AnnoMI`` at :data:`COMMIT`, file ``AnnoMI-simple.csv`` (one row per
utterance; expert labels ``client_talk_type`` and ``main_therapist_behaviour``). The repository
has no licence file, so nothing is vendored: the loader reads the file from the cache
(:func:`benchmarks.corpora.source_dir`). The unit of the people's coding is the utterance
(a turn); sentence-level gold is the turn's code on each of its sentences.

The first :data:`N_DOCUMENTS` transcripts by ``transcript_id`` are used (a fixed choice made
before any engine was run, to keep the benchmark within minutes on two cores); set
``THEMATIC_BENCH_ANNOMI_DOCS`` to use more.

The codebook paraphrases the annotation scheme (client talk types after MISC, therapist
behaviours after MITI) in the held-out study's form: definition, ``Use for:``, ``Not for:``.
"neutral" client talk and "other" therapist behaviour are not codes (they are uncoded turns).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from thematic.codebook.canonical import build_codebook

from . import Corpus, build_cached, code, source_dir, universe, write_transcripts

KIND = "counselling dialogue"

REPO = "uccollab/AnnoMI"
COMMIT = "42936645ec3857a9c84ab296a36a3c34b779ef49"
FILE = "AnnoMI-simple.csv"
N_DOCUMENTS = 40

CODES = [
    code("change-talk", "Change talk",
         "The client speaks in favour of changing the behaviour the session is about: their "
         "own desire, ability, reasons or need to change, or commitment and steps taken.",
         "wanting to cut down or stop, reasons the change would help, confidence they can do "
         "it, plans, promises and things already tried or done to change.",
         "neutral facts, agreement noises, arguments for keeping things as they are, the "
         "counsellor's words."),
    code("sustain-talk", "Sustain talk",
         "The client speaks in favour of the status quo: reasons not to change, what they get "
         "from the behaviour, doubts that they can or need to change.",
         "enjoying or needing the behaviour, downplaying the problem, 'it's not that bad', "
         "feeling unable or unwilling to change, resisting the counsellor's suggestions.",
         "arguments for change, neutral descriptions, the counsellor's words."),
    code("reflection", "Reflection",
         "The counsellor mirrors back what the client said or seems to mean: a restatement, "
         "paraphrase or summary, sometimes adding a feeling or meaning the client implied.",
         "'so you feel...', 'it sounds like...', 'you're saying...', summaries of what the "
         "client told so far.",
         "questions, information, advice, greetings and small talk."),
    code("question", "Question",
         "The counsellor asks the client something: open or closed questions about their "
         "views, feelings, behaviour or plans.",
         "'what do you think about...', 'how often do you...', 'is it okay if we talk "
         "about...', asking permission.",
         "reflections and statements, information and advice."),
    code("therapist-input", "Therapist input",
         "The counsellor gives information, advice or options, or negotiates what to do.",
         "facts about health and risks, recommendations, suggesting what the client could "
         "try, offering choices, setting the agenda or a plan.",
         "questions, reflections of what the client said, greetings."),
]
_LABEL_CODE = {"change": "change-talk", "sustain": "sustain-talk", "reflection": "reflection",
               "question": "question", "therapist_input": "therapist-input"}


def _documents(frame: pd.DataFrame) -> dict[str, list[tuple[str, str, str | None]]]:
    out: dict[str, list[tuple[str, str, str | None]]] = {}
    for tid, rows in frame.groupby("transcript_id", sort=True):
        rows = rows.sort_values("utterance_id")
        turns = []
        for r in rows.itertuples():
            label = r.client_talk_type if r.interlocutor == "client" else r.main_therapist_behaviour
            turns.append((r.interlocutor.capitalize(), str(r.utterance_text), _LABEL_CODE.get(label)))
        out[f"annomi_{int(tid):03d}"] = turns
    return out


def load() -> Corpus:
    """The AnnoMI corpus (turn-level expert codes; both roles are coded)."""
    from thematic import Project

    folder = source_dir("annomi", COMMIT, REPO, FILE)
    frame = pd.read_csv(folder / FILE, keep_default_na=False)
    n_docs = int(os.environ.get("THEMATIC_BENCH_ANNOMI_DOCS", N_DOCUMENTS))
    keep = sorted(frame["transcript_id"].unique())[:n_docs]
    frame = frame[frame["transcript_id"].isin(keep)]
    docs = _documents(frame)
    # Drop empty utterances the same way write_transcripts does, so turn order matches.
    docs = {name: [t for t in turns if t[1].strip()] for name, turns in docs.items()}
    codebook = build_codebook(list(CODES), name="AnnoMI", version="1")

    def build(path: Path) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            write_transcripts(Path(tmp), {n: [(s, t) for s, t, _ in turns] for n, turns in docs.items()})
            with Project.create(path, unit="turn") as project:
                project.settings.set_interviewers(["Therapist"], actor="bench")
                project.documents.ingest([Path(tmp)], actor="bench")
                project.codebook.load(codebook, actor="bench")

    path = build_cached("annomi", f"{COMMIT}|{n_docs}", build)
    segments = universe(path, list(docs), ["interviewer", "participant"])
    turns = segments["turn"].sort_values(["document", "start"])
    rows = []
    for name, frame_doc in turns.groupby("document", sort=False):
        labels = [lab for _, _, lab in docs[name]]
        if len(frame_doc) != len(labels):
            raise SystemExit(f"{name}: {len(frame_doc)} stored turns, {len(labels)} utterances")
        for seg, label in zip(frame_doc.itertuples(), labels, strict=True):
            if label:
                rows.append((name, label, int(seg.start), int(seg.end)))
    gold = pd.DataFrame(rows, columns=["document", "code", "start", "end"])
    return Corpus(
        name="annomi",
        project_path=path,
        codebook=codebook,
        segments=segments,
        gold=gold,
        codes=[c.id for c in CODES],
        about=f"{REPO}@{COMMIT[:8]} (no licence file: fetched, not vendored); "
              f"{n_docs} dialogues, expert utterance codes",
        documents=sorted(docs),
    )
