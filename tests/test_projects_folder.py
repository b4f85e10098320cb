"""The projects folder: listed recently opened first; names inside it only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import NotFoundError, ParameterError, ProjectError
from thematic.projects_folder import RECENT_FILE, ProjectsFolder


def test_projects_are_listed_recently_opened_first(tmp_path: Path) -> None:
    folder = ProjectsFolder(tmp_path)
    old = folder.create("old")
    new = folder.create("team/new", study="New study", unit="turn")
    (tmp_path / "notes.txt").write_text("not a project")
    (tmp_path / "deep" / "er" / "x").mkdir(parents=True)
    Project.create(tmp_path / "deep" / "er" / "x" / "too-deep.thematic").close()
    assert [e.name for e in folder.entries()] == ["team/new.thematic", "old.thematic"]
    folder.mark_opened(old)
    assert [e.name for e in folder.entries()] == ["old.thematic", "team/new.thematic"]
    with Project.open(new) as p:
        assert p.name == "New study" and p.settings.current().unit == "turn"
    assert (tmp_path / RECENT_FILE).exists()


def test_never_opened_projects_come_by_their_last_change(tmp_path: Path) -> None:
    for name, when in (("a", 100), ("b", 300), ("c", 200)):
        path = tmp_path / f"{name}.thematic"
        Project.create(path).close()
        os.utime(path, (when, when))
    assert [e.name for e in ProjectsFolder(tmp_path).entries()] == [
        "b.thematic", "c.thematic", "a.thematic"]


@pytest.mark.parametrize("typed", ["../outside.thematic", "/etc/passwd", "/tmp/x.thematic",
                                   "sub/../../x.thematic", "~/study.thematic"])
def test_a_path_outside_the_folder_is_refused(tmp_path: Path, typed: str) -> None:
    folder = ProjectsFolder(tmp_path / "projects")
    with pytest.raises(ParameterError, match="outside the projects folder"):
        folder.resolve(typed)
    with pytest.raises(ParameterError):
        folder.create(typed)
    assert not (tmp_path / "outside.thematic").exists()


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    Project.create(secret / "private.thematic").close()
    root = tmp_path / "projects"
    root.mkdir()
    (root / "link").symlink_to(secret)
    folder = ProjectsFolder(root)
    with pytest.raises(ParameterError, match="outside the projects folder"):
        folder.resolve("link/private.thematic")
    assert folder.entries() == []


def test_only_project_files_open_and_they_must_exist(tmp_path: Path) -> None:
    folder = ProjectsFolder(tmp_path)
    (tmp_path / "data.sqlite").write_text("")
    with pytest.raises(ParameterError, match="not a project file"):
        folder.resolve("data.sqlite")
    with pytest.raises(NotFoundError, match="no project 'missing.thematic'"):
        folder.existing("missing.thematic")
    inside = folder.create("here")
    assert folder.existing(str(inside)) == inside  # a typed path inside the folder is fine
    assert folder.name_of(inside) == "here.thematic" and folder.name_of("/etc") is None


def test_creating_over_a_project_or_with_a_bad_unit_creates_nothing(tmp_path: Path) -> None:
    folder = ProjectsFolder(tmp_path)
    folder.create("study")
    with pytest.raises(ProjectError, match="exists"):
        folder.create("study.thematic")
    with pytest.raises(ParameterError, match="unit must be one of"):
        folder.create("sub/other", unit="paragraph")
    assert not (tmp_path / "sub").exists()
