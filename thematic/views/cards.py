"""Cards beside the transcript: a suggestion to decide, the coding chosen in the margin.

Each card is escaped HTML laid out by :data:`CARD_CSS` (name, status and engine on one line,
the figures after a separator, the quote, then the reasons one a line), and stays readable
without the styles: every part is separated by a space or " · ".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.views.common import PALETTE, code_colors, esc, format_time
from thematic.views.review_view import evidence_reasons

if TYPE_CHECKING:
    from thematic.models import Codebook

CARD_CSS = """<style>
.th-card {font-size: 0.92rem; line-height: 1.45;}
.th-card-head {display: flex; align-items: center; gap: 0.4rem; flex-wrap: wrap;}
.th-card-code {font-weight: 600; color: #222;}
.th-card-pill {font-size: 0.72rem; border: 1px solid #bbb; border-radius: 0.6rem;
               padding: 0 0.45rem; color: #555; background: #f4f4f4;}
.th-card-pill.th-accepted {border-color: #6fbf8f; color: #1f6b3e; background: #e7f5ec;}
.th-card-pill.th-rejected {border-color: #d88; color: #8a1d1d; background: #fbeaea;}
.th-card-meta {font-size: 0.8rem; color: #666; margin: 0.15rem 0 0.3rem 0;}
.th-card-quote {margin: 0.2rem 0; padding-left: 0.6rem; border-left: 3px solid #ddd;
                color: #333; white-space: pre-wrap;}
.th-card-why {margin: 0.3rem 0 0 1rem; padding: 0; font-size: 0.82rem; color: #444;}
.th-card .th-swatch {display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px;}
</style>"""


@dataclass(frozen=True)
class CodingCard:
    """A coding as its card shows it; ``reasons``: the engine's evidence, one line each."""

    coding_id: int
    document_id: int
    code: str
    label: str
    color: str
    status: str
    source: str
    coder: str
    confidence: float | None
    speaker: str
    time: str
    text: str
    start: int
    end: int
    version: int
    reasons: tuple[str, ...] = ()


def coding_card(codings: pd.DataFrame, coding_id: int | None, codebook: Codebook
                ) -> CodingCard | None:
    """The card of ``coding_id`` among ``codings`` (``project.review.codings()``), or None."""
    if coding_id is None or codings.empty:
        return None
    rows = codings[codings["coding_id"] == int(coding_id)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    names = {c.id: c.name for c in codebook.codes}
    confidence = None if pd.isna(r["confidence"]) else float(r["confidence"])
    who = r["decided_by"] if isinstance(r["decided_by"], str) else r["coder"]
    return CodingCard(
        coding_id=int(r["coding_id"]), document_id=int(r["document_id"]), code=str(r["code"]),
        label=names.get(r["code"], str(r["code"])),
        color=code_colors(codebook).get(r["code"], PALETTE[-1]), status=str(r["status"]),
        source=str(r["source"]), coder=str(who) if isinstance(who, str) else "",
        confidence=confidence, speaker=str(r["speaker"] or ""), time=format_time(r["time_start"]),
        text=str(r["text"]), start=int(r["start"]), end=int(r["end"]), version=int(r["version"]),
        reasons=tuple(evidence_reasons(str(r["source"]), r["evidence"])),
    )


def coding_card_html(card: CodingCard) -> str:
    """The chosen coding: code, status, who or which engine, the quote and why."""
    meta = [card.source if card.source != "manual" else "coded by hand"]
    if card.coder:
        meta.append(("decided by " if card.source != "manual" else "by ") + card.coder)
    if card.confidence is not None and card.source != "manual":
        meta.append(f"confidence {card.confidence:.2f}")
    meta.append(f"characters {card.start}–{card.end}")
    return _card(card.label, card.color, card.status, meta, card.text, card.reasons,
                 f' data-testid="th-coding-card" data-coding="{card.coding_id}"')


def suggestion_html(row: Any) -> str:
    """A suggestion card's text (a row of :attr:`ReaderPage.suggestions`), escaped."""
    meta = [str(getattr(row, "source", "") or "suggested")]
    if not pd.isna(row.confidence):
        meta.append(f"confidence {float(row.confidence):.2f}")
    meta += [str(x) for x in (row.speaker, row.time) if isinstance(x, str) and x]
    reasons = list(getattr(row, "reasons", ()) or ())
    return _card(str(row.label), "", "suggested", meta, str(row.text), reasons, "")


def _card(label: str, color: str, status: str, meta: list[str], text: str,
          reasons: tuple[str, ...] | list[str], attrs: str) -> str:
    swatch = f'<span class="th-swatch" style="background:{esc(color)}"></span> ' if color else ""
    why = ("<ul class=\"th-card-why\">" + "".join(f"<li>{esc(r)}</li>" for r in reasons)
           + "</ul>") if reasons else ""
    return (f'<div class="th-card"{attrs}><div class="th-card-head">{swatch}'
            f'<span class="th-card-code">{esc(label)}</span> '
            f'<span class="th-card-pill th-{esc(status)}">{esc(status)}</span></div>'
            f'<div class="th-card-meta">{" · ".join(esc(m) for m in meta)}</div>'
            f'<div class="th-card-quote">“{esc(text)}”</div>{why}</div>')


__all__ = ["CARD_CSS", "CodingCard", "coding_card", "coding_card_html", "suggestion_html"]
