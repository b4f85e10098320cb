"""Our project as data -> .qdpx -> import plan: the round trip keeps everything."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.refi.conftest import DATA
from thematic.models import Code, Codebook
from thematic.refi.plan import plan_import
from thematic.refi.qde_read import read_project
from thematic.refi.qde_write import TARGETS, write_qdpx
from thematic.refi.snapshot import SnapDocument, SnapMemo, Snapshot, build_exchange
from thematic.services.exchange import read_exchange

TEXT = "Interviewer: How was it?\nP01: Honestly 😅 it was chaos.\nP01: The team were kind to me."


def snapshot() -> Snapshot:
    book = Codebook(
        codes=[
            Code(
                "chaos",
                "Chaos",
                definition="Disorder.",
                inclusion="Explicit.",
                exclusion="Jokes.",
                color="#e03c31",
            ),
            Code("kind", "Kindness", parent_id="chaos"),
        ]
    )
    a, b = TEXT.index("it was chaos"), TEXT.index("The team were kind")
    codings = pd.DataFrame(
        [
            {
                "coding_id": 1,
                "document_id": 7,
                "code": "chaos",
                "start": a,
                "end": a + 12,
                "source": "rule",
                "status": "accepted",
                "confidence": 0.8,
                "evidence": {"terms": ["chaos"]},
                "coder": None,
                "run_id": 3,
                "decided_by": "dana",
                "decided_at": "2024-05-06T10:00:00",
            },
            {
                "coding_id": 2,
                "document_id": 7,
                "code": "kind",
                "start": b,
                "end": b + 18,
                "source": "manual",
                "status": "accepted",
                "confidence": None,
                "evidence": {},
                "coder": "sam",
                "run_id": None,
                "decided_by": "sam",
                "decided_at": "2024-05-07T09:00:00",
            },
            {
                "coding_id": 3,
                "document_id": 7,
                "code": "kind",
                "start": a,
                "end": a + 12,
                "source": "semantic",
                "status": "rejected",
                "confidence": 0.4,
                "evidence": {"nearest": [1]},
                "coder": None,
                "run_id": 3,
                "decided_by": "dana",
                "decided_at": "2024-05-06T10:05:00",
            },
        ]
    )
    participants = pd.DataFrame([{"participant": "P01", "name": "Ben", "age": 34, "site": "North"}])
    themes = pd.DataFrame(
        [
            {
                "theme_id": 1,
                "name": "Belonging",
                "parent": None,
                "definition": "Being part of it.",
                "position": 0,
            },
            {"theme_id": 2, "name": "Care", "parent": "Belonging", "definition": "", "position": 1},
        ]
    )
    theme_codes = pd.DataFrame(
        [{"theme": 1, "code": "kind"}, {"theme": 2, "code": "chaos"}, {"theme": 2, "code": "kind"}]
    )
    memos = [
        SnapMemo(1, "project", None, "Plan", "Ten interviews.", "dana", "2024-05-01T08:00:00"),
        SnapMemo(2, "document", "7", "On P01", "Tired.", "sam"),
        SnapMemo(3, "code", "chaos", "On chaos", "Everywhere."),
        SnapMemo(4, "coding", "1", "On a coding", "Strong."),
        SnapMemo(5, "theme", "2", "On care", "Merge?"),
    ]
    return Snapshot(
        name="Ward",
        documents=[SnapDocument(7, "P01", TEXT, ["P01"], "txt", "abc")],
        codebook=book,
        codings=codings,
        participants=participants,
        attribute_types={"age": "number", "site": "category"},
        memos=memos,
        themes=themes,
        theme_codes=theme_codes,
        runs=[{"run_id": 3, "engine": "rules", "params": {"min": 1}}],
        coders=["dana", "sam"],
    )


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_round_trip_is_lossless(target: str, tmp_path: Path) -> None:
    snap = snapshot()
    path = write_qdpx(build_exchange(snap), tmp_path / "ward.qdpx", target=target)
    plan = plan_import(read_project(path))
    assert plan.unplaced == [] and plan.dropped == []
    assert plan.codes == snap.codebook.codes
    (doc,) = plan.documents
    assert (doc.name, doc.text, doc.participants, doc.format) == ("P01", TEXT, ["P01"], "txt")
    got = sorted(
        (
            c.code,
            c.start,
            c.end,
            c.source,
            c.status,
            c.confidence,
            c.evidence,
            c.decided_by,
            c.decided_at,
            plan.runs[c.run]["engine"] if c.run is not None else None,
        )
        for c in plan.codings
    )
    want = sorted(
        (
            r.code,
            r.start,
            r.end,
            r.source,
            r.status,
            None if pd.isna(r.confidence) else r.confidence,
            r.evidence,
            r.decided_by,
            r.decided_at,
            "rules" if r.run_id == 3 else None,
        )
        for r in snap.codings.itertuples()
    )
    assert got == want
    assert {c.coder for c in plan.codings if c.source == "manual"} == {"sam"}
    assert plan.coders == ["dana", "sam"]
    assert plan.participants == {"P01": {"name": "Ben", "attributes": {"age": 34, "site": "North"}}}
    assert plan.attribute_types == {"age": "number", "site": "category"}
    memos = {m.title: (m.target_type, m.target, m.body, m.author) for m in plan.memos}
    assert memos["Plan"] == ("project", None, "Ten interviews.", "dana")
    assert memos["On P01"] == ("document", doc.ref, "Tired.", "sam")
    assert memos["On chaos"][:2] == ("code", "chaos")
    coding_ref = next(c.ref for c in plan.codings if c.source == "rule")
    assert memos["On a coding"][:2] == ("coding", coding_ref)
    themes = {t.ref: t for t in plan.themes}
    care = next(t for t in plan.themes if t.name == "Care")
    assert themes[care.parent].name == "Belonging"
    assert sorted(care.codes) == ["chaos", "kind"] and care.position == 1
    assert memos["On care"][:2] == ("theme", care.ref)
    assert next(t for t in plan.themes if t.name == "Belonging").definition == "Being part of it."


def test_foreign_plan_nvivo() -> None:
    plan = plan_import(read_exchange(DATA / "nvivo_windows.qdpx"))
    assert {c.source for c in plan.codings} == {"import"} and {c.status for c in plan.codings} == {
        "accepted"
    }
    assert {c.coder for c in plan.codings} == {"Dana Whitfield"}
    assert plan.participants == {"P01": {"name": None, "attributes": {"Age": 34}}}
    assert plan.attribute_types == {"Age": "number"}
    assert [(m.target_type, m.body) for m in plan.memos] == [
        ("project", "Chaos comes up in every first-week story.")
    ]
    assert [(t.name, t.codes) for t in plan.themes] == [("Belonging", ["peer-support"])]
    assert [c.id for c in plan.codes] == ["chaos", "peer-support", "night-shifts"]


def test_span_notes_quote_their_span() -> None:
    plan = plan_import(read_exchange(DATA / "maxqda" / "project.qde"))
    (memo,) = plan.memos
    assert memo.target_type == "document" and "“Handover is rushed”" in memo.title
    assert memo.body == "Said with a sigh."


def test_qualcoder_plan() -> None:
    plan = plan_import(read_exchange(DATA / "qualcoder_study.qda"))
    kinds = sorted(m.target_type for m in plan.memos)
    assert kinds == ["coding", "document", "document", "project"]
    assert plan.participants["P07"]["attributes"] == {"years": 12, "site": "North"}
    assert any("photo.jpg" in d for d in plan.dropped)
