"""Themes and subthemes, the codes they group, their exemplar quotes and the framework matrix's summaries (filled by the themes feature)."""

from __future__ import annotations

from thematic.store.base import Aggregate


class Themes(Aggregate):
    """Themes and subthemes, the codes they group, their exemplar quotes and the framework matrix's summaries (filled by the themes feature)."""
