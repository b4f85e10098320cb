"""What a run codes: the segments of its unit, with their questions and stored sentences."""

from __future__ import annotations

from pathlib import Path

from thematic import Project
from thematic.services.runs import unit_segments


def test_turns_carry_the_sentences_ingest_stored(project: Project, tmp_path: Path) -> None:
    transcript = tmp_path / "P01.txt"
    transcript.write_text("Interviewer: Where did you go?\n"
                          "P01: To the meeting at St. Anne's on Tuesday. It helped. [laughs] A lot.\n")
    project.documents.ingest([transcript], actor="ana")
    unit, turns = unit_segments(project.store, "turn")
    stored = [s.text for s in project.store.documents.segments("sentence", exclude_roles=["interviewer"])]
    assert unit == "turn" and len(turns) == 1 and turns[0].role == "participant"
    assert turns[0].sentences == tuple(stored) and len(stored) >= 3
    assert "To the meeting at St. Anne's on Tuesday." in stored  # not cut after "St."
    assert turns[0].prompt == "Where did you go?"
    _, sentences = unit_segments(project.store, "sentence")
    assert [s.text for s in sentences] == stored and all(s.sentences is None for s in sentences)
