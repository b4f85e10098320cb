"""Suggestion runs over a project: provenance, reproducibility, decisions kept, roles."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CODEBOOK
from thematic import Project
from thematic.errors import CodebookError, ParameterError, ThematicError


@pytest.fixture
def coded_sample(sample_project: Project) -> Project:
    sample_project.codebook.load(CODEBOOK, actor="ana")
    return sample_project


def test_rule_run_records_provenance_and_evidence(coded_sample: Project) -> None:
    report = coded_sample.suggestions.run(engines=["rules"], actor="ana")
    assert report.suggestions > 100 and report.stored["added"] == report.suggestions
    run = coded_sample.suggestions.runs().iloc[-1]
    assert run["engine"] == "rule" and run["status"] == "finished"
    assert run["input_hash"] == report.input_hash and len(run["input_hash"]) == 64
    assert {"thematic", "spacy"} <= set(run["versions"])
    assert run["params"]["unit"] == "sentence" and run["params"]["seed"] == 0
    assert run["codebook_version_id"] is not None
    codings = coded_sample.review.codings(status="suggested")
    assert set(codings["source"]) == {"rule"}
    assert codings["role"].eq("participant").all()  # interviewer turns are left out
    for row in codings.sample(50, random_state=1).itertuples():
        text = coded_sample.documents.get(int(row.document_id)).text
        assert row.evidence["rules"]
        for match in row.evidence["matched"]:
            assert text[match["start"]:match["end"]] == match["text"]
            assert row.start <= match["start"] < match["end"] <= row.end
        assert 0 < row.confidence < 1


def test_a_rule_run_records_the_calibration_of_the_confidence_it_shows(coded_sample: Project) -> None:
    """Every coding's confidence is the recorded calibrator applied to its noisy-OR, and no
    keyword match shows 1.00."""
    from thematic.suggest.calibrators import calibrator_from

    coded_sample.suggestions.run(engines=["rules"], actor="ana")
    recorded = coded_sample.suggestions.runs().iloc[-1]["params"]["engine"]["calibration"]
    calibrator = calibrator_from(recorded)
    assert calibrator.kind != "none"
    codings = coded_sample.review.codings(status="suggested")
    raw = np.array([ev["raw_confidence"] for ev in codings["evidence"]])
    assert raw.max() > 0.95  # some segments match several terms: the case that showed 1.00
    shown = np.minimum(0.99, calibrator.apply(raw))
    assert np.allclose(codings["confidence"].to_numpy(dtype=float), shown, atol=1e-6)
    assert not (codings["confidence"].round(2) >= 1.0).any()


def test_a_rerun_shows_the_confidence_the_projects_decisions_bear_out(coded_sample: Project) -> None:
    """Rejecting most rule suggestions of one document lowers the confidence of the rule
    suggestions left undecided, in their order; the run records what moved it."""
    first = coded_sample.suggestions.run(engines=["rules"], actor="ana")
    assert first.params["confidence_from_decisions"]["rule"]["decided"] == 0
    codings = coded_sample.review.codings(status="suggested")
    one = codings[codings["document_id"] == codings["document_id"].iloc[0]]
    coded_sample.review.reject(one["coding_id"].tolist()[1:], actor="ana")
    coded_sample.review.accept(one["coding_id"].tolist()[:1], actor="ana")
    before = coded_sample.review.codings(status="suggested").set_index("coding_id")["confidence"]
    again = coded_sample.suggestions.run(engines=["rules"], actor="ana")
    recorded = again.params["confidence_from_decisions"]["rule"]
    assert recorded["decided"] == len(one) and recorded["accepted"] == 1 and recorded["shift"] < 0
    assert f"follows your decisions: rule 1 of {len(one)} accepted" in again.summary()
    assert "follows your decisions" not in first.summary()
    after = coded_sample.review.codings(status="suggested").set_index("coding_id")
    moved = after["confidence"].reindex(before.index)
    assert (moved < before).all()
    assert (moved.rank(method="min") == before.rank(method="min")).all()  # same order
    first_left = before.index[0]
    evidence = after.loc[first_left, "evidence"]
    assert evidence["confidence_from_decisions"] == {"decided": len(one), "accepted": 1}
    assert evidence["calibrated_confidence"] == pytest.approx(before.loc[first_left], abs=1e-6)


@pytest.mark.slow
def test_runs_are_reproducible_and_rerunning_keeps_decisions(coded_sample: Project, tmp_path: Path) -> None:
    first = coded_sample.suggestions.run(engines=["rules"], actor="ana")
    before = coded_sample.review.codings()[["code", "start", "end", "confidence"]]
    same = coded_sample.suggestions.run(engines=["rules"], actor="ana")  # nothing decided since
    assert same.input_hash == first.input_hash
    assert coded_sample.review.codings()[["code", "start", "end", "confidence"]].equals(before)
    ids = coded_sample.review.codings()["coding_id"].tolist()
    coded_sample.review.reject(ids[:3], actor="ana")
    again = coded_sample.suggestions.run(engines=["rules"], actor="ana")
    assert again.input_hash != first.input_hash  # the decisions are input: they move the confidence
    assert again.stored == {"added": 0, "refreshed": first.suggestions - 3, "decided_kept": 3,
                            "unknown_code": 0, "finished_kept": 0}
    after = coded_sample.review.codings()
    assert len(after) == len(before)
    assert after.set_index("coding_id").loc[ids[:3], "status"].eq("rejected").all()
    assert after[["code", "start", "end"]].equals(before[["code", "start", "end"]])
    decided = after["coding_id"].isin(ids[:3])
    assert after.loc[decided, "confidence"].equals(before.loc[decided, "confidence"])
    assert (after.loc[~decided, "confidence"] < before.loc[~decided, "confidence"]).all()


@pytest.mark.slow
def test_interviewer_turns_only_when_asked(coded_sample: Project) -> None:
    without = coded_sample.suggestions.run(engines=["rules"], actor="ana")
    with_them = coded_sample.suggestions.run(engines=["rules"], include_interviewer=True, actor="ana")
    interviewer = coded_sample.documents.segments().query("role == 'interviewer'")
    assert with_them.segments == without.segments + len(interviewer) > without.segments
    assert coded_sample.suggestions.runs().iloc[-1]["params"]["include_interviewer"] is True


@pytest.mark.slow
def test_combined_run_with_the_torch_free_backend(coded_sample: Project) -> None:
    report = coded_sample.suggestions.run(backend="tfidf", actor="ana")
    assert report.engine == "combined"
    codings = coded_sample.review.codings()
    assert {"semantic", "combined"} & set(codings["source"])
    sem = codings[codings["source"] != "rule"].iloc[0]
    assert {"score", "threshold", "closest_example"} <= set(sem["evidence"].get("semantic", sem["evidence"]))
    assert report.params["engine"]["engines"]["semantic"]["backend"]["class"] == "TfidfSvdBackend"
    recorded = report.params["engine"]["calibration"]
    assert set(recorded) == {"rule", "combined"} and recorded["rule"]["kind"] != "none"
    combined = codings[codings["source"] == "combined"]
    assert len(combined) > 10
    assert not (combined["confidence"].round(2) >= 1.0).any()
    from thematic.suggest.calibrators import calibrator_from

    calibrator = calibrator_from(recorded["combined"])
    raw = np.array([ev["combine"]["raw"] for ev in combined["evidence"]])  # the noisy-OR, kept
    assert np.allclose(combined["confidence"].to_numpy(dtype=float),
                       np.minimum(0.99, calibrator.apply(raw)), atol=1e-6)
    per_code = report.per_code.set_index("code")
    assert (per_code["total"] > 0).mean() > 0.6  # most codes get suggestions
    assert not [w for w in report.warnings if "A project of" in w]  # the sample has many documents


def test_a_one_document_project_is_told_what_its_suggestions_hold(project: Project) -> None:
    from tests.conftest import SAMPLES

    project.documents.ingest([SAMPLES / "P01_dana.txt"], actor="ana")
    project.codebook.load(CODEBOOK, actor="ana")
    rules = project.suggestions.run(engines=["rules"], actor="ana")
    assert rules.warnings == []  # the rules read no project-wide statistics
    report = project.suggestions.run(backend="tfidf", actor="ana")
    assert report.warnings == [
        "A project of 1 document: codes this document does not talk about still get their few most "
        "likely sentences, at low confidence. From 3 documents on, the suggestions are those a larger "
        "project gives the same documents."]
    project.documents.ingest([SAMPLES / "P02_marcus.txt"], actor="ana")
    two = project.suggestions.run(backend="tfidf", actor="ana")
    assert two.warnings[0].startswith("A project of 2 documents: codes these documents do not")


@pytest.mark.slow
def test_undoing_a_run_removes_its_undecided_suggestions(coded_sample: Project) -> None:
    coded_sample.suggestions.run(engines=["rules"], actor="ana")
    keep = int(coded_sample.review.codings()["coding_id"].iloc[0])
    coded_sample.review.accept([keep], actor="ana")
    coded_sample.review.undo(actor="ana", mine_only=False)  # undoes the accept
    coded_sample.review.accept([keep], actor="ana")
    history = coded_sample.review.history()
    assert history["action"].iloc[0] == "accept"


def test_no_codebook_is_a_clear_error(sample_project: Project) -> None:
    with pytest.raises(ThematicError, match="no codebook"):
        sample_project.suggestions.run(engines=["rules"], actor="ana")


def test_unknown_engine_is_a_clear_error(coded_sample: Project) -> None:
    with pytest.raises(ParameterError, match="engine must be one of rules, semantic.*Got 'bogus'"):
        coded_sample.suggestions.run(engines=["bogus"], actor="ana")


def test_an_invalid_codebook_loads_nothing(coded_sample: Project, tmp_path: Path) -> None:
    before = coded_sample.codebook.current()
    history = len(coded_sample.review.history())
    bad = tmp_path / "bad.yaml"
    bad.write_text("codebook: {name: Broken, version: '2'}\ncodes:\n  - id: relapse\n"
                   "    name: Relapse\n    parent: nowhere\n")
    with pytest.raises(CodebookError, match="nowhere"):
        coded_sample.codebook.load(bad, actor="ana")
    assert coded_sample.codebook.current() == before and len(coded_sample.review.history()) == history


def test_reloading_an_edited_codebook_reports_the_change(coded_sample: Project, tmp_path: Path) -> None:
    assert not coded_sample.codebook.load(CODEBOOK, actor="ana").changed
    edited = tmp_path / "edited.yaml"
    shutil.copy(CODEBOOK, edited)
    edited.write_text(edited.read_text().replace("name: Relapse\n", "name: Lapse and relapse\n", 1))
    report = coded_sample.codebook.load(edited, actor="ana")
    assert report.changed and report.sync["updated"] == ["relapse"]
    assert "Lapse and relapse" in report.diff.summary()
    assert coded_sample.codebook.current().by_id()["relapse"].name == "Lapse and relapse"


@pytest.mark.slow
def test_a_turn_run_reads_the_sentences_ingest_stored(coded_sample: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.suggest import semantic

    views_of = semantic.context_views
    seen = []

    def recorded(segments, **options):  # type: ignore[no-untyped-def]
        seen.append((list(segments), views_of(segments, **options)))
        return seen[-1][1]

    monkeypatch.setattr(semantic, "context_views", recorded)
    coded_sample.suggestions.run(engines=["semantic"], backend="tfidf", unit="turn", actor="ana")
    [(turns, (texts, view_index, segment_index))] = seen
    assert all(turn.sentences is not None for turn in turns)  # handed over, not split again
    stored: dict[tuple[int, int], list] = {}
    for sent in coded_sample.store.documents.segments("sentence"):
        stored.setdefault((sent.document_id, sent.turn_id), []).append(sent)
    expected = {}
    for i, turn in enumerate(turns):
        sentences = sorted(stored.get((turn.document_id, turn.turn_id), []), key=lambda s: s.start)
        if len(sentences) > 1:
            expected[i] = [s.text.strip() for s in sentences]
    got: dict[int, list[str]] = {}
    for v, i in zip(view_index, segment_index, strict=True):
        got.setdefault(i, []).append(texts[v])
    assert len(expected) > 20 and got == expected


@pytest.mark.slow
def test_a_semantic_run_records_the_calibration_of_its_confidence(coded_sample: Project) -> None:
    from dataclasses import asdict

    from thematic.suggest.shipped_evidence import SPARSE_EVIDENCE

    report = coded_sample.suggestions.run(engines=["semantic"], backend="tfidf", actor="ana")
    run = coded_sample.suggestions.runs().iloc[-1]
    recorded = run["params"]["engine"]["evidence"]
    assert recorded["calibration"] == _as_json(asdict(SPARSE_EVIDENCE.calibration))
    assert recorded["best_floor"] == SPARSE_EVIDENCE.best_floor and recorded["count_on"] == SPARSE_EVIDENCE.count_on
    codings = coded_sample.review.codings(status="suggested")
    assert len(codings) == report.suggestions > 0
    for row in codings.head(30).itertuples():
        model = row.evidence["model_probability"]
        unit = "sentence" if "turn_probability" in row.evidence else "turn"
        shown = float(SPARSE_EVIDENCE.shown(np.array([model]), unit)[0])
        assert row.confidence == pytest.approx(shown, abs=1e-5) == row.evidence["probability"]


def _as_json(value: object) -> object:
    """``value`` as it reads back from the run's stored JSON (tuples become lists)."""
    import json

    return json.loads(json.dumps(value))


def test_a_run_reads_the_projects_decisions_once(coded_sample: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learned model and the confidence the decisions move read the same decided codings,
    read once per run."""
    import thematic.services.learning as learning

    coded_sample.suggestions.run(engines=["rules"], actor="ana")
    decided = coded_sample.review.codings(status="suggested")["coding_id"].tolist()[:5]
    coded_sample.review.reject(decided, actor="ana")
    reads: list[int] = []
    read = learning.decided_codings

    def counted(store, **kw):  # type: ignore[no-untyped-def]
        reads.append(1)
        return read(store, **kw)

    for module in ("learning", "suggest", "confidence"):
        monkeypatch.setattr(f"thematic.services.{module}.decided_codings", counted)
    report = coded_sample.suggestions.run(engines=["rules", "classifier"], backend="tfidf", actor="ana")
    assert reads == [1]
    assert report.params["confidence_from_decisions"]["rule"]["decided"] == 5
