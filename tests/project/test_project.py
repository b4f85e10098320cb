"""The shape of ``Project``: namespaces over the services, one ``actor`` on every change, and
the flat methods of 0.1 kept one release behind a DeprecationWarning."""

from __future__ import annotations

import inspect
from operator import attrgetter
from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import ParameterError
from thematic.models import Settings
from thematic.project import deprecated
from thematic.project.base import Namespace

TRANSCRIPT = "Interviewer: How was it?\nP01: It helped me a lot. Nobody judged me.\n"


@pytest.fixture
def study(tmp_path: Path) -> Project:
    (tmp_path / "P01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    project = Project.create(tmp_path / "study.thematic")
    project.documents.ingest([tmp_path / "P01.txt"], actor="ana")
    return project


def _namespaces(project: Project) -> dict[str, Namespace]:
    return {name: value for name, value in vars(project).items() if isinstance(value, Namespace)}


def test_every_change_of_every_namespace_requires_an_actor(study: Project) -> None:
    """A method that changes the project has ``actor`` as a required keyword, and no
    ``coder``/``author`` keyword standing for the person acting."""
    changes = 0
    for name, namespace in _namespaces(study).items():
        for method_name, method in inspect.getmembers(namespace, inspect.ismethod):
            if method_name.startswith("_"):
                continue
            params = inspect.signature(method).parameters
            assert "author" not in params, f"{name}.{method_name}"
            if "actor" in params:
                changes += 1
                actor = params["actor"]
                assert actor.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}.{method_name}"
                assert actor.default is inspect.Parameter.empty, f"{name}.{method_name}"
    assert changes >= 40


@pytest.mark.parametrize("actor", ["", "   ", None])
def test_a_change_without_a_person_is_refused_and_writes_nothing(study: Project,
                                                                 actor: str | None) -> None:
    before = study.revision()
    with pytest.raises(ParameterError, match="a change needs the name of the person making it"):
        study.memos.add("a note", actor=actor)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="name of the person"):
        study.settings.set_unit("turn", actor=actor)  # type: ignore[arg-type]
    assert study.revision() == before
    assert study.memos.frame().empty


def test_the_history_names_the_actor_of_each_change(study: Project) -> None:
    study.settings.set_unit("turn", actor="ben")
    study.memos.add("first impressions", actor="cleo")
    history = study.review.history()
    assert history["actor"].tolist()[:3] == ["cleo", "ben", "ana"]
    assert study.coders.names() == ["ana", "ben", "cleo"]


def test_settings_are_typed_with_their_defaults_in_one_place(study: Project) -> None:
    assert study.settings.current() == Settings()
    assert study.settings.set_review_mode("independent", actor="ana").review_mode == "independent"
    assert study.settings.current().review_mode == "independent"
    assert study.status()["unit"] == "sentence"


def test_every_flat_method_of_0_1_names_an_existing_namespace_method(study: Project) -> None:
    for old, new in {**deprecated.CHANGES, **deprecated.READS}.items():
        assert callable(attrgetter(new)(study)), old
        assert callable(getattr(study, old)), old


def test_a_flat_method_warns_and_passes_coder_on_as_the_actor(study: Project) -> None:
    with pytest.warns(DeprecationWarning, match=r"Project.add_memo is deprecated; use project.memos.add"):
        memo = study.add_memo("kept for one release", coder="ana")  # type: ignore[attr-defined]
    assert study.memos.frame().set_index("memo_id").loc[memo, "author"] == "ana"
    with pytest.warns(DeprecationWarning, match=r"use project.documents.frame\(\)"):
        assert study.documents()["name"].tolist() == ["P01"]  # type: ignore[operator]
    with pytest.warns(DeprecationWarning, match=r"use project.settings.current\(\)"):
        assert study.settings()["unit"] == "sentence"  # type: ignore[operator]


def test_a_flat_table_export_still_returns_the_rows_written(study: Project, tmp_path: Path) -> None:
    with pytest.warns(DeprecationWarning, match="exports.write"):
        rows = study.export_segments(tmp_path / "segments.csv")  # type: ignore[attr-defined]
    assert rows == 3 and (tmp_path / "segments.csv").is_file()  # three sentences
