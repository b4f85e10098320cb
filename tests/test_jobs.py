"""Background jobs: a call run in a thread, its progress polled, cancelled, failed, one per key."""

from __future__ import annotations

import threading

import pytest

from thematic.errors import ParameterError
from thematic.jobs import CANCELLED, DONE, FAILED, JobBoard, JobBusy


def _stepper(gate: threading.Event, steps: int = 5):
    """A call that reports each step and waits for ``gate`` before the last."""

    def call(progress):
        for i in range(steps):
            progress("count", i, steps)
            if i == steps - 2:
                gate.wait(5)
        return steps

    return call


def test_a_job_reports_progress_and_its_result() -> None:
    board, gate = JobBoard(), threading.Event()
    job = board.start(("suggest", "a"), _stepper(gate), label="Counting", owner="ana")
    seen = job.state()
    assert seen.running and seen.owner == "ana"
    gate.set()
    end = job.wait(5)
    assert end.status == DONE and end.result == 5 and end.stage == "count" and end.done == 4
    assert end.finished is not None and "Counting: done" in end.line()
    assert board.get(("suggest", "a")) is job  # kept for every session to read


def test_a_second_job_of_the_same_key_is_refused_while_one_runs() -> None:
    board, gate = JobBoard(), threading.Event()
    board.start("p", _stepper(gate), label="Suggestions", owner="ana")
    with pytest.raises(JobBusy, match="Suggestions is still running \\(started by ana\\)"):
        board.start("p", _stepper(gate), label="Suggestions", owner="bo")
    other = board.start("q", lambda progress: "other key")  # another project is free
    assert other.wait(5).result == "other key"
    gate.set()
    board.get("p").wait(5)
    assert board.start("p", lambda progress: 1).wait(5).status == DONE  # ended: may start again


def test_cancel_stops_the_call_at_its_next_progress_report() -> None:
    board, gate = JobBoard(), threading.Event()
    reached = []

    def call(progress):
        progress("embed", 1, 10)
        gate.wait(5)
        progress("embed", 2, 10)  # raises: cancelled
        reached.append("after the cancel")

    job = board.start("p", call, label="Suggestions")
    job.cancel()
    assert "stopping" in job.state().line()
    gate.set()
    end = job.wait(5)
    assert end.status == CANCELLED and reached == [] and end.result is None


def test_a_failure_keeps_one_line_and_a_bug_says_it_is_one() -> None:
    board = JobBoard()

    def bad_input(progress):
        raise ParameterError("engine must be one of rules, semantic. Got 'x' instead.")

    def bug(progress):
        raise KeyError("secret transcript text")

    end = board.start("a", bad_input).wait(5)
    assert end.status == FAILED and end.error.startswith("engine must be one of")
    assert isinstance(end.failure, ParameterError)
    end = board.start("b", bug).wait(5)
    assert end.status == FAILED and "a bug in thematic (KeyError)" in end.error
    assert end.failure is None


def test_a_failed_job_keeps_its_error_for_the_app_to_word_its_remedy() -> None:
    from thematic.errors import ThematicError
    from thematic.views import md

    def no_codebook(progress):
        raise ThematicError("the project has no codebook", remedy="load-codebook")

    end = JobBoard().start("c", no_codebook).wait(5)
    assert end.error.endswith("(project.codebook.load(PATH)).")
    assert end.failure is not None
    assert md(end.failure).endswith("Load one first on the Project page \\(Codebook\\)\\.")
    assert "secret" not in end.error


def test_forget_drops_an_ended_job_only() -> None:
    board, gate = JobBoard(), threading.Event()
    job = board.start("p", _stepper(gate))
    board.forget("p")
    assert board.get("p") is job  # still running: kept
    gate.set()
    job.wait(5)
    board.forget("p", job_id=job.id + 1)
    assert board.get("p") is job  # another job's id: kept
    board.forget("p", job_id=job.id)
    assert board.get("p") is None


def test_the_previous_result_stays_while_a_newer_job_runs() -> None:
    board, gate = JobBoard(), threading.Event()
    assert board.latest_done("order") is None
    board.start("order", lambda progress: [3, 1, 2], tag=1).wait(5)
    assert board.latest_done("order").result == [3, 1, 2]
    newer = board.start("order", lambda progress: gate.wait(5) and [1, 2, 3], tag=2)
    seen = board.latest_done("order")
    assert (seen.result, seen.tag) == ([3, 1, 2], 1)  # the newer one is still running
    gate.set()
    newer.wait(5)
    seen = board.latest_done("order")
    assert (seen.result, seen.tag) == ([1, 2, 3], 2)
