"""Speaker-label conventions of plain text, with exact offsets."""

from __future__ import annotations

import pytest

from thematic.ingest.speakers import LineHint, is_name_like, parse_clock, parse_turns


def rows(text: str, **kwargs: object) -> list[tuple[str | None, str, float | None]]:
    parsed = parse_turns(text, **kwargs)  # type: ignore[arg-type]
    return [(t.speaker, text[t.start : t.end], t.time_start) for t in parsed.turns]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Ana: Hello.\nBen: Hi there.\nAna: Bye.",
            [("Ana", "Hello.", None), ("Ben", "Hi there.", None), ("Ana", "Bye.", None)],
            id="name-colon",
        ),
        pytest.param(
            "INTERVIEWER: Ready?\nInterviewer 1: Yes.\nP01: Go on.\nSpeaker 2: Fine.",
            [
                ("INTERVIEWER", "Ready?", None),
                ("Interviewer 1", "Yes.", None),
                ("P01", "Go on.", None),
                ("Speaker 2", "Fine.", None),
            ],
            id="role-tags",
        ),
        pytest.param(
            "[00:01:02] Ana: First.\n[00:01:10] Ben: Second.",
            [("Ana", "First.", 62.0), ("Ben", "Second.", 70.0)],
            id="bracket-hh:mm:ss",
        ),
        pytest.param(
            "[01:02] Ana: First.\n[1:10] Ben: Second.",
            [("Ana", "First.", 62.0), ("Ben", "Second.", 70.0)],
            id="bracket-mm:ss",
        ),
        pytest.param(
            "Ana (00:01:02): Inline.\n\nBen (01:05):\nNext line\nand another.",
            [("Ana", "Inline.", 62.0), ("Ben", "Next line\nand another.", 65.0)],
            id="name-paren-time",
        ),
        pytest.param(
            "Ana  0:03\nFirst turn.\n\nBen Cole  1:02:03\nSecond turn.",
            [("Ana", "First turn.", 3.0), ("Ben Cole", "Second turn.", 3723.0)],
            id="otter-header",
        ),
        pytest.param(
            "00:00:03 Speaker 1\nHello.\n\nSpeaker 2  0:07\nHi.",
            [("Speaker 1", "Hello.", 3.0), ("Speaker 2", "Hi.", 7.0)],
            id="word-transcribe-headers",
        ),
        pytest.param(
            "**Ana:** Bold colon inside.\n**Ben**: Bold colon outside.",
            [("Ana", "Bold colon inside.", None), ("Ben", "Bold colon outside.", None)],
            id="markdown-bold",
        ),
        pytest.param(
            "Maria de la Cruz: Hola.\nDr. O'Neil: Hello.\nMaria de la Cruz: Adiós.",
            [
                ("Maria de la Cruz", "Hola.", None),
                ("Dr. O'Neil", "Hello.", None),
                ("Maria de la Cruz", "Adiós.", None),
            ],
            id="particles-and-apostrophes",
        ),
    ],
)
def test_conventions(text: str, expected: list[tuple[str | None, str, float | None]]) -> None:
    assert rows(text) == expected


def test_continuation_lines_and_blank_lines_belong_to_the_previous_turn() -> None:
    text = "Ana: One.\n\nStill Ana.\n   Indented too.  \nBen: Two.\nAna: Three."
    assert rows(text) == [
        ("Ana", "One.\n\nStill Ana.\n   Indented too.", None),
        ("Ben", "Two.", None),
        ("Ana", "Three.", None),
    ]


def test_note_and_url_mid_speech_are_not_labels() -> None:
    text = (
        "Interviewer: How was it?\n"
        "P01: Busy.\n"
        "Note: this is my view only.\n"
        "https://example.org was the site.\n"
        "Interviewer: Thanks.\n"
        "P01: Welcome."
    )
    assert rows(text)[1] == (
        "P01",
        "Busy.\nNote: this is my view only.\nhttps://example.org was the site.",
        None,
    )


def test_a_name_used_once_in_a_long_transcript_is_speech() -> None:
    text = "\n".join(
        [
            "Ana: Tell me more.",
            "Ben: Well, my mum said:",
            "My Mum: do not go.",
            "Ana: And?",
            "Ben: I went.",
            "Ana: Why?",
            "Ben: I was nineteen.",
        ]
    )
    parsed = parse_turns(text)
    assert parsed.rejected_labels == ["My Mum"]
    assert (
        text[parsed.turns[1].start : parsed.turns[1].end]
        == "Well, my mum said:\nMy Mum: do not go."
    )


def test_a_once_used_label_of_a_known_family_is_kept() -> None:
    text = "\n".join(
        [
            "Speaker 1: Hi.",
            "Speaker 2: Hi.",
            "Speaker 1: Start?",
            "Speaker 2: Yes.",
            "Speaker 3: Me too.",
        ]
    )
    assert [r[0] for r in rows(text)] == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 1",
        "Speaker 2",
        "Speaker 3",
    ]


def test_prose_with_a_title_block_is_paragraphs() -> None:
    text = "Title: Field notes\nAuthor: R. Diaz\n\nWe arrived late.\nIt rained.\n\nThe end."
    assert rows(text) == [
        (None, "Title: Field notes\nAuthor: R. Diaz", None),
        (None, "We arrived late.\nIt rained.", None),
        (None, "The end.", None),
    ]


def test_text_without_labels_is_one_turn_per_paragraph_and_headings_are_not_turns() -> None:
    text = "# Diary\n\nMonday was long.\nVery long.\n\n## Tuesday\nBetter."
    parsed = parse_turns(text)
    assert parsed.convention == "paragraphs"
    assert rows(text) == [(None, "Monday was long.\nVery long.", None), (None, "Better.", None)]


def test_markdown_heading_ends_a_turn() -> None:
    text = "Ana: Part one.\n## Part 2\nBen: Part two.\nAna: Yes."
    assert rows(text) == [
        ("Ana", "Part one.", None),
        ("Ben", "Part two.", None),
        ("Ana", "Yes.", None),
    ]


def test_single_weak_labels_with_running_text_are_prose() -> None:
    # Each label used once and lines of running text: read as prose (see the heuristic).
    assert rows("Ana: One.\nmore\nBen: Two.") == [(None, "Ana: One.\nmore\nBen: Two.", None)]


def test_text_before_the_first_label_is_not_a_turn() -> None:
    text = "Interview 3, Leeds\n\nInterviewer: Hello?\nP3: Hi."
    assert rows(text) == [("Interviewer", "Hello?", None), ("P3", "Hi.", None)]


def test_a_label_with_nothing_after_it_gives_no_turn() -> None:
    assert rows("Ana:\nBen: Hi.\nAna:") == [("Ben", "Hi.", None)]


def test_hints_mark_labels_and_headings() -> None:
    text = "Background\nRuth\tI came in 2019.\nRuth\tAnd stayed."
    hints = {0: LineHint(heading=True), 11: LineHint(label="Ruth"), 32: LineHint(label="Ruth")}
    assert rows(text, hints=hints) == [
        ("Ruth", "I came in 2019.", None),
        ("Ruth", "And stayed.", None),
    ]


@pytest.mark.parametrize(
    ("label", "ok"),
    [
        ("Ana", True),
        ("Maria de la Cruz", True),
        ("INTERVIEWER", True),
        ("P01", True),
        ("Speaker 1", True),
        ("Interviewer 2", True),
        ("Q", True),
        ("Dr. Ng", True),
        ("Note", False),
        ("https", False),
        ("he said", False),
        ("One Two Three Four Five", False),
        ("1 Speaker", False),
        ("", False),
        ("So", False),
    ],
)
def test_is_name_like(label: str, ok: bool) -> None:
    assert is_name_like(label) is ok


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0:03", 3.0),
        ("01:02", 62.0),
        ("1:02:15", 3735.0),
        ("00:00:01.500", 1.5),
        ("00:00:01,25", 1.25),
    ],
)
def test_parse_clock(value: str, seconds: float) -> None:
    assert parse_clock(value) == seconds
