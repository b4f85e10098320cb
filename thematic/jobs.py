"""Background jobs: a long library call (a suggestion run, the review order) run in a thread,
its progress polled and a way to cancel it.

A shell starts a job and returns at once; any session may then read the job's
:class:`JobState` (``job.state()``) and draw a progress bar, or ask it to stop. The call gets
the job's progress callback (``progress(stage, done, total)``, the library's
:data:`~thematic.progress.Progress`); once cancelling was asked, the next call of it raises
:class:`JobCancelled`, so the library call stops at its next progress report and, writing its
results in one transaction at the end, leaves nothing half-written.

A :class:`JobBoard` holds the jobs of a server, at most one running per key (one suggestion
run per project), so that a second person asking for a run sees the one under way.

Examples
--------
>>> board = JobBoard()
>>> job = board.start("demo", lambda progress: sum(range(10)), label="sum")
>>> job.wait(5).status, job.state().result
('done', 45)
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from thematic.errors import ThematicError
from thematic.progress import Progress

log = logging.getLogger(__name__)

#: What a job's call is given: the progress callback. Returns the job's result.
JobCall = Callable[[Progress], Any]
RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"
_ids = itertools.count(1)


class JobCancelled(ThematicError):
    """The job was asked to stop; raised from its progress callback."""


class JobBusy(ThematicError):
    """A job with the same key is still running."""


@dataclass(frozen=True)
class JobState:
    """A snapshot of a job: what it is doing, how far it got, and how it ended.

    ``status`` is running, done, failed or cancelled; ``error`` is the one-line message of a
    failure (a :class:`~thematic.errors.ThematicError`'s text, or the kind of a bug) and
    ``failure`` the error itself (None for a bug), for a shell to word its remedy;
    ``result`` is what the call returned (None until done).
    """

    id: int
    key: Hashable
    label: str
    owner: str
    status: str
    stage: str
    done: int
    total: int
    started: float
    finished: float | None
    cancel_asked: bool
    result: Any = None
    error: str = ""
    tag: Hashable = None
    failure: ThematicError | None = None

    @property
    def running(self) -> bool:
        return self.status == RUNNING

    @property
    def fraction(self) -> float:
        """How far the current stage is, in [0, 1] (0 when its size is unknown)."""
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    @property
    def seconds(self) -> float:
        """Seconds since the start (to the end, once ended)."""
        return (self.finished or time.time()) - self.started

    def line(self) -> str:
        """One line for a progress bar: "embed: 1,200 of 3,400 segments · 12 s"."""
        if self.status != RUNNING:
            return f"{self.label}: {self.status} after {self.seconds:.0f} s"
        where = f"{self.stage}: {self.done:,} of {self.total:,}" if self.total else self.stage
        stopping = " · stopping…" if self.cancel_asked else ""
        return f"{self.label} · {where or 'starting'} · {self.seconds:.0f} s{stopping}"


class Job:
    """One call run in a daemon thread; see the module docstring."""

    def __init__(self, key: Hashable, call: JobCall, *, label: str = "", owner: str = "",
                 tag: Hashable = None) -> None:
        self.id = next(_ids)
        self.key = key
        self.tag = tag
        self.label = label or "job"
        self.owner = owner
        self._call = call
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._status, self._stage, self._done, self._total = RUNNING, "", 0, 0
        self._started: float = time.time()
        self._finished: float | None = None
        self._result: Any = None
        self._error = ""
        self._failure: ThematicError | None = None
        self._thread = threading.Thread(target=self._run, name=f"thematic-job-{self.id}",
                                        daemon=True)

    def start(self) -> Job:
        self._thread.start()
        return self

    def progress(self, stage: str, done: int, total: int) -> None:
        """The call's progress callback: records progress; raises JobCancelled once asked."""
        with self._lock:
            self._stage, self._done, self._total = stage, int(done), int(total)
        if self._cancel.is_set():
            raise JobCancelled("the run was cancelled; nothing was stored")

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> JobState:
        """Block until the job ends (or ``timeout`` seconds); its state."""
        self._ended.wait(timeout)
        return self.state()

    def state(self) -> JobState:
        with self._lock:
            return JobState(self.id, self.key, self.label, self.owner, self._status, self._stage,
                            self._done, self._total, self._started, self._finished,
                            self._cancel.is_set(), self._result, self._error, self.tag,
                            self._failure)

    def _run(self) -> None:
        _lower_priority()
        status, result, error, failure = DONE, None, "", None
        try:
            result = self._call(self.progress)
        except JobCancelled:
            status = CANCELLED
        except ThematicError as exc:
            status, error, failure = FAILED, str(exc), exc
        except Exception as exc:  # noqa: BLE001 - a library bug: the job says so, the server lives
            log.exception("job %s (%s) failed", self.id, self.label)
            status, error = FAILED, f"a bug in thematic ({type(exc).__name__}); please report it"
        with self._lock:
            self._status, self._result, self._error = status, result, error
            self._failure = failure
            self._finished = time.time()
        self._ended.set()


#: How much lower than the server's the priority of a job's thread is (Linux niceness): the
#: pages people are reading come first, the long computation takes what is left.
JOB_NICENESS = 10


def _lower_priority() -> None:
    """Lower the calling thread's scheduling priority (Linux: a thread is a task with its own
    niceness); elsewhere nothing happens."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOB_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at the same priority
        pass


class JobBoard:
    """The jobs of one server: at most one running per key; the latest job of each key is
    kept (ended ones too) so that every session sees how it went."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[Hashable, Job] = {}
        self._done: dict[Hashable, Job] = {}  # the latest job of a key that ended done

    def start(self, key: Hashable, call: JobCall, *, label: str = "", owner: str = "",
              tag: Hashable = None) -> Job:
        """Start ``call(progress)`` in the background under ``key`` (``tag``: what the caller
        needs to know which input the job is for, such as a revision).

        Raises
        ------
        JobBusy
            A job of ``key`` is still running (its owner and progress are in the message).
        """
        with self._lock:
            current = self._jobs.get(key)
            if current is not None and current.state().running:
                state = current.state()
                by = f" (started by {state.owner})" if state.owner else ""
                raise JobBusy(f"{state.label} is still running{by}",
                              hint="Wait for it to finish, or cancel it first.")
            if current is not None and current.state().status == DONE:
                self._done[key] = current
            job = Job(key, call, label=label, owner=owner, tag=tag)
            self._jobs[key] = job
        return job.start()

    def latest_done(self, key: Hashable) -> JobState | None:
        """The state of the latest job of ``key`` that ended done (its result), or None:
        while a newer job runs, the previous result is still there to use."""
        with self._lock:
            current = self._jobs.get(key)
            if current is not None and current.state().status == DONE:
                return current.state()
            done = self._done.get(key)
        return done.state() if done is not None else None

    def get(self, key: Hashable) -> Job | None:
        """The latest job of ``key`` (running or ended), or None."""
        with self._lock:
            return self._jobs.get(key)

    def forget(self, key: Hashable, job_id: int | None = None) -> None:
        """Drop the ended job of ``key`` (``job_id``: only if it is still that one)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job.state().running and job_id in (None, job.id):
                del self._jobs[key]


__all__ = ["CANCELLED", "DONE", "FAILED", "RUNNING", "Job", "JobBoard", "JobBusy", "JobCancelled",
           "JobState"]
