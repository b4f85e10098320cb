"""The Analysis page (AppTest): matrices with their drill-down, co-occurrence, the framework
matrix with an edited summary, agreement between two coders with the disagreements, the
saturation curve; the approach switches agreement and saturation; markup shows as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from tests.app.apptest_utils import html, markdown_texts, open_tab, run_app
from tests.app.coded_project import coded_file
from thematic import Project

PAGE = "app_pages/analysis.py"


@pytest.fixture
def coded(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory,
          tmp_path: Path) -> Path:
    target = tmp_path / "coded.thematic"
    shutil.copy(coded_file(app_project_file, tmp_path_factory.getbasetemp()), target)
    return target


def _open(coded: Path, monkeypatch: MonkeyPatch, tab: str) -> AppTest:
    """The page on ``tab`` (as a click on it does: only the open tab is computed)."""
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    return open_tab(at, state.AN_TAB, tab)


@pytest.mark.slow
def test_only_the_open_tab_is_computed(coded: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    assert not [d for d in at.dataframe if "row" in d.value.columns]  # no matrix on Frequencies
    open_tab(at, state.AN_TAB, "Matrix")
    assert [d for d in at.dataframe if "row" in d.value.columns]
    at.selectbox(key=state.AN_DRILL_ROW).set_value("supervision").run()
    assert at.session_state[state.AN_TAB] == "Matrix"  # still there after an action


@pytest.mark.slow
def test_matrix_cell_drills_down_to_its_quotes(coded: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        expected = p.analysis.drill_down(code="supervision", participant="P07")
        name = {c.id: c.name for c in p.codebook.current().codes}["supervision"]
    assert len(expected) > 0
    at = _open(coded, monkeypatch, "Matrix")
    grid = _matrix(at)
    assert name in grid["row"].tolist() and "P07" in grid.columns
    at.selectbox(key=state.AN_DRILL_ROW).set_value("supervision")
    at.selectbox(key=state.AN_DRILL_COL).set_value("P07").run()
    assert f"**{len(expected)} codings** in this cell" in markdown_texts(at)
    drawn = html(at)
    for text in expected["text"]:
        assert views_esc(text) in drawn


def _matrix(at: object) -> object:
    """The matrix table (its first column holds the row names)."""
    return next(d.value for d in at.dataframe if "row" in d.value.columns)  # type: ignore[attr-defined]


def views_esc(text: str) -> str:
    from thematic.views import esc

    return esc(text)


def test_attribute_matrix_and_its_drill_down(coded: Path, monkeypatch: MonkeyPatch) -> None:
    at = _open(coded, monkeypatch, "Matrix")
    at.selectbox(key=state.AN_BY).set_value("role").run()
    grid = _matrix(at)
    with Project.open(coded) as p:
        roles = set(p.participants.frame()["role"].dropna())
    assert roles <= set(grid.columns)
    role = sorted(roles)[0]
    at.selectbox(key=state.AN_DRILL_ROW).set_value("supervision")
    at.selectbox(key=state.AN_DRILL_COL).set_value(role).run()
    assert not at.exception
    with Project.open(coded) as p:
        n = len(p.analysis.drill_down(code="supervision", attribute="role", value=role))
    assert f"**{n} codings** in this cell" in markdown_texts(at)


def test_edit_a_framework_summary(coded: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        p.themes.add("Support at work", codes=["supervision"], actor="ana")
        cell = p.analysis.framework(rows="theme")
        cell = cell[cell["n_codings"] > 0].iloc[0]
    person = str(cell["participant"])
    at = _open(coded, monkeypatch, "Framework")
    at.selectbox(key=state.FW_PARTICIPANT).set_value(person)
    at.selectbox(key=state.FW_COLUMN).set_value("Support at work").run()
    key = f"{state.FW_SUMMARY}-{person}-Support at work"
    at.text_area(key=f"{key}-text").input("Supervision keeps her going.")
    quote = int(cell["coding_ids"][0])
    at.multiselect(key=f"{key}-quotes").select(quote)
    at.button(key=f"{key}-save").click().run()
    assert not at.exception and at.success[0].value == "Summary saved."
    with Project.open(coded) as p:
        saved = p.themes.summaries()
        row = saved[saved["participant"] == person].iloc[0]
        assert row["summary"] == "Supervision keeps her going." and row["theme"] == "Support at work"
        assert list(row["quote_ids"]) == [quote] and row["author"] == "ana"


def test_agreement_between_two_coders_lists_the_disagreements(coded: Path,
                                                              monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        report = p.analysis.agreement(["ana", "ben"], unit="sentence", n_boot=200)
    at = _open(coded, monkeypatch, "Agreement")
    assert at.selectbox(key=state.AGREE_A).value == "ana"
    assert at.selectbox(key=state.AGREE_B).value == "ben"
    tables = [d.value for d in at.dataframe]
    agreement = next(t for t in tables if "Cohen's kappa" in t.columns)
    assert agreement["code"].iloc[-1] == "(pooled)"
    pooled = report.table.iloc[-1]
    assert agreement["Cohen's kappa"].iloc[-1].startswith(f"{pooled['cohen_kappa']:.2f}")
    assert len(report.disagreements) > 0
    assert f"**{len(report.disagreements)} disagreements**" in markdown_texts(at)


def test_reflexive_approach_turns_agreement_and_saturation_off(coded: Path,
                                                               monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        p.settings.set_approach("reflexive", actor="ana")
    at = _open(coded, monkeypatch, "Agreement")
    assert "agreement between coders is not a quality measure" in " ".join(c.value for c in at.caption)
    assert not [d for d in at.dataframe if "Cohen's kappa" in d.value.columns]
    open_tab(at, state.AN_TAB, "Saturation")
    assert "saturation is not used" in " ".join(c.value for c in at.caption)
    assert "Saturation after" not in " ".join(markdown_texts(at))


def test_saturation_curve_in_coding_reliability(coded: Path, monkeypatch: MonkeyPatch) -> None:
    at = _open(coded, monkeypatch, "Saturation")
    assert "base_size + run_length" in at.warning[0].value.replace("\\", "")  # 4 interviews
    at.number_input(key=state.SAT_BASE).set_value(2)
    at.number_input(key=state.SAT_RUN).set_value(1).run()
    sentence = [m for m in markdown_texts(at) if m.startswith(("Saturation after", "Saturation not"))]
    assert sentence and "interviews" in sentence[0], [w.value for w in at.warning]
    assert len(at.get("image")) == 1


def test_markup_in_code_names_and_transcripts_shows_as_text(coded: Path,
                                                            monkeypatch: MonkeyPatch) -> None:
    at = _open(coded, monkeypatch, "Matrix")
    at.selectbox(key=state.AN_DRILL_ROW).set_value("evil-name")
    at.selectbox(key=state.AN_DRILL_COL).set_value("P99").run()
    drawn = html(at)
    assert "<img" not in drawn and "<script" not in drawn
    assert "&lt;img src=x onerror=alert(2)&gt;" in drawn
    for text in markdown_texts(at):
        assert "<img" not in text and "<script" not in text, text


def test_frequencies_per_code_then_per_theme(coded: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        counts = p.analysis.frequencies().set_index("code")
        name = {c.id: c.name for c in p.codebook.current().codes}["supervision"]
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    table = at.dataframe[0].value.set_index("code")
    assert table.loc[name, "codings"] == counts.loc["supervision", "codings"]
    assert table.loc[name, "participants"].startswith(f"{counts.loc['supervision', 'participants']} (")
    with Project.open(coded) as p:
        p.themes.add("Support at work", codes=["supervision"], actor="ana")
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    table = at.dataframe[0].value
    assert table["theme"].tolist() == ["Support at work"]
    assert table["codings"].iloc[0] == counts.loc["supervision", "codings"]
