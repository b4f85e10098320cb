"""What every namespace of :class:`~thematic.project.Project` shares: the store and its reads."""

from __future__ import annotations

import warnings

from thematic.services.reads import ProjectReads
from thematic.store import ProjectStore

#: The release that removes the flat ``Project`` methods of 0.1.
REMOVED_IN = "0.3"


class Namespace:
    """One area of a project's use cases (``project.review``, ``project.themes``, ...).

    Each method is one call into :mod:`thematic.services`: changes take the store, reads go
    through ``reads`` (which a shell may cache).
    """

    def __init__(self, store: ProjectStore, reads: ProjectReads) -> None:
        self._store = store
        self._reads = reads


def deprecated(old: str, new: str) -> None:
    """Warn that ``Project.<old>`` is now ``project.<new>`` (it goes in :data:`REMOVED_IN`)."""
    warnings.warn(f"Project.{old} is deprecated; use project.{new} (it goes in thematic "
                  f"{REMOVED_IN}).", DeprecationWarning, stacklevel=3)
