"""Topics in the project: a stored run, decisions (audited, undoable), errors, export, CLI."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import CODEBOOK
from thematic.cli import app
from thematic.errors import NotFoundError, ParameterError, ReviewError


def _store_run(project) -> list[int]:
    """A topics run of three candidates over the first 30 participant turns, stored directly."""
    seg = project.documents.segments("turn")
    seg = seg[seg["role"] == "participant"].head(30)
    groups = [seg.iloc[0:10], seg.iloc[10:20], seg.iloc[20:30]]
    store = project.store
    cands = [{"key": k, "label": f"topic {k}", "keywords": [f"w{k}", "shared"], "size": 10,
              "participants": int(g["participant"].nunique()), "stability": 0.8, "stable": True,
              "nearest": [["relapse", 0.4]],
              "representation": {"quotes": [{"text": t, "document": "d", "participant": None}
                                            for t in g["text"].head(5)]}}
             for k, g in enumerate(groups)]
    members = [(k, int(sid), 0.5 + 0.01 * i) for k, g in enumerate(groups)
               for i, sid in enumerate(g["segment_id"])]
    with store.unit("ana", "topics run") as uow:
        run = store.runs.start(uow, engine="topics", params={}, versions={},
                               codebook_version_id=None, input_hash="x", seed=0)
        ids = store.topics.add_run(uow, run, cands, members)
    return [ids[k] for k in range(3)]


@pytest.fixture
def with_topics(sample_project):
    sample_project.codebook.load(CODEBOOK, actor="ana")
    return sample_project, _store_run(sample_project)


def test_topics_frame_and_members(with_topics):
    project, ids = with_topics
    frame = project.topics.frame()
    assert frame["topic_id"].tolist() == ids
    assert set(frame["status"]) == {"candidate"}
    assert frame.iloc[0]["nearest"] == [["relapse", 0.4]] and len(frame.iloc[0]["quotes"]) == 5
    members = project.topics.members([ids[0]])
    assert len(members) == 10 and members["probability"].is_monotonic_decreasing
    assert members["text"].notna().all() and members["document"].notna().all()


def test_adopt_makes_a_code_and_suggestions_and_undo_removes_them(with_topics):
    project, ids = with_topics
    key = project.topics.adopt(ids[0], actor="ana", name="Early days")
    assert key == "early-days" and key in {c.id for c in project.codebook.current().codes}
    made = project.review.codings()
    made = made[made["code"] == key]
    assert len(made) == 10 and set(made["source"]) == {"topic"} and set(made["status"]) == {"suggested"}
    assert made["confidence"].between(0.5, 0.6).all()
    topic = project.topics.frame().set_index("topic_id").loc[ids[0]]
    assert topic["status"] == "adopted" and topic["code"] == key
    with pytest.raises(ReviewError, match=f"topic {ids[0]} was already adopted as code 'early-days'"):
        project.topics.adopt(ids[0], actor="ana")
    assert project.review.undo(actor="ana") == ["adopt topic"]
    assert key not in {c.id for c in project.codebook.current().codes}
    assert (project.review.codings()["source"] == "topic").sum() == 0
    assert project.topics.frame().set_index("topic_id").loc[ids[0], "status"] == "candidate"
    assert "adopt topic" in project.review.history()["action"].tolist()


def test_map_to_existing_code_and_to_a_missing_one(with_topics):
    project, ids = with_topics
    with pytest.raises(NotFoundError, match="no code 'no-such-code'"):
        project.topics.map(ids[1], "no-such-code", actor="ana")
    assert project.topics.map(ids[1], "relapse", actor="ana") == 10
    assert project.topics.frame().set_index("topic_id").loc[ids[1], "code"] == "relapse"
    with pytest.raises(ReviewError, match="already mapped to code 'relapse'"):
        project.topics.map(ids[1], "relapse", actor="ana")


def test_merge_rename_reject_and_undo(with_topics):
    project, ids = with_topics
    assert project.topics.merge([ids[1]], ids[0], actor="ana") == 10
    frame = project.topics.frame().set_index("topic_id")
    assert frame.loc[ids[0], "size"] == 20 and frame.loc[ids[0], "label"] == "topic 0"
    assert frame.loc[ids[1], "status"] == "merged" and frame.loc[ids[1], "merged_into"] == ids[0]
    project.topics.rename(ids[0], "  Getting started ", actor="ana")
    project.topics.reject(ids[2], actor="ana")
    frame = project.topics.frame().set_index("topic_id")
    assert frame.loc[ids[0], "label"] == "Getting started" and frame.loc[ids[2], "status"] == "rejected"
    with pytest.raises(ReviewError, match="was already rejected"):
        project.topics.reject(ids[2], actor="ana")
    with pytest.raises(ParameterError, match="must not be empty"):
        project.topics.rename(ids[0], " ", actor="ana")
    with pytest.raises(ParameterError, match="at least one topic other than the target"):
        project.topics.merge([ids[0]], ids[0], actor="ana")
    with pytest.raises(NotFoundError, match="no topic 9999"):
        project.topics.reject(9999, actor="ana")
    assert project.review.undo(actor="ana") == ["reject topic"]
    assert project.review.undo(actor="ana") == ["rename topic"]
    assert project.review.undo(actor="ana") == ["merge topics"]
    frame = project.topics.frame().set_index("topic_id")
    assert frame.loc[ids[0], "size"] == 10 and set(frame["status"]) == {"candidate"}
    assert len(project.topics.members([ids[0]])) == 10


def test_export_topics_reads_back(with_topics, tmp_path):
    project, ids = with_topics
    project.topics.reject(ids[2], actor="ana")
    for name in ("topics.csv", "topics.xlsx"):
        target = tmp_path / name
        assert project.exports.write("topics", target)["rows"] == 20
        back = pd.read_csv(target) if name.endswith(".csv") else pd.read_excel(target)
        assert list(back.columns) == ["topic", "label", "keywords", "document", "participant",
                                      "segment", "start", "end", "probability", "text"]
        assert set(back["topic"]) == set(ids[:2]) and (back["keywords"] == back["keywords"]).all()
        assert back.iloc[0]["keywords"] == "w0, shared"
        first = project.topics.members([ids[0]]).iloc[0]
        assert back.iloc[0]["text"] == first["text"] and back.iloc[0]["start"] == first["start"]


@pytest.mark.slow
def test_cli_topics_list_adopt_export(with_topics, tmp_path):
    project, ids = with_topics
    path = str(project.store.url).split("///")[-1]
    project.close()
    runner = CliRunner()
    out = runner.invoke(app, ["topics", "list", "-p", path])
    assert out.exit_code == 0, out.output
    assert f"[{ids[0]}] topic 0  (candidate; 10 segments" in out.output
    out = runner.invoke(app, ["topics", "adopt", str(ids[0]), "--name", "Start", "-p", path,
                              "--coder", "ana"])
    assert out.exit_code == 0 and "adopted as code 'start'" in out.output
    again = runner.invoke(app, ["topics", "adopt", str(ids[0]), "-p", path, "--coder", "ana"])
    assert again.exit_code == 1 and "already adopted" in again.output
    missing = runner.invoke(app, ["topics", "map", str(ids[1]), "nope", "-p", path, "--coder", "ana"])
    assert missing.exit_code == 1 and "no code 'nope'" in missing.output
    out = runner.invoke(app, ["export", "topics", str(tmp_path / "t.csv"), "-p", path])
    assert out.exit_code == 0 and "wrote 30 topic members" in out.output


@pytest.mark.slow
def test_run_topics_on_the_sample_study(sample_project):
    sample_project.codebook.load(CODEBOOK, actor="ana")
    report = sample_project.topics.run(backend="tfidf", n_stability=1, random_state=0, actor="ana")
    frame = sample_project.topics.frame()
    assert report.topics == len(frame) >= 3
    assert report.segments == (sample_project.documents.segments("turn")["role"] == "participant").sum()
    run = sample_project.suggestions.runs().set_index("run").loc[report.run_id]
    assert run["engine"] == "topics"
    leaves = frame[~frame["topic_id"].isin(frame["parent"].dropna())]
    grouped = sum(len(sample_project.topics.members([t])) for t in leaves["topic_id"])
    assert grouped + report.not_grouped == report.segments
    # a parent's members are the union of its children's; its children point to it
    for parent, kids in frame.dropna(subset=["parent"]).groupby("parent"):
        union = set(sample_project.topics.members(kids["topic_id"].tolist())["segment_id"])
        assert set(sample_project.topics.members([int(parent)])["segment_id"]) == union
        assert frame.set_index("topic_id").loc[int(parent), "size"] == len(union)
    assert frame["nearest"].map(len).eq(3).all() and frame["quotes"].map(len).ge(5).all()
    assert frame["stability"].between(0, 1).all()
    again = sample_project.topics.run(backend="tfidf", n_stability=1, random_state=0, actor="ana")
    assert again.reused and again.run_id == report.run_id and again.topics == report.topics
    assert len(sample_project.suggestions.runs()) == 1
    assert sample_project.review.undo(actor="ana") == ["topics run"]
    assert sample_project.topics.frame().empty
