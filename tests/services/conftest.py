"""A small coded study for the themes service: two documents, the sample codebook, codings."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"

P01 = ("Interviewer: How was the circle?\n"
       "P01: Nobody judged me there. I felt heard for the first time. "
       "My mum still counts the bottles.\n")
P02 = ("Interviewer: And online?\n"
       "P02: I keep my camera off. The bus takes an hour so Zoom is easier. "
       "Nobody judged me there either.\n")


@pytest.fixture
def coded(tmp_path: Path):
    """A project with P01 and P02, the sample codebook and six accepted codings by 'ana'."""
    from thematic import Project

    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    project = Project.create(tmp_path / "coded.thematic")
    project.documents.ingest([tmp_path / "P01.txt", tmp_path / "P02.txt"], actor="ana")
    project.codebook.load(CODEBOOK, actor="ana")
    ids = {}
    for doc, code, quote in [
        ("P01", "non-judgmental-space", "Nobody judged me there."),
        ("P01", "feeling-heard", "I felt heard for the first time."),
        ("P01", "family-stigma", "My mum still counts the bottles."),
        ("P02", "camera-use", "I keep my camera off."),
        ("P02", "reach-and-access", "The bus takes an hour so Zoom is easier."),
        ("P02", "non-judgmental-space", "Nobody judged me there either."),
    ]:
        ids[(doc, code)] = project.review.code_span(doc, code, actor="ana", quote=quote)
    project.ids = ids  # type: ignore[attr-defined]
    yield project
    project.close()
