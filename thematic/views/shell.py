"""Sidebar lines and help for a missing project."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


from thematic.views.common import STATUSES, plain


# --------------------------------------------------------------------------- app shell
def status_lines(status: dict[str, Any]) -> list[str]:
    """The project's counts (``project.status()``) as three short lines for the sidebar.

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


__all__ = ['status_lines', 'missing_project_help']
