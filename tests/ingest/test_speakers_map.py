"""Speakers to participants: ids, names, file names, generic role labels."""

from __future__ import annotations

from thematic.ingest.speakers_map import id_from_filename, map_speakers
from thematic.models import Document, Turn


def _doc(name: str, *speakers: str | None) -> Document:
    turns = [Turn(i * 10, i * 10 + 5, s) for i, s in enumerate(speakers)]
    return Document(name, "x" * (10 * len(speakers)), turns, "txt")


def test_ids_names_and_first_names() -> None:
    people = {"P01": "Dana Reyes", "P02": "Marcus Bell"}
    doc = _doc("interview", "Maya", "P01", "Marcus Bell", "Dana")
    got = map_speakers(doc, {"Maya": "interviewer"}, people)
    assert got == {"Maya": None, "P01": "P01", "Marcus Bell": "P02", "Dana": "P01"}


def test_file_name_gives_the_only_participant() -> None:
    assert id_from_filename("P03_priya_otter", ["P03"]) == "P03"
    doc = _doc("P03_priya_otter", "Maya Ellison", "Priya Shah")
    assert map_speakers(doc, {"Maya Ellison": "interviewer"}, {"P03": None})["Priya Shah"] == "P03"


def test_generic_role_labels_name_the_document_not_a_person() -> None:
    one = map_speakers(_doc("site_a_interview_4", "I", "R", "I", "R"), {"I": "interviewer"}, {})
    assert one == {"I": None, "R": "site_a_interview_4"}
    group = map_speakers(_doc("focus_group_2", "Moderator", "Speaker 1", "Speaker 2"),
                         {"Moderator": "interviewer"}, {})
    assert group == {"Moderator": None, "Speaker 1": "focus_group_2/Speaker 1",
                     "Speaker 2": "focus_group_2/Speaker 2"}
    # an id-like label is an identity
    assert map_speakers(_doc("notes", "Q", "R07"), {"Q": "interviewer"}, {})["R07"] == "R07"
