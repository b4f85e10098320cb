"""thematic: scriptable qualitative coding of interview transcripts.

The public API is :class:`Project` (one study) and the error hierarchy in
:mod:`thematic.errors`. Heavy libraries load on first use, so ``import thematic`` is fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from thematic.errors import ThematicError

__version__ = "0.1.0"
__all__ = ["Project", "ThematicError", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from thematic.project import Project


def __getattr__(name: str) -> Any:
    if name == "Project":
        from thematic.project import Project

        return Project
    raise AttributeError(f"module 'thematic' has no attribute {name!r}")
