"""Sign-in in the app (AppTest): signed out sees no project data on any page; the coder is the
signed-in account; wrong names and passwords get one answer; sign-out and ended sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import signin, state
from tests.app.apptest_utils import APP, PAGES, TIMEOUT, html, markdown_texts
from thematic import Project

PASSWORD = "correct horse battery"


@pytest.fixture
def team_project(app_project: Path, cheap_hashing: None) -> Path:
    with Project.open(app_project) as project:
        project.accounts.add("alice", "owner", PASSWORD, actor="alice")
        project.accounts.add("bob", "coder", PASSWORD, actor="alice")
    return app_project


def start(project: Path, monkeypatch: MonkeyPatch) -> AppTest:
    monkeypatch.setenv(state.PROJECT_ENV, str(project))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    labels = [t.label for t in at.text_input]
    assert labels == ["Username", "Password"]
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def everything_drawn(at: AppTest) -> str:
    return "\n".join([html(at), *markdown_texts(at), *(t.value for t in at.title),
                      *(c.value for c in at.caption), *(e.value for e in at.error)])


@pytest.mark.parametrize("page", [*PAGES, "app_pages/history.py"])
def test_signed_out_sees_only_the_sign_in_form_on_every_page(team_project: Path,
                                                            monkeypatch: MonkeyPatch,
                                                            page: str) -> None:
    at = start(team_project, monkeypatch)
    at.switch_page(page).run()
    drawn = everything_drawn(at)
    assert [t.value for t in at.title] == ["Sign in"]
    assert "Listening" not in drawn and "documents" not in drawn and "camera" not in drawn
    assert not at.sidebar.html and not at.selectbox  # no project name, no "Who is coding?"


def test_the_coder_is_the_signed_in_account(team_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = start(team_project, monkeypatch)
    at = sign_in(at, "Bob", PASSWORD)
    assert at.session_state[state.CODER] == "bob"
    assert "Signed in as <b>bob</b> (coder)" in at.sidebar.html[-1].value
    assert not [s for s in at.selectbox if s.label == "Who is coding?"]
    at.switch_page("app_pages/review.py").run()
    assert not at.exception and at.session_state[state.CODER] == "bob"
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    assert [t.value for t in at.title] == ["Sign in"] and at.session_state[state.CODER] == ""


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(team_project: Path,
                                                                  monkeypatch: MonkeyPatch) -> None:
    answers = []
    for name in ("bob", "nobody"):
        at = sign_in(start(team_project, monkeypatch), name, "wrong password here")
        answers.append([e.value for e in at.error])
        assert [t.value for t in at.title] == ["Sign in"]
    assert answers[0] == answers[1] == ["wrong username or password"]


def test_an_ended_session_and_a_removed_account_show_the_form_again(team_project: Path,
                                                                    monkeypatch: MonkeyPatch) -> None:
    at = sign_in(start(team_project, monkeypatch), "bob", PASSWORD)
    at.session_state[signin.TOKEN] = "a token that was never issued"
    at.run()
    assert [t.value for t in at.title] == ["Sign in"]
    at = sign_in(at, "bob", PASSWORD)
    with Project.open(team_project) as project:
        project.accounts.remove("bob", actor="alice")
    at.run()
    assert [t.value for t in at.title] == ["Sign in"] and at.session_state[state.CODER] == ""


def test_the_history_page_filters_by_person(team_project: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(team_project) as project:
        cid = int(project.review.codings()["coding_id"].iloc[0])
        project.review.accept([cid], actor="bob")
    at = sign_in(start(team_project, monkeypatch), "alice", PASSWORD)
    at.switch_page("app_pages/history.py").run()
    assert not at.exception and [t.value for t in at.title] == ["History"]
    everyone = at.dataframe[0].value
    assert {"alice", "bob"} <= set(everyone["actor"])
    at.selectbox[0].select("bob").run()
    assert at.dataframe[0].value[["actor", "action"]].values.tolist() == [["bob", "accept"]]
