"""Sidebar lines, help for a missing project, suggestion cards."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    pass


from thematic.views.common import STATUSES, esc, plain


# --------------------------------------------------------------------------- app shell
def status_lines(status: dict[str, Any]) -> list[str]:
    """The project's counts (``Project.status()``) as three short lines for the sidebar.

    Markdown: the codebook's name is escaped with :func:`thematic.text.plain`.
    """
    codings = status.get("codings", {})
    return [
        f"{status['documents']:,} documents · {status['participants']:,} participants",
        f"{status['turns']:,} turns · {status['words']:,} words · unit: {status['unit']}",
        f"{status['codes']:,} codes ({plain(status['codebook']) or 'no codebook'})",
        " · ".join(f"{codings.get(s, 0):,} {s}" for s in STATUSES),
    ]


def missing_project_help(path: str) -> str:
    """The commands that create a project at ``path`` (shown when it cannot be opened)."""
    return (f"make sample            # builds sample.thematic from transcripts_sample/\n"
            f"# or, for your own study:\n"
            f"thematic init {path}\n"
            f"thematic ingest TRANSCRIPTS_FOLDER --participants participants.csv -p {path}\n"
            f"thematic codebook import codebooks/peer_listening.yaml -p {path}\n"
            f"THEMATIC_PROJECT={path} streamlit run app.py")


def suggestion_html(row: Any) -> str:
    """A suggestion card's text (a row of :attr:`ReaderPage.suggestions`), escaped."""
    confidence = "" if pd.isna(row.confidence) else f"{float(row.confidence):.2f}"
    where = " · ".join(x for x in (esc(row.speaker), esc(row.time)) if x)
    evidence = f'<div class="th-head">{esc(row.evidence)}</div>' if row.evidence else ""
    return (f'<div><span class="th-speaker">{esc(row.label)}</span>'
            f'<span class="th-time">{confidence}</span></div>'
            f'<div class="th-head">{where}</div>'
            f'<div class="th-text">“{esc(row.text)}”</div>{evidence}')


__all__ = ['status_lines', 'missing_project_help', 'suggestion_html']
