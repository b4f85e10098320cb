"""Learning from decisions through the Project API, on the sample study (TF-IDF backend)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from thematic.errors import ParameterError

GOLD = "transcripts_sample/gold/gold_codings.csv"


@pytest.fixture(scope="module")
def decided(sample_project_file, tmp_path_factory):
    """The sample study with its codebook, a first run, and P01_dana reviewed from the gold file:
    suggestions that match the gold accepted, the others rejected, missed gold sentences coded by
    hand (so P01 is a finished document)."""
    import shutil
    from pathlib import Path

    from thematic import Project

    root = Path(__file__).resolve().parents[2]
    target = tmp_path_factory.mktemp("learning") / "decided.thematic"
    shutil.copy(sample_project_file, target)
    project = Project.open(target)
    project.codebook.load(root / "codebooks" / "peer_listening.yaml", actor="ana")
    project.suggestions.run(backend="tfidf", actor="ana")
    gold = pd.read_csv(root / GOLD, dtype=str, keep_default_na=False)
    gold = gold[gold["document"] == "P01_dana"]
    text = project.documents.get("P01_dana").text
    gold_pairs = set()
    for row in gold.itertuples():
        start = text.find(row.quote)
        gold_pairs.add((start, start + len(row.quote), row.code))
    pending = project.review.codings(status="suggested")
    mine = pending[pending["document"] == "P01_dana"]
    right = [r.coding_id for r in mine.itertuples() if (r.start, r.end, r.code) in gold_pairs]
    wrong = [r.coding_id for r in mine.itertuples() if (r.start, r.end, r.code) not in gold_pairs]
    project.review.decide(right, "accepted", actor="ann")
    project.review.decide(wrong, "rejected", actor="ann")
    found = {(r.start, r.end, r.code) for r in mine.itertuples()}
    for start, end, code in sorted(gold_pairs - found):
        project.review.code_span("P01_dana", code, actor="ann", start=start, end=end)
    yield project
    project.close()


def test_no_decisions_the_run_says_what_codes_need(sample_project):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sample_project.codebook.load(root / "codebooks" / "peer_listening.yaml", actor="ana")
    report = sample_project.suggestions.run(backend="tfidf", actor="ana")
    learning = report.params["learning"]
    assert learning["classifier"] is False and learning["automatic"] is True
    assert set(report.needs.values()) == {10}  # 5 positive + 5 negative decisions each
    assert "learned from decisions: 0 of 34 codes; more decisions needed" in report.summary()
    status = sample_project.suggestions.learning_status(backend="tfidf")
    assert (status["needs"] == 10).all() and not status["ready"].any()


def test_the_classifier_joins_the_run_once_codes_have_decisions(decided):
    report = decided.suggestions.run(backend="tfidf", actor="ana")
    learning = report.params["learning"]
    assert learning["classifier"] is True and learning["automatic"] is True
    assert learning["trained"] and all(report.needs[c] == 0 for c in learning["trained"])
    assert learning["finished_documents"]  # P01 has no suggestion left undecided
    assert "classifier" in report.params["engine"]["engines"]
    table = report.per_code.set_index("code")
    assert {"classifier", "expected_precision", "needs"} <= set(table.columns)
    trained = learning["trained"][0]
    assert table.loc[trained, "needs"] == 0
    assert table["classifier"].sum() > 0
    codings = decided.review.codings()
    learned = codings[(codings["status"] == "suggested") & codings["source"].isin(["classifier", "combined"])]
    decided_pairs = set(zip(codings.loc[codings["status"] != "suggested", "segment_id"],
                            codings.loc[codings["status"] != "suggested", "code"], strict=True))
    assert len(learned)
    assert not set(zip(learned["segment_id"], learned["code"], strict=True)) & decided_pairs


def test_classifier_evidence_gives_its_nearest_accepted_examples(decided):
    decided.suggestions.run(engines=["classifier"], backend="tfidf", actor="ana")
    rows = decided.review.codings(status="suggested")
    rows = rows[rows["source"] == "classifier"]
    assert len(rows)
    ev = rows["evidence"].iloc[0]
    accepted = decided.review.codings(status="accepted")
    assert ev["nearest"] and {n["text"] for n in ev["nearest"]} <= set(accepted["text"])
    assert ev["passed"] is True and 0.0 <= ev["score"] <= 1.0


def test_review_queue_most_informative_first(decided):
    queue = decided.suggestions.queue(limit=15, backend="tfidf")
    assert len(queue) == 15
    assert list(queue.columns) == ["coding_id", "document", "segment_id", "code", "source",
                                   "confidence", "probability", "uncertainty", "text"]
    assert queue["uncertainty"].is_monotonic_decreasing
    assert (queue["document"] != "P01_dana").all()  # only undecided suggestions
    status = decided.suggestions.learning_status(backend="tfidf")
    ready = status[status["ready"]]
    assert len(ready) and all(0.0 <= p <= 1.0 for p in ready["expected_precision"] if not math.isnan(p))


def test_review_queue_rejects_a_bad_limit(decided):
    with pytest.raises(ParameterError, match="limit must be a positive integer. Got 0 instead"):
        decided.suggestions.queue(limit=0)


def test_cli_review_next(decided):
    import json

    from typer.testing import CliRunner

    from thematic.cli import app

    path = str(decided.store.url).removeprefix("sqlite:///")
    result = CliRunner().invoke(app, ["review", "next", "--limit", "3", "-p", path, "--json", "--backend", "tfidf"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 3 and rows[0]["uncertainty"] >= rows[-1]["uncertainty"]
    text = CliRunner().invoke(app, ["review", "next", "--limit", "2", "-p", path, "--backend", "tfidf"])
    assert text.exit_code == 0 and text.output.count("\n[") + text.output.startswith("[") == 2
    assert "decide with: thematic review accept|reject --id N" in text.output
