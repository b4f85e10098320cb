"""Survey exports (.csv, .xlsx) in both layouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from thematic.errors import IngestError
from thematic.ingest import ReadOptions, read_file
from thematic.models import Document

Rows = Callable[[Document], list[tuple[str | None, str, float | None, float | None]]]
Q1_R001 = (
    "The team is supportive and the rota is published well in advance, which helps with childcare."
)
Q2_R001 = "Fewer meetings on Friday afternoons; most of them could be an email."
Q2_R002 = "More parking near the main entrance, the overflow car park is a long walk in the rain."
Q1_R003 = "Flexible start times mean I can avoid the worst of the traffic on the ring road."


def test_csv_respondent_layout(data_dir: Path, turns_of: Rows) -> None:
    docs = read_file(data_dir / "survey.csv")
    assert [d.name for d in docs] == ["survey:R001", "survey:R002", "survey:R003"]
    r001, r002, r003 = docs
    assert r001.text == f"q1_what_works:\n{Q1_R001}\n\nq2_what_to_change:\n{Q2_R001}"
    assert turns_of(r001) == [("R001", Q1_R001, None, None), ("R001", Q2_R001, None, None)]
    assert turns_of(r002) == [("R002", Q2_R002, None, None)]  # "n/a" skipped
    assert turns_of(r003) == [  # a multi-line quoted answer; blank answer skipped
        ("R003", Q1_R003 + "\nAnd I can do the school drop-off.", None, None)
    ]
    assert r001.speaker_attributes == {"R001": {"age_band": "25-34", "site": "North", "rating": 4}}
    assert r002.metadata["questions"] == ["q2_what_to_change"]
    assert (r003.metadata["line"], r001.metadata["id_column"]) == (4, "respondent_id")
    assert r001.format == "csv"


def test_xlsx_question_layout(data_dir: Path, turns_of: Rows) -> None:
    docs = read_file(data_dir / "survey.xlsx", options=ReadOptions(survey_layout="question"))
    assert [d.name for d in docs] == ["survey:q1_what_works", "survey:q2_what_to_change"]
    q1, q2 = docs
    assert q1.text == f"R001:\n{Q1_R001}\n\nR003:\n{Q1_R003}"
    assert turns_of(q1) == [("R001", Q1_R001, None, None), ("R003", Q1_R003, None, None)]
    assert turns_of(q2) == [("R001", Q2_R001, None, None), ("R002", Q2_R002, None, None)]
    assert q2.speaker_attributes["R002"] == {
        "age_band": "35-44",
        "site": "South",
        "submitted": "2024-05-03T14:05:00",
        "rating": 2,
    }
    assert q1.format == "xlsx"


def test_named_columns(data_dir: Path, turns_of: Rows) -> None:
    options = ReadOptions(id_column="site", text_columns=["q2_what_to_change"])
    with pytest.raises(IngestError, match=r"respondent ids repeat: 'North' on lines 2, 4"):
        read_file(data_dir / "survey.csv", options=options)
    options = ReadOptions(id_column="RESPONDENT_ID", text_columns=["q2_what_to_change"])
    docs = read_file(data_dir / "survey.csv", options=options)
    assert [turns_of(d) for d in docs] == [
        [("R001", Q2_R001, None, None)],
        [("R002", Q2_R002, None, None)],
    ]
    assert docs[0].speaker_attributes["R001"]["q1_what_works"] == Q1_R001


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ReadOptions(id_column="respondent"),
            r"no id column 'respondent'; the columns are: "
            r"'respondent_id', 'age_band', 'site', 'q1_what_works', 'q2_what_to_change', 'rating'",
        ),
        (
            ReadOptions(text_columns=["q3"]),
            r"no text column 'q3'; the columns are: 'respondent_id'",
        ),
    ],
    ids=["id", "text"],
)
def test_a_named_column_that_does_not_exist(
    options: ReadOptions, message: str, data_dir: Path
) -> None:
    with pytest.raises(IngestError, match=message):
        read_file(data_dir / "survey.csv", options=options)


def test_qualtrics_export_uses_question_texts(tmp_path: Path, turns_of: Rows) -> None:
    path = tmp_path / "qualtrics.csv"
    path.write_text(
        "StartDate,ResponseId,Q1,Q2\n"
        "Start Date,Response ID,What works well?,Anything else\n"
        '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""QID1_TEXT""}","{""ImportId"":""QID2_TEXT""}"\n'
        "2024-05-01,R_1a,The handover is really well organised on the early shift now.,\n",
        encoding="utf-8",
    )
    (doc,) = read_file(path)
    assert doc.name == "qualtrics:R_1a"
    assert doc.text == (
        "What works well?\nThe handover is really well organised on the early shift now."
    )
    assert turns_of(doc)[0][:2] == (
        "R_1a",
        "The handover is really well organised on the early shift now.",
    )
    assert doc.speaker_attributes == {"R_1a": {"StartDate": "2024-05-01", "Q2": None}}


def test_semicolon_csv_in_cp1252(tmp_path: Path, turns_of: Rows) -> None:
    path = tmp_path / "export.csv"
    answer = "Die Kollegen sind großartig, und die Kantine ist überraschend gut geworden."
    path.write_bytes(f"id;Bereich;Antwort\n7;Küche;{answer}\n".encode("cp1252"))
    (doc,) = read_file(path)
    assert turns_of(doc) == [("7", answer, None, None)]
    assert doc.speaker_attributes == {"7": {"Bereich": "Küche"}}


def test_excel_utf8_csv_with_bom(tmp_path: Path, turns_of: Rows) -> None:
    path = tmp_path / "excel.csv"
    answer = "Honestly the best part is the people I work with every single day."
    path.write_bytes(b"\xef\xbb\xbf" + f"ID,Team,Comment\r\n1,Ward 3,{answer}\r\n".encode())
    (doc,) = read_file(path)
    assert doc.metadata["id_column"] == "ID"
    assert turns_of(doc) == [("1", answer, None, None)]
    assert doc.text == f"Comment:\n{answer}"
