"""Hostile inputs, class *values kept as typed*: "NA" (Narcotics Anonymous), "N/A", "null",
"None" in participants and survey files are values unless the column is numeric or the
person says which strings mean missing (``--na-values``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic import Project
from thematic.cli import app
from thematic.ingest import ReadOptions, read_participants
from thematic.ingest.tables import coerce, infer_type

pytestmark = [pytest.mark.filterwarnings("ignore"),
              pytest.mark.filterwarnings("error:Project.*is deprecated:DeprecationWarning")]
runner = CliRunner()
TRANSCRIPT = "Interviewer: How was it?\nP01: Fine.\n\nInterviewer: And you?\nP02: Good.\n"


def _people(folder: Path, rows: str) -> Path:
    path = folder / "people.csv"
    path.write_text("participant_id,programme,years\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("marker", ["NA", "N/A", "null", "None", "n/a", "-"])
def test_a_marker_in_a_text_column_is_a_value(marker: str, tmp_path: Path) -> None:
    table = read_participants(_people(tmp_path, f"P01,{marker},3\nP02,AA,4\nP03,AA,5\n"))
    assert table.attributes["P01"]["programme"] == marker
    assert table.types["programme"] == "category"


def test_a_marker_in_a_numeric_column_is_missing(tmp_path: Path) -> None:
    table = read_participants(_people(tmp_path, "P01,AA,NA\nP02,AA,4\nP03,NA,N/A\n"))
    assert table.types["years"] == "number"
    assert table.attributes["P01"]["years"] is None and table.attributes["P03"]["years"] is None
    assert table.attributes["P03"]["programme"] == "NA"


def test_empty_cells_are_missing(tmp_path: Path) -> None:
    table = read_participants(_people(tmp_path, "P01,,3\nP02,AA,\n"))
    assert table.attributes["P01"]["programme"] is None and table.attributes["P02"]["years"] is None


def test_na_values_name_what_is_missing(tmp_path: Path) -> None:
    options = ReadOptions(na_values=("NA", "unknown"))
    table = read_participants(_people(tmp_path, "P01,NA,3\nP02,unknown,4\nP03,N/A,5\n"),
                              options=options)
    progs = [table.attributes[p]["programme"] for p in ("P01", "P02", "P03")]
    assert progs == [None, None, "N/A"]


def test_a_date_column_with_a_marker_stays_a_date() -> None:
    assert infer_type(["2026-02-03", "N/A", "2026-03-01"]) == "date"
    assert coerce("N/A", "date") is None and coerce("N/A", "text") == "N/A"


def test_the_project_keeps_na_and_the_cli_option_drops_it(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    people = _people(tmp_path, "P01,NA,3\nP02,AA,4\n")
    for flag, expected in (([], "NA"), (["--na-values", "NA"], None)):
        path = tmp_path / f"p{len(flag)}.thematic"
        out = runner.invoke(app, ["init", str(path)])
        out = runner.invoke(app, ["ingest", str(tmp_path / "t.txt"), "--participants", str(people),
                                  *flag, "-p", str(path)])
        assert out.exit_code == 0, out.output
        with Project.open(path) as project:
            frame = project.participants.frame().set_index("participant")
            value = frame.loc["P01", "programme"]
            assert (value if isinstance(value, str) else None) == expected


def test_the_sample_keeps_narcotics_anonymous(sample_project) -> None:
    frame = sample_project.participants.frame().set_index("participant")
    assert frame.loc["P02", "programme"] == "NA" and frame.loc["P08", "programme"] == "NA"


def test_a_survey_attribute_keeps_na(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("respondent_id,programme,answer\n"
                      "R1,NA,Being listened to without anyone trying to fix me at all.\n"
                      "R2,AA,Giving back and hearing newcomers reminds me where I came from.\n",
                      encoding="utf-8")
    with Project.create(tmp_path / "s.thematic") as project:
        project.documents.ingest([survey], actor="ana")
        frame = project.participants.frame().set_index("participant")
        assert frame.loc["R1", "programme"] == "NA"
