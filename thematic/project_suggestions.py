"""The suggestion-side methods of :class:`thematic.Project`: topic candidates and learning
from decisions (mixed into Project; each method calls one service)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from thematic.store import ProjectStore


class ProjectSuggestions:
    """Topics and the review queue of :class:`thematic.Project`."""

    store: ProjectStore

    # ------------------------------------------------------------------ topics (helper topics)
    def topics_run(self, **kwargs: Any) -> Any:
        """Fit topic candidates over participant turns and store them as a run.

        Keyword arguments go to :func:`thematic.services.topics.run_topics` (unit,
        include_interviewer, uncovered_only, guided, backend, random_state, progress, actor,
        and TopicModeler parameters). Returns a ``TopicsReport``.
        """
        from thematic.services import topics

        return topics.run_topics(self.store, **kwargs)

    def topics(self, *, run: int | None = None, status: str | None = None) -> pd.DataFrame:
        """Topic candidates of a run (default: the latest). Columns: topic_id, run_id, key,
        label, keywords, size, participants, stability, stable, nearest, status, code,
        merged_into, quotes."""
        from thematic.services import topics

        return topics.topics(self.store, run=run, status=status)

    def topic_members(self, topic_ids: Sequence[int]) -> pd.DataFrame:
        """Member segments of topics with probability, place and text."""
        from thematic.services import topics

        return topics.members(self.store, topic_ids)

    def adopt_topic(self, topic_id: int, *, coder: str, name: str | None = None,
                    code_id: str | None = None) -> str:
        """Adopt a topic as a new code (members become suggested codings); returns the code id."""
        from thematic.services import topics

        return topics.adopt_topic(self.store, topic_id, coder=coder, name=name, code_id=code_id)

    def map_topic(self, topic_id: int, code: str, *, coder: str) -> int:
        """Map a topic to an existing code (members become suggested codings of it)."""
        from thematic.services import topics

        return topics.map_topic(self.store, topic_id, code, coder=coder)

    def merge_topics(self, sources: Sequence[int], into: int, *, coder: str) -> int:
        """Merge topics into one; returns how many members the target gained."""
        from thematic.services import topics

        return topics.merge_topics(self.store, sources, into, coder=coder)

    def rename_topic(self, topic_id: int, label: str, *, coder: str) -> None:
        """Give a topic a new label."""
        from thematic.services import topics

        topics.rename_topic(self.store, topic_id, label, coder=coder)

    def reject_topic(self, topic_id: int, *, coder: str) -> None:
        """Reject a topic candidate."""
        from thematic.services import topics

        topics.reject_topic(self.store, topic_id, coder=coder)

    def export_topics(self, target: str | Path, *, fmt: str | None = None, run: int | None = None) -> int:
        """Write one row per member segment of the run's topics as CSV/XLSX; returns the rows."""
        from thematic.export import write_table
        from thematic.services import topics

        table = topics.topics_table(self.store, run=run)
        write_table(table, target, fmt=fmt, sheet_name="topics")
        return len(table)


    # ------------------------------------------------------------------ runs in the background
    def start_suggestions(self, board: Any, *, engines: Sequence[str], actor: str | None = None,
                          **params: Any) -> Any:
        """Start a suggestion run on ``board`` (a :class:`thematic.jobs.JobBoard`); returns the
        Job. See ``services.background.start_suggestions``."""
        from thematic.services.background import start_suggestions

        return start_suggestions(board, self.store, engines=engines, actor=actor, **params)

    def suggestion_job(self, board: Any) -> Any:
        """The latest suggestion run of this project on ``board`` (a Job), or None."""
        from thematic.services.background import suggestion_key

        return board.get(suggestion_key(self.store))

    # ------------------------------------------------------------------ learning from decisions
    def review_queue(self, *, limit: int | None = 20, code: str | None = None,
                     unit: str | None = None, backend: Any = None) -> pd.DataFrame:
        """Suggestions to decide next, the most informative first (the classifier's least sure).

        See :func:`thematic.services.learning.review_queue` for the columns.
        """
        from thematic.services import learning

        return learning.review_queue(self.store, limit=limit, code=code, unit=unit, backend=backend)

    def learning_status(self, *, unit: str | None = None, backend: Any = None) -> pd.DataFrame:
        """Per code: decisions so far, whether the classifier learned it, how many more it needs,
        and its cross-validated expected precision."""
        from thematic.services import learning

        return learning.learning_status(self.store, unit=unit, backend=backend)
