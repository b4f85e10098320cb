"""The Participants page in AppTest: attributes edited in the grid, the pseudonym list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import run_app
from thematic import Project

PAGE = "app_pages/participants.py"


def _grid_key(project: Path, prefix: str) -> str:
    """The grid's key: it is renewed with every change of the project (its revision)."""
    with Project.open(project) as p:
        return f"{prefix}-{p.revision()}"


def test_attributes_edited_in_the_grid_are_typed_saved_and_undone(
        app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.segmented_control(key=state.PARTICIPANTS_PART).set_value("edit").run()
    grid = at.dataframe[0].value
    row = int(grid.index[grid["participant"] == "P01"][0])
    setting = list(grid.columns).index("setting")
    years = list(grid.columns).index("years_in_recovery")
    # the grid's edits, as the browser sends them
    at.session_state[_grid_key(app_project, state.ATTRIBUTE_GRID)] = {
        "edited_rows": {row: {"setting": "virtual", "years_in_recovery": 2}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    save = at.button(key="save_attributes")
    assert save.label == "Save 2 changes" and setting and years
    save.click().run()
    with Project.open(app_project) as p:
        p01 = p.participants.frame().set_index("participant").loc["P01"]
        assert (p01["setting"], p01["years_in_recovery"]) == ("virtual", 2)
    assert "Saved 2 attribute values" in at.success[0].value
    at.button(key="undo_attributes").click().run()
    with Project.open(app_project) as p:
        assert p.participants.frame().set_index("participant").loc["P01", "setting"] == "in-person"


def test_a_new_attribute_takes_typed_values(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.segmented_control(key=state.PARTICIPANTS_PART).set_value("edit").run()
    at.text_input(key=state.NEW_ATTRIBUTE).input("sessions")
    at.selectbox(key=state.NEW_ATTRIBUTE_TYPE).select("number")
    at.button(key="add_attribute").click().run()
    with Project.open(app_project) as p:
        assert p.participants.attribute_types()["sessions"] == "number"
    assert "sessions" in at.dataframe[0].value.columns
    grid = at.dataframe[0].value
    row = int(grid.index[grid["participant"] == "P02"][0])
    at.session_state[_grid_key(app_project, state.ATTRIBUTE_GRID)] = {
        "edited_rows": {row: {"sessions": 7, "interview_date": "2026-04-01"}}, "added_rows": [],
        "deleted_rows": []}
    at.run()
    at.button(key="save_attributes").click().run()
    with Project.open(app_project) as p:
        p02 = p.participants.frame().set_index("participant").loc["P02"]
    assert (p02["sessions"], p02["interview_date"]) == (7, pd.Timestamp("2026-04-01"))
    at.text_input(key=state.NEW_ATTRIBUTE).input("sessions")
    at.button(key="add_attribute").click().run()
    assert "there is an attribute 'sessions' already" in at.error[0].value


def test_the_pseudonym_list_edited_in_the_app(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(app_project) as p:
        p.exports.set_pseudonym("Carol", "[a member]", actor="ana")
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.segmented_control(key=state.PARTICIPANTS_PART).set_value("pseudonyms").run()
    assert at.dataframe[0].value["original"].tolist() == ["Carol"]
    at.session_state[_grid_key(app_project, state.PSEUDONYM_GRID)] = {
        "edited_rows": {0: {"replacement": "[an old-timer]"}},
        "added_rows": [{"original": "St. Anne's", "replacement": "[a church]", "kind": "place"}],
        "deleted_rows": []}
    at.run()
    at.button(key="save_pseudonyms").click().run()
    with Project.open(app_project) as p:
        assert p.exports.pseudonyms().values.tolist() == [["Carol", "[an old-timer]", "name"],
                                                 ["St. Anne's", "[a church]", "place"]]
    assert "1 added, 1 changed, 0 removed" in at.success[0].value
    assert isinstance(at.dataframe[0].value, pd.DataFrame)
