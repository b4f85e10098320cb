"""Suggestion runs: every write audited, undo restores exactly, unknown codes reported."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CODEBOOK
from thematic import Project
from thematic.models import Suggestion


def _codings(project: Project) -> pd.DataFrame:
    frame = project.review.codings().sort_values("coding_id").reset_index(drop=True)
    frame["evidence"] = frame["evidence"].map(repr)
    return frame


@pytest.mark.slow
def test_rerun_with_a_changed_parameter_then_undo_restores_every_field(sample_project: Project) -> None:
    sample_project.codebook.load(CODEBOOK, actor="ana")
    first = sample_project.suggestions.run(engines=["rules"], group_codes="children_first", actor="ana")
    ids = sample_project.review.codings()["coding_id"].tolist()
    sample_project.review.accept(ids[:2], actor="ana")
    before = _codings(sample_project)
    again = sample_project.suggestions.run(engines=["rules"], group_codes="keep", include_interviewer=True, actor="ana")
    assert again.stored["refreshed"] > 0 and again.stored["added"] > 0  # both paths exercised
    assert len(sample_project.review.codings()) == len(before) + again.stored["added"]
    assert sample_project.review.undo(actor="ana") == ["suggest"]
    after = _codings(sample_project)
    assert len(after) == len(before) == first.stored["added"]
    pd.testing.assert_frame_equal(after, before)


def test_suggestions_for_unknown_codes_are_counted_and_reported(coded_project: Project) -> None:
    doc = coded_project.documents.get("P01_a")
    store = coded_project.store
    with store.unit("engine", "suggest") as uow:
        run = store.runs.start(uow, engine="topic", params={}, versions={}, codebook_version_id=None,
                               input_hash="x", seed=0)
        stored = store.runs.add_suggestions(uow, run, [
            Suggestion(doc.id, 0, 5, "heard", "topic", 0.5, {}),
            Suggestion(doc.id, 0, 5, "brand-new", "topic", 0.5, {}),
        ])
    assert stored == {"added": 1, "refreshed": 0, "decided_kept": 0, "unknown_code": 1}


def test_a_run_report_warns_about_unknown_codes(coded_project: Project,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.services import suggest

    class Topics:
        name = "topics"

        def suggest(self, segments, codebook, progress=None):  # noqa: ANN001, ANN201
            seg = segments[0]
            return [Suggestion(seg.document_id, seg.start, seg.end, "new-topic", "topics", 0.4, {},
                               seg.id)]

        def get_params(self) -> dict:
            return {}

        def versions(self) -> dict:
            return {}

    monkeypatch.setattr(suggest, "make_engine", lambda *a, **k: Topics())
    report = coded_project.suggestions.run(engines=["rules"], actor="ana")
    assert report.stored["unknown_code"] == 1
    assert report.warnings == ["1 suggestion(s) for codes not in the codebook were not stored: new-topic"]


@pytest.fixture
def coded_project(project: Project, tmp_path: Path, small_codebook) -> Project:
    path = tmp_path / "P01_a.txt"
    path.write_text("Interviewer: How was it?\n\nP01: She really listened to me. I felt heard.\n")
    project.documents.ingest([path], actor="ana")
    project.codebook.load(small_codebook, actor="ana")
    return project


def test_a_rerun_refreshes_its_pending_suggestions_in_one_audited_batch(coded_project: Project) -> None:
    from sqlalchemy import select

    from thematic.store.orm import AuditEventRow, CodingRow

    doc = coded_project.documents.get("P01_a")
    store = coded_project.store
    spans = [(0, 5), (6, 12), (13, 20)]

    def run(confidence: float) -> tuple[int, dict[str, int]]:
        with store.unit("engine", "suggest") as uow:
            run_id = store.runs.start(uow, engine="topic", params={}, versions={}, codebook_version_id=None,
                                      input_hash=str(confidence), seed=0)
            stored = store.runs.add_suggestions(uow, run_id, [
                Suggestion(doc.id, a, z, "heard", "topic", confidence, {"p": confidence}) for a, z in spans])
        return run_id, stored

    first, _ = run(0.4)
    second, stored = run(0.7)
    assert stored == {"added": 0, "refreshed": 3, "decided_kept": 0, "unknown_code": 0}
    with store.read() as s:
        rows = s.scalars(select(CodingRow).where(CodingRow.document_id == doc.id, CodingRow.start.in_([0, 6, 13]),
                                                 CodingRow.source == "topic")).all()
        assert sorted((r.start, r.confidence, r.evidence["p"], r.run_id, r.version) for r in rows) == [
            (a, 0.7, 0.7, second, 1) for a, _ in spans]
        events = s.scalars(select(AuditEventRow).where(AuditEventRow.op == "update",
                                                       AuditEventRow.entity_type == "codings")).all()
        assert sorted((e.before["confidence"], e.after["confidence"], e.after["run_id"]) for e in events) == [
            (0.4, 0.7, second)] * 3
    assert coded_project.review.undo(actor="engine") == ["suggest"]
    with store.read() as s:
        rows = s.scalars(select(CodingRow).where(CodingRow.document_id == doc.id, CodingRow.start.in_([0, 6, 13]),
                                                 CodingRow.source == "topic")).all()
        assert sorted((r.confidence, r.evidence["p"], r.run_id) for r in rows) == [(0.4, 0.4, first)] * 3
