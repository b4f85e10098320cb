"""Sidebar lines and short relative times."""

from __future__ import annotations

from typing import Any

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


def ago(seconds: float) -> str:
    """"just now", "5 min ago", "3 h ago", "2 days ago".

    >>> [ago(s) for s in (20, 300, 3 * 3600, 2 * 86400)]
    ['just now', '5 min ago', '3 h ago', '2 days ago']
    """
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def project_entry_label(entry: Any, now: float | None = None) -> str:
    """A project of the folder as the list shows it: "team/study.thematic · opened 5 min ago"
    (or "changed ..." when never opened here). Plain text (a selectbox label)."""
    import time

    now = time.time() if now is None else now
    when = (f"opened {ago(now - entry.opened)}" if entry.opened
            else f"changed {ago(now - entry.modified)}")
    return f"{entry.name} · {when}"


__all__ = ['ago', 'project_entry_label', 'status_lines']
