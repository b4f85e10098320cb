"""Progress reporting: the library calls a callback; the shells render it."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(stage, done, total)``: ``stage`` names the step ("read", "segment", "embed" ...).
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:  # noqa: ARG001
    """The null progress callback."""
