"""Running the suggestions from the app (Review and Codebook): engines from the registry, a run
in the background with progress and Cancel, and the run's report per code."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import open_tab, run_app
from thematic import Project
from thematic.services.background import suggestion_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Three sample transcripts and the sample codebook: a run takes seconds."""
    path = tmp_path / "small.thematic"
    with Project.create(path) as project:
        project.documents.ingest([ROOT / "transcripts_sample" / name for name in
                                  ("P01_dana.txt", "P02_marcus.txt", "P10_kevin.txt")],
                                 actor="ana")
        project.codebook.load(ROOT / "codebooks" / "peer_listening.yaml", actor="ana")
    return path


def _board_job(project: Path):
    with Project.open(project) as p:
        return state.jobs().get(suggestion_key(p.store))


def _report(at):
    """The run report's table, or None."""
    return next((d.value for d in at.dataframe if "Found by" in d.value.columns), None)


@pytest.mark.slow
def test_run_the_rules_from_review_and_read_the_report(small_project: Path,
                                                       monkeypatch: MonkeyPatch) -> None:
    app_project = small_project
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    engines = at.multiselect(key=state.RUN_ENGINES)
    assert engines.value == ["rules", "semantic"]  # the registry's defaults
    assert "classifier" in engines.options[2] or any("classifier" in o for o in engines.options)
    engines.set_value(["rules"]).run()
    at.button(key="run_start").click().run()
    job = _board_job(app_project)
    assert job is not None and job.wait(300).status == "done", job.state().error
    at.run()
    assert not at.exception
    success = " ".join(s.value for s in at.success).replace("\\", "")
    assert "(rules):" in success and "suggestions on" in success
    assert any("This is the first run" in c.value for c in at.caption)
    report = _report(at)
    assert list(report.columns) == ["Code", "Suggestions", "Found by", "Model", "Why", "Needs"]
    assert set(report["Model"]) == {"codebook"} and report["Why"].str.len().min() > 0
    assert report["Suggestions"].sum() > 0
    assert "nothing matched" in " ".join(report["Needs"])  # a code its rules did not find
    with Project.open(app_project) as p:
        runs = len(p.suggestions.runs())
        assert runs == 1
    # a re-run says what changed; Dismiss puts the report away for this session
    at.button(key="run_start").click().run()
    assert _board_job(app_project).wait(300).status == "done"
    at.run()
    assert "Change" in _report(at).columns
    assert any(c.value.startswith(f"Compared with run {runs}") for c in at.caption)
    at.button(key="run_dismiss").click().run()
    assert _report(at) is None
    at.button(key="accept_current").click().run()  # reviewing begins: the panel folds away
    assert not [b for b in at.button if b.key == "run_start"]
    state.jobs().forget(suggestion_key(Project.open(app_project).store))


def test_a_run_under_way_shows_progress_and_can_be_cancelled(app_project: Path,
                                                             monkeypatch: MonkeyPatch) -> None:
    gate = threading.Event()

    def slow(progress):  # stands for a long engine run: reports, then waits
        progress("embed", 40, 100)
        gate.wait(30)
        progress("embed", 80, 100)
        return None

    with Project.open(app_project) as p:
        key = suggestion_key(p.store)
    job = state.jobs().start(key, slow, label="Suggestions", owner="bo")
    try:
        at = run_app(app_project, monkeypatch, "app_pages/codebook.py", coder="ana")
        assert any("started by bo" in c.value for c in at.caption)
        bar = at.get("progress")[0]
        assert "embed: 40 of 100" in bar.proto.text.replace("\\", "")
        assert not [b for b in at.button if b.key == "run_start"]  # one run at a time
        at.button(key="run_cancel").click().run()
        gate.set()
        assert job.wait(10).status == "cancelled"
        at.run()
        assert any("cancelled; nothing was stored" in i.value for i in at.info)
    finally:
        gate.set()
        state.jobs().forget(key)


def test_running_without_engines_says_so_beside_the_button(app_project: Path,
                                                           monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    assert not [b for b in at.button if b.key == "run_start"]  # suggestions wait: folded
    open_tab(at, state.RUN_OPEN, True)
    at.multiselect(key=state.RUN_ENGINES).set_value([]).run()
    at.button(key="run_start").click().run()
    assert len(at.error) == 1 and "name at least one engine" in at.error[0].value
    assert _board_job(app_project) is None


def test_without_a_coder_the_run_is_disabled(small_project: Path,
                                             monkeypatch: MonkeyPatch) -> None:
    at = run_app(small_project, monkeypatch, "app_pages/review.py")
    assert at.button(key="run_start").disabled


def test_a_failed_run_says_its_remedy_with_the_apps_pages(app_project: Path,
                                                          monkeypatch: MonkeyPatch) -> None:
    from thematic.errors import ThematicError

    def no_codebook(progress):  # stands for a run over a project without a codebook
        raise ThematicError("the project has no codebook", remedy="load-codebook")

    with Project.open(app_project) as p:
        key = suggestion_key(p.store)
    job = state.jobs().start(key, no_codebook, label="Suggestions", owner="ana")
    try:
        assert job.wait(10).status == "failed"
        at = run_app(app_project, monkeypatch, "app_pages/codebook.py", coder="ana")
        [error] = [e.value for e in at.error if "The run failed" in e.value]
        assert "Load one first on the Project page" in error.replace("\\", "")
        assert "project.codebook.load" not in error
    finally:
        state.jobs().forget(key)


def _finetune_key(project: Path):
    from thematic.services.finetune import finetune_key

    with Project.open(project) as p:
        return finetune_key(p.store)


def test_fine_tuning_without_decisions_says_why_it_failed(small_project: Path,
                                                          monkeypatch: MonkeyPatch) -> None:
    at = run_app(small_project, monkeypatch, "app_pages/codebook.py", coder="ana")
    open_tab(at, state.RUN_OPEN, True)
    assert at.checkbox(key=state.RUN_FINETUNED).value is False
    at.button(key="finetune_start").click().run()
    key = _finetune_key(small_project)
    try:
        job = state.jobs().get(key)
        assert job is not None and job.wait(120).status == "failed"
        at.run()
        [error] = [e.value for e in at.error if "The fine-tune failed" in e.value]
        assert "no code has two accepted segments" in error
        assert not (small_project.parent / f"{small_project.name}.finetune").exists()
    finally:
        state.jobs().forget(key)


def test_a_fine_tune_under_way_shows_progress_and_can_be_stopped(small_project: Path,
                                                                 monkeypatch: MonkeyPatch) -> None:
    gate = threading.Event()

    def slow(progress):  # stands for a long fine-tune: reports a step, then waits
        progress("fine-tune", 3, 120)
        gate.wait(30)
        progress("fine-tune", 4, 120)

    key = _finetune_key(small_project)
    job = state.jobs().start(key, slow, label="Fine-tuning the encoder", owner="bo")
    try:
        at = run_app(small_project, monkeypatch, "app_pages/codebook.py", coder="ana")
        open_tab(at, state.RUN_OPEN, True)
        bar = at.get("progress")[0]
        assert "fine-tune: 3 of 120" in bar.proto.text.replace("\\", "")
        assert not [b for b in at.button if b.key == "finetune_start"]  # one at a time
        at.button(key="finetune_cancel").click().run()
        gate.set()
        assert job.wait(10).status == "cancelled"
        at.run()
        assert any("nothing of it was kept" in i.value for i in at.info)
    finally:
        gate.set()
        state.jobs().forget(key)


def test_a_run_can_read_each_turn_once_with_its_sentences(small_project: Path,
                                                          monkeypatch: MonkeyPatch) -> None:
    at = run_app(small_project, monkeypatch, "app_pages/review.py", coder="ana")
    choice = at.radio(key=state.RUN_TURN_VECTORS)
    assert choice.value == "embedded" and choice.options == list(rv_turn_choices())
    at.multiselect(key=state.RUN_ENGINES).set_value(["semantic"]).run()
    at.radio(key=state.RUN_BACKEND).set_value("tfidf").run()
    at.radio(key=state.RUN_TURN_VECTORS).set_value("in_context").run()
    at.button(key="run_start").click().run()
    job = _board_job(small_project)
    try:
        assert job is not None and job.wait(300).status == "done", job.state().error
        with Project.open(small_project) as p:
            params = p.suggestions.runs().iloc[-1]["params"]
        assert params["engine"]["turn_vectors"] == "in_context"
    finally:
        with Project.open(small_project) as p:
            state.jobs().forget(suggestion_key(p.store))


def rv_turn_choices() -> list[str]:
    """What the panel offers, as its labels say."""
    from thematic.views.run_view import RUN_TURN_VECTORS

    return [RUN_TURN_VECTORS[k] for k in RUN_TURN_VECTORS]
