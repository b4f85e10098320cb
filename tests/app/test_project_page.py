"""A project that stays open: the projects folder listed, opened and created from the Project
page, the project and the coder kept in the URL across reloads, nothing outside the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from tests.app.apptest_utils import APP, TIMEOUT, run_app
from thematic import Project
from thematic.projects_folder import ProjectsFolder


def _folder(tmp_path: Path, app_project: Path, monkeypatch: MonkeyPatch) -> Path:
    """A projects folder holding the app's study (as study.thematic) and an empty project."""
    root = tmp_path / "projects"
    (root / "team").mkdir(parents=True)
    shutil.copy(app_project, root / "study.thematic")
    with Project.create(root / "team" / "pilot.thematic", name="Pilot study"):
        pass
    monkeypatch.setenv(state.PROJECTS_DIR_ENV, str(root))
    return root


def _reload(monkeypatch: MonkeyPatch, **query: str) -> AppTest:
    """A new browser session on a URL (a reload, a new tab): nothing but the URL is kept."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_open_a_project_of_the_folder_and_keep_it_across_a_reload(
        tmp_path: Path, app_project: Path, monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    at = run_app(root / "study.thematic", monkeypatch, "app_pages/project.py", coder="ana")
    picker = at.selectbox(key="open_pick")
    assert {o.split(" · ")[0] for o in picker.options} == {"study.thematic", "team/pilot.thematic"}
    assert all(o.endswith("changed just now") for o in picker.options)
    picker.select("team/pilot.thematic").run()
    at.button(key="open_go").click().run()
    assert "Pilot study" in at.sidebar.html[0].value
    assert at.query_params[state.URL_PROJECT] == "team/pilot.thematic"
    assert at.query_params[state.URL_CODER] == "ana"
    # recently opened first
    assert [e.name for e in ProjectsFolder(root).entries()][0] == "team/pilot.thematic"
    # a reload on another page of the same URL: same project, same coder
    again = _reload(monkeypatch, project="team/pilot.thematic", coder="ana")
    again.switch_page("app_pages/transcripts.py").run()
    assert "Pilot study" in again.sidebar.html[0].value
    assert "Coding as <b>ana</b>" in again.sidebar.html[1].value
    assert again.query_params[state.URL_PROJECT] == "team/pilot.thematic"


def test_a_reload_keeps_the_document_too(tmp_path: Path, app_project: Path,
                                         monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    monkeypatch.setenv(state.PROJECT_ENV, str(root / "team" / "pilot.thematic"))
    at = _reload(monkeypatch, project="study.thematic", coder="bo", doc="P05_alex_teams")
    at.switch_page("app_pages/transcripts.py").run()
    assert at.session_state[state.DOCUMENT] == "P05_alex_teams"
    assert ">sample<" in at.sidebar.html[0].value  # the URL's project (the sample study)


def test_a_new_tab_without_a_project_opens_the_default(tmp_path: Path, app_project: Path,
                                                       monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    monkeypatch.setenv(state.PROJECT_ENV, str(root / "team" / "pilot.thematic"))
    at = _reload(monkeypatch)
    assert "Pilot study" in at.sidebar.html[0].value
    assert at.query_params[state.URL_PROJECT] == "team/pilot.thematic"  # a link keeps it


def test_a_link_to_a_file_outside_the_folder_is_refused(tmp_path: Path, app_project: Path,
                                                        monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    monkeypatch.setenv(state.PROJECT_ENV, str(root / "team" / "pilot.thematic"))
    outside = tmp_path / "private.thematic"
    shutil.copy(app_project, outside)
    at = _reload(monkeypatch, project=str(outside))
    assert "Pilot study" in at.sidebar.html[0].value  # the default, not the private file
    at.switch_page("app_pages/project.py").run()
    assert any("outside the projects folder" in e.value for e in at.error)


def test_a_typed_path_outside_the_folder_is_refused_beside_the_button(
        tmp_path: Path, app_project: Path, monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    at = run_app(root / "study.thematic", monkeypatch, "app_pages/project.py", coder="ana")
    at.text_input(key="open_typed").input("/etc/passwd")
    at.button(key="open_typed_go").click().run()
    assert len(at.error) == 1 and "outside the projects folder" in at.error[0].value
    assert ">sample<" in at.sidebar.html[0].value  # still the same project
    at.text_input(key="open_typed").input(str(root / "team" / "pilot.thematic"))
    at.button(key="open_typed_go").click().run()
    assert "Pilot study" in at.sidebar.html[0].value  # a typed path inside the folder opens


def test_create_in_the_folder_and_refuse_an_existing_file(tmp_path: Path, app_project: Path,
                                                           monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    at = run_app(root / "study.thematic", monkeypatch, "app_pages/project.py")
    at.text_input(key="create_file").input("../escape")
    at.button(key="create_go").click().run()
    assert "outside the projects folder" in at.error[0].value
    assert not (tmp_path / "escape.thematic").exists()
    at.text_input(key="create_file").input("study")
    at.button(key="create_go").click().run()
    assert "exists here already" in at.error[0].value.replace("\\", "")
    at.text_input(key="create_file").input("team/second")
    at.text_input(key="create_name").input("Second study")
    at.button(key="create_go").click().run()
    assert (root / "team" / "second.thematic").exists()
    assert "Second study" in at.sidebar.html[0].value


def test_import_from_a_folder_outside_the_projects_folder_is_refused(
        tmp_path: Path, app_project: Path, monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    at = run_app(root / "team" / "pilot.thematic", monkeypatch, "app_pages/project.py", coder="ana")
    at.text_input(key="import_folder").input(str(tmp_path))
    at.button(key="import").click().run()
    assert "outside the projects folder" in at.error[0].value
    with Project.open(root / "team" / "pilot.thematic") as p:
        assert p.documents.frame().empty


def test_opening_another_project_drops_what_was_picked_in_the_first(
        tmp_path: Path, app_project: Path, monkeypatch: MonkeyPatch) -> None:
    root = _folder(tmp_path, app_project, monkeypatch)
    at = run_app(root / "study.thematic", monkeypatch, "app_pages/project.py", coder="ana",
                 doc="P05_alex_teams")
    at.session_state[state.THEME] = "Carrying the work home"
    at.session_state[state.REVIEW_CURSOR] = 3
    at.selectbox(key="open_pick").select("team/pilot.thematic").run()
    at.button(key="open_go").click().run()
    assert state.THEME not in at.session_state and state.REVIEW_CURSOR not in at.session_state
    assert at.session_state[state.CODER] == "ana"  # the person stays
