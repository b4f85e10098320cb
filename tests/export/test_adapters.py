"""Adapters from the analysis results' documented shapes to the writers' inputs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from docx import Document
from openpyxl import load_workbook

from thematic.export import export
from thematic.export.adapters import agreement_report, framework_cells, saturation_result


@dataclass
class FakeBootstrap:  # the documented fields of thematic.analysis.SaturationBootstrap
    band: pd.DataFrame
    median: float = 3.0
    q25: float = 2.0
    q75: float = 4.0
    share_saturated: float = 0.9
    base_size: int = 2
    run_length: int = 1
    threshold: float = 0.05
    n_boot: int = 100


def test_saturation_result_scales_the_band_to_codes(tmp_path):
    accumulation = pd.DataFrame({"position": [1, 2, 3], "document": ["a", "b", "c"],
                                 "codes": [2, 2, 1], "new_codes": [2, 1, 1],
                                 "new_code_ids": [["x", "y"], ["z"], ["w"]],
                                 "cumulative": [2, 3, 4], "cumulative_share": [0.5, 0.75, 1.0]})
    band = pd.DataFrame({"position": [1, 2, 3], "median": [0.5, 0.75, 1.0], "q25": [0.25, 0.5, 1.0],
                         "q75": [0.5, 1.0, 1.0], "q05": 0.0, "q95": 1.0})
    result = saturation_result(accumulation, FakeBootstrap(band), point=2)
    assert result["band"]["low"].tolist() == [1.0, 2.0, 4.0]
    assert result["summary"]["saturation_point"] == 2 and result["summary"]["bootstrap median"] == 3.0
    export("saturation", result, tmp_path / "s.svg")
    assert "saturation at 2" in (tmp_path / "s.svg").read_text()
    assert saturation_result(accumulation)["summary"]["saturation_point"] == "not reached"


def _row(code, **values):
    row = {"code": code, "coder_a": "ana", "coder_b": "ben", "units": 40, "double_coded": 20,
           "double_coded_share": 0.5, "both": 5, "a_only": 2, "b_only": 1, "neither": 12}
    for name in ("percent_agreement", "positive_agreement", "cohen_kappa", "brennan_prediger",
                 "gwet_ac1", "krippendorff_alpha"):
        row.update({name: values.get(name, 0.7), f"{name}_low": 0.5, f"{name}_high": 0.9})
    return row


def test_agreement_report(tmp_path):
    table = pd.DataFrame([_row("heard", cohen_kappa=0.61), _row("(pooled)", cohen_kappa=np.nan)])
    dis = pd.DataFrame({"unit": [7], "code": ["heard"], "coder_a": ["ana"], "coder_b": ["ben"],
                        "value_a": [1], "value_b": [0], "document": ["P01"], "participant": ["P01"],
                        "text": ["=1+1 she said"]})
    report = agreement_report(table, dis, unit="turn")
    assert report["per_code"].loc[0, "Cohen's kappa"] == "0.61 [0.50, 0.90]"
    assert report["summary"]["Pooled Cohen's kappa"] == "n/a"
    assert report["summary"]["Share double-coded"] == "50%" and report["summary"]["Unit"] == "turn"
    export("agreement", report, tmp_path / "a.docx")
    tables = Document(str(tmp_path / "a.docx")).tables
    assert [c.text for c in tables[1].rows[1].cells][:3] == ["heard", "20", "5"]
    export("agreement", report, tmp_path / "a.xlsx")
    cell = load_workbook(tmp_path / "a.xlsx")["disagreements"]["H2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1 she said", "s", True)


def test_framework_cells_one_sheet_per_theme(tmp_path):
    quote = {"coding_id": 3, "document": "P01_dana", "start": 0, "end": 9, "text": "Dana felt heard"}
    long = pd.DataFrame([
        {"participant": "P01", "code": "heard", "state": "summarised", "summary": "Listened to.",
         "quote_ids": [3], "quotes": [quote], "missing_quote_ids": [], "n_codings": 1,
         "coding_ids": [3], "to_summarise": []},
        {"participant": "P02", "code": "heard", "state": "to summarise", "summary": "",
         "quote_ids": [], "quotes": [], "missing_quote_ids": [], "n_codings": 1, "coding_ids": [4],
         "to_summarise": [{**quote, "coding_id": 4, "document": "P02"}]},
        {"participant": "P01", "code": "cost", "state": "no data", "summary": "", "quote_ids": [],
         "quotes": [], "missing_quote_ids": [], "n_codings": 0, "coding_ids": [], "to_summarise": []},
    ])
    links = pd.DataFrame({"theme": ["Being heard", "Cost"], "code": ["heard", "cost"]})
    from thematic.pseudonymise import PseudonymEntry, Pseudonymiser
    cells = framework_cells(long, links, code_names={"heard": "Feeling heard"},
                            pseudonymiser=Pseudonymiser([PseudonymEntry("Dana", "[P01]")]))
    export("framework", cells, tmp_path / "f.xlsx")
    wb = load_workbook(tmp_path / "f.xlsx")
    assert wb.sheetnames == ["Being heard", "Cost"]
    ws = wb["Being heard"]
    assert ws["B1"].value == "Feeling heard"
    assert ws["B2"].value == "Listened to.\n\nQuotes: [P01 #3] \u201c[P01] felt heard\u201d"
    assert ws["B3"].value == "[to summarise]\n- [P02 #4] \u201c[P01] felt heard\u201d"
    assert wb["Cost"]["B2"].value is None


def test_framework_lists_a_span_coded_twice_once(tmp_path):
    quote = {"coding_id": 3, "document": "d", "start": 0, "end": 9, "text": "same words"}
    long = pd.DataFrame([{"participant": "P01", "code": "heard", "state": "to summarise",
                          "summary": "", "quote_ids": [], "quotes": [], "missing_quote_ids": [],
                          "n_codings": 2, "coding_ids": [3, 4],
                          "to_summarise": [quote, {**quote, "coding_id": 4}]}])
    cells = framework_cells(long, pd.DataFrame({"theme": ["T"], "code": ["heard"]}))
    assert cells.loc[0, "references"] == ["[d #3] \u201csame words\u201d"]
