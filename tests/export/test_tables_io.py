"""Matrices, framework, agreement, codebook and saturation: written, then read back."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from thematic.errors import ParameterError
from thematic.export import export
from thematic.export.tables_io import codebook_frame
from thematic.models import Code, Codebook, Example


@pytest.fixture
def matrix():
    m = pd.DataFrame({"P01": [2, 0], "P02": [1, 3]}, index=pd.Index(["heard", "=SUM(A1:A9)"], name="code"))
    m.columns.name = "participant"
    return m


def test_matrix_xlsx_and_csv(matrix, tmp_path):
    export("matrix", matrix, tmp_path / "m.xlsx")
    ws = load_workbook(tmp_path / "m.xlsx").active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["code", "P01", "P02"], ["heard", 2, 1], ["=SUM(A1:A9)", 0, 3]]
    assert (ws["A3"].data_type, ws["A3"].quotePrefix, ws["A2"].quotePrefix) == ("s", True, False)
    export("matrix", matrix, tmp_path / "m.csv")
    back = pd.read_csv(tmp_path / "m.csv", encoding="utf-8-sig")
    assert back.to_dict("list") == {"code": ["heard", "'=SUM(A1:A9)"], "P01": [2, 0], "P02": [1, 3]}


def test_framework_one_sheet_per_theme(tmp_path):
    frame = pd.DataFrame({
        "theme": ["Belonging", "Belonging", "Belonging", "Cost/access?"],
        "column": ["heard", "heard", "welcome", "fares"],
        "participant": ["P01", "P02", "P01", "P01"],
        "summary": ["Felt listened to at once.", "", None, "=cmd|' /C calc'!A0"],
        "references": [["P01 12-40"], ["P02 3-9", "P02 50-80"], [], []],
    })
    export("framework", frame, tmp_path / "f.xlsx")
    wb = load_workbook(tmp_path / "f.xlsx")
    assert wb.sheetnames == ["Belonging", "Cost_access_"]
    ws = wb["Belonging"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["participant", "heard", "welcome"],
        ["P01", "Felt listened to at once.\n\nQuotes: P01 12-40", None],
        ["P02", "[to summarise]\n- P02 3-9\n- P02 50-80", None]]
    assert ws["B2"].alignment.wrap_text
    hostile = wb["Cost_access_"]["B2"]
    assert (hostile.value, hostile.data_type, hostile.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)


def test_framework_needs_its_columns(tmp_path):
    with pytest.raises(ParameterError, match="a framework matrix needs the columns"):
        export("framework", pd.DataFrame({"theme": []}), tmp_path / "f.xlsx")
    assert not (tmp_path / "f.xlsx").exists()


@pytest.fixture
def agreement():
    return {"summary": {"coders": "ana, ben", "unit": "segment", "double-coded": 0.4},
            "per_code": pd.DataFrame({"code": ["heard", "pooled"], "cohen_kappa": [0.61, 0.55],
                                      "percent_agreement": [0.9, 0.88]}),
            "disagreements": pd.DataFrame({"document": ["P01"], "code": ["heard"],
                                           "text": ["<b>bold</b> | pipe"], "ana": [1], "ben": [0]})}


def test_agreement_xlsx(agreement, tmp_path):
    export("agreement", agreement, tmp_path / "a.xlsx")
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["summary", "per code", "disagreements"]
    assert [c.value for c in wb["per code"][2]] == ["heard", 0.61, 0.9]
    assert wb["disagreements"]["C2"].value == "<b>bold</b> | pipe"


def test_agreement_docx_and_md(agreement, tmp_path):
    export("agreement", agreement, tmp_path / "a.docx")
    doc = Document(str(tmp_path / "a.docx"))
    assert [[c.text for c in r.cells] for r in doc.tables[1].rows] == [
        ["code", "cohen_kappa", "percent_agreement"], ["heard", "0.61", "0.9"], ["pooled", "0.55", "0.88"]]
    export("agreement", agreement, tmp_path / "a.md")
    text = (tmp_path / "a.md").read_text()
    assert "| heard | 0.61 | 0.90 |" in text
    assert "| P01 | heard | \\<b\\>bold\\<\\/b\\> \\| pipe | 1 | 0 |" in text


@pytest.fixture
def codebook():
    return Codebook([Code("support", "Support"),
                     Code("heard", "Feeling heard", parent_id="support", definition="Listened to.",
                          inclusion="being listened to", exclusion="advice",
                          examples=(Example("She listened."),))])


def test_codebook_with_counts(codebook, tmp_path):
    counts = pd.DataFrame({"code": ["heard"], "codings": [5], "segments": [4], "documents": [2],
                           "participants": [2], "participants_pct": [50.0]})
    frame = codebook_frame(codebook, counts)
    assert frame[["code", "level", "path", "segments"]].values.tolist() == [
        ["support", 1, "Support", 0], ["heard", 2, "Support > Feeling heard", 4]]
    export("codebook", frame, tmp_path / "cb.docx")
    rows = [[c.text for c in r.cells] for r in Document(str(tmp_path / "cb.docx")).tables[0].rows]
    assert rows[0] == ["Code", "Definition", "Include / exclude", "Example", "Segments", "Participants n (%)"]
    assert rows[2] == ["\u2003Feeling heard", "Listened to.", "Include: being listened to\nExclude: advice",
                       "She listened.", "4", "2 (50%)"]
    export("codebook", frame, tmp_path / "cb.xlsx")
    ws = load_workbook(tmp_path / "cb.xlsx")["codebook"]
    assert ws["A3"].value == "heard" and ws["E3"].value == "Support > Feeling heard"


def test_saturation_tables(tmp_path):
    result = {"curve": pd.DataFrame({"order": [1, 2, 3], "document": ["a", "b", "c"],
                                     "new_codes": [4, 2, 0], "cumulative_codes": [4, 6, 6],
                                     "cumulative_share": [4 / 6, 1.0, 1.0]}),
              "band": pd.DataFrame({"order": [1, 2, 3], "median": [4, 5.5, 6], "low": [3, 5, 6],
                                    "high": [4, 6, 6]}),
              "summary": {"saturation_point": 2}}
    export("saturation", result, tmp_path / "s.csv")
    assert pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")["cumulative_codes"].tolist() == [4, 6, 6]
    export("saturation", result, tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == ["curve", "bootstrap", "summary"]
    assert [c.value for c in wb["summary"][2]] == ["saturation_point", 2]
