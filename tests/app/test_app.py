"""The Streamlit app, run in-process with AppTest on copies of the sample study."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from thematic import Project

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/documents.py", "app_pages/participants.py",
         "app_pages/reader.py", "app_pages/codebook.py"]
TIMEOUT = 60


def _app(project: Path, monkeypatch: MonkeyPatch, to: str | None = None,
         **query: str) -> AppTest:
    """The app on ``project``, run once (with ``query`` in the URL), then switched to page ``to``."""
    monkeypatch.setenv(state.PROJECT_ENV, str(project))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    if to:
        at.switch_page(to).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


def _status(project: Path, coding_id: int) -> str:
    with Project.open(project) as p:
        return p.codings().set_index("coding_id").loc[coding_id, "status"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app_project: Path, monkeypatch: MonkeyPatch, page: str) -> None:
    at = _app(app_project, monkeypatch, page)
    assert at.title, "each page has a title"
    assert any(m.value == f"**{Project.open(app_project).name}**" for m in at.sidebar.markdown)


def test_sidebar_shows_counts_and_a_coder_box(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch)
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "56 documents" in captions and "3 suggested" in captions
    assert at.sidebar.text_input(key=state.CODER).value == ""


def test_a_missing_project_says_how_to_create_one(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv(state.PROJECT_ENV, str(tmp_path / "none.thematic"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "no project file here" in at.error[0].value
    assert "make sample" in at.code[0].value and "thematic init" in at.code[0].value


def test_documents_table_lists_the_11_interviews(sample_project_file: Path, tmp_path: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    project = tmp_path / "sample.thematic"
    shutil.copy(sample_project_file, project)
    at = _app(project, monkeypatch, "app_pages/documents.py")
    table = at.dataframe[0].value
    interviews = table[table["kind"] == "interview"]
    assert len(interviews) == 11
    assert set(interviews["format"]) == {"txt", "docx", "vtt", "srt", "pdf", "md", "odt"}
    assert {"turns", "words", "participants"} <= set(table.columns)
    at.segmented_control(key=state.DOCUMENT_KINDS).set_value(["interview"]).run()
    assert len(at.dataframe[0].value) == 11


def test_selecting_a_document_opens_it_in_the_reader(app_project: Path,
                                                     monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/documents.py")
    names = list(at.dataframe[0].value["name"])
    row = names.index("P06_rosa")
    at.session_state["documents_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Transcript reader"
    assert at.selectbox(key=state.DOCUMENT).value == "P06_rosa"


def test_participants_filter_by_attribute(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/participants.py")
    everyone = at.dataframe[0].value
    assert list(everyone.columns[:3]) == ["participant", "name", "role"]
    assert len(everyone) == 56  # the 55 of the sample study and P99
    at.selectbox[0].select("setting").run()
    at.multiselect[0].select("virtual").run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < len(everyone) and set(shown["setting"]) == {"virtual"}


def test_reader_shows_turns_with_speaker_role_and_timestamps(app_project: Path,
                                                             monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="P05_alex_teams")
    html = _html(at)
    assert at.selectbox(key=state.DOCUMENT).value == "P05_alex_teams"
    assert html.count('class="th-turn ') == 25
    assert "Maya Ellison" in html
    assert "th-badge-interviewer" in html and "th-badge-participant" in html
    assert "0:00:02–0:00:04" in html
    assert "Hi Alex, can you hear me okay?" in html
    assert "Turns 1–25 of 81" in at.caption[0].value


def test_pagination_moves_through_the_transcript(app_project: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="P05_alex_teams")
    pager = at.get("pagination")[0]
    assert pager.num_pages == 4
    pager.select(2)
    at.run()
    assert "Turns 26–50 of 81 · page 2 of 4" in at.caption[0].value
    assert "Hi Alex, can you hear me okay?" not in _html(at)
    # choosing another document starts again at its first page
    at.selectbox(key=state.DOCUMENT).select("P06_rosa").run()
    assert "page 1 of" in at.caption[0].value


def test_transcript_html_is_escaped(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="P99_xss")
    html = _html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and "<b>bold" not in html
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_reader_highlights_codings_and_overlaps(app_project: Path,
                                                monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="P05_alex_teams")
    html = _html(at)
    assert "Cameras on or off (suggested) · Virtual vs in-person (suggested)" in html
    assert html.count("<mark ") == 2  # "Sorry, my camera's off" under both, then ", is that okay?"
    assert len(at.button(key="accept-1").label) and at.button(key="reject-2")


def _suggestion_id(project: Path, code: str) -> int:
    with Project.open(project) as p:
        rows = p.codings()
        return int(rows[rows["code"] == code]["coding_id"].iloc[0])


def test_accepting_a_suggestion_in_the_reader_records_it(app_project: Path,
                                                         monkeypatch: MonkeyPatch) -> None:
    cid = _suggestion_id(app_project, "camera-use")
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="P05_alex_teams")
    at.sidebar.text_input(key=state.CODER).input("ana").run()
    at.button(key=f"accept-{cid}").click().run()
    assert not at.exception and not at.error
    assert "Accepted “Cameras on or off”" in at.success[0].value
    assert _status(app_project, cid) == "accepted"
    assert f"accept-{cid}" not in [b.key for b in at.button]  # no longer a suggestion in view
    assert 'class="th-mark th-accepted"' in _html(at)


def test_rejecting_needs_a_coder_name(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    cid = _suggestion_id(app_project, "virtual-vs-in-person")
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="P05_alex_teams")
    at.button(key=f"reject-{cid}").click().run()
    assert "Enter your name as coder" in at.error[0].value
    assert _status(app_project, cid) == "suggested"
    at.sidebar.text_input(key=state.CODER).input("ben").run()
    at.button(key=f"reject-{cid}").click().run()
    assert _status(app_project, cid) == "rejected"


def test_codebook_page_shows_the_tree_and_counts(app_project: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/codebook.py")
    table = at.dataframe[0].value.set_index("id")
    assert len(table) == 34
    assert table.loc["camera-use", "suggested"] == 1
    assert table.loc["feeling-heard", "code"].startswith("\u2003")  # a child is indented
    assert at.expander[0].label.startswith("Being heard")
    assert "Definition" in _html(at) and "Rules" in _html(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_project(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                page: str) -> None:
    empty = tmp_path / "empty.thematic"
    Project.create(empty).close()
    at = _app(empty, monkeypatch, page)
    assert at.title


def test_an_unknown_document_in_the_url_falls_back_to_the_first(app_project: Path,
                                                                monkeypatch: MonkeyPatch) -> None:
    at = _app(app_project, monkeypatch, "app_pages/reader.py", doc="no-such-document", page="9")
    assert at.selectbox(key=state.DOCUMENT).value == "P01_dana"
    assert "page 1 of" in at.caption[0].value
