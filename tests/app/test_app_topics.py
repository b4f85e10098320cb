"""The Topics page on candidates from a real topics run (TF-IDF backend, seeded)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from tests.app.apptest_utils import html, run_app
from thematic import Project


@pytest.fixture(scope="session")
def topics_project_file(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("topics") / "topics.thematic"
    shutil.copy(app_project_file, path)
    with Project.open(path) as project:
        project.topics_run(backend="tfidf", random_state=0, actor="ana")
    return path


@pytest.fixture
def topics_project(topics_project_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "topics.thematic"
    shutil.copy(topics_project_file, target)
    return target


def _first(project: Path) -> tuple[int, int]:
    with Project.open(project) as p:
        ids = p.topics().sort_values("size", ascending=False)["topic_id"].astype(int).tolist()
    return ids[0], ids[1]


def test_candidates_show_label_keywords_quotes_size_and_nearest_codes(
        topics_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(topics_project, monkeypatch, "app_pages/topics.py", coder="ana")
    drawn = html(at)
    assert "Keywords:" in drawn and "Nearest codes:" in drawn and "participants" in drawn
    assert "stability" in drawn and "“" in drawn  # quotes
    with Project.open(topics_project) as p:
        assert f"{len(p.topics())} candidates" in at.caption[0].value


def test_adopt_rename_reject_and_merge_topics(topics_project: Path,
                                              monkeypatch: MonkeyPatch) -> None:
    first, second = _first(topics_project)
    at = run_app(topics_project, monkeypatch, "app_pages/topics.py", coder="ana")
    at.text_input(key=f"topic-name-{first}").input("Camera worries")
    at.button(key=f"adopt-{first}").click().run()
    assert not at.error, [e.value for e in at.error]
    with Project.open(topics_project) as p:
        topics = p.topics().set_index("topic_id")
        code = topics.loc[first, "code"]
        assert topics.loc[first, "status"] == "adopted"
        assert p.codebook().by_id()[code].name == "Camera worries"
        assert (p.codings()["code"] == code).sum() > 0  # members became suggestions
    at.text_input(key=f"topic-name-{second}").input("Being told things")
    at.button(key=f"rename-{second}").click().run()
    at.button(key=f"reject-topic-{second}").click().run()
    with Project.open(topics_project) as p:
        row = p.topics().set_index("topic_id").loc[second]
    assert (row["label"], row["status"]) == ("Being told things", "rejected")


def test_map_a_topic_to_a_code(topics_project: Path, monkeypatch: MonkeyPatch) -> None:
    first, _ = _first(topics_project)
    at = run_app(topics_project, monkeypatch, "app_pages/topics.py", coder="ana")
    at.selectbox(key=f"map-code-{first}").select("camera-use").run()
    at.button(key=f"map-{first}").click().run()
    with Project.open(topics_project) as p:
        row = p.topics().set_index("topic_id").loc[first]
    assert row["status"] == "mapped" and row["code"] == "camera-use"


def test_merge_two_topics(topics_project: Path, monkeypatch: MonkeyPatch) -> None:
    first, second = _first(topics_project)
    at = run_app(topics_project, monkeypatch, "app_pages/topics.py", coder="ana")
    at.multiselect(key="topic_merge_sources").select(second).run()
    at.selectbox(key="topic_merge_into").select(first).run()
    at.button(key="topic_merge").click().run()
    with Project.open(topics_project) as p:
        assert p.topics().set_index("topic_id").loc[second, "status"] == "merged"
