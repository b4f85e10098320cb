"""The namespaces of a project's coding work: suggestion runs, review, topics, themes.
Each method is one call into :mod:`thematic.services` (or one read)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.project.base import Namespace, deprecated
from thematic.services import review as review_service
from thematic.services import themes as themes_service

if TYPE_CHECKING:
    from thematic.services.suggest import RunReport
    from thematic.services.topics import TopicsReport


class Suggestions(Namespace):
    """Suggestion runs and what they learn from decisions (``project.suggestions``). See
    :mod:`thematic.services.suggest` and :mod:`thematic.services.learning`."""

    def run(self, engines: Sequence[str] = ("rules", "semantic"), *, actor: str,
            **options: Any) -> RunReport:
        """Run suggestion engines over the segments (``options``: backend, unit,
        include_interviewer, group_codes, seed, progress). See
        :func:`thematic.services.suggest.run_suggestions`."""
        from thematic.services.suggest import run_suggestions

        return run_suggestions(self._store, engines=engines, actor=actor, **options)

    def start(self, board: Any, engines: Sequence[str] = ("rules", "semantic"), *, actor: str,
              **options: Any) -> Any:
        """Start a run in the background on ``board`` (a :class:`thematic.jobs.JobBoard`);
        returns the Job, whose result is the run's summary. See
        :func:`thematic.services.background.start_suggestions`."""
        from thematic.services.background import start_suggestions

        return start_suggestions(board, self._store, engines=engines, actor=actor, **options)

    def finetune(self, **options: Any) -> Any:
        """Fine-tune the sentence encoder on the decisions (``options``: seed, progress, unit);
        the finished model. See :func:`thematic.services.finetune.run_finetune`."""
        from thematic.services.finetune import run_finetune

        return run_finetune(self._store, **options)

    def start_finetune(self, board: Any, *, actor: str, **options: Any) -> Any:
        """Start the fine-tune in the background on ``board``; returns the Job. See
        :func:`thematic.services.finetune.start_finetune`."""
        from thematic.services.finetune import start_finetune

        return start_finetune(board, self._store, actor=actor, **options)

    def finetune_job(self, board: Any) -> Any:
        """The latest background fine-tune of this project on ``board`` (a Job), or None."""
        from thematic.services.finetune import finetune_key

        return board.get(finetune_key(self._store))

    def job(self, board: Any) -> Any:
        """The latest background run of this project on ``board`` (a Job), or None."""
        from thematic.services.background import suggestion_key

        return board.get(suggestion_key(self._store))

    def runs(self) -> pd.DataFrame:
        """Every run (suggestions and topics), one row each."""
        return self._reads.runs()

    def queue(self, *, limit: int | None = 20, code: str | None = None,
              unit: str | None = None, backend: Any = None) -> pd.DataFrame:
        """Suggestions to decide next, the most informative first (the classifier's least sure).
        See :func:`thematic.services.learning.review_queue`."""
        from thematic.services import learning

        return learning.review_queue(self._store, limit=limit, code=code, unit=unit,
                                     backend=backend)

    def code_report(self, run: int | None = None) -> pd.DataFrame:
        """Per code: how many suggestions a run made (the latest by default), the model it used
        (codebook or learned) and why. See :func:`thematic.services.suggest.code_report`."""
        from thematic.services.suggest import code_report

        return code_report(self._store, run)

    def learning_status(self, *, unit: str | None = None, backend: Any = None) -> pd.DataFrame:
        """Per code: decisions so far, how many more it needs, the model it uses (codebook or
        learned) and why."""
        from thematic.services import learning

        return learning.learning_status(self._store, unit=unit, backend=backend)


class Review(Namespace):
    """Decisions on codings, hand coding, undo (``project.review``). See
    :mod:`thematic.services.review`; the person deciding is ``actor``."""

    def codings(self, *, status: str | None = None,
                document: int | str | None = None) -> pd.DataFrame:
        """The codings (of one status, of one document) with their provenance."""
        return self._reads.codings(status=status, document=document)

    def decisions(self, *, coder: str | None = None) -> pd.DataFrame:
        """One row per decision: coding_id, coder, status, decided_at, final (``coder``: only
        that coder's, for blind review)."""
        return self._reads.decisions(coder=coder)

    def decide(self, coding_ids: Sequence[int], status: str, *, actor: str,
               expected_versions: Mapping[int, int] | None = None) -> int:
        """Set codings to ``status`` ("accepted", "rejected", or "suggested" to take it back)."""
        return review_service.decide(self._store, coding_ids, status, actor=actor,
                                     expected_versions=expected_versions)

    def accept(self, coding_ids: Sequence[int], *, actor: str, **kw: Any) -> int:
        """Accept codings."""
        return review_service.accept(self._store, coding_ids, actor=actor, **kw)

    def reject(self, coding_ids: Sequence[int], *, actor: str, **kw: Any) -> int:
        """Reject codings."""
        return review_service.reject(self._store, coding_ids, actor=actor, **kw)

    def turn_suggestions(self, coding_ids: Sequence[int]) -> list[int]:
        """``coding_ids`` and the suggestions of the same code in the same turn as each (a
        passage suggested sentence by sentence, to decide at once)."""
        return review_service.turn_suggestions(self._store, coding_ids)

    def bulk_decide(self, status: str, *, actor: str, **filters: Any) -> int:
        """Decide every suggestion matching ``filters`` (code, source, confidence range)."""
        return review_service.bulk_decide(self._store, status, actor=actor, **filters)

    def consensus(self, coding_ids: Sequence[int], status: str, *, actor: str) -> int:
        """Record the final decision on codings (independent review)."""
        return review_service.consensus(self._store, coding_ids, status, actor=actor)

    def code_span(self, document: int | str, code: str, *, actor: str, **where: Any) -> int:
        """Code a span by hand (``start``/``end``, or ``quote`` and ``occurrence``)."""
        return review_service.code_span(self._store, document, code, actor=actor, **where)

    def edit_span(self, coding_id: int, start: int, end: int, *, actor: str) -> int:
        """Change a coding's span (it is then accepted by ``actor``); returns the coding that
        holds it (in independent review, ``actor``'s own)."""
        return review_service.edit_span(self._store, coding_id, start, end, actor=actor)

    def recode(self, coding_id: int, code: str, *, actor: str) -> int:
        """Move a coding to another code (accepted by ``actor``); returns the coding that
        holds it (in independent review, ``actor``'s own)."""
        return review_service.recode(self._store, coding_id, code, actor=actor)

    def undo(self, *, actor: str, mine_only: bool = False) -> list[str]:
        """Undo the newest change (``mine_only``: ``actor``'s newest)."""
        return review_service.undo(self._store, actor=actor, mine_only=mine_only)

    def history(self, *, limit: int = 50, by: str | None = None) -> pd.DataFrame:
        """The newest changes, one row per transaction (``by``: one person's)."""
        return review_service.history(self._store, limit=limit, by=by)


class Topics(Namespace):
    """Topic candidates and the decisions on them (``project.topics``). See
    :mod:`thematic.services.topics`."""

    def run(self, *, actor: str, **options: Any) -> TopicsReport:
        """Fit topic candidates over participant turns and store them as a run. See
        :func:`thematic.services.topics.run_topics` for ``options``."""
        from thematic.services.topics import run_topics

        return run_topics(self._store, actor=actor, **options)

    def frame(self, *, run: int | None = None, status: str | None = None) -> pd.DataFrame:
        """Topic candidates of a run (default: the latest)."""
        from thematic.services.topics import topics

        return topics(self._store, run=run, status=status)

    def members(self, topic_ids: Sequence[int]) -> pd.DataFrame:
        """Member segments of topics with probability, place and text."""
        from thematic.services.topics import members

        return members(self._store, topic_ids)

    def table(self, *, run: int | None = None) -> pd.DataFrame:
        """One row per member segment of the run's live topics (what the topics export writes)."""
        from thematic.services.topics import topics_table

        return topics_table(self._store, run=run)

    def adopt(self, topic_id: int, *, actor: str, name: str | None = None,
              code_id: str | None = None) -> str:
        """Adopt a topic as a new code (members become suggested codings); returns the code id."""
        from thematic.services.topics import adopt_topic

        return adopt_topic(self._store, topic_id, actor=actor, name=name, code_id=code_id)

    def map(self, topic_id: int, code: str, *, actor: str) -> int:
        """Map a topic to an existing code (members become suggested codings of it)."""
        from thematic.services.topics import map_topic

        return map_topic(self._store, topic_id, code, actor=actor)

    def merge(self, sources: Sequence[int], into: int, *, actor: str) -> int:
        """Merge topics into one; returns how many members the target gained."""
        from thematic.services.topics import merge_topics

        return merge_topics(self._store, sources, into, actor=actor)

    def rename(self, topic_id: int, label: str, *, actor: str) -> None:
        """Give a topic a new label."""
        from thematic.services.topics import rename_topic

        rename_topic(self._store, topic_id, label, actor=actor)

    def reject(self, topic_id: int, *, actor: str) -> None:
        """Reject a topic candidate."""
        from thematic.services.topics import reject_topic

        reject_topic(self._store, topic_id, actor=actor)

    def __call__(self, *, run: int | None = None, status: str | None = None) -> pd.DataFrame:
        deprecated("topics()", "topics.frame()")
        return self.frame(run=run, status=status)


class Themes(Namespace):
    """Themes and subthemes, their quotes, framework summaries (``project.themes``). See
    :mod:`thematic.services.themes`."""

    def frame(self) -> pd.DataFrame:
        """Themes: theme_id, name, parent (name or None), definition, position."""
        return self._reads.themes()

    def codes(self) -> pd.DataFrame:
        """The codes of each theme: theme (name), code (code id)."""
        return self._reads.theme_codes()

    def quotes(self) -> pd.DataFrame:
        """Each theme's exemplar quotes: theme, coding_id, position."""
        return self._reads.theme_quotes()

    def summaries(self) -> pd.DataFrame:
        """Framework summaries: participant, theme, code, summary, quote_ids, author, updated_at."""
        return self._reads.framework_summaries()

    def add(self, name: str, *, actor: str, codes: Sequence[str] = (), parent: str | None = None,
            definition: str = "", position: int | None = None) -> int:
        """Add a theme or subtheme; returns its id."""
        return themes_service.add_theme(self._store, name, codes=codes, parent=parent,
                                        definition=definition, position=position, actor=actor)

    def edit(self, name: str, *, actor: str, **changes: Any) -> None:
        """Rename, move, redefine, reorder or recode a theme (see
        :func:`thematic.services.themes.edit_theme`)."""
        themes_service.edit_theme(self._store, name, actor=actor, **changes)

    def remove(self, name: str, *, actor: str) -> list[str]:
        """Remove a theme and its subthemes; returns the names removed."""
        return themes_service.remove_theme(self._store, name, actor=actor)

    def add_quote(self, theme: str, coding_id: int, *, actor: str) -> bool:
        """Choose an accepted coding of the theme's own codes as an exemplar quote."""
        return themes_service.add_theme_quote(self._store, theme, coding_id, actor=actor)

    def remove_quote(self, theme: str, coding_id: int, *, actor: str) -> bool:
        """Remove an exemplar quote from a theme."""
        return themes_service.remove_theme_quote(self._store, theme, coding_id, actor=actor)

    def set_summary(self, participant: str, summary: str, *, actor: str,
                    theme: str | None = None, code: str | None = None,
                    quote_ids: Sequence[int] = ()) -> None:
        """Write the summary of one framework cell (participant x theme, or x code)."""
        themes_service.set_framework_summary(self._store, participant, summary, theme=theme,
                                             code=code, quote_ids=quote_ids, actor=actor)

    def __call__(self) -> pd.DataFrame:
        deprecated("themes()", "themes.frame()")
        return self.frame()
