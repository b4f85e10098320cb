"""The Topics page (AppTest) on a real seeded topics run (TF-IDF embeddings): run with
progress, candidate cards, adopt (and undo), map, merge, rename, reject; markup as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import html, markdown_texts, run_app
from tests.app.coded_project import coded_file
from thematic import Project

PAGE = "app_pages/topics.py"


def key(topic_id: int, what: str) -> str:
    return f"{state.TOPIC_ACTION}-{topic_id}-{what}"


@pytest.fixture(scope="module")
def topics_file(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coded-topics") / "topics.thematic"
    shutil.copy(coded_file(app_project_file, tmp_path_factory.getbasetemp()), path)
    with Project.open(path) as project:
        project.topics.run(backend="tfidf", random_state=0, actor="ana")
    return path


@pytest.fixture
def topics(topics_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "topics.thematic"
    shutil.copy(topics_file, target)
    return target


def _largest(project: Path, n: int = 2) -> list[int]:
    with Project.open(project) as p:
        frame = p.topics.frame().sort_values(["size", "topic_id"], ascending=[False, True])
        return [int(i) for i in frame["topic_id"].head(n)]


def _topic(project: Path, topic_id: int) -> dict:
    with Project.open(project) as p:
        return p.topics.frame().set_index("topic_id").loc[topic_id].to_dict()


@pytest.mark.slow
def test_find_topics_with_progress(coded_project_for_run: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project_for_run, monkeypatch, PAGE, coder="ana")
    assert "No topics yet" in " ".join(c.value for c in at.caption)
    at.selectbox(key="tp_backend").set_value("tfidf")
    assert at.radio(key=state.TOPIC_PARENTS).value == "codebook"
    at.radio(key=state.TOPIC_PARENTS).set_value("ward")
    at.button(key="tp_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Project.open(coded_project_for_run) as p:
        n = len(p.topics.frame())
        params = p.suggestions.runs().iloc[-1]["params"]
    assert n > 1 and params["modeler"]["parent_level"] == "ward"
    assert at.status[0].label.startswith(f"{n} topics over") and at.status[0].state == "complete"


def test_a_run_without_broader_topics_says_why_and_what_to_choose(coded_project_for_run: Path,
                                                                    monkeypatch: MonkeyPatch) -> None:
    at = run_app(coded_project_for_run, monkeypatch, PAGE, coder="ana")
    at.selectbox(key="tp_backend").set_value("tfidf")
    at.button(key="tp_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Project.open(coded_project_for_run) as p:
        run = p.suggestions.runs().iloc[-1]
    assert run["params"]["modeler"]["parent_level"] == "codebook"
    assert run["stats"]["parents"] == 0 and run["params"]["codes"] >= run["stats"]["topics"]
    said = " ".join(i.value for i in at.info)
    assert said.startswith("No broader topics")  # markdown-escaped: the text is data
    assert f"the codebook has {run['params']['codes']} codes and the data {run['stats']['topics']} topics" in said
    assert "Every merge of near topics" in said


@pytest.fixture
def coded_project_for_run(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory,
                          tmp_path: Path) -> Path:
    target = tmp_path / "run.thematic"
    shutil.copy(coded_file(app_project_file, tmp_path_factory.getbasetemp()), target)
    return target


@pytest.mark.slow
def test_cards_show_label_keywords_counts_stability_nearest_codes_and_quotes(
        topics: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(topics, monkeypatch, PAGE, coder="ana")
    first = _largest(topics, 1)[0]
    topic = _topic(topics, first)
    drawn = html(at)
    assert f'data-topic="{first}"' in drawn
    assert f"{topic['size']} segments" in drawn and f"{topic['participants']} participants" in drawn
    assert ", ".join(topic["keywords"][:3]) in drawn
    with Project.open(topics) as p:
        names = {c.id: c.name for c in p.codebook.current().codes}
        frame = p.topics.frame()
    assert names[topic["nearest"][0][0]] in drawn
    from thematic.views import topics_view as tv

    shown = [c for c in tv.topic_cards(frame) if c.status in ("candidate", "adopted", "mapped")]
    unstable = sum(1 for c in shown[:20] if c.stable is False)  # the page shows the first 20
    assert unstable and drawn.count('data-testid="th-unstable"') == unstable
    assert any(f"{len(frame)} candidates in the latest run" in c.value for c in at.caption)


@pytest.mark.slow
def test_adopt_a_topic_then_undo(topics: Path, monkeypatch: MonkeyPatch) -> None:
    first = _largest(topics, 1)[0]
    at = run_app(topics, monkeypatch, PAGE, coder="ana")
    at.text_input(key=key(first, "name")).input("Checking in")
    at.button(key=key(first, "adopt")).click().run()
    assert not at.error, [e.value for e in at.error]
    topic = _topic(topics, first)
    assert topic["status"] == "adopted"
    with Project.open(topics) as p:
        assert {c.id: c.name for c in p.codebook.current().codes}[topic["code"]] == "Checking in"
        suggested = p.review.codings(status="suggested")
        assert (suggested["code"] == topic["code"]).sum() > 0
    assert "adopted as code “Checking in”" in html(at)
    at.button(key="tp_undo").click().run()
    assert _topic(topics, first)["status"] == "candidate"


@pytest.mark.slow
def test_map_merge_rename_and_reject(topics: Path, monkeypatch: MonkeyPatch) -> None:
    first, second, third, fourth = _largest(topics, 4)
    at = run_app(topics, monkeypatch, PAGE, coder="ana")
    at.selectbox(key=key(first, "code")).set_value("supervision")
    at.button(key=key(first, "map")).click().run()
    assert _topic(topics, first)["status"] == "mapped" and _topic(topics, first)["code"] == "supervision"
    at.selectbox(key=key(second, "into")).set_value(third)
    at.button(key=key(second, "merge")).click().run()
    merged = _topic(topics, second)
    assert merged["status"] == "merged" and int(merged["merged_into"]) == third
    at.text_input(key=key(third, "name")).input("Being followed up")
    at.button(key=key(third, "rename")).click().run()
    assert _topic(topics, third)["label"] == "Being followed up"
    at.button(key=key(fourth, "reject")).click().run()
    assert _topic(topics, fourth)["status"] == "rejected"
    assert not at.error, [e.value for e in at.error]


@pytest.mark.slow
def test_without_a_coder_nothing_can_change(topics: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(topics, monkeypatch, PAGE)
    first = _largest(topics, 1)[0]
    assert at.button(key=key(first, "adopt")).disabled and at.button(key="tp_run").disabled


@pytest.mark.slow
def test_markup_in_labels_quotes_and_code_names_shows_as_text(topics: Path,
                                                              monkeypatch: MonkeyPatch) -> None:
    first = _largest(topics, 1)[0]
    with Project.open(topics) as p:
        p.topics.rename(first, "<script>alert(7)</script> <img src=x onerror=alert(8)>", actor="ana")
    at = run_app(topics, monkeypatch, PAGE, coder="ana")
    drawn = html(at)
    assert "<script" not in drawn and "<img" not in drawn
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in drawn
    for text in markdown_texts(at):
        assert "<img" not in text and "<script" not in text, text
