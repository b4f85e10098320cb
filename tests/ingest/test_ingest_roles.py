"""Interviewer / participant roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.ingest import apply_roles, detect_roles, read_file
from thematic.ingest.roles import is_question


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("otter_export.txt", {"Interviewer": "interviewer", "Dana Whitfield": "participant"}),
        ("zoom_meeting.vtt", {"Priya Natarajan": "interviewer", "Sam Okafor": "participant"}),
        ("teams_meeting.vtt", {"Alex Morgan": "interviewer", "Jordan Lee": "participant"}),
        (
            "focus_group_utf16.txt",
            {
                "Moderator": "interviewer",
                "Participant 1": "participant",
                "Participant 2": "participant",
            },
        ),
    ],
)
def test_detect_roles(name: str, expected: dict[str, str], data_dir: Path) -> None:
    assert detect_roles(read_file(data_dir / name)) == expected


def test_configured_interviewers_win(data_dir: Path) -> None:
    docs = read_file(data_dir / "zoom_meeting.vtt")
    assert detect_roles(docs, interviewers=["sam okafor"]) == {
        "Priya Natarajan": "participant",
        "Sam Okafor": "interviewer",
    }


def test_no_interviewer_when_everyone_asks() -> None:
    from thematic.models import Document, Turn

    text = "A? B? C? D?"
    doc = Document(
        "d",
        text,
        [Turn(0, 2, "Ana"), Turn(3, 5, "Ben"), Turn(6, 8, "Ana"), Turn(9, 11, "Ben")],
        "txt",
    )
    assert detect_roles([doc]) == {"Ana": "participant", "Ben": "participant"}


def test_apply_roles(data_dir: Path) -> None:
    docs = read_file(data_dir / "teams_meeting.vtt")
    (doc,) = apply_roles(docs, detect_roles(docs))
    assert [t.role for t in doc.turns] == [
        "interviewer",
        "participant",
        "interviewer",
        "participant",
    ]
    assert docs[0].turns[0].role is None  # the input is not changed


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("And then?", True),
        ("So how did that feel", True),
        ("Tell me about the ward.", True),
        ("Yes, it was.", False),
        ("I wonder.", False),
        ("", False),
    ],
)
def test_is_question(text: str, question: bool) -> None:
    assert is_question(text) is question
