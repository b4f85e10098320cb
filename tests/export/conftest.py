"""A small study as the shared frames (participants, codings, themes), with hostile text."""

from __future__ import annotations

import pandas as pd
import pytest

HOSTILE = "=HYPERLINK(\"http://evil\",\"x\") <script>alert(1)</script> & % $ # _ { } ~ ^ \\"

QUOTES = [
    # coding_id, document, participant, speaker, code, status, text
    (1, "P01_dana", "P01", "Dana", "heard", "accepted",
     "Carol just listened to me at St. Anne's and I felt heard for the first time in years, "
     "Dana, she said, you matter here."),
    (2, "P01_dana", "P01", "Dana", "belonging", "accepted",
     "It was the first place where I felt I belonged and nobody looked at me like a problem."),
    (3, "P02_marcus", "P02", "Marcus", "heard", "accepted",
     "Marcus Bell is what they called me at work but in the circle I was just somebody "
     "who had a story worth hearing."),
    (4, "P02_marcus", "P02", "Marcus", "heard", "rejected",
     "This rejected suggestion must never be quoted in the table at all, not ever."),
    (5, "P03_priya", "P03", "Priya", "belonging", "accepted", HOSTILE + " and then some words to pad it."),
    (6, "P03_priya", "P03", "Priya", "heard", "suggested",
     "An undecided suggestion that does not count for participants or quotes either."),
]


def _codings() -> pd.DataFrame:
    rows = []
    for cid, doc, pid, speaker, code, status, text in QUOTES:
        rows.append({"coding_id": cid, "document_id": int(pid[1:]), "document": doc,
                     "participant": pid, "speaker": speaker, "role": "participant", "code": code,
                     "start": 10 * cid, "end": 10 * cid + len(text), "time_start": 1.5 * cid,
                     "time_end": 1.5 * cid + 4, "text": text, "context_before": "",
                     "context_after": "", "source": "rules" if cid % 2 else "manual",
                     "status": status, "confidence": 0.8, "evidence": {}, "coder": "rules" if cid % 2 else "ben",
                     "run_id": 1, "decided_by": "ana", "decided_at": "2026-05-01", "version": 1})
    return pd.DataFrame(rows)


@pytest.fixture
def participants() -> pd.DataFrame:
    return pd.DataFrame({"participant": ["P01", "P02", "P03", "P04"],
                         "name": ["Dana Reyes", "Marcus Bell", "Priya Shah", "Tom Hadley"],
                         "role": ["newcomer", "long-term member", "peer supporter", "coach"],
                         "age_band": ["25-34", "45-54", "35-44", "35-44"]})


@pytest.fixture
def codings() -> pd.DataFrame:
    return _codings()


@pytest.fixture
def themes() -> pd.DataFrame:
    return pd.DataFrame({"theme_id": [1, 2, 3, 4],
                         "name": ["Connection", "Being heard", "Belonging", "Cost & access"],
                         "parent": [None, "Connection", "Connection", None],
                         "definition": ["Feeling connected to others in the circle.",
                                        "Being listened to without judgement.",
                                        "Feeling part of the group.",
                                        "Money and travel as barriers (in: fares; out: time)."],
                         "position": [1, 1, 2, 2]})


@pytest.fixture
def theme_codes() -> pd.DataFrame:
    return pd.DataFrame({"theme": ["Being heard", "Belonging", "Cost & access"],
                         "code": ["heard", "belonging", "cost"]})
