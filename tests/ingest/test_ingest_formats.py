"""Every reader on a real file as exported in the wild: exact turn texts, speakers, times."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from thematic.ingest import read_file
from thematic.models import Document

Rows = Callable[[Document], list[tuple[str | None, str, float | None, float | None]]]

EXPECTED: dict[str, list[tuple[str | None, str, float | None, float | None]]] = {
    "otter_export.txt": [
        (
            "Interviewer",
            "Thanks for making time today. Could you start by telling me how your "
            "working week looks at the moment?",
            3.0,
            None,
        ),
        (
            "Dana Whitfield",
            "Sure. So I'm in the office two days, Tuesday and Thursday, and the "
            "rest of the week I work from home. It took a while to settle into that.",
            14.0,
            None,
        ),
        ("Interviewer", "What made it take a while?", 31.0, None),
        (
            "Dana Whitfield",
            "Mostly the childcare. My manager was fine with it, honestly, but the "
            "school run doesn't care about your calendar.\n"
            "Honestly: some weeks I was on the laptop at ten at night to catch up.",
            34.0,
            None,
        ),
        (
            "Interviewer",
            "Last thing. If you could change one thing about the policy, what would it be?",
            59 * 60 + 48.0,
            None,
        ),
        ("Dana Whitfield", "Let people choose their office days. That's it, really.", 3602.0, None),
        ("Interviewer", "That's everything from me. Thank you so much.", 3735.0, None),
    ],
    "zoom_meeting.vtt": [
        (
            "Priya Natarajan",
            "Okay, I think we're recording now. Can you hear me all right?",
            2.15,
            6.48,
        ),
        ("Sam Okafor", "Yes, loud and clear.", 7.01, 8.2),
        (
            "Priya Natarajan",
            "Great. So to begin, how long have you worked on the ward?",
            9.5,
            14.92,
        ),
        (
            "Sam Okafor",
            "About six years now. I started as a healthcare assistant and then did my "
            "nursing degree part-time.",
            15.3,
            25.04,
        ),
        ("Priya Natarajan", "And what changed during the pandemic?", 26.1, 29.87),
        (
            "Sam Okafor",
            "Everything, honestly. Note: I'm speaking for myself here, not the trust.",
            30.4,
            38.02,
        ),
    ],
    "teams_meeting.vtt": [
        (
            "Alex Morgan",
            "Thanks everyone for joining the focus group this afternoon. To start, "
            "what does a good day at work look like for you?",
            3.36,
            11.48,
        ),
        (
            "Jordan Lee",
            "I'd say it's when the handover goes smoothly & nobody's off sick.",
            13.04,
            18.6,
        ),
        ("Alex Morgan", "Mm-hmm. And a bad day?", 19.2, 22.01),
        (
            "Jordan Lee",
            "Two agency staff who've never been on the unit. You spend the whole "
            "shift showing them where things are.",
            22.8,
            29.9,
        ),
    ],
    "subtitles.srt": [
        ("INTERVIEWER", "Can you describe the first week after the diagnosis?", 1.0, 4.2),
        (
            "P07",
            "It was a blur. I remember the drive home more than anything. My sister kept "
            "asking if I was okay.",
            5.0,
            12.0,
        ),
        ("INTERVIEWER", "And were you?", 73.0, 75.25),
    ],
    "garden_bold_labels.docx": [
        ("Interviewer", "How did you first get involved with the garden?", None, None),
        (
            "Ruth",
            "My neighbour dragged me along to a work day. I stayed for the tea.\n"
            "After that I just kept coming back.",
            None,
            None,
        ),
        ("Interviewer", "What keeps you coming back?", None, None),
        ("Ruth", "The people. And the courgettes.", None, None),
        ("Interviewer", "Anything to add?", None, None),
        ("Ruth", "Only that we need more volunteers.", None, None),
    ],
    "word_transcribe.docx": [
        ("Speaker 1", "Hello, can you hear me okay?", 3.0, None),
        ("Speaker 2", "Yes, I can hear you fine.", 5.0, None),
        ("Speaker 1", "Great. Could you tell me about your role?", 9.0, None),
        ("Speaker 2", "I coordinate the volunteers on Saturdays.", 72.0, None),
    ],
    "cafe_cp1252.txt": [
        ("Interviewer", "When you say it was “hard”, what do you mean?", None, None),
        (
            "Respondent",
            "Well – it’s hard to explain. The café closed, and that was where we’d all meet…",
            None,
            None,
        ),
        ("Interviewer", "Did anyone try to reopen it?", None, None),
        ("Respondent", "José did, for a while. He’s still “working on it”, he says.", None, None),
    ],
    "focus_group_utf16.txt": [
        (
            "Moderator",
            "Welcome, everyone. Let’s go round the table — who’d like to start?",
            None,
            None,
        ),
        ("Participant 1", "I will. I’m Zoë, I’ve lived in Kraków for three years.", None, None),
        ("Participant 2", "And I’m Łukasz. Born here.", None, None),
        ("Moderator", "What brought you here, Zoë?", None, None),
        ("Participant 1", "Work, at first.", None, None),
    ],
    "bus_crlf.txt": [
        ("INTERVIEWER", "How do you get to work?", None, None),
        ("P03", "By bus, mostly.\nThe 42, when it turns up.", None, None),
        ("INTERVIEWER", "And when it doesn't?", None, None),
        ("P03", "Then I walk. It's forty minutes.", None, None),
    ],
    "allotment_interview.md": [
        ("Interviewer", "How long have you had the plot?", 5.0, None),
        (
            "Margaret",
            "Eleven years this spring. Before that, my father had it.\nHe grew nothing but leeks.",
            9.0,
            None,
        ),
        ("Interviewer", "What do you grow?", 21.0, None),
        ("Margaret", "Beans, mostly. Some years the slugs get them all.", 880.0, None),
    ],
    "stream_transcript.txt": [
        ("Chris Palmer", "Right, shall we make a start?", 4.0, None),
        ("Fatima Haddad", "Yes, go ahead.\nI've got until half past.", 7.0, None),
        ("Chris Palmer", "First question: how did the pilot go?", 12.0, None),
        (
            "Fatima Haddad",
            "Better than I expected, honestly. See "
            "https://example.org/pilot-report for the numbers.",
            62.0,
            None,
        ),
        ("Chris Palmer", "Good to hear.", 75.0, None),
    ],
    "site_b_interview.pdf": [
        ("Interviewer", "What would you change about the service?", None, None),
        ("Participant", "The waiting times. You ring and ring.", None, None),
        ("Interviewer", "Anything else?", None, None),
        ("Participant", "More evening appointments.\nSome of us work until six.", None, None),
    ],
    "winter_interview.odt": [
        ("Interviewer", "How was the first winter?", None, None),
        ("P09", "It was fine\nuntil   it wasn't.", None, None),
        ("Interviewer", "Why?", None, None),
        ("P09", "The boiler.", None, None),
    ],
}

FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".vtt": "vtt",
    ".srt": "srt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".odt": "odt",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_turns(name: str, data_dir: Path, turns_of: Rows) -> None:
    (doc,) = read_file(data_dir / name)
    assert turns_of(doc) == EXPECTED[name]
    assert doc.name == Path(name).stem
    assert doc.format == FORMATS[Path(name).suffix]


def test_otter_preamble_and_footer_stay_in_text_but_are_not_turns(data_dir: Path) -> None:
    (doc,) = read_file(data_dir / "otter_export.txt")
    assert doc.text.startswith("SUMMARY KEYWORDS\ncommute, childcare")
    assert doc.text.endswith("Transcribed by https://otter.ai")
    assert doc.metadata["convention"] == "header"
    assert doc.metadata["rejected_labels"] == ["Honestly"]


def test_captions_text_is_rendered_as_labelled_paragraphs(data_dir: Path) -> None:
    (doc,) = read_file(data_dir / "teams_meeting.vtt")
    paragraphs = doc.text.split("\n\n")
    assert (
        paragraphs[1]
        == "Jordan Lee: I'd say it's when the handover goes smoothly & nobody's off sick."
    )
    assert len(paragraphs) == len(doc.turns) == 4
    assert doc.metadata["cue_ids"][0] == [
        "7d3c2a9e-1b4f-4e8a-9c6d-2f5e8a1b3c4d/12-0",
        "7d3c2a9e-1b4f-4e8a-9c6d-2f5e8a1b3c4d/12-1",
    ]
    assert "This transcript was exported" not in doc.text  # NOTE block skipped


def test_zoom_cue_ids_follow_merged_turns(data_dir: Path) -> None:
    (doc,) = read_file(data_dir / "zoom_meeting.vtt")
    assert doc.metadata["cue_ids"] == [["1"], ["2"], ["3"], ["4", "5"], ["6"], ["7"]]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("cafe_cp1252.txt", "cp1252"),
        ("focus_group_utf16.txt", "utf-16-le"),
        ("bus_crlf.txt", "utf-8"),
    ],
)
def test_encoding_is_recorded(name: str, encoding: str, data_dir: Path) -> None:
    (doc,) = read_file(data_dir / name)
    assert doc.metadata["encoding"] == encoding


def test_docx_text_is_paragraphs_joined_with_newlines(data_dir: Path) -> None:
    (doc,) = read_file(data_dir / "garden_bold_labels.docx")
    lines = doc.text.split("\n")
    assert lines[:3] == [
        "Interview 4 — Community garden volunteers",
        "Date: 14 March 2024",
        "Interviewer: How did you first get involved with the garden?",
    ]
    assert lines[3].startswith("Ruth\tMy neighbour")
    assert lines[-2:] == [
        "Interviewer: Anything to add?",
        "Ruth: Only that we need more volunteers.",
    ]
    assert doc.metadata["title"] == "Interview 4"


def test_word_transcribe_title_block_is_not_a_turn(data_dir: Path) -> None:
    (doc,) = read_file(data_dir / "word_transcribe.docx")
    assert doc.text.startswith("Transcript\n20 March 2024, 14:05\n00:00:03 Speaker 1\n")
    assert doc.turns[0].start == doc.text.index("Hello")


def test_pdf_page_starts(data_dir: Path) -> None:
    (doc,) = read_file(data_dir / "site_b_interview.pdf")
    assert doc.metadata["page_count"] == 2
    second = doc.metadata["page_starts"][1]
    assert doc.text[second:].startswith("Participant: More evening appointments.")
    assert doc.text[:second].endswith("Interviewer: Anything else?\n\n")


def test_uppercase_suffix_and_no_label_srt(tmp_path: Path, turns_of: Rows) -> None:
    path = tmp_path / "CLIP.SRT"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,500\n<i>Rain on the roof.</i>\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n{\\an8}It's been like this all week.\n"
    )
    (doc,) = read_file(path)
    assert doc.text == "Rain on the roof.\n\nIt's been like this all week."
    assert turns_of(doc) == [
        (None, "Rain on the roof.", 1.0, 2.5),
        (None, "It's been like this all week.", 3.0, 4.0),
    ]
