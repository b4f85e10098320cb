"""Learning from decisions through the Project API, on the sample study (TF-IDF backend)."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.errors import ParameterError

GOLD = "transcripts_sample/gold/gold_codings.csv"


@pytest.fixture(scope="module")
def decided_file(sample_project_file, tmp_path_factory):
    """The sample study with its codebook, a first run, and P01_dana reviewed from the gold file:
    suggestions that match the gold accepted, the others rejected, missed gold sentences coded by
    hand (so P01 is a finished document); the project's file."""
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
    project.close()
    return target


@pytest.fixture(scope="module")
def decided(decided_file):
    """The project of :func:`decided_file`, open."""
    from thematic import Project

    project = Project.open(decided_file)
    yield project
    project.close()


@pytest.mark.slow
def test_a_run_after_decisions_scores_the_codebook_once(decided_file, tmp_path, scorings):
    """The classifier (which starts from the codebook's probabilities) and the semantic engine
    read one scoring of the codebook per run."""
    import shutil

    from tests.hashed_words import HashedWords
    from thematic import Project
    shutil.copy(decided_file, tmp_path / "copy.thematic")
    with Project.open(tmp_path / "copy.thematic") as project:
        report = project.suggestions.run(backend=HashedWords(), actor="ana")
    assert report.params["learning"]["classifier"] is True  # P01's decisions made codes ready
    assert len(scorings) == 1


@pytest.mark.slow
def test_no_decisions_the_run_says_what_codes_need(sample_project):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sample_project.codebook.load(root / "codebooks" / "peer_listening.yaml", actor="ana")
    report = sample_project.suggestions.run(backend="tfidf", actor="ana")
    learning = report.params["learning"]
    assert learning["classifier"] is False and learning["automatic"] is True
    assert set(report.needs.values()) == {6}  # 3 positive + 3 negative decisions each
    assert "learned from decisions: 0 of 34 codes use a model learned from decisions" in report.summary()
    table = report.per_code
    assert (table["model"] == "codebook").all() and table["why"].str.len().min() > 10
    status = sample_project.suggestions.learning_status(backend="tfidf")
    assert (status["needs"] == 6).all() and not status["ready"].any()
    assert (status["why"] == "codebook: no decisions yet").all()


@pytest.mark.slow
def test_every_code_says_which_model_it_uses_and_why(decided):
    report = decided.suggestions.run(backend="tfidf", actor="ana")
    learning = report.params["learning"]
    assert learning["classifier"] is True and learning["automatic"] is True
    assert learning["finished_documents"]  # P01 has no suggestion left undecided
    assert "classifier" in report.params["engine"]["engines"]
    assert learning["learn_on"] == "segment_turn_and_question"  # beside its turn and its question
    models = learning["models"]
    assert set(models) == {c.id for c in decided.codebook.current().codes}
    ready = [c for c, n in report.needs.items() if n == 0]
    assert ready
    for code in ready:  # a code with enough decisions was compared, with kappas in its reason
        assert "kappa" in models[code]["why"], models[code]
    table = report.per_code.set_index("code")
    assert {"model", "why", "classifier", "total"} <= set(table.columns)
    assert sorted(table.index[table["model"] == "learned"]) == learning["learned"]
    for code in learning["learned"]:
        assert "cross-validated" in table.loc[code, "why"]
    codings = decided.review.codings()
    learned = codings[(codings["status"] == "suggested") & (codings["source"] == "classifier")]
    assert set(learned["code"]) <= set(learning["learned"])
    decided_pairs = set(zip(codings.loc[codings["status"] != "suggested", "segment_id"],
                            codings.loc[codings["status"] != "suggested", "code"], strict=True))
    assert not set(zip(learned["segment_id"], learned["code"], strict=True)) & decided_pairs
    # P01 was finished: the learned model was taught "no" on its uncoded segments, so a re-run
    # leaves the document as the person finished it
    assert report.stored["finished_kept"] > 0
    assert codings[(codings["document"] == "P01_dana") & (codings["status"] == "suggested")].empty


@pytest.mark.slow
def test_review_queue_most_informative_first(decided):
    queue = decided.suggestions.queue(limit=15, backend="tfidf")
    assert len(queue) == 15
    assert list(queue.columns) == ["coding_id", "document", "segment_id", "code", "source",
                                   "confidence", "probability", "uncertainty", "passage", "text"]
    assert queue["uncertainty"].is_monotonic_decreasing
    assert (queue["passage"] >= 1).all()
    assert (queue["document"] != "P01_dana").all()  # only undecided suggestions
    status = decided.suggestions.learning_status(backend="tfidf")
    assert {"model", "why"} <= set(status.columns)
    assert set(status["model"]) <= {"codebook", "learned"}


@pytest.mark.slow
def test_review_queue_reads_the_codings_once_without_their_evidence(decided, monkeypatch):
    from thematic.store.codings import Codings

    reads = []
    frame = Codings.frame

    def counted(self, **kw):
        reads.append(kw)
        return frame(self, **kw)

    monkeypatch.setattr(Codings, "frame", counted)
    queue = decided.suggestions.queue(limit=None, backend="tfidf")
    assert reads == [{"evidence": False}]
    pending = decided.review.codings(status="suggested")
    assert sorted(queue["coding_id"]) == sorted(pending["coding_id"])


@pytest.mark.slow
def test_a_refit_from_the_kept_inputs_gives_the_queue_computed_again(decided, scorings):
    from sqlalchemy import text

    from tests.hashed_words import HashedWords
    from thematic.suggest.learning_inputs import forget_learning_inputs

    forget_learning_inputs()
    first = decided.suggestions.queue(limit=100, backend=HashedWords())
    kept = decided.suggestions.queue(limit=100, backend=HashedWords())
    assert len(scorings) == 1
    forget_learning_inputs()  # another process: the project kept the codebook's scores
    read = decided.suggestions.queue(limit=100, backend=HashedWords())
    assert len(scorings) == 1
    forget_learning_inputs()
    with decided.store.write_session.begin() as db:  # nothing kept anywhere: computed again
        db.execute(text("DELETE FROM derived_arrays"))
    again = decided.suggestions.queue(limit=100, backend=HashedWords())
    assert len(scorings) == 2
    assert first["probability"].notna().all()
    for other in (kept, read, again):
        pd.testing.assert_frame_equal(other, first)


def test_review_queue_rejects_a_bad_limit(sample_project):
    with pytest.raises(ParameterError, match="limit must be a positive integer. Got 0 instead"):
        sample_project.suggestions.queue(limit=0)


@pytest.mark.slow
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
