"""The transcript reader: turns, escaped highlights, suggestions in view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from thematic.project import Project
    from thematic.store import StoredTurn


from thematic.views.common import (
    HIGHLIGHTED,
    PAGE_SIZE,
    PALETTE,
    READER_CSS,
    SUGGESTION_COLUMNS,
    code_colors,
    esc,
    evidence_summary,
    format_time,
    mark_color,
    page_count,
    role_badge,
    time_range,
)
from thematic.views.filters import CodingFilter


# --------------------------------------------------------------------------- reader
@dataclass(frozen=True)
class Highlight:
    """A coding as the reader highlights it; ``start``/``end`` index the document text."""

    start: int
    end: int
    coding_id: int
    code: str
    label: str
    status: str
    color: str


@dataclass(frozen=True)
class TurnView:
    """One speaker turn, ready to show: ``html`` is the whole escaped block with highlights."""

    idx: int
    speaker: str
    role: str
    badge: str
    time: str
    text: str
    html: str


@dataclass(frozen=True)
class ReaderPage:
    """One page of a transcript and the suggestions that fall inside it."""

    document: str
    page: int
    pages: int
    first_turn: int
    last_turn: int
    total_turns: int
    turns: tuple[TurnView, ...]
    suggestions: pd.DataFrame  # columns SUGGESTION_COLUMNS
    turn_spans: tuple[tuple[int, int], ...] = ()

    @property
    def html(self) -> str:
        """Every turn of the page, one escaped block after the other (styles included)."""
        return READER_CSS + "".join(t.html for t in self.turns)

    @property
    def caption(self) -> str:
        if not self.total_turns:
            return "This document has no turns."
        return (f"Turns {self.first_turn}–{self.last_turn} of {self.total_turns}"
                f" · page {self.page} of {self.pages}")


def highlight_html(text: str, highlights: Iterable[Highlight], *, offset: int = 0) -> str:
    """Escaped HTML of ``text`` with a ``<mark>`` on every stretch some coding covers.

    The text is cut at every coding boundary; each piece is escaped on its own and wrapped in
    one ``<mark>`` naming every coding that covers it (overlaps get striped colours), so marks
    never nest and never cut an escape sequence. A small tag with the code name follows the
    end of each coding. ``offset`` is where ``text`` starts in the document (spans are clipped).
    """
    n = len(text)
    spans = [(max(0, h.start - offset), min(n, h.end - offset), h) for h in highlights]
    spans = [(a, b, h) for a, b, h in spans if a < b]
    cuts = sorted({0, n, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = esc(text[a:b])
        covering = sorted((h for s, e, h in spans if s <= a and e >= b), key=_order)
        if covering:
            out.append(_mark(piece, covering))
        else:
            out.append(piece)
        ending = sorted((h for s, e, h in spans if e == b), key=_order)
        out.extend(f'<span class="th-tag" data-skip="1" style="border-left: 3px solid {h.color}">'
                   f'{esc(h.label)}</span>' for h in ending)
    return "".join(out)


def _order(h: Highlight) -> tuple[int, int]:
    return (h.start, h.coding_id)


def _mark(piece: str, covering: Sequence[Highlight]) -> str:
    colors = [mark_color(h.color) for h in covering]
    if len(colors) == 1:
        background = colors[0]
    else:
        step = 100 / len(colors)
        stops = ", ".join(f"{c} {i * step:.0f}% {(i + 1) * step:.0f}%"
                          for i, c in enumerate(colors))
        background = f"linear-gradient(180deg, {stops})"
    status = "accepted" if all(h.status == "accepted" for h in covering) else "suggested"
    title = " · ".join(f"{h.label} ({h.status})" for h in covering)
    ids = " ".join(str(h.coding_id) for h in covering)
    overlap = " th-overlap" if len(covering) > 1 else ""
    return (f'<mark class="th-mark th-{status}{overlap}" data-codings="{ids}" title="{esc(title)}" '
            f'style="background: {background}">{piece}</mark>')


def turn_html(turn: StoredTurn, text: str, highlights: Iterable[Highlight]) -> str:
    """The block of one turn: speaker, role badge, timestamps, highlighted escaped text."""
    badge = role_badge(turn.role)
    badge_class = badge if badge in ("interviewer", "participant") else "other"
    when = time_range(turn.time_start, turn.time_end)
    seek = f' data-time="{float(turn.time_start):.3f}"' if turn.time_start is not None else ""
    when_html = f'<span class="th-time"{seek}>{esc(when)}</span>' if when else ""
    body = highlight_html(text, highlights, offset=turn.start)
    return (f'<div class="th-turn th-role-{badge_class}" id="turn-{turn.idx}">'
            f'<div class="th-head">'
            f'<span class="th-speaker">{esc(turn.speaker or "(no speaker)")}</span>'
            f'<span class="th-badge th-badge-{badge_class}">{esc(badge)}</span>{when_html}</div>'
            f'<div class="th-text" data-start="{turn.start}">{body}</div></div>')


def reader_page(project: Project, document: int | str, page: int = 1, *,
                per_page: int = PAGE_SIZE, filters: CodingFilter | None = None,
                codings: pd.DataFrame | None = None) -> ReaderPage:
    """Turns ``per_page`` at a time (``page`` is clamped into range) with codings highlighted.

    ``filters`` narrows the codings highlighted and listed (code, coder, status, engine);
    ``codings``: the document's codings already read (as a coder sees them, say).
    """
    doc = project.documents.get(document)
    turns = project.documents.turns(doc.id)
    pages = page_count(len(turns), per_page)
    page = min(max(1, int(page)), pages)
    shown = turns[(page - 1) * per_page: page * per_page]
    codebook = project.codebook.current()
    names = {c.id: c.name for c in codebook.codes}
    colors = code_colors(codebook)
    if codings is None:
        codings = project.review.codings(document=doc.id)
    if filters is not None:
        codings = filters.apply(codings)
    statuses = filters.statuses if filters is not None and filters.statuses else HIGHLIGHTED
    lo = shown[0].start if shown else 0
    hi = shown[-1].end if shown else 0
    in_view = codings[(codings["start"] < hi) & (codings["end"] > lo)]
    marks = [
        Highlight(int(r.start), int(r.end), int(r.coding_id), r.code, names.get(r.code, r.code),
                  r.status, colors.get(r.code, PALETTE[-1]))
        for r in in_view.itertuples() if r.status in statuses
    ]
    views = []
    for t in shown:
        text = doc.text[t.start:t.end]
        mine = [h for h in marks if h.start < t.end and h.end > t.start]
        views.append(TurnView(t.idx, t.speaker or "", t.role or "", role_badge(t.role),
                              time_range(t.time_start, t.time_end), text, turn_html(t, text, mine)))
    return ReaderPage(
        document=doc.name, page=page, pages=pages,
        first_turn=(page - 1) * per_page + 1 if shown else 0,
        last_turn=(page - 1) * per_page + len(shown), total_turns=len(turns),
        turns=tuple(views), suggestions=_suggestions(in_view, names),
        turn_spans=tuple((t.start, t.end) for t in shown),
    )


def _suggestions(codings: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    cols = SUGGESTION_COLUMNS
    if codings.empty:
        return pd.DataFrame(columns=cols)
    rows = codings[codings["status"] == "suggested"].sort_values(["start", "coding_id"])
    return pd.DataFrame({
        "coding_id": rows["coding_id"].astype(int),
        "code": rows["code"],
        "label": [names.get(c, c) for c in rows["code"]],
        "confidence": rows["confidence"],
        "evidence": [evidence_summary(e) for e in rows["evidence"]],
        "text": rows["text"],
        "speaker": rows["speaker"],
        "time": [format_time(t) for t in rows["time_start"]],
        "version": rows["version"].astype(int),
    }, columns=cols).reset_index(drop=True)


def coder_problem(coder: str | None) -> str | None:
    """Why a decision cannot be recorded yet (no coder name), or None."""
    if coder and coder.strip():
        return None
    return "Choose who is coding in the sidebar first: every decision records who made it."


__all__ = ['Highlight', 'TurnView', 'ReaderPage', 'highlight_html', 'turn_html', 'reader_page', 'coder_problem']
