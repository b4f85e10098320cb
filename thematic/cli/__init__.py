"""The ``thematic`` command line: thin over :class:`thematic.Project`.

One module per group of commands; each registers its commands on the one Typer ``app`` of
:mod:`thematic.cli.common`. A new group is one module plus one import line here. Only this
package imports the CLI framework (DESIGN invariant 6).
"""

from __future__ import annotations

import os

from thematic.cli import (  # noqa: F401  (registers commands)
    accounts,
    analysis,
    codebooks,
    coding,
    exchange,
    exports,
    memos,
    project,
    report,
    search,
    themes,
    topics,
)
from thematic.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``thematic`` command."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()
