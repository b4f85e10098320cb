"""Suggestion runs in the background (:mod:`thematic.jobs`): started from the app, polled for
progress by any session of the server, cancellable; each ends in a
:class:`~thematic.services.run_report.RunSummary`.

The project's URL keys the job, so one project has at most one run under way and everyone
working on it sees that run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thematic.errors import ThematicError
from thematic.jobs import Job, JobBoard, JobBusy
from thematic.progress import Progress
from thematic.store import ProjectStore

SUGGEST = "suggest"
ORDER = "review-order"


def suggestion_key(store: ProjectStore) -> tuple[str, str]:
    """The board key of the project's suggestion run."""
    return (SUGGEST, str(store.url))


def check_ready(store: ProjectStore) -> None:
    """Raise ThematicError (saying what to do) when the project cannot be coded yet."""
    if not store.codebook.current().codes:
        raise ThematicError("the project has no codebook yet",
                            hint="Load one on the Project or Codebook page first.")
    if not int(store.documents.counts().get("documents", 0)):
        raise ThematicError("the project has no transcripts yet",
                            hint="Import some on the Project page first.")


def start_suggestions(board: JobBoard, store: ProjectStore, *, engines: Sequence[str],
                      actor: str, **params: Any) -> Job:
    """Start a suggestion run of ``engines`` (``run_suggestions``'s other parameters in
    ``params``) on the board; its result is the run's RunSummary.

    Bad parameters, a project without codebook or transcripts, and a run already under way
    raise at once (ThematicError, JobBusy), before anything starts.
    """
    from thematic.services.run_report import summarise_run
    from thematic.services.suggest import check_run_params, run_suggestions

    check_run_params(engines=engines, unit=params.get("unit"),
                     group_codes=params.get("group_codes", "children_first"),
                     seed=params.get("seed", 0), turn_vectors=params.get("turn_vectors", "embedded"))
    check_ready(store)

    def call(progress: Progress) -> Any:
        report = run_suggestions(store, engines=list(engines), progress=progress, actor=actor,
                                 **params)
        return summarise_run(store, report)

    return board.start(suggestion_key(store), call, label="Suggestions", owner=actor)


def order_key(store: ProjectStore) -> tuple[str, str]:
    """The board key of the project's review order (the classifier's)."""
    return (ORDER, str(store.url))


def review_order(board: JobBoard, store: ProjectStore, *, bucket: int, limit: int = 200,
                 backend: Any = None, start: bool = True) -> tuple[int, list[int]] | None:
    """The classifier's order of the review queue, never computed on the caller's thread.

    ``bucket`` numbers the decisions the order learns from (the app retrains every ten
    decisions). When the board has no order for ``bucket`` yet, one is started in the
    background; meanwhile the latest finished order (of an earlier bucket) is returned, or
    None at first (the queue then goes by confidence). Returns ``(its bucket, coding ids most
    informative first)``. ``start=False`` only reads (a page starts the work once it is drawn).
    """
    key = order_key(store)
    job = board.get(key)
    current = job.state() if job is not None else None
    if start and (current is None or (current.tag != bucket and not current.running)):
        def call(progress: Progress) -> list[int]:
            from thematic.services.learning import review_queue

            queue = review_queue(store, limit=limit, backend=backend)
            return [int(c) for c in queue["coding_id"]]

        try:
            board.start(key, call, label="Learning from the decisions", tag=bucket)
        except JobBusy:  # another session started it a moment ago
            pass
    done = board.latest_done(key)
    if done is None or not isinstance(done.result, list) or not isinstance(done.tag, int):
        return None
    return done.tag, list(done.result)


__all__ = ["ORDER", "SUGGEST", "check_ready", "order_key", "review_order", "start_suggestions",
           "suggestion_key"]
