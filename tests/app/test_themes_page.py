"""The Themes page (AppTest): build a theme, edit and undo it, pick an exemplar quote, read its
extracts, the thematic map; markup in names and transcripts shows as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import html, markdown_texts, run_app
from tests.app.coded_project import DOCUMENTS, coded_file
from thematic import Project

PAGE = "app_pages/themes.py"
NEW = state.THEME_NEW


@pytest.fixture
def coded(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory,
          tmp_path: Path) -> Path:
    target = tmp_path / "coded.thematic"
    shutil.copy(coded_file(app_project_file, tmp_path_factory.getbasetemp()), target)
    return target


def _codes_of(project: Path, theme: str) -> set[str]:
    with Project.open(project) as p:
        links = p.themes.codes()
        return set(links.loc[links["theme"] == theme, "code"])


def test_build_a_theme_from_codes_with_a_definition(coded: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    at.text_input(key=f"{NEW}-name").input("Carrying the work home")
    at.multiselect(key=f"{NEW}-codes").select("boundaries-dual-relationships").select("burnout-compassion-fatigue")
    at.text_area(key=f"{NEW}-definition").input("Work that will not stay in its hours.")
    at.button(key="th-add").click().run()
    assert not at.exception
    assert [s.value for s in at.success][0].startswith("Added the theme")
    with Project.open(coded) as p:
        themes = p.themes.frame()
        assert list(themes["name"]) == ["Carrying the work home"]
        assert themes["definition"].iloc[0] == "Work that will not stay in its hours."
    assert _codes_of(coded, "Carrying the work home") == {"boundaries-dual-relationships", "burnout-compassion-fatigue"}
    table = at.dataframe[0].value
    assert table["theme"].tolist() == ["Carrying the work home"]
    assert table["codings"].iloc[0] > 0 and "%" in table["participants"].iloc[0]


@pytest.mark.slow
def test_a_subtheme_then_edit_and_undo(coded: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        p.themes.add("Support", codes=["supervision"], actor="ana")
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    at.text_input(key=f"{NEW}-name").input("Being believed")
    at.selectbox(key=f"{NEW}-parent").select("Support")
    at.multiselect(key=f"{NEW}-codes").select("stigma")
    at.button(key="th-add").click().run()
    with Project.open(coded) as p:
        assert p.themes.frame().set_index("name").loc["Being believed", "parent"] == "Support"
    at.selectbox(key=state.THEME).select("Being believed").run()
    key = f"{state.THEME_EDIT}-Being believed"
    at.text_area(key=f"{key}-definition").input("Feeling one's account is taken as true.")
    at.button(key=f"{key}-save").click().run()
    with Project.open(coded) as p:
        assert p.themes.frame().set_index("name").loc["Being believed", "definition"].startswith("Feeling")
    at.button(key="th-undo").click().run()
    with Project.open(coded) as p:
        assert p.themes.frame().set_index("name").loc["Being believed", "definition"] == ""


@pytest.mark.slow
def test_pick_an_exemplar_quote_among_the_extracts(coded: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        p.themes.add("Relapse", codes=["relapse"], actor="ana")
        codings = p.review.codings(status="accepted")
        mine = codings[codings["code"] == "relapse"]
        expected = len(mine)
        people = mine["participant"].nunique()
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    at.session_state[state.THEME_TAB] = "Extracts and quotes"  # as a click on the tab does
    at.run()
    assert f"{expected} extracts from {people} participants" in " ".join(markdown_texts(at))
    picker = at.selectbox(key=state.THEME_QUOTE)
    assert len(picker.options) == expected
    coding_id = int(mine["coding_id"].iloc[0])
    picker.set_value(coding_id).run()
    assert at.session_state[state.THEME_TAB] == "Extracts and quotes"  # no jump back
    at.button(key="th-quote-it").click().run()
    assert not at.exception
    assert at.session_state[state.THEME_TAB] == "Extracts and quotes"  # "Quote it": no jump
    read_tab = next(t for t in at.tabs if t.label == "Extracts and quotes")
    assert [s.value for s in read_tab.success][0].startswith(f"Extract #{coding_id} is now")
    with Project.open(coded) as p:
        assert list(p.themes.quotes()["coding_id"]) == [coding_id]
    drawn = html(at)
    assert "★" in drawn and f"#{coding_id}" in drawn
    at.button(key=f"th-unquote-Relapse-{coding_id}").click().run()
    with Project.open(coded) as p:
        assert p.themes.quotes().empty


def test_without_a_coder_nothing_can_change(coded: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded, monkeypatch, PAGE)
    assert "Choose who is coding" in at.warning[0].value
    assert at.button(key="th-add").disabled


def test_markup_in_theme_code_and_transcript_shows_as_text(coded: Path,
                                                           monkeypatch: MonkeyPatch) -> None:
    evil = "<script>alert(5)</script> ![t](http://127.0.0.1:9/t.png)"
    with Project.open(coded) as p:
        p.themes.add(evil, codes=["evil-name"], definition="<img src=x onerror=alert(6)>",
                    actor="ana")
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    drawn = html(at)
    assert "<script" not in drawn and "<img" not in drawn
    assert "&lt;img src=x onerror=alert(2)&gt;" in drawn  # the transcript's extract, as text
    for text in markdown_texts(at):
        assert "<img" not in text and "<script" not in text, text
        assert "](http" not in text.replace("\\](", ""), text
    assert at.selectbox(key=state.THEME).value == evil  # a plain-text option, not Markdown
    assert len(at.get("image")) == 1  # only the map picture
    assert DOCUMENTS  # the coded study is the one loaded


def test_the_thematic_map_is_a_picture(coded: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(coded) as p:
        p.themes.add("Support", codes=["supervision"], actor="ana")
        p.themes.add("Being heard", parent="Support", codes=["stigma"], actor="ana")
    at = run_app(coded, monkeypatch, PAGE, coder="ana")
    images = at.get("image")
    assert len(images) == 1
