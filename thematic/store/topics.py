"""Topic-model candidates of a run and their member segments (filled by the topics feature)."""

from __future__ import annotations

from thematic.store.base import Aggregate


class Topics(Aggregate):
    """Topic-model candidates of a run and their member segments (filled by the topics feature)."""
