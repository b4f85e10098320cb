"""Microsoft Teams exports as they are in the wild: classic .vtt and the .docx transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.ingest import read_file

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


def test_classic_teams_vtt_with_unpadded_timestamps() -> None:
    doc = read_file(DATA / "teams_classic_unpadded.vtt")[0]
    got = [(doc.text[t.start:t.end], t.speaker, t.time_start, t.time_end) for t in doc.turns]
    assert got == [
        ("So, how did the circle go?", "Maya Ellison", 0.0, 3.73),
        ("Honestly it was good. People listened. I did not expect that.", "Dana Reyes", 3.73, 12.5),
    ]


def test_unpadded_timestamps_that_are_still_malformed_name_the_line(tmp_path: Path) -> None:
    from thematic.errors import IngestError

    path = tmp_path / "bad.vtt"
    path.write_text("WEBVTT\n\n0:0:0.0 --> 0:0:3.730\n<v A>Hi</v>\n\n0:0:x.0 --> 0:0:5.0\n<v A>Bye</v>\n")
    with pytest.raises(IngestError, match=r"bad.vtt:6: malformed cue timing"):
        read_file(path)


def test_teams_docx_transcript_export() -> None:
    doc = read_file(DATA / "teams_transcript_export.docx")[0]
    got = [(doc.text[t.start:t.end], t.speaker, t.time_start) for t in doc.turns]
    assert got == [
        ("So, how did the circle go?", "Maya Ellison", 3.0),
        ("Honestly it was good. People listened.", "Dana Reyes", 7.0),
        ("What made it good?", "Maya Ellison", 62.0),
        ("Nobody judged me.", "Dana Reyes", 65.0),
    ]
    assert "Meeting Recording" in doc.text  # the title stays in the text, not a turn
