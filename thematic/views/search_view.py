"""The search page's display: hits with their context, captions, conditions typed in a box."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from thematic.views.common import esc, plain

SEARCH_CSS = """<style>
.th-hit {font-size: 0.95rem; line-height: 1.5;}
.th-hit-where {font-size: 0.8rem; color: #666; margin-bottom: 0.15rem;}
.th-hit-context {color: #888;}
.th-hit mark {background: #ffe08a; color: inherit; padding: 0 1px; border-radius: 2px;}
.th-hit-codes {font-size: 0.78rem; color: #555; margin-top: 0.15rem;}
</style>"""
CONTEXT_CHARS = 160


def hit_html(row: Any, *, code_names: Mapping[str, str] | None = None) -> str:
    """One result (a row of a search or query result) as escaped HTML: where it is, the
    neighbouring text in grey, the segment with each hit marked, the query's codes it has."""
    where = " · ".join(esc(x) for x in (row.document, _text(getattr(row, "speaker", None)),
                                        _text(getattr(row, "participant", None))) if x)
    before = _text(getattr(row, "context_before", ""))[-CONTEXT_CHARS:]
    after = _text(getattr(row, "context_after", ""))[:CONTEXT_CHARS]
    codes = getattr(row, "codes", None)
    names = code_names or {}
    codes_html = (f'<div class="th-hit-codes">coded {esc(", ".join(names.get(c, c) for c in codes))}'
                  f'</div>') if isinstance(codes, list) and codes else ""
    return (f'<div class="th-hit"><div class="th-hit-where">{where} · characters '
            f'{int(row.start)}–{int(row.end)}</div>'
            f'<span class="th-hit-context">{"…" if before else ""}{esc(before)} </span>'
            f'{marked_html(str(row.text), int(row.start), getattr(row, "hits", None))}'
            f'<span class="th-hit-context"> {esc(after)}{"…" if after else ""}</span>'
            f'{codes_html}</div>')


def marked_html(text: str, start: int, hits: Any) -> str:
    """``text`` (starting at document offset ``start``) escaped, each hit in a ``<mark>``.

    >>> marked_html("We <waited> long", 100, [[104, 110]])
    'We &lt;<mark>waited</mark>&gt; long'
    """
    out, at = [], 0
    for a, b in sorted(hits or []):
        a, b = int(a) - start, int(b) - start
        if a < at or a < 0 or b > len(text):
            continue
        out += [esc(text[at:a]), "<mark>", esc(text[a:b]), "</mark>"]
        at = b
    return "".join([*out, esc(text[at:])])


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def result_caption(found: pd.DataFrame, what: str = "segments") -> str:
    """"12 segments in 4 documents, 5 participants" (or "Nothing found.")."""
    if found.empty:
        return "Nothing found."
    people = found["participant"].dropna().nunique() if "participant" in found else 0
    return (f"{len(found):,} {what if len(found) != 1 else what.rstrip('s')} in "
            f"{found['document'].nunique():,} documents, {people:,} participants")


def conditions_of(text: str | None) -> list[str]:
    """The conditions typed in one box, separated by ``;`` or new lines.

    >>> conditions_of("role=newcomer; speaker_role=participant\\n")
    ['role=newcomer', 'speaker_role=participant']
    """
    return [c.strip() for c in (text or "").replace("\n", ";").split(";") if c.strip()]


def conditions_help(types: Mapping[str, str]) -> str:
    """What the conditions box accepts, naming this project's attributes (Markdown-safe)."""
    names = ", ".join(f"{plain(n)} ({plain(t)})" for n, t in types.items()) or "none yet"
    return ("Only segments meeting every condition, separated by ';': NAME=VALUE (several "
            "values: a,b), NAME!=VALUE, or NAME>=NUMBER for numbers and dates. Attributes: "
            f"{names}; also document, participant, speaker, speaker_role "
            "(interviewer or participant).")


__all__ = ["SEARCH_CSS", "conditions_help", "conditions_of", "hit_html", "marked_html",
           "result_caption"]
