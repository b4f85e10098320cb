"""The sample study's gold coding (``transcripts_sample/gold``): 3 interviews, sentence unit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import Corpus, build_cached, universe

KIND = "interview"

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"
GOLD = SAMPLES / "gold" / "gold_codings.csv"


def gold_spans(gold: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """The gold file's quotes as spans (document, code, start, end) in the stored texts."""
    rows = []
    for row in gold.itertuples():
        text = texts[row.document]
        occurrence = 1 if row.occurrence == "" else int(float(row.occurrence))
        start = -1
        for _ in range(occurrence):
            start = text.find(row.quote, start + 1)
        if start < 0:
            raise SystemExit(f"gold quote not found in {row.document}: {row.quote!r}")
        rows.append((row.document, row.code, start, start + len(row.quote)))
    return pd.DataFrame(rows, columns=["document", "code", "start", "end"])


def _build(path: Path) -> None:
    from thematic import Project

    with Project.create(path) as project:
        project.documents.ingest([SAMPLES], participants=SAMPLES / "participants.csv", actor="bench")
        project.codebook.load(CODEBOOK, actor="bench")


def load() -> Corpus:
    """The sample corpus (its codebook has rules and examples, unlike the public ones)."""
    from thematic import Project

    key = "|".join(f"{p.name}:{p.stat().st_size}" for p in sorted(SAMPLES.iterdir()) if p.is_file())
    key += f"|{CODEBOOK.stat().st_size}|{GOLD.stat().st_size}"
    path = build_cached("sample", key, _build)
    gold = pd.read_csv(GOLD, dtype={"quote": str, "note": str}, keep_default_na=False)
    documents = sorted(set(gold["document"]))
    with Project.open(path) as project:
        codebook = project.codebook.current()
        texts = {name: project.documents.get(name).text for name in documents}
    spans = gold_spans(gold, texts)
    codes = [c.id for c in codebook.codes if c.id in set(spans["code"])]
    return Corpus(
        name="sample",
        project_path=path,
        codebook=codebook,
        segments=universe(path, documents, ["participant"]),
        gold=spans,
        codes=codes,
        about="sample study gold (fictional, in repository); unit: participant sentence",
        documents=documents,
    )


def load_definitions_only() -> Corpus:
    """The sample corpus with a codebook like the held-out study's: each code's name,
    definition, inclusion and exclusion text, without its rules and examples."""
    from dataclasses import replace

    from thematic.models import Codebook

    corpus = load()
    codes = [replace(c, rules=(), examples=()) for c in corpus.codebook.codes]
    return replace(corpus, name="sample-defs", codebook=Codebook(codes=codes),
                   about="the sample gold with its codebook's rules and examples left out")


VARIANTS = {"sample-defs": load_definitions_only}
