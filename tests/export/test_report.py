"""The whole report: every available output in one folder, with an index."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document

from thematic.errors import WriteError
from thematic.export.report import ReportData, write_report
from thematic.models import Code, Codebook
from thematic.pseudonymise import Pseudonymiser


@pytest.fixture
def data(participants, codings, themes, theme_codes):
    matrix = pd.DataFrame({"P01": [1, 1], "P02": [1, 0]}, index=pd.Index(["heard", "belonging"], name="code"))
    return ReportData(
        participants=participants, codings=codings, themes=themes, theme_codes=theme_codes,
        codebook=Codebook([Code("heard", "Feeling heard"), Code("belonging", "Belonging"),
                           Code("cost", "Cost")]),
        matrices={"participant": matrix},
        saturation={"curve": pd.DataFrame({"order": [1, 2], "new_codes": [2, 0], "cumulative_codes": [2, 2]})},
        documents=pd.DataFrame({"document": ["P01_dana"], "participant": ["P01"], "text": ["Dana: hi."]}),
        pseudonymiser=Pseudonymiser.for_project(participants, speakers=codings, ner=None),
        attributes=["role"])


def test_report_writes_every_available_output(data, tmp_path):
    files = write_report(data, tmp_path / "report")
    names = [f.path.name for f in files]
    assert names == ["theme-table.docx", "theme-table.xlsx", "theme-table.csv", "theme-table.md",
                     "theme-table.tex", "theme-table-quotes.csv", "thematic-map.png",
                     "thematic-map.svg", "codebook.docx", "codebook.xlsx",
                     "matrix-participant.xlsx", "matrix-participant.csv", "matrix-participant.png",
                     "matrix-participant.svg", "saturation.csv", "saturation.xlsx",
                     "saturation.png", "saturation.svg", "transcripts", "index.md"]
    assert all(f.path.exists() for f in files)
    assert (tmp_path / "report" / "transcripts" / "P01.txt").read_text() == "[P01]: hi.\n"
    index = (tmp_path / "report" / "index.md").read_text().splitlines()
    assert index[2].startswith("Quotes and transcripts are pseudonymised.")
    assert "| theme-table.docx | theme-table | the theme table for the paper |" in index
    cells = Document(str(tmp_path / "report" / "theme-table.docx")).tables[0].rows[2].cells
    assert cells[4].paragraphs[0].text.endswith("(P01, newcomer)")


def test_report_without_pseudonymiser_says_so(data, tmp_path):
    data.pseudonymiser = None
    write_report(data, tmp_path / "r")
    assert "NOT pseudonymised" in (tmp_path / "r" / "index.md").read_text()
    assert "Dana" in (tmp_path / "r" / "transcripts" / "P01.txt").read_text()


def test_report_folder_that_cannot_be_made(data, tmp_path):
    with pytest.raises(WriteError, match="cannot be created"):
        write_report(data, tmp_path / "no" / "such")
    assert list(tmp_path.iterdir()) == []
