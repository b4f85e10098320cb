"""Role-letter conventions of health-research transcripts: I/R, Q/A, INT/RESP."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.ingest import detect_roles, read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.mark.parametrize(("name", "asker", "answerer"), [
    ("interview_I_R.txt", "I", "R"),
    ("interview_Q_A.txt", "Q", "A"),
    ("interview_INT_RESP.txt", "INT", "RESP"),
])
def test_role_letters_are_speaker_labels(name: str, asker: str, answerer: str) -> None:
    doc = read_file(DATA / name)[0]
    got = [(t.speaker, doc.text[t.start:t.end]) for t in doc.turns]
    assert got == [
        (asker, "How did you first hear about the circle?"),
        (answerer, "A nurse told me, um, at the clinic."),
        (asker, "And what was it like?"),
        (answerer, "Scary at first. Then good."),
    ]
    assert detect_roles([doc]) == {asker: "interviewer", answerer: "participant"}
