"""Participants files."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.errors import ParticipantsError
from thematic.ingest import read_participants


def test_types_names_and_attributes(data_dir: Path) -> None:
    table = read_participants(data_dir / "participants.csv")
    assert table.ids == ["P01", "P02", "P03", "P04"]
    assert table.types == {
        "age": "number",
        "site": "category",
        "interview_date": "date",
        "role": "category",
    }
    assert table.names == {"P01": "Ana", "P02": "Ben", "P03": "Chidi", "P04": "Dee"}
    assert table.attributes["P03"] == {
        "age": 29,
        "site": "North",
        "interview_date": "2024-03-05",
        "role": "porter",
    }


def test_types_can_be_overridden(data_dir: Path) -> None:
    table = read_participants(data_dir / "participants.csv", types={"age": "category"})
    assert table.types["age"] == "category"
    assert table.attributes["P01"]["age"] == "34"


def test_xlsx_and_named_id_column(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["Pseudonym", "Code", "Joined"], ["Ana", "A1", None], ["Ben", "B2", None]]:
        sheet.append(row)
    path = tmp_path / "people.xlsx"
    book.save(path)
    table = read_participants(path, id_column="code")
    assert table.ids == ["A1", "B2"]
    assert table.attributes["B2"] == {"Pseudonym": "Ben", "Joined": None}


def test_duplicate_ids(tmp_path: Path) -> None:
    path = tmp_path / "dups.csv"
    path.write_text("id,site\nP01,North\nP02,South\nP01,East\nP02,West\nP03,North\n")
    with pytest.raises(ParticipantsError, match=r"'P01' on lines 2, 4; 'P02' on lines 3, 5") as e:
        read_participants(path)
    assert e.value.line == 2


def test_missing_id_column_lists_the_columns(data_dir: Path) -> None:
    with pytest.raises(
        ParticipantsError,
        match=r"no id column 'pid'; the columns are: 'participant_id', 'name', 'age', 'site'",
    ):
        read_participants(data_dir / "participants.csv", id_column="pid")


@pytest.mark.parametrize(
    ("types", "message"),
    [
        ({"age": "integer"}, r"must be one of number, date, category, text\. Got 'integer'"),
        ({"name2": "text"}, r"no typed column 'name2'"),
        ({"site": "number"}, r"column 'site': 'North' is not a number"),
    ],
)
def test_bad_types(types: dict[str, str], message: str, data_dir: Path) -> None:
    with pytest.raises(ParticipantsError, match=message):
        read_participants(data_dir / "participants.csv", types=types)
