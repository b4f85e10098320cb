"""The Streamlit app, run in-process with AppTest: every page, the sidebar, escaping."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from tests.app.apptest_utils import APP, PAGES, TIMEOUT, html, markdown_texts, run_app
from thematic import Project


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app_project: Path, monkeypatch: MonkeyPatch, page: str) -> None:
    with Project.open(app_project) as project:
        name = project.name
    at = run_app(app_project, monkeypatch, page, coder="ana")
    assert at.title, "each page has a title"
    assert name in at.sidebar.html[0].value, "the sidebar names the open project"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_project(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                page: str) -> None:
    empty = tmp_path / "empty.thematic"
    Project.create(empty).close()
    at = run_app(empty, monkeypatch, page)
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_markup_in_transcripts_and_code_names_shows_as_text(app_project: Path,
                                                            monkeypatch: MonkeyPatch,
                                                            page: str) -> None:
    at = run_app(app_project, monkeypatch, page, coder="ana", doc="P99_xss")
    drawn = html(at)
    assert "<script" not in drawn and "<img" not in drawn and "<b>bold" not in drawn
    for text in markdown_texts(at):
        assert not re.search(r"(?<!\\)!\[", text), f"Markdown image not escaped: {text!r}"
        assert "<img" not in text and "<script" not in text, text
    if page == "app_pages/transcripts.py":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in drawn
        assert "&lt;img src=x onerror=alert(2)&gt;" in drawn
        assert "![pic](http://127.0.0.1:9/p.png)" in drawn  # as text, inside escaped HTML
    if page == "app_pages/review.py":
        assert "&lt;img src=x onerror=alert(2)&gt;" in drawn and "alert(4)" in drawn


def test_sidebar_shows_the_project_counts_and_asks_who_is_coding(app_project: Path,
                                                                 monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch)
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "56 documents" in captions and "4 suggested" in captions
    picker = at.sidebar.selectbox(key=state.CODER_CHOICE)
    assert picker.value is None and "fixture" in picker.options


def test_a_coder_is_chosen_once_and_kept_across_pages(app_project: Path,
                                                      monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch)
    at.sidebar.selectbox(key=state.CODER_CHOICE).select("fixture").run()
    assert "Coding as <b>fixture</b>" in at.sidebar.html[1].value
    at.switch_page("app_pages/review.py").run()
    assert "Coding as <b>fixture</b>" in at.sidebar.html[1].value
    assert not at.warning  # no "choose who is coding" on the page
    at.sidebar.button(key="switch_coder").click().run()
    assert at.sidebar.selectbox(key=state.CODER_CHOICE).value is None


def test_a_missing_project_opens_the_project_page(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv(state.PROJECT_ENV, str(tmp_path / "none.thematic"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Project"
    assert "Cannot open the project" in at.error[0].value


def test_documents_table_lists_the_11_interviews(sample_project_file: Path, tmp_path: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    project = tmp_path / "sample.thematic"
    shutil.copy(sample_project_file, project)
    at = run_app(project, monkeypatch, "app_pages/documents.py")
    table = at.dataframe[0].value
    interviews = table[table["kind"] == "interview"]
    assert len(interviews) == 11
    assert set(interviews["format"]) == {"txt", "docx", "vtt", "srt", "pdf", "md", "odt"}


def test_participants_filter_by_attribute(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/participants.py")
    everyone = at.dataframe[0].value
    assert len(everyone) == 56  # the 55 of the sample study and P99
    at.selectbox[0].select("setting").run()
    at.multiselect[0].select("virtual").run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < len(everyone) and set(shown["setting"]) == {"virtual"}


def test_transcript_shows_turns_with_speaker_role_and_timestamps(app_project: Path,
                                                                 monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", doc="P05_alex_teams")
    drawn = html(at)
    assert drawn.count('class="th-turn ') == 25
    assert "Maya Ellison" in drawn and "0:00:02–0:00:04" in drawn
    assert "th-badge-interviewer" in drawn and "th-badge-participant" in drawn
    assert "Turns 1–25 of 81" in at.caption[0].value
    # each turn's text carries its document offset, code tags are skipped when counting
    doc = Project.open(app_project).documents.get("P05_alex_teams")
    first = re.search(r'<div class="th-text" data-start="(\d+)">([^<]*)', drawn)
    assert first and doc.text[int(first[1]):].startswith(first[2])


def test_transcript_highlights_codings_and_overlaps(app_project: Path,
                                                    monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", doc="P05_alex_teams")
    drawn = html(at)
    assert "Cameras on or off (suggested) · Virtual vs in-person (suggested)" in drawn
    assert drawn.count("<mark ") == 2 and "th-overlap" in drawn


def test_transcript_filters_by_code(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", doc="P05_alex_teams")
    at.multiselect(key=state.FILTER_CODES).select("camera-use").run()
    drawn = html(at)
    assert drawn.count("<mark ") == 1 and "Virtual vs in-person" not in drawn


def test_pagination_moves_through_the_transcript(app_project: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", doc="P05_alex_teams")
    at.get("pagination")[0].select(2)
    at.run()
    assert "Turns 26–50 of 81 · page 2 of 4" in at.caption[0].value
    at.selectbox(key=state.DOCUMENT).select("P06_rosa").run()
    assert "page 1 of" in at.caption[0].value


def test_codebook_page_shows_the_tree_and_counts(app_project: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/codebook.py")
    table = at.dataframe[0].value.set_index("id")
    assert len(table) == 35
    assert table.loc["camera-use", "suggested"] == 1
    assert table.loc["feeling-heard", "code"].startswith("\u2003")
