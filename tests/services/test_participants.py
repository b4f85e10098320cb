"""Participants' attributes and the pseudonym list edited by hand: typed, audited, undoable."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic import Project
from thematic.errors import NotFoundError, ParameterError


def _row(project: Project, participant: str) -> pd.Series:
    return project.participants.frame().set_index("participant").loc[participant]


def test_attributes_are_set_typed_and_undone_as_one(sample_project: Project) -> None:
    assert sample_project.participants.attribute_types()["years_in_recovery"] == "number"
    changed = sample_project.participants.set_attributes(
        {"P01": {"years_in_recovery": "1.5", "setting": "virtual"},
         "P02": {"interview_date": "2026-03-01", "gender": "male"}}, actor="ana")
    assert changed == 3  # P02's gender was male already
    assert _row(sample_project, "P01")["years_in_recovery"] == 1.5
    assert _row(sample_project, "P01")["setting"] == "virtual"
    assert _row(sample_project, "P02")["interview_date"] == pd.Timestamp("2026-03-01")
    history = sample_project.review.history(limit=1)
    assert history["action"].tolist() == ["edit attributes"] and history["actor"].tolist() == ["ana"]
    sample_project.review.undo(actor="ana", mine_only=True)
    assert _row(sample_project, "P01")["years_in_recovery"] == 0.5
    assert _row(sample_project, "P01")["setting"] == "in-person"
    assert sample_project.participants.set_attributes({"P01": {"setting": "in-person"}}, actor="ana") == 0


def test_a_wrong_value_changes_nothing_and_names_every_problem(sample_project: Project) -> None:
    before = sample_project.participants.frame()
    with pytest.raises(ParameterError, match=r"P01's years_in_recovery must be a number\. Got "
                                             r"'lots'.*P02's interview_date must be a date"):
        sample_project.participants.set_attributes({"P01": {"years_in_recovery": "lots", "setting": "x"},
                                       "P02": {"interview_date": "someday"}}, actor="ana")
    pd.testing.assert_frame_equal(sample_project.participants.frame(), before)
    with pytest.raises(NotFoundError, match="no participant 'P99'"):
        sample_project.participants.set_attributes({"P99": {"setting": "x"}}, actor="ana")
    with pytest.raises(NotFoundError, match="no attribute 'shoe_size'"):
        sample_project.participants.set_attributes({"P01": {"shoe_size": "9"}}, actor="ana")


def test_a_new_attribute_starts_empty_and_takes_values(sample_project: Project) -> None:
    sample_project.participants.add_attribute("sessions", "number", actor="ana")
    assert sample_project.participants.attribute_types()["sessions"] == "number"
    assert _row(sample_project, "P01")["sessions"] != _row(sample_project, "P01")["sessions"]  # NaN
    sample_project.participants.set_attributes({"P01": {"sessions": 12}}, actor="ana")
    assert _row(sample_project, "P01")["sessions"] == 12
    with pytest.raises(ParameterError, match="there is an attribute 'sessions' already"):
        sample_project.participants.add_attribute("sessions", "text", actor="ana")
    with pytest.raises(ParameterError, match="type must be one of"):
        sample_project.participants.add_attribute("mood", "colour", actor="ana")


def test_the_pseudonym_list_saved_as_a_table(sample_project: Project) -> None:
    sample_project.exports.set_pseudonym("St. Anne's", "[a church]", kind="place", actor="ana")
    sample_project.exports.set_pseudonym("Carol", "[a member]", actor="ana")
    table = pd.DataFrame([
        {"original": "Carol", "replacement": "[an old-timer]", "kind": "name"},
        {"original": "Kev", "replacement": "[the listener]", "kind": "name"},
        {"original": None, "replacement": None, "kind": None},  # the grid's empty new row
    ])
    assert sample_project.exports.save_pseudonym_list(table, actor="ana") == {
        "added": 1, "changed": 1, "removed": 1}
    assert sample_project.exports.pseudonyms().values.tolist() == [
        ["Carol", "[an old-timer]", "name"], ["Kev", "[the listener]", "name"]]
    sample_project.review.undo(actor="ana", mine_only=True)
    assert sample_project.exports.pseudonyms()["original"].tolist() == ["Carol", "St. Anne's"]
    with pytest.raises(ParameterError, match="row 1 needs both an original and a replacement"):
        sample_project.exports.save_pseudonym_list(pd.DataFrame([{"original": "Kev", "replacement": ""}]),
                                           actor="ana")
    with pytest.raises(ParameterError, match="listed twice"):
        sample_project.exports.save_pseudonym_list(pd.DataFrame(
            [{"original": "Kev", "replacement": "a"}, {"original": "Kev", "replacement": "b"}]),
            actor="ana")
