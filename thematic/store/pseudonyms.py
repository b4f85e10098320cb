"""The project's pseudonym list: names and places replaced before a quote leaves the project (filled by the export feature)."""

from __future__ import annotations

from thematic.store.base import Aggregate


class Pseudonyms(Aggregate):
    """The project's pseudonym list: names and places replaced before a quote leaves the project (filled by the export feature)."""
