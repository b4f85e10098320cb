"""A suggestion run as a person reads it: per code how many, found by what, what it needs;
a re-run compared with the run before; the run started in the background and cancelled."""

from __future__ import annotations

import pytest

from thematic.jobs import CANCELLED, DONE, JobBoard
from thematic.models import Code
from thematic.services.background import start_suggestions
from thematic.services.run_report import summarise_run


def test_a_first_run_reports_each_code_and_what_it_needs(coded) -> None:
    coded.codebook.add_code(Code("bare", "A code with nothing to go on"), actor="ana")
    report = coded.suggestions.run(["rules"], actor="ana")
    summary = summarise_run(coded.store, report)
    lines = summary.codes.set_index("code")
    assert summary.headline.startswith(f"Run {report.run_id} (rules): ")
    assert "This is the first run: nothing to compare with." in summary.changes
    assert lines["before"].isna().all()
    bare = lines.loc["bare"]
    assert bare["suggestions"] == 0 and bare["needs"] == "no rules yet: add keywords or phrases"
    found = lines[lines["suggestions"] > 0]
    assert len(found), "the sample codebook's rules match the two transcripts"
    first = found.iloc[0]
    assert first["found"] == f"rule {first['suggestions']}"
    assert int(lines["suggestions"].sum()) == report.suggestions
    assert (lines["model"] == "codebook").all()  # each code says which model it used and why
    assert first["why"].startswith(f"{first['suggestions']} suggestion")


def test_a_rerun_says_what_changed_since_the_previous_run(coded) -> None:
    first = coded.suggestions.run(["rules"], actor="ana")
    code = summarise_run(coded.store, first).codes.query("suggestions > 0").iloc[0]["code"]
    coded.codebook.delete_code(code, actor="ana")  # its suggestions go: the re-run has fewer
    again = summarise_run(coded.store, coded.suggestions.run(["rules"], actor="ana"))
    lines = again.codes.set_index("code")
    assert code not in lines.index
    assert any(line.startswith(f"Compared with run {first.run_id}: ") for line in again.changes)
    assert (lines["change"] == 0).all()  # the other codes found what they found before
    assert again.changes[0].endswith("already decided and left as they were.")


@pytest.mark.slow
def test_semantic_needs_a_definition_or_examples(coded) -> None:
    coded.codebook.add_code(Code("bare", "A code with nothing to go on"), actor="ana")
    report = coded.suggestions.run(["semantic"], backend="tfidf", actor="ana")
    needs = summarise_run(coded.store, report).codes.set_index("code")["needs"]
    assert needs["bare"] == "no definition or examples to compare with"
    assert "no rules" not in needs["feeling-heard"]  # the rules engine did not run


def test_a_background_run_ends_in_its_summary(coded) -> None:
    board = JobBoard()
    job = start_suggestions(board, coded.store, engines=["rules"], actor="ana")
    end = job.wait(60)
    assert end.status == DONE, end.error
    assert end.result.report.engines == ["rules"] and end.result.codes["suggestions"].sum() > 0
    assert end.owner == "ana"
    runs = coded.suggestions.runs()
    assert len(runs) == 1 and runs["stats"].iloc[0]["engines"] == ["rules"]


def test_a_cancelled_background_run_stores_nothing(coded) -> None:
    board = JobBoard()
    job = start_suggestions(board, coded.store, engines=["rules"], actor="ana")
    job.cancel()
    end = job.wait(60)
    assert end.status == CANCELLED
    assert coded.suggestions.runs().empty and coded.review.codings(status="suggested").empty


def test_a_project_without_codebook_is_refused_before_anything_starts(project) -> None:
    import pytest

    from thematic.errors import ThematicError

    board = JobBoard()
    with pytest.raises(ThematicError, match="no codebook yet"):
        start_suggestions(board, project.store, engines=["rules"], actor="ana")
    assert board.get(("suggest", str(project.store.url))) is None
