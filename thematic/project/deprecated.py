"""The flat methods of thematic 0.1's ``Project`` (``project.accept(...)``), kept for one release.

Each one warns (DeprecationWarning) and calls its namespace method; a change's ``coder=`` or
``author=`` is passed on as ``actor=``, the one name of the person making a change. The
namespaces that were methods (``project.documents()``, ``project.themes()``, ...) warn from
their own ``__call__``. Delete this module in :data:`~thematic.project.base.REMOVED_IN`.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any

from thematic.project.base import deprecated

#: Old method -> namespace method, for the changes (``coder=``/``author=`` become ``actor=``).
CHANGES = {
    "set_unit": "settings.set_unit", "set_approach": "settings.set_approach",
    "set_review_mode": "settings.set_review_mode", "set_interviewers": "settings.set_interviewers",
    "set_role": "documents.set_speaker_role", "ingest": "documents.ingest",
    "load_codebook": "codebook.load", "add_code": "codebook.add_code",
    "update_code": "codebook.update_code", "edit_code": "codebook.edit_code",
    "merge_codes": "codebook.merge_codes", "split_code": "codebook.split_code",
    "move_code": "codebook.move_code", "delete_code": "codebook.delete_code",
    "suggest": "suggestions.run", "decide": "review.decide", "accept": "review.accept",
    "reject": "review.reject", "bulk_decide": "review.bulk_decide",
    "consensus": "review.consensus", "code_span": "review.code_span",
    "edit_span": "review.edit_span", "recode": "review.recode", "undo": "review.undo",
    "add_memo": "memos.add", "edit_memo": "memos.edit", "delete_memo": "memos.delete",
    "mark_read": "memos.mark_read", "attach": "memos.attach", "add_theme": "themes.add",
    "edit_theme": "themes.edit", "remove_theme": "themes.remove",
    "add_theme_quote": "themes.add_quote", "remove_theme_quote": "themes.remove_quote",
    "set_framework_summary": "themes.set_summary", "set_pseudonym": "exports.set_pseudonym",
    "remove_pseudonym": "exports.remove_pseudonym", "import_project": "exchange.import_project",
    "confirm_names": "exports.confirm_names",
    "topics_run": "topics.run", "adopt_topic": "topics.adopt", "map_topic": "topics.map",
    "merge_topics": "topics.merge", "rename_topic": "topics.rename",
    "reject_topic": "topics.reject",
}
#: Old method -> namespace method, for the reads and writes of files (arguments unchanged).
READS = {
    "document": "documents.get", "turns": "documents.turns", "segments": "documents.segments",
    "lost_codings": "documents.lost_codings", "attribute_types": "participants.attribute_types",
    "codings": "review.codings", "decisions": "review.decisions", "history": "review.history",
    "runs": "suggestions.runs", "review_queue": "suggestions.queue",
    "learning_status": "suggestions.learning_status",
    "read_documents": "memos.read_marks", "attachments": "memos.attachments",
    "theme_codes": "themes.codes", "theme_quotes": "themes.quotes",
    "framework_summaries": "themes.summaries", "topic_members": "topics.members",
    "frequencies": "analysis.frequencies", "matrix": "analysis.matrix",
    "drill_down": "analysis.drill_down", "cooccurrence": "analysis.cooccurrence",
    "framework": "analysis.framework", "interview_order": "analysis.interview_order",
    "saturation": "analysis.saturation", "agreement": "analysis.agreement",
    "coder_codings": "coders.codings", "export": "exports.write", "report": "exports.report",
    "pseudonyms": "exports.pseudonyms", "pseudonymiser": "exports.pseudonymiser",
    "name_candidates": "exports.name_candidates",
    "export_qdpx": "exchange.export_qdpx",
}
#: Old file exports -> the export kind they write (the old methods returned the rows written).
TABLE_EXPORTS = {"export_segments": "segments", "export_codings": "codings",
                 "export_topics": "topics"}


def _forward(old: str, new: str, *, change: bool) -> Callable[..., Any]:
    method = attrgetter(new)

    def alias(self: Any, *args: Any, **kwargs: Any) -> Any:
        deprecated(old, new)
        if change:
            for name in ("coder", "author"):
                if name in kwargs and "actor" not in kwargs:
                    kwargs["actor"] = kwargs.pop(name)
        return method(self)(*args, **kwargs)

    alias.__name__ = old
    alias.__doc__ = f"Deprecated: use ``project.{new}``."
    return alias


def _import_codings(self: Any, path: str | Path, *, coder: str) -> int:
    """Deprecated: use ``project.coders.import_codings(path, actor=..., coder=...)``."""
    deprecated("import_codings", "coders.import_codings")
    return int(self.coders.import_codings(path, actor=coder, coder=coder))


def _table_export(old: str, kind: str) -> Callable[..., Any]:
    def alias(self: Any, target: str | Path, **options: Any) -> int:
        deprecated(old, f'exports.write("{kind}", ...)')
        return int(self.exports.write(kind, target, **options)["rows"])

    alias.__name__ = old
    alias.__doc__ = f'Deprecated: use ``project.exports.write("{kind}", target)``.'
    return alias


def add_deprecated_methods(cls: type) -> None:
    """Give ``cls`` (``Project``) the flat methods of 0.1, each warning and forwarding."""
    aliases: dict[str, Callable[..., Any]] = {"import_codings": _import_codings}
    aliases.update({old: _forward(old, new, change=True) for old, new in CHANGES.items()})
    aliases.update({old: _forward(old, new, change=False) for old, new in READS.items()})
    aliases.update({old: _table_export(old, kind) for old, kind in TABLE_EXPORTS.items()})
    for old, alias in aliases.items():
        setattr(cls, old, alias)
