"""Contradictory decisions reach learning through the review mode, never averaged."""

from __future__ import annotations

from thematic.services.learning import training_labels
from thematic.services.runs import unit_segments


def _labels(project):
    _, segments = unit_segments(project.store)
    codes = [c.id for c in project.codebook.current().codes]
    return segments, training_labels(project.store, segments, codes)


def _segment_of(segments, text):
    return next(s.id for s in segments if s.text == text)


def test_shared_review_the_later_decision_wins(coded):
    segments, before = _labels(coded)
    seg = _segment_of(segments, "I felt heard for the first time.")
    got = {(r.segment_id, r.code): r.label for r in before.labels.itertuples()}
    assert got[(seg, "feeling-heard")] == 1 and before.overridden == 0 and before.mode == "shared"
    # bob codes part of the same sentence with the same code; ana rejects it afterwards
    later = coded.review.code_span("P01", "feeling-heard", actor="bob", quote="I felt heard")
    coded.review.decide([later], "rejected", actor="ana")
    _, after = _labels(coded)
    got = {(r.segment_id, r.code): r.label for r in after.labels.itertuples()}
    assert got[(seg, "feeling-heard")] == 0 and after.overridden == 1
    # and when the acceptance is the later word, it is a positive again
    coded.review.decide([coded.ids[("P01", "feeling-heard")]], "rejected", actor="bob")
    coded.review.decide([coded.ids[("P01", "feeling-heard")]], "accepted", actor="bob")
    _, again = _labels(coded)
    got = {(r.segment_id, r.code): r.label for r in again.labels.itertuples()}
    assert got[(seg, "feeling-heard")] == 1


def test_independent_review_leaves_disagreements_out_until_a_consensus(coded, tmp_path):
    (tmp_path / "P03.txt").write_text("Interviewer: Cameras?\nP03: I keep my camera off in the group.\n",
                                      encoding="utf-8")
    coded.documents.ingest([tmp_path / "P03.txt"], actor="ana")
    coded.suggestions.run(engines=["rules"], actor="ana")  # the codebook's rules: a suggestion to decide
    coded.settings.set_review_mode("independent", actor="ana")
    pending = coded.review.codings(status="suggested")
    row = pending.iloc[0]
    segments, _ = _labels(coded)
    seg_ids = {s.id for s in segments}
    assert row["segment_id"] in seg_ids
    pair = (int(row["segment_id"]), row["code"])
    coded.review.decide([int(row["coding_id"])], "accepted", actor="ana")
    _, agreed = _labels(coded)
    assert agreed.mode == "independent" and agreed.contested == 0
    assert {(r.segment_id, r.code): r.label for r in agreed.labels.itertuples()}[pair] == 1
    coded.review.decide([int(row["coding_id"])], "rejected", actor="bob")  # bob disagrees, blind
    _, split = _labels(coded)
    assert split.contested == 1
    assert pair not in {(r.segment_id, r.code) for r in split.labels.itertuples() if r.kind != "other_code"}
    coded.review.consensus([int(row["coding_id"])], "rejected", actor="ana")  # the final word
    _, settled = _labels(coded)
    assert settled.contested == 0
    assert {(r.segment_id, r.code): (r.label, r.kind) for r in settled.labels.itertuples()}[pair] == (0, "rejected")


def test_the_run_keeps_its_per_code_report(coded):
    import pytest

    from thematic.errors import NotFoundError

    assert coded.suggestions.code_report().empty  # no run yet
    report = coded.suggestions.run(engines=["rules"], actor="ana")
    kept = coded.suggestions.code_report()
    assert list(kept.columns) == ["code", "name", "total", "model", "why"]
    assert kept["code"].tolist() == report.per_code["code"].tolist()
    assert kept["why"].tolist() == report.per_code["why"].tolist()
    assert (kept["model"] == "codebook").all()
    assert coded.suggestions.code_report(report.run_id)["total"].sum() == report.suggestions
    with pytest.raises(NotFoundError, match="run 999 is not a suggestion run of this project"):
        coded.suggestions.code_report(999)
