"""Shared constants, escaping and small formats of the views."""

from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING

from thematic.errors import ThematicError
from thematic.models import STATUSES as STATUSES  # the views offer the library's statuses
from thematic.text import html_escape, plain

if TYPE_CHECKING:
    from thematic.models import Codebook



#: What a person can do about an error (:data:`thematic.errors.REMEDIES`), said with the app's pages.
APP_REMEDIES: dict[str, str] = {
    "create-project": "Create one on the Project page.",
    "migrate": "Back the database up, then have it upgraded to this version's schema before "
               "opening it here.",
    "list-codes": "The Codebook page lists the project's codes.",
    "list-documents": "The Documents page lists the documents.",
    "list-codings": "The Review page lists the codings.",
    "list-participants": "The Participants page lists the participants.",
    "list-topics": "The Topics page lists the topics.",
    "list-changes": "The History page lists the changes.",
    "list-pseudonyms": "The Participants page shows the pseudonym list.",
    "list-memos": "The Memos page lists the memos.",
    "list-accounts": "The project's owner keeps the list of accounts and their roles.",
    "add-owner": "The project needs an owner account first; ask whoever set the project up.",
    "load-codebook": "Load one first on the Project page (Codebook).",
    "load-as-codebook": "Load it as the project's codebook on the Project page (Codebook).",
    "list-name-candidates": "The Participants page's pseudonym list is where names are confirmed.",
    "name-encoding": "Save the file again as UTF-8 and import it again.",
}

PAGE_SIZE = 25
HIGHLIGHTED = ("suggested", "accepted")
INTERVIEW, SURVEY = "interview", "survey response"
# Colour-blind-safe palette (Okabe-Ito plus two), used for codes without their own colour.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#999999", "#88CCEE", "#DDCC77")
ROLE_BADGES = {"interviewer": "interviewer", "moderator": "interviewer",
               "facilitator": "interviewer", "participant": "participant"}
HEX = frozenset("0123456789abcdefABCDEF")
DOCUMENT_COLUMNS = ["name", "kind", "format", "turns", "words", "participants", "speakers",
                    "imported_at", "id"]
SUGGESTION_COLUMNS = ["coding_id", "code", "label", "confidence", "evidence", "text", "speaker",
                      "time", "version", "source", "reasons"]

READER_CSS = """<style>
.th-turn {border-left: 3px solid #d0d4dc; padding: 0.3rem 0 0.5rem 0.8rem; margin-bottom: 0.4rem;}
.th-turn.th-role-interviewer {border-left-color: #7aa6d8; background: #f5f8fc;}
.th-turn.th-role-participant {border-left-color: #6fbf8f;}
.th-head {font-size: 0.85rem; color: #555; margin-bottom: 0.2rem;}
.th-speaker {font-weight: 600; color: #222; margin-right: 0.4rem;}
.th-badge {display: inline-block; border-radius: 0.6rem; padding: 0 0.45rem; font-size: 0.72rem;
           margin-right: 0.4rem; border: 1px solid;}
.th-badge-interviewer {color: #1d4f8a; border-color: #7aa6d8; background: #e8f0fa;}
.th-badge-participant {color: #1f6b3e; border-color: #6fbf8f; background: #e7f5ec;}
.th-badge-other {color: #555; border-color: #bbb; background: #f2f2f2;}
.th-time {font-family: monospace; color: #666;}
.th-text {white-space: pre-wrap; line-height: 1.55;}
.th-mark {padding: 0.05rem 0; border-radius: 2px; color: inherit;}
.th-mark.th-suggested {border-bottom: 2px dashed #888;}
.th-mark.th-accepted {border-bottom: 2px solid #333;}
.th-mark.th-overlap {border-bottom-width: 4px; border-bottom-style: double;}
.th-mark.th-quiet {border-bottom: none; padding: 0;}
.th-mark.th-quiet.th-suggested {border-bottom: 1px dotted #bbb;}
.th-mark.th-lit {outline: 2px solid var(--th-lit, #555); outline-offset: 1px;}
.th-tag {font-size: 0.68rem; color: #444; background: #eee; border-radius: 3px; padding: 0 0.25rem;
         margin: 0 0.15rem; vertical-align: super;}
.th-tag.th-tag-suggested {background: #f6f6f6; color: #666; font-style: italic;}
.th-legend {font-size: 0.78rem; color: #555; margin: 0 0 0.5rem 0; line-height: 1.7;}
.th-legend-item {margin-right: 0.8rem; white-space: nowrap;}
.th-code {border-left: 3px solid #ccc; padding: 0.2rem 0 0.4rem 0.7rem; margin: 0.3rem 0 0.6rem 0;}
.th-code h4 {margin: 0 0 0.2rem 0; font-size: 1rem;}
.th-code .th-id {font-family: monospace; color: #777; font-size: 0.8rem;}
.th-code dt {font-weight: 600; font-size: 0.85rem; margin-top: 0.3rem;}
.th-code dd {margin: 0 0 0 0.8rem; font-size: 0.9rem;}
.th-swatch {display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px;
            vertical-align: middle; margin-right: 0.3rem;}
</style>"""


def esc(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute (None -> "")."""
    return html_escape(value)


def md(value: object) -> str:
    """Any value as literal text inside Markdown (:func:`thematic.text.plain`).

    Streamlit renders messages, captions and widget labels as Markdown, so a code or document
    name shown there goes through this: ``![x](http://host/p.png)`` stays text, loads nothing.
    An error is said with its remedy in the app's words (:func:`error_text`).

    >>> print(md("![x](h.png) *b*"))
    \\!\\[x\\]\\(h\\.png\\) \\*b\\*
    """
    return plain(error_text(value) if isinstance(value, ThematicError) else value)


def error_text(error: ThematicError) -> str:
    """The error as the app says it: its remedy (if any) in the app's words (:data:`APP_REMEDIES`).

    >>> from thematic.errors import NotFoundError
    >>> error_text(NotFoundError("no document 'P9' in this project", remedy="list-documents"))
    "no document 'P9' in this project. The Documents page lists the documents."
    """
    if error.remedy not in APP_REMEDIES:
        return str(error)
    worded = copy.copy(error)
    worded.hint = APP_REMEDIES[error.remedy]
    return str(worded)


# --------------------------------------------------------------------------- small formats
def format_time(seconds: float | None) -> str:
    """Seconds from the start of a recording as ``h:mm:ss`` ("" when unknown).

    >>> format_time(0), format_time(59.9), format_time(None)
    ('0:00:00', '0:00:59', '')
    """
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def time_range(start: float | None, end: float | None) -> str:
    """``0:00:02–0:00:04``, one end if only one is known, "" if neither."""
    a, b = format_time(start), format_time(end)
    return f"{a}–{b}" if a and b and a != b else (a or b)


def role_badge(role: str | None) -> str:
    """The badge a turn's role gets: "interviewer", "participant", or the role as stated."""
    return ROLE_BADGES.get((role or "").lower(), role or "unknown role")


def page_count(n_items: int, per_page: int = PAGE_SIZE) -> int:
    """Pages needed for ``n_items`` (at least 1)."""
    return max(1, math.ceil(n_items / per_page))


def code_colors(codebook: Codebook) -> dict[str, str]:
    """``#rrggbb`` per code id: its own colour, else a palette colour by codebook order."""
    out: dict[str, str] = {}
    for i, code in enumerate(codebook.codes):
        color = (code.color or "").strip()
        valid = len(color) == 7 and color.startswith("#") and set(color[1:]) <= HEX
        out[code.id] = color if valid else PALETTE[i % len(PALETTE)]
    return out


def mark_color(color: str) -> str:
    """A code colour as a highlight (``#rrggbbaa``): dark colours translucent, pale ones opaque,
    so that dark text stays readable and pale shades stay visible.

    >>> mark_color("#1f77b4"), mark_color("#efe1de")
    ('#1f77b466', '#efe1deff')
    """
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    alpha = "ff" if luminance > 0.8 else "b3" if luminance > 0.6 else "66"
    return f"{color}{alpha}"


__all__ = ['md', 'error_text', 'APP_REMEDIES', 'plain', 'INTERVIEW', 'SURVEY', 'PAGE_SIZE', 'STATUSES', 'HIGHLIGHTED', 'PALETTE', 'ROLE_BADGES', 'HEX', 'DOCUMENT_COLUMNS', 'SUGGESTION_COLUMNS', 'READER_CSS', 'esc', 'format_time', 'time_range', 'role_badge', 'page_count', 'code_colors', 'mark_color']
