"""Topic candidates as cards: label, keywords, quotes, size, participants, stability, nearest codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.views.common import esc

if TYPE_CHECKING:
    from thematic.models import Codebook

CARD_COLUMNS = ["topic_id", "label", "keywords", "quotes", "size", "participants", "stability",
                "stable", "nearest", "status", "code"]


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def topic_cards(topics: pd.DataFrame, codebook: Codebook, *, quotes: int = 3) -> pd.DataFrame:
    """One row per topic (merged ones left out), candidates first, then by size: keywords as
    text, up to ``quotes`` quotes, nearest codes by name with their similarity."""
    names = {c.id: c.name for c in codebook.codes}
    if topics.empty:
        return pd.DataFrame(columns=CARD_COLUMNS)
    shown = topics[topics["status"] != "merged"]
    shown = shown.assign(_first=(shown["status"] != "candidate").astype(int))
    shown = shown.sort_values(["_first", "size"], ascending=[True, False], kind="stable")
    rows = []
    for t in shown.itertuples():
        near = []
        for pair in _list(t.nearest)[:3]:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                near.append(f"{names.get(str(pair[0]), str(pair[0]))} ({float(pair[1]):.2f})")
        said = [q.get("text", "") if isinstance(q, dict) else str(q)
                for q in _list(getattr(t, "quotes", None))][:quotes]
        rows.append({"topic_id": int(t.topic_id), "label": t.label or f"topic {t.key}",
                     "keywords": ", ".join(map(str, _list(t.keywords)[:10])), "quotes": said,
                     "size": int(t.size or 0), "participants": int(t.participants or 0),
                     "stability": t.stability, "stable": bool(t.stable), "nearest": "; ".join(near),
                     "status": t.status, "code": names.get(str(t.code), t.code) if t.code else ""})
    return pd.DataFrame(rows, columns=CARD_COLUMNS)


def topic_card_html(card: Any) -> str:
    """A topic card (a row of :func:`topic_cards`), every piece of text escaped."""
    stability = "" if card.stability is None or pd.isna(card.stability) else f"{float(card.stability):.2f}"
    flag = "stable" if card.stable else "unstable"
    status = card.status if not card.code else f"{card.status}: {card.code}"
    quotes = "".join(f'<div class="th-text">“{esc(q)}”</div>' for q in card.quotes)
    return (f'<div><span class="th-speaker">{esc(card.label)}</span>'
            f'<span class="th-badge th-badge-other">{esc(status)}</span>'
            f'<span class="th-time">{card.size} segments · {card.participants} participants · '
            f'stability {stability} ({flag})</span></div>'
            f'<div class="th-head"><b>Keywords:</b> {esc(card.keywords)}</div>'
            f'<div class="th-head"><b>Nearest codes:</b> {esc(card.nearest or "none")}</div>'
            f'{quotes}')


__all__ = ["CARD_COLUMNS", "topic_cards", "topic_card_html"]
