"""Themes and Analysis pages on a project with accepted codings (AppTest)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from tests.app.apptest_utils import html, run_app
from thematic import Project

ROOT = Path(__file__).resolve().parents[2]
# (document, quote, code) coded by hand by "ana": accepted codings across participants
CODED = [
    ("P05_alex_teams", "Sorry, my camera's off, is that okay?", "camera-use"),
    ("P05_alex_teams", "Hi Alex, can you hear me okay?", "feeling-heard"),
    ("P01_dana", "Thanks for making time, Dana.", "feeling-heard"),
    ("P99_xss", "I typed <script>alert(1)</script>", "camera-use"),
]


@pytest.fixture
def coded_project(app_project: Path) -> Path:
    with Project.open(app_project) as p:
        for document, quote, code in CODED:
            p.code_span(document, code, coder="ana", quote=quote)
        p.add_theme("Seen <and> heard", codes=["camera-use", "feeling-heard"],
                    definition="Being *seen* and heard.", actor="ana")
    return app_project


def test_build_a_theme_and_see_it_on_the_map(coded_project: Path,
                                             monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project, monkeypatch, "app_pages/themes.py", coder="ana")
    chart = at.get("graphviz_chart")[0].proto.spec
    assert 'label="Seen <and> heard"' in chart and 'label="Cameras on or off"' in chart
    at.text_input(key="theme_name").input("Belonging")
    at.selectbox(key="theme_parent").select("Seen <and> heard")
    at.multiselect(key="theme_codes").select("belonging")
    [b for b in at.button if b.label == "Add the theme"][0].click().run()
    with Project.open(coded_project) as p:
        themes = p.themes().set_index("name")
    assert themes.loc["Belonging", "parent"] == "Seen <and> heard"
    # an exemplar quote, chosen among the theme's accepted codings
    at.selectbox(key="edit_theme").select("Seen <and> heard").run()
    quote = at.selectbox(key="theme_quote").options[0]
    at.selectbox(key="theme_quote").select_index(0).run()
    at.button(key="add_quote").click().run()
    with Project.open(coded_project) as p:
        assert len(p.theme_quotes()) == 1
    assert quote
    at.selectbox(key="read_theme").select("Seen <and> heard").run()
    drawn = html(at)
    assert "I typed &lt;script&gt;alert(1)&lt;/script&gt;" in drawn and "<script" not in drawn


@pytest.mark.parametrize("view", ["Frequencies", "Matrix", "Co-occurrence", "Framework"])
def test_every_analysis_view_renders(coded_project: Path, monkeypatch: MonkeyPatch,
                                     view: str) -> None:
    at = run_app(coded_project, monkeypatch, "app_pages/analysis.py", coder="ana")
    at.segmented_control(key="analysis_view").set_value(view).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_matrix_cell_clicks_through_to_its_quotes(coded_project: Path,
                                                    monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project, monkeypatch, "app_pages/analysis.py", coder="ana")
    at.segmented_control(key="analysis_view").set_value("Matrix").run()
    at.session_state["matrix_chart"] = {"selection": {"cell": [
        {"code": "camera-use", "participant": "P05"}]}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Sorry, my camera&#x27;s off, is that okay?" in html(at)


def test_framework_summary_is_saved(coded_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project, monkeypatch, "app_pages/analysis.py", coder="ana")
    at.segmented_control(key="analysis_view").set_value("Framework")
    at.segmented_control(key="analysis_rows").set_value("theme").run()
    at.selectbox(key="fw_participant").select("P05").run()
    at.selectbox(key="fw_column").select("Seen <and> heard").run()
    [t for t in at.text_area if t.label == "Summary"][0].input("Alex keeps the camera off.")
    [b for b in at.button if b.label == "Save the summary"][0].click().run()
    with Project.open(coded_project) as p:
        summaries = p.framework_summaries()
    assert list(summaries["summary"]) == ["Alex keeps the camera off."]


def test_agreement_and_saturation_follow_the_approach(coded_project: Path,
                                                      monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project, monkeypatch, "app_pages/analysis.py", coder="ana")
    assert "Agreement" not in at.segmented_control(key="analysis_view").options
    with Project.open(coded_project) as p:
        p.set_approach("coding-reliability", actor="ana")
    at = run_app(coded_project, monkeypatch, "app_pages/analysis.py", coder="ana")
    assert {"Agreement", "Saturation"} <= set(at.segmented_control(key="analysis_view").options)
    at.segmented_control(key="analysis_view").set_value("Agreement").run()
    at.multiselect(key="agreement_coders").select("ana").select("engine:rule").run()
    assert not at.exception, [e.value for e in at.exception]
    at.segmented_control(key="analysis_view").set_value("Saturation").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "saturation needs at least" in at.info[0].value.replace("\\", "")


def test_export_the_theme_table_and_read_it_back(coded_project: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project, monkeypatch, "app_pages/export.py", coder="ana")
    at.selectbox(key="fmt-theme-table").select("md").run()
    at.button(key="prepare-theme-table").click().run()
    assert not at.error, [e.value for e in at.error]
    name, data = at.session_state["export-theme-table"]
    text = data.decode("utf-8")
    assert name == "theme-table.md"
    assert "Seen" in text and "heard" in text
    assert "<script>" not in text  # quotes are escaped for Markdown


def test_export_the_project_as_qdpx(coded_project: Path, monkeypatch: MonkeyPatch) -> None:
    import io
    import zipfile

    at = run_app(coded_project, monkeypatch, "app_pages/export.py", coder="ana")
    at.button(key="prepare-qdpx").click().run()
    name, data = at.session_state["export-qdpx"]
    assert name == "qdpx.qdpx" and "project.qde" in zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.xfail(reason="library bug on main: Project.report fails in export/plots.py "
                          "figure_bytes for the code co-occurrence figure (RendererAgg asked "
                          "for a 1007 x 3.6e17 px canvas); reported to the lead", strict=False)
def test_export_the_whole_report_zipped(sample_project_file: Path, tmp_path: Path,
                                        monkeypatch: MonkeyPatch) -> None:
    import io
    import zipfile

    project = tmp_path / "sample.thematic"
    shutil.copy(sample_project_file, project)
    with Project.open(project) as p:
        p.load_codebook(ROOT / "codebooks" / "peer_listening.yaml")
        for document, quote, code in CODED[:3]:
            p.code_span(document, code, coder="ana", quote=quote)
        p.add_theme("Seen and heard", codes=["camera-use", "feeling-heard"], actor="ana")
    at = run_app(project, monkeypatch, "app_pages/export.py", coder="ana")
    at.button(key="prepare-report").click().run()
    assert not at.error, [e.value for e in at.error]
    name, data = at.session_state["export-report"]
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert name == "report.zip" and any(f.endswith("theme-table.docx") for f in files), files
