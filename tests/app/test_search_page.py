"""The Search page in AppTest: find a phrase, code what was found, save it, query codings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import html, run_app
from thematic import Project

PAGE = "app_pages/search.py"


def _submit(at, label: str):  # noqa: ANN001, ANN202
    next(b for b in at.button if b.label == label).click().run()
    return at


@pytest.mark.slow
def test_search_a_phrase_code_the_words_found_and_save_the_set(app_project: Path,
                                                               monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.text_input(key=state.SEARCH_TEXT).input('"waiting list"')
    at.text_input(key=state.SEARCH_WHERE).input("speaker_role=participant")
    _submit(at, "Search")
    assert not at.exception
    assert "2 segments in 2 documents" in at.caption[0].value
    drawn = html(at)
    assert "six-week <mark>waiting list</mark>." in drawn
    assert "the <mark>waiting lists</mark> are months" in drawn
    at.selectbox(key=state.SEARCH_CODE).select("reach-and-access")
    at.radio(key=f"{state.SEARCH_EXTENT}-search").set_value("hit")
    at.button(key="code_all").click().run()
    assert "Coded 2 results" in at.success[0].value
    with Project.open(app_project) as p:
        coded = p.review.codings().query("code == 'reach-and-access' and source == 'manual'")
    assert sorted(t.lower() for t in coded["text"]) == ["waiting list", "waiting lists"]
    at.text_input(key="sr_save_name").input("Waiting lists")
    at.button(key="save_set").click().run()
    with Project.open(app_project) as p:
        assert p.queries.sets()["name"].tolist() == ["Waiting lists"]
    # the saved set: listed, coded with another code, downloadable, removed
    at.segmented_control(key="sr_part").set_value("sets").run()
    assert at.selectbox(key=state.SET_CHOSEN).value == "Waiting lists"
    assert "2 spans in 2 documents" in at.caption[0].value
    at.selectbox(key=state.SEARCH_CODE).select("funding-sustainability")
    at.button(key="code_set").click().run()
    with Project.open(app_project) as p:
        assert len(p.review.codings().query("code == 'funding-sustainability'")) == 2
    assert {b.label for b in at.get("download_button")} == {"Download .xlsx", "Download .csv"}
    at.button(key="set-open-1").click().run()
    assert at.session_state[state.DOCUMENT] == "P06_rosa"
    assert "waiting lists" in at.session_state[state.SELECTION].text
    at.switch_page(PAGE).run()
    at.segmented_control(key="sr_part").set_value("sets").run()
    at.button(key="remove_set").click().run()
    with Project.open(app_project) as p:
        assert p.queries.sets().empty


def test_a_result_opens_in_the_transcript_with_the_words_selected(
        app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.text_input(key=state.SEARCH_TEXT).input('"waiting lists"')
    _submit(at, "Search")
    at.button(key="open-0").click().run()
    span = at.session_state[state.SELECTION]
    assert at.session_state[state.DOCUMENT] == "P04_tom" and span.text == "waiting list"
    at.switch_page("app_pages/transcripts.py").run()
    assert any("waiting list" in e.value for e in at.get("html")
               if 'data-testid="th-selection"' in e.value)


def test_a_coding_query_counts_accepted_codings_unless_told(app_project: Path,
                                                            monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.segmented_control(key="sr_part").set_value("query").run()
    at.text_input(key=state.QUERY_TEXT).input('"Cameras on or off" AND virtual-vs-in-person')
    _submit(at, "Run the query")
    assert at.caption[0].value.endswith("Nothing found.")
    at.toggle(key=state.QUERY_SUGGESTED).set_value(True)
    _submit(at, "Run the query")
    assert "1 segment in 1 documents" in at.caption[0].value
    assert "coded Cameras on or off, Virtual vs in-person" in html(at)
    at.text_input(key=state.QUERY_TEXT).input("camera-use AND")
    _submit(at, "Run the query")
    assert "ends where a code was expected" in at.error[0].value
