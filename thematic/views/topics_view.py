"""What the Topics page shows: topic candidates as cards, the run's progress as one line.

Pure functions over the frame ``project.topics.frame()`` returns. Columns read (others are ignored,
missing ones shown as unknown): ``topic_id``, ``label``, ``keywords`` (list or comma text),
``size``, ``participants`` (a count or a list of ids), ``stability`` (0..1 or None),
``stable`` (bool or None), ``nearest`` / ``nearest_codes`` (code ids with similarities),
``quotes`` (texts, or dicts with ``text`` and ``participant``), ``status``, ``code``,
``merged_into``. Every piece of text in the HTML is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from thematic.models import TOPIC_STATUSES
from thematic.views.common import esc

__all__ = ["TOPIC_STATUSES", "TopicCard", "TopicQuote", "topic_cards", "topic_card_html",
           "progress_fraction", "progress_text", "topic_options", "TOPICS_CSS"]

#: The states of a topic candidate, as the store keeps them.

PARENT_CHOICES = {
    "codebook": "At the codebook's granularity (as many as it has codes)",
    "ward": "Every merge of near topics (a tree)",
}
"""The Topics page's choice of broader candidates: label of each ``parent_level`` of
:class:`thematic.suggest.topics.TopicModeler` (without a codebook both give the tree)."""

TOPICS_CSS = """<style>
.th-topic {border-left: 4px solid #6baed6; padding: 0.2rem 0 0.4rem 0.7rem; margin: 0.2rem 0;}
.th-topic.th-unstable {border-left: 4px dashed #d55e00;}
.th-topic .th-kw {font-family: monospace; font-size: 0.85rem; color: #333;}
.th-topic .th-meta {font-size: 0.82rem; color: #555; margin: 0.15rem 0;}
.th-topic .th-warn {color: #a33c00; font-weight: 600;}
.th-topic blockquote {margin: 0.2rem 0 0.2rem 0.4rem; padding-left: 0.5rem;
                      border-left: 2px solid #ddd; font-size: 0.9rem; white-space: pre-wrap;}
.th-topic .th-who {font-size: 0.75rem; color: #777;}
</style>"""


@dataclass(frozen=True)
class TopicQuote:
    """One representative quote of a topic."""

    text: str
    participant: str = ""


@dataclass(frozen=True)
class TopicCard:
    """One topic candidate as the page shows it."""

    topic_id: int
    label: str
    keywords: tuple[str, ...]
    size: int | None
    participants: int | None
    stability: float | None
    stable: bool | None
    nearest: tuple[tuple[str, float | None], ...]
    quotes: tuple[TopicQuote, ...]
    status: str
    code: str | None = None
    merged_into: int | None = None
    parent: int | None = None  # the broader candidate this one is part of
    children: tuple[int, ...] = ()  # the narrower candidates a broader one joins
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        """Still to decide (a candidate), so adopt, map, merge and reject apply."""
        return self.status == "candidate"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _words(value: Any) -> tuple[str, ...]:
    if _missing(value):
        return ()
    if isinstance(value, str):
        return tuple(w.strip() for w in value.split(",") if w.strip())
    return tuple(str(w) for w in value)


def _count(value: Any) -> int | None:
    if _missing(value):
        return None
    if isinstance(value, (list, tuple, set)):
        return len(value)
    if isinstance(value, str):
        return len([p for p in value.split(",") if p.strip()])
    return int(value)


def _nearest(value: Any) -> tuple[tuple[str, float | None], ...]:
    """Code ids with similarities from pairs, dicts or ``"code (0.42)"`` text."""
    if _missing(value):
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[tuple[str, float | None]] = []
    for item in items:
        if isinstance(item, Mapping):
            code = item.get("code") or item.get("id")
            score = item.get("similarity", item.get("score"))
            out.append((str(code), None if _missing(score) else float(score)))
        elif isinstance(item, (list, tuple)) and item:
            out.append((str(item[0]), float(item[1]) if len(item) > 1 else None))
        elif str(item).strip():
            text = str(item).strip()
            if text.endswith(")") and " (" in text:
                code, _, score = text[:-1].rpartition(" (")
                try:
                    out.append((code, float(score)))
                    continue
                except ValueError:
                    pass
            out.append((text, None))
    return tuple(out)


def _quotes(value: Any) -> tuple[TopicQuote, ...]:
    if _missing(value):
        return ()
    if isinstance(value, str):
        return (TopicQuote(value),)
    out = []
    for item in value:
        if isinstance(item, Mapping):
            out.append(TopicQuote(str(item.get("text") or ""), str(item.get("participant") or "")))
        else:
            out.append(TopicQuote(str(item)))
    return tuple(q for q in out if q.text)


def _get(row: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in row and not (_missing(row[name]) if not isinstance(row[name], (list, tuple))
                                else False):
            return row[name]
    return None


def topic_cards(topics: pd.DataFrame, *, statuses: Sequence[str] | None = None) -> list[TopicCard]:
    """The candidates of ``topics`` (``project.topics.frame()``) as cards, largest first.

    ``statuses`` keeps only topics in those states (None: all).

    >>> frame = pd.DataFrame([{"topic_id": 3, "label": "camera off", "keywords": ["camera", "off"],
    ...     "size": 12, "participants": 5, "stability": 0.31, "stable": False,
    ...     "nearest": [["camera-use", 0.61]], "quotes": ["My camera's off."],
    ...     "status": "candidate"}])
    >>> card = topic_cards(frame)[0]
    >>> card.keywords, card.stable, card.nearest, card.open
    (('camera', 'off'), False, (('camera-use', 0.61),), True)
    """
    if topics is None or topics.empty:
        return []
    cards: list[TopicCard] = []
    for record in topics.to_dict("records"):
        status = str(_get(record, "status") or "candidate")
        if statuses is not None and status not in statuses:
            continue
        stability = _get(record, "stability")
        stable = _get(record, "stable")
        merged = _get(record, "merged_into")
        ident = _get(record, "topic_id", "id", "topic")
        cards.append(TopicCard(
            topic_id=int(ident) if ident is not None else -1,
            label=str(_get(record, "label", "name") or ""),
            keywords=_words(_get(record, "keywords")),
            size=_count(_get(record, "size")),
            participants=_count(_get(record, "participants", "n_participants")),
            stability=None if stability is None else float(stability),
            stable=None if stable is None else bool(stable),
            nearest=_nearest(_get(record, "nearest", "nearest_codes")),
            quotes=_quotes(_get(record, "quotes", "representation")),
            status=status,
            code=None if _get(record, "code") is None else str(_get(record, "code")),
            merged_into=None if merged is None else int(merged),
            parent=None if _missing(_get(record, "parent")) else int(_get(record, "parent")),
        ))
    kids: dict[int, list[int]] = {}
    for card in cards:
        if card.parent is not None:
            kids.setdefault(card.parent, []).append(card.topic_id)
    cards = [replace(c, children=tuple(sorted(kids.get(c.topic_id, ())))) for c in cards]
    # largest first, whatever their state: a decided card stays where the person left it
    cards.sort(key=lambda c: (-(c.size or 0), c.topic_id))
    return cards


def _status_line(card: TopicCard, code_names: Mapping[str, str]) -> str:
    if card.status == "adopted" and card.code:
        return f"adopted as code “{esc(code_names.get(card.code, card.code))}”"
    if card.status == "mapped" and card.code:
        return f"mapped to code “{esc(code_names.get(card.code, card.code))}”"
    if card.status == "merged" and card.merged_into is not None:
        return f"merged into topic {card.merged_into}"
    return esc(card.status)


def topic_card_html(card: TopicCard, code_names: Mapping[str, str] | None = None, *,
                    max_quotes: int = 3) -> str:
    """One candidate as escaped HTML: label, keywords, counts, stability, nearest codes, quotes.

    >>> card = TopicCard(1, "<b>x</b>", ("<i>",), 4, 2, 0.2, False, (), (TopicQuote("<script>"),),
    ...                  "candidate")
    >>> out = topic_card_html(card)
    >>> "<b>x" in out or "<script>" in out, "unstable" in out
    (False, True)
    """
    names = dict(code_names or {})
    cls = "th-topic th-unstable" if card.stable is False else "th-topic"
    facts = [f"{card.size if card.size is not None else '?'} segments",
             f"{card.participants if card.participants is not None else '?'} participants"]
    if card.stability is not None:
        facts.append(f"stability {card.stability:.2f}")
    if card.children:
        facts.append("joins topics " + ", ".join(map(str, card.children)))
    if card.parent is not None:
        facts.append(f"part of topic {card.parent}")
    warn = ('<span class="th-warn" data-testid="th-unstable">unstable: it changes between '
            're-fits; read its quotes before adopting</span>' if card.stable is False else "")
    nearest = ", ".join(
        f"{esc(names.get(code, code))}" + (f" ({score:.2f})" if score is not None else "")
        for code, score in card.nearest)
    quotes = "".join(
        f"<blockquote>{esc(q.text)}"
        + (f' <span class="th-who">— {esc(q.participant)}</span>' if q.participant else "")
        + "</blockquote>" for q in card.quotes[:max_quotes])
    return (f'<div class="{cls}" data-topic="{card.topic_id}">'
            f'<div><b>{esc(card.label) or "(no label)"}</b> '
            f'<span class="th-meta">topic {card.topic_id} · {_status_line(card, names)}</span></div>'
            f'<div class="th-kw">{esc(", ".join(card.keywords))}</div>'
            f'<div class="th-meta">{" · ".join(facts)} {warn}</div>'
            + (f'<div class="th-meta">nearest codes: {nearest}</div>' if nearest else "")
            + quotes + "</div>")


def topic_options(cards: Sequence[TopicCard], *, exclude: int | None = None) -> dict[int, str]:
    """Topic id -> "label (topic N)" for pickers (merge targets), open topics only."""
    return {c.topic_id: f"{c.label or '(no label)'} (topic {c.topic_id})"
            for c in cards if c.open and c.topic_id != exclude}


def progress_fraction(done: int, total: int | None) -> float:
    """``done / total`` clipped to 0..1 (0 when the total is unknown).

    >>> progress_fraction(3, 4), progress_fraction(5, 0), progress_fraction(9, 4)
    (0.75, 0.0, 1.0)
    """
    if not total or total <= 0:
        return 0.0
    return max(0.0, min(1.0, done / total))


def progress_text(stage: str, done: int, total: int | None) -> str:
    """One line for the progress bar: ``embedding: 30/120``.

    >>> progress_text("clustering", 1, 3)
    'clustering: 1/3'
    """
    return f"{stage}: {done}/{total}" if total else f"{stage}…"
