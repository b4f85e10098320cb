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
    format_time,
    mark_color,
    page_count,
    role_badge,
    time_range,
)
from thematic.views.filters import CodingFilter
from thematic.views.review_view import evidence_reasons

#: How the reader shows codings: coding stripes in the margin (the text stays plain; hovering a
#: stripe lights its text), highlighted text with one tag per code, or calm (the accepted
#: codings highlighted and tagged, no suggestions at all).
READER_MODES = ("stripes", "highlights", "calm")


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
class Stripe:
    """A coding drawn as a stripe in the margin: one column per code on the page."""

    coding_id: int
    code: str
    label: str
    color: str
    status: str
    column: int

    def as_arg(self) -> dict[str, object]:
        """What the transcript component draws (data, never HTML)."""
        return {"id": self.coding_id, "label": self.label, "color": self.color,
                "status": self.status, "column": self.column}


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
    stripes: tuple[Stripe, ...] = ()
    mode: str = "highlights"

    @property
    def html(self) -> str:
        """Every turn of the page, one escaped block after the other (styles included)."""
        return READER_CSS + legend_html(self.stripes) + "".join(t.html for t in self.turns)

    @property
    def caption(self) -> str:
        if not self.total_turns:
            return "This document has no turns."
        return (f"Turns {self.first_turn}–{self.last_turn} of {self.total_turns}"
                f" · page {self.page} of {self.pages}")


def highlight_html(text: str, highlights: Iterable[Highlight], *, offset: int = 0,
                   colored: bool = True, tags: bool = True) -> str:
    """Escaped HTML of ``text`` with a ``<mark>`` on every stretch some coding covers.

    The text is cut at every coding boundary; each piece is escaped on its own and wrapped in
    one ``<mark>`` naming every coding that covers it (overlaps get striped colours), so marks
    never nest and never cut an escape sequence. ``tags``: a small tag with the code's name
    follows the end of each stretch a code covers (one tag per code and stretch, however many
    codings of it end there). ``colored=False`` leaves the marks uncoloured (the stripes in the
    margin show them). ``offset`` is where ``text`` starts in the document (spans are clipped).
    """
    n = len(text)
    spans = [(max(0, h.start - offset), min(n, h.end - offset), h) for h in highlights]
    spans = [(a, b, h) for a, b, h in spans if a < b]
    cuts = sorted({0, n, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    ends = _tag_ends(spans) if tags else {}
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = esc(text[a:b])
        covering = sorted((h for s, e, h in spans if s <= a and e >= b), key=_order)
        out.append(_mark(piece, covering, colored) if covering else piece)
        out.extend(f'<span class="th-tag th-tag-{status}" data-skip="1" '
                   f'style="border-left: 3px solid {color}">{esc(label)}</span>'
                   for label, color, status in ends.get(b, ()))
    return "".join(out)


def _tag_ends(spans: Sequence[tuple[int, int, Highlight]]
              ) -> dict[int, list[tuple[str, str, str]]]:
    """Where each code's stretches end (overlapping or touching codings of a code are one
    stretch): offset -> (label, colour, status) of each tag to draw there."""
    by_code: dict[str, list[tuple[int, int, Highlight]]] = {}
    for a, b, h in sorted(spans, key=lambda x: (x[0], x[1])):
        by_code.setdefault(h.code, []).append((a, b, h))
    ends: dict[int, list[tuple[str, str, str]]] = {}
    for runs in by_code.values():
        groups: list[tuple[int, list[Highlight]]] = []  # (end, members) of each stretch
        for a, b, h in runs:
            if groups and a <= groups[-1][0]:
                groups[-1] = (max(groups[-1][0], b), [*groups[-1][1], h])
            else:
                groups.append((b, [h]))
        for end, members in groups:
            status = "accepted" if any(m.status == "accepted" for m in members) else "suggested"
            ends.setdefault(end, []).append((members[0].label, members[0].color, status))
    return ends


def _order(h: Highlight) -> tuple[int, int]:
    return (h.start, h.coding_id)


def _mark(piece: str, covering: Sequence[Highlight], colored: bool = True) -> str:
    colors = [mark_color(h.color) for h in covering]
    if not colored:
        background = "transparent"
    elif len(colors) == 1:
        background = colors[0]
    else:
        step = 100 / len(colors)
        stops = ", ".join(f"{c} {i * step:.0f}% {(i + 1) * step:.0f}%"
                          for i, c in enumerate(colors))
        background = f"linear-gradient(180deg, {stops})"
    status = "accepted" if all(h.status == "accepted" for h in covering) else "suggested"
    ids = " ".join(str(h.coding_id) for h in covering)
    overlap = " th-overlap" if len(covering) > 1 else ""
    quiet = "" if colored else " th-quiet"
    return (f'<mark class="th-mark th-{status}{overlap}{quiet}" data-codings="{ids}" '
            f'title="{esc(mark_title(covering))}" style="background: {background}">{piece}</mark>')


def mark_title(covering: Sequence[Highlight]) -> str:
    """What hovering a stretch says: each code once, with the statuses of its codings.

    >>> h = [Highlight(0, 5, 1, "r", "Relapse", "accepted", "#000000"),
    ...      Highlight(0, 5, 2, "r", "Relapse", "suggested", "#000000")]
    >>> mark_title(h)
    'Relapse (accepted, suggested)'
    """
    statuses: dict[str, list[str]] = {}
    for h in covering:
        seen = statuses.setdefault(h.label, [])
        if h.status not in seen:
            seen.append(h.status)
    return " · ".join(f"{label} ({', '.join(st)})" for label, st in statuses.items())


def legend_html(stripes: Sequence[Stripe]) -> str:
    """The codes of the page's stripes, each once, with its colour (escaped)."""
    seen: dict[str, Stripe] = {}
    for stripe in sorted(stripes, key=lambda s: s.column):
        seen.setdefault(stripe.code, stripe)
    if not seen:
        return ""
    items = "".join(f'<span class="th-legend-item"><span class="th-swatch" '
                    f'style="background:{s.color}"></span>{esc(s.label)}</span>'
                    for s in seen.values())
    return f'<div class="th-legend" data-skip="1">{items}</div>'


def turn_html(turn: StoredTurn, text: str, highlights: Iterable[Highlight], *,
              colored: bool = True, tags: bool = True) -> str:
    """The block of one turn: speaker, role badge, timestamps, highlighted escaped text."""
    badge = role_badge(turn.role)
    badge_class = badge if badge in ("interviewer", "participant") else "other"
    when = time_range(turn.time_start, turn.time_end)
    seek = f' data-time="{float(turn.time_start):.3f}"' if turn.time_start is not None else ""
    when_html = f'<span class="th-time"{seek}>{esc(when)}</span>' if when else ""
    body = highlight_html(text, highlights, offset=turn.start, colored=colored, tags=tags)
    return (f'<div class="th-turn th-role-{badge_class}" id="turn-{turn.idx}">'
            f'<div class="th-head">'
            f'<span class="th-speaker">{esc(turn.speaker or "(no speaker)")}</span>'
            f'<span class="th-badge th-badge-{badge_class}">{esc(badge)}</span>{when_html}</div>'
            f'<div class="th-text" data-start="{turn.start}">{body}</div></div>')


def reader_page(project: Project, document: int | str, page: int = 1, *,
                per_page: int = PAGE_SIZE, filters: CodingFilter | None = None,
                codings: pd.DataFrame | None = None, mode: str = "highlights",
                suggestions: bool = True) -> ReaderPage:
    """Turns ``per_page`` at a time (``page`` is clamped into range) with their codings.

    ``filters`` narrows the codings shown and listed (code, coder, status, engine);
    ``codings``: the document's codings already read (as a coder sees them, say).
    ``mode`` (:data:`READER_MODES`): stripes in the margin, highlights with tags, or calm
    (accepted codings only). ``suggestions=False`` hides the suggestions (drawn and listed).
    """
    if mode not in READER_MODES:
        raise ValueError(f"mode must be one of {READER_MODES}. Got {mode!r} instead.")
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
    statuses = set(filters.statuses if filters is not None and filters.statuses else HIGHLIGHTED)
    if mode == "calm" or not suggestions:
        statuses.discard("suggested")
    lo = shown[0].start if shown else 0
    hi = shown[-1].end if shown else 0
    in_view = codings[(codings["start"] < hi) & (codings["end"] > lo)]
    marks = [
        Highlight(int(r.start), int(r.end), int(r.coding_id), r.code, names.get(r.code, r.code),
                  r.status, colors.get(r.code, PALETTE[-1]))
        for r in in_view.itertuples() if r.status in statuses
    ]
    colored = mode != "stripes"
    views = []
    for t in shown:
        text = doc.text[t.start:t.end]
        mine = [h for h in marks if h.start < t.end and h.end > t.start]
        views.append(TurnView(t.idx, t.speaker or "", t.role or "", role_badge(t.role),
                              time_range(t.time_start, t.time_end), text,
                              turn_html(t, text, mine, colored=colored, tags=colored)))
    listed = in_view if "suggested" in statuses else in_view.iloc[0:0]
    return ReaderPage(
        document=doc.name, page=page, pages=pages,
        first_turn=(page - 1) * per_page + 1 if shown else 0,
        last_turn=(page - 1) * per_page + len(shown), total_turns=len(turns),
        turns=tuple(views), suggestions=_suggestions(listed, names),
        turn_spans=tuple((t.start, t.end) for t in shown),
        stripes=stripes_of(marks, [c.id for c in codebook.codes]) if mode == "stripes" else (),
        mode=mode,
    )


def stripes_of(marks: Sequence[Highlight], order: Sequence[str]) -> tuple[Stripe, ...]:
    """One stripe per coding; one column per code, in codebook order (unknown codes last).

    >>> marks = [Highlight(0, 5, 7, "b", "B", "accepted", "#000000"),
    ...          Highlight(9, 12, 8, "a", "A", "suggested", "#ffffff"),
    ...          Highlight(20, 30, 9, "b", "B", "accepted", "#000000")]
    >>> [(s.coding_id, s.column) for s in stripes_of(marks, ["a", "b"])]
    [(8, 0), (7, 1), (9, 1)]
    """
    rank = {c: i for i, c in enumerate(order)}
    codes = sorted({h.code for h in marks}, key=lambda c: (rank.get(c, len(rank)), c))
    column = {c: i for i, c in enumerate(codes)}
    return tuple(Stripe(h.coding_id, h.code, h.label, h.color, h.status, column[h.code])
                 for h in sorted(marks, key=lambda h: (column[h.code], h.start, h.coding_id)))


def page_of(turns: Sequence[StoredTurn], offset: int, per_page: int = PAGE_SIZE) -> int:
    """The reader page (1-based) whose turns hold ``offset`` (the last page past the end)."""
    for i, turn in enumerate(turns):
        if offset < turn.end:
            return i // per_page + 1
    return page_count(len(turns), per_page)


def _suggestions(codings: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    cols = SUGGESTION_COLUMNS
    if codings.empty:
        return pd.DataFrame(columns=cols)
    rows = codings[codings["status"] == "suggested"].sort_values(["start", "coding_id"])
    reasons = [tuple(evidence_reasons(s, e)) for s, e in zip(rows["source"], rows["evidence"],
                                                             strict=True)]
    return pd.DataFrame({
        "coding_id": rows["coding_id"].astype(int),
        "code": rows["code"],
        "label": [names.get(c, c) for c in rows["code"]],
        "confidence": rows["confidence"],
        "evidence": ["; ".join(r) for r in reasons],
        "text": rows["text"],
        "speaker": rows["speaker"],
        "time": [format_time(t) for t in rows["time_start"]],
        "version": rows["version"].astype(int),
        "source": rows["source"],
        "reasons": reasons,
    }, columns=cols).reset_index(drop=True)


def coder_problem(coder: str | None) -> str | None:
    """Why a decision cannot be recorded yet (no coder name), or None."""
    if coder and coder.strip():
        return None
    return "Choose who is coding in the sidebar first: every decision records who made it."


__all__ = ['READER_MODES', 'Highlight', 'Stripe', 'TurnView', 'ReaderPage', 'highlight_html', 'turn_html',
           'reader_page', 'coder_problem', 'legend_html', 'mark_title', 'page_of', 'stripes_of']
