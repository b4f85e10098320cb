"""Importing files into a project: the sample study, duplicates, new versions, atomicity."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SAMPLES
from thematic import Project
from thematic.errors import IngestError, ParticipantsError

INTERVIEWS = ["P01_dana", "P02_marcus", "P03_priya_otter", "P04_tom", "P05_alex_teams", "P06_rosa",
              "P07_helen_okafor", "P08_jamal", "P09_siobhan", "P10_kevin", "P11_lucia_zoom"]


def test_sample_study_is_ingested_with_speakers_roles_and_participants(sample_project: Project) -> None:
    docs = sample_project.documents.frame().set_index("name")
    for name in INTERVIEWS:
        assert docs.loc[name, "turns"] > 50, name
        assert 1500 <= docs.loc[name, "words"] <= 4200, name
        pid = name[:3]
        assert docs.loc[name, "participants"] == pid, name
    surveys = [n for n in docs.index if n.startswith("survey_responses:")]
    assert len(surveys) == 44  # R015 answered nothing
    formats = set(docs["format"])
    assert {"txt", "md", "docx", "vtt", "srt", "pdf", "odt", "csv"} <= formats

    turns = sample_project.documents.turns("P05_alex_teams")
    assert {t.role for t in turns if t.speaker == "Maya Ellison"} == {"interviewer"}
    assert {t.participant for t in turns if t.speaker == "Alex Kim"} == {"P05"}
    assert all(t.time_start is not None and t.time_end >= t.time_start for t in turns)


def test_participant_attributes_are_typed(sample_project: Project) -> None:
    types = sample_project.participants.attribute_types()
    assert types["wellbeing_pre"] == "number"
    assert types["interview_date"] == "date"
    assert types["programme"] == "category"
    people = sample_project.participants.frame().set_index("participant")
    assert people.loc["P10", "wellbeing_pre"] > people.loc["P10", "wellbeing_post"]
    assert people.loc["P01", "name"] == "Dana Reyes"
    assert "role" in people.columns
    assert people.loc["R001", "role"] == "newcomer"  # a survey column, kept as an attribute


def test_segments_have_exact_offsets(sample_project: Project) -> None:
    seg = sample_project.documents.segments("sentence")
    for row in seg.sample(200, random_state=0).itertuples():
        text = sample_project.documents.get(int(row.document_id)).text
        assert text[row.start:row.end] == row.text
        assert row.text == row.text.strip() and row.text
    turns = sample_project.documents.segments("turn")
    assert len(seg) > len(turns) > 800


def test_identical_files_are_skipped(sample_project: Project) -> None:
    report = sample_project.documents.ingest([SAMPLES / "P01_dana.txt"], actor="ana")
    assert report.added == [] and report.skipped[0][1].startswith("identical to 'P01_dana'")


def test_changed_version_keeps_codings_whose_text_is_still_there(project: Project, tmp_path: Path,
                                                                small_codebook) -> None:
    path = tmp_path / "P01_x.txt"
    path.write_text("Interviewer: How was the group?\n\nP01: She really listened to me. It was calm.\n"
                    "\nInterviewer: Anything else?\n\nP01: I was ashamed at first.\n")
    project.documents.ingest([path], actor="ana")
    project.codebook.load(small_codebook, actor="ana")
    keep = project.review.code_span("P01_x", "heard", quote="She really listened to me.", actor="ana")
    lose = project.review.code_span("P01_x", "stigma", quote="I was ashamed at first.", actor="ana")
    path.write_text("Interviewer: Thanks for coming. How was the group?\n\nP01: Well. She really "
                    "listened to me. It was calm.\n\nInterviewer: Anything else?\n\nP01: No.\n")
    # losing a decided coding needs consent (issue 10); without it nothing is imported
    report = project.documents.ingest([path], allow_losing_codings=True, actor="ana")
    assert report.updated == ["P01_x"] and report.reanchored == 1
    assert [lost["coding_id"] for lost in report.lost_codings] == [lose]
    codings = project.review.codings()
    assert codings["coding_id"].tolist() == [keep]
    assert codings["text"].tolist() == ["She really listened to me."]
    assert project.documents.get("P01_x").revision == 2


def _snapshot(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    rows = con.execute("SELECT name, sha256 FROM documents ORDER BY name").fetchall()
    rows += con.execute("SELECT count(*) FROM turns").fetchall()
    rows += con.execute("SELECT count(*) FROM audit_events").fetchall()
    con.close()
    return rows


def test_a_bad_file_leaves_the_project_exactly_as_before(project: Project, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Interviewer: Hello?\n\nP01: Hi there.\n")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a zip file")
    before = _snapshot(tmp_path / "empty.thematic")
    with pytest.raises(IngestError, match="bad.docx"):
        project.documents.ingest([good, bad], actor="ana")
    assert _snapshot(tmp_path / "empty.thematic") == before
    report = project.documents.ingest([good, bad], on_error="skip", actor="ana")
    assert report.added == ["good"] and report.failed[0][0].endswith("bad.docx")


def test_participant_ids_that_match_no_speaker_are_an_error(project: Project, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("participant_id,name,site\nP01,Dana,North\nP99,Nobody,South\n")
    doc = tmp_path / "P01_dana.txt"
    doc.write_text("Interviewer: How are you?\n\nDana: Fine, thanks.\n")
    with pytest.raises(ParticipantsError, match="P99"):
        project.documents.ingest([doc], participants=people, actor="ana")
    assert project.status()["documents"] == 0
    report = project.documents.ingest([doc], participants=people, allow_unmatched_participants=True, actor="ana")
    assert report.added == ["P01_dana"]
    assert set(project.participants.frame()["participant"]) == {"P01", "P99"}


CRASH = """
import os, sys
from thematic import Project
from thematic.store.documents import Documents
original = Documents.add
def crash(self, uow, doc, **kw):
    original(self, uow, doc, **kw)
    if doc.name == "P03_priya_otter":
        os._exit(9)  # the process dies in the middle of the import transaction
Documents.add = crash
Project.open(sys.argv[1]).documents.ingest([sys.argv[2]], actor="ana")
"""


@pytest.mark.slow
def test_a_crash_mid_import_leaves_the_file_readable_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "crash.thematic"
    with Project.create(path) as p:
        p.documents.ingest([SAMPLES / "P01_dana.txt"], actor="ana")
    before = _snapshot(path)
    proc = subprocess.run([sys.executable, "-c", CRASH, str(path), str(SAMPLES)], capture_output=True)
    assert proc.returncode == 9, proc.stderr.decode()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    assert _snapshot(path) == before
    with Project.open(path) as p:
        assert p.documents.frame()["name"].tolist() == ["P01_dana"]


def test_export_segments_reads_back(sample_project: Project, tmp_path: Path) -> None:

    n = sample_project.exports.write("segments", tmp_path / "seg.csv")["rows"]
    back = pd.read_csv(tmp_path / "seg.csv", encoding="utf-8-sig")
    assert len(back) == n
    assert {"document", "participant", "speaker", "role", "attr:programme", "turn", "start", "end",
            "time_start", "time_end", "text"} <= set(back.columns)
    row = back[back["document"] == "P04_tom"].iloc[5]
    assert sample_project.documents.get("P04_tom").text[row["start"]:row["end"]] == row["text"]
    n2 = sample_project.exports.write("segments", tmp_path / "seg.xlsx", unit="turn")["rows"]
    xl = pd.read_excel(tmp_path / "seg.xlsx")
    assert len(xl) == n2 < n


def test_folder_import_skips_tables_that_are_not_surveys_but_a_named_one_fails(project: Project,
                                                                                tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "P01.txt").write_text("Interviewer: How was it?\n\nP01: Good, honestly.\n")
    (folder / "codes.csv").write_text("code,quote\nstigma,a long quote that repeats the same code id\n"
                                      "stigma,another long quote that repeats the same code id\n")
    (folder / "people.csv").write_text("participant_id,site\nP01,North\n")
    report = project.documents.ingest([folder], actor="ana")
    assert report.added == ["P01"]
    assert dict(report.skipped) == {
        "codes.csv": pytest.approx(dict(report.skipped)["codes.csv"]),
        "people.csv": "a table without free-text answers (a participants file? pass it with --participants)",
    }
    assert dict(report.skipped)["codes.csv"].startswith("not read as a survey:")
    with pytest.raises(IngestError, match="people.csv"):
        project.documents.ingest([folder / "people.csv"], actor="ana")


def _bomb() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (3 * 1024 * 1024))
    return buffer.getvalue()


BAD_INPUTS = {
    "empty.txt": (b"", {}, "empty|no text"),
    "photo.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", {}, "not text"),
    "bytes.txt": (bytes(range(0x80, 0x100)) * 8, {}, "not text"),
    "notes.xyz": (b"hello", {}, "no reader for"),
    "big.txt": (b"Interviewer: and then?\n" * 5000, {"max_bytes": 10_000}, "limit"),
    "fake.docx": (b"not a zip at all", {}, "not a"),
    "bomb.docx": (_bomb(), {"max_unzipped_bytes": 1024 * 1024}, "zip bomb"),
    "bad.vtt": (b"WEBVTT\n\n00:00:01.000 --> 00:0x:02.000\n<v Ann>Hi</v>\n", {}, r"bad.vtt:3: malformed cue timing"),
    "survey.csv": (b"id,answer\n1,a long enough answer to count as free text for sure\n",
                   {"id_column": "respondent"}, "respondent"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_every_bad_input_is_one_clear_error_and_changes_nothing(name: str, project: Project,
                                                                tmp_path: Path) -> None:
    content, options, message = BAD_INPUTS[name]
    good = tmp_path / "P01_good.txt"
    good.write_text("Interviewer: How was it?\n\nP01: It was fine.\n")
    bad = tmp_path / name
    bad.write_bytes(content)
    before = _snapshot(tmp_path / "empty.thematic")
    with pytest.raises(IngestError, match=message) as info:
        project.documents.ingest([good, bad], actor="ana", **options)
    assert name in str(info.value)
    assert _snapshot(tmp_path / "empty.thematic") == before


def test_duplicate_participant_ids_change_nothing(project: Project, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("participant_id,site\nP01,North\nP02,South\nP01,East\n")
    doc = tmp_path / "P01_a.txt"
    doc.write_text("Interviewer: How are you?\n\nP01: Fine.\n")
    before = _snapshot(tmp_path / "empty.thematic")
    with pytest.raises(ParticipantsError, match=r"people.csv.*P01.*lines? 2.*4"):
        project.documents.ingest([doc], participants=people, actor="ana")
    assert _snapshot(tmp_path / "empty.thematic") == before


def test_configured_interviewers_and_attribute_types(project: Project, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("participant_id,cohort\nP01,2019\n")
    doc = tmp_path / "P01_a.txt"
    doc.write_text("Ann: Tell me about the group.\n\nP01: It helped. Why do you ask?\n\n"
                   "Ann: Just curious.\n\nP01: Fair enough.\n")
    project.documents.ingest([doc], participants=people, interviewers=["ann"],
                   participant_types={"cohort": "category"}, actor="ana")
    assert {t.speaker: t.role for t in project.documents.turns("P01_a")} == {"Ann": "interviewer", "P01": "participant"}
    assert project.participants.attribute_types()["cohort"] == "category"


def test_a_role_set_by_a_person_holds_for_later_imports(project: Project, tmp_path: Path) -> None:
    first = tmp_path / "P01_a.txt"
    first.write_text("Sam: So what happened next?\n\nP01: We met on Tuesdays.\n\n"
                     "Sam: And how was that?\n\nP01: Good.\n")
    project.documents.ingest([first], actor="ana")
    assert {t.speaker: t.role for t in project.documents.turns("P01_a")}["Sam"] == "interviewer"
    project.documents.set_speaker_role("Sam", "participant", actor="ana")
    second = tmp_path / "P02_b.txt"
    second.write_text("Sam: Why did you join?\n\nP02: A friend told me.\n\nSam: Did it help?\n\nP02: Yes.\n")
    report = project.documents.ingest([second], actor="ana")
    assert report.roles["Sam"] == "participant"
    assert {t.speaker: t.role for t in project.documents.turns("P02_b")}["Sam"] == "participant"


def test_undo_of_an_import_removes_it_and_a_new_version_cannot_be_undone(project: Project,
                                                                         tmp_path: Path) -> None:
    from thematic.errors import ReviewError

    people = tmp_path / "people.csv"
    people.write_text("participant_id,site\nP01,North\n")
    doc = tmp_path / "P01_a.txt"
    doc.write_text("Interviewer: How was it?\n\nP01: It was good.\n")
    project.documents.ingest([doc], participants=people, actor="ana")
    assert project.review.undo(actor="ana") == ["ingest"]
    assert project.status()["documents"] == 0 and project.participants.frame().empty
    project.documents.ingest([doc], actor="ana")
    doc.write_text("Interviewer: How was it, really?\n\nP01: It was good.\n")
    assert project.documents.ingest([doc], actor="ana").updated == ["P01_a"]
    with pytest.raises(ReviewError, match="cannot be undone: a new version of 'P01_a' replaced"):
        project.review.undo(actor="ana")
    assert "really" in project.documents.get("P01_a").text


def test_survey_respondents_are_participants_even_when_an_answer_starts_like_a_question(
        project: Project, tmp_path: Path) -> None:
    survey = tmp_path / "flaky.csv"
    survey.write_text(
        "respondent_id,what_would_help\n"
        "R1,A dashboard that shows which tests failed intermittently over the last month of builds.\n"
        "R2,How often a test flipped between passing and failing without any change to the code.\n"
        "R3,When a test fails I want the logs of the earlier runs next to the failing one.\n"
        "R4,Automatic reruns in continuous integration with a report of the tests that needed them.\n",
        encoding="utf-8")
    report = project.documents.ingest([survey], survey_layout="question", actor="ana")
    assert set(report.roles.values()) == {"participant"} and set(report.roles) == {"R1", "R2", "R3", "R4"}
    turns = project.documents.turns("flaky:what_would_help")
    assert {t.speaker: t.role for t in turns} == dict.fromkeys(["R1", "R2", "R3", "R4"], "participant")
