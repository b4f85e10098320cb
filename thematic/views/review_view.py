"""The review queue: suggestions from every engine, most informative first, as cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.errors import ThematicError
from thematic.views.common import code_colors, esc, format_time, mark_color, md
from thematic.views.filters import CodingFilter

if TYPE_CHECKING:
    from thematic.models import Codebook
    from thematic.project.coding import Suggestions

QUEUE_COLUMNS = ["coding_id", "document", "document_id", "participant", "speaker", "code", "label",
                 "definition", "source", "confidence", "evidence", "before", "text", "after",
                 "time", "start", "end", "turn", "version", "color"]


def order_queue(suggested: pd.DataFrame, order: pd.DataFrame | list[int] | None = None) -> pd.DataFrame:
    """Suggestions in review order: ``order`` (coding ids, most informative first, e.g. the
    classifier's uncertainty order) when given, then the rest by confidence, highest first.

    >>> frame = pd.DataFrame({"coding_id": [1, 2, 3], "confidence": [0.2, 0.9, 0.5],
    ...                       "document": ["d"] * 3, "start": [0, 5, 9]})
    >>> order_queue(frame)["coding_id"].tolist(), order_queue(frame, [3])["coding_id"].tolist()
    ([2, 3, 1], [3, 2, 1])
    """
    if isinstance(order, pd.DataFrame):
        order = order["coding_id"].astype(int).tolist() if "coding_id" in order else None
    ranked = suggested.assign(
        _conf=pd.to_numeric(suggested["confidence"], errors="coerce").fillna(0.0))
    if order:
        rank = {int(cid): i for i, cid in enumerate(order)}
        ranked = ranked.assign(_rank=[rank.get(int(c), len(rank)) for c in ranked["coding_id"]])
    else:
        ranked = ranked.assign(_rank=0)
    ranked = ranked.sort_values(["_rank", "_conf", "document", "start"],
                                ascending=[True, False, True, True], kind="stable")
    return ranked.drop(columns=["_rank", "_conf"])


def informative_order(suggestions: Suggestions, *, limit: int = 200) -> list[int] | None:
    """The classifier's order of the queue (``project.suggestions.queue``): its ``limit`` most
    informative suggestions (the rest follow by confidence); None when the library cannot
    order them (say, no segments to learn from yet)."""
    try:
        queue = suggestions.queue(limit=limit)
    except ThematicError:
        return None
    return queue["coding_id"].astype(int).tolist()


def evidence_text(source: str, evidence: dict[str, Any] | None) -> str:
    """Why an engine suggested a coding, as the engine itself renders it (one line)."""
    return "; ".join(evidence_reasons(source, evidence))


def evidence_reasons(source: str, evidence: dict[str, Any] | None) -> list[str]:
    """Why an engine suggested a coding, one reason a line, in the engine's own words
    (:func:`thematic.suggest.registry.evidence_lines`)."""
    if not evidence:
        return []
    from thematic.suggest.registry import evidence_lines

    return evidence_lines(str(source), evidence)


def review_queue(codings: pd.DataFrame, codebook: Codebook, *, filters: CodingFilter | None = None,
                 order: list[int] | None = None) -> pd.DataFrame:
    """The suggestions still to decide (columns :data:`QUEUE_COLUMNS`), in review order.

    ``evidence`` is the engine's evidence as stored; :func:`review_card_html` words it for the
    few cards drawn, so a queue of 50,000 suggestions does not word them all."""
    if codings.empty:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    rows = codings[codings["status"] == "suggested"]
    if filters is not None:
        rows = filters.apply(rows)
    if rows.empty:
        return pd.DataFrame(columns=QUEUE_COLUMNS)
    rows = order_queue(rows, order)
    codes = codebook.by_id()
    colors = code_colors(codebook)
    return pd.DataFrame({
        "coding_id": rows["coding_id"].astype(int), "document": rows["document"],
        "document_id": rows["document_id"].astype(int), "participant": rows["participant"],
        "speaker": rows["speaker"], "code": rows["code"],
        "label": [codes[c].name if c in codes else c for c in rows["code"]],
        "definition": [codes[c].definition if c in codes else "" for c in rows["code"]],
        "source": rows["source"], "confidence": rows["confidence"],
        "evidence": rows["evidence"],  # as stored: a card words it (review_card_html), not 50k
        "before": rows["context_before"], "text": rows["text"], "after": rows["context_after"],
        "time": [format_time(t) for t in rows["time_start"]],
        "start": rows["start"].astype(int), "end": rows["end"].astype(int), "turn": rows["turn"],
        "version": rows["version"].astype(int),
        "color": [colors.get(c, "#999999") for c in rows["code"]],
    }, columns=QUEUE_COLUMNS).reset_index(drop=True)


def review_card_html(row: Any) -> str:
    """One suggestion with its context, code, definition, engine, confidence and evidence."""
    confidence = "" if pd.isna(row.confidence) else f"{float(row.confidence):.2f}"
    where = " · ".join(esc(x) for x in (row.document, row.speaker, row.time) if x and not pd.isna(x))
    why = row.evidence if isinstance(row.evidence, str) else evidence_text(
        str(row.source), row.evidence if isinstance(row.evidence, dict) else None)
    evidence = f'<div class="th-head"><b>Why:</b> {esc(why)}</div>' if why else ""
    definition = (f'<div class="th-head"><b>Definition:</b> {esc(row.definition)}</div>'
                  if row.definition else "")
    return (
        f'<div class="th-review">'
        f'<div><span class="th-swatch" style="background:{esc(row.color)}"></span>'
        f'<span class="th-speaker">{esc(row.label)}</span>'
        f'<span class="th-badge th-badge-other">{esc(row.source)}</span>'
        f'<span class="th-time">confidence {confidence}</span></div>'
        f'<div class="th-head">{where}</div>'
        f'<div class="th-text">{esc(row.before)}<mark class="th-mark th-suggested" '
        f'style="background: {mark_color(str(row.color))}">{esc(row.text)}</mark>'
        f'{esc(row.after)}</div>{definition}{evidence}</div>'
    )


def passage_ids(queue: pd.DataFrame, row: Any) -> list[int]:
    """The suggestions of ``queue`` with the card ``row``'s code in its turn (the card's
    included, in transcript order), to decide as one passage."""
    from thematic.services.review import same_turn

    return same_turn(queue, int(row.document_id), str(row.code), row.turn)


def passage_html(queue: pd.DataFrame, ids: Sequence[int]) -> str:
    """The sentences of a passage (:func:`passage_ids`) in transcript order, each with its
    confidence, the data escaped: what "Accept/Reject all in this turn" decides."""
    rows = queue.set_index("coding_id").loc[list(ids)]
    items = "".join(
        f'<li><span class="th-time">{"" if pd.isna(r.confidence) else f"{float(r.confidence):.2f}"}</span> '
        f'{esc(r.text)}</li>' for r in rows.itertuples())
    return f'<ol class="th-passage">{items}</ol>'


def queue_caption(queue: pd.DataFrame, total: int) -> str:
    """"12 of 340 suggestions match the filter" (or "No suggestions to review")."""
    if not total:
        return "No suggestions to review."
    return f"{len(queue):,} of {total:,} suggestions match the filter."


#: Deciding more suggestions than this at once asks for a confirmation first.
BULK_CONFIRM_ABOVE = 20


def bulk_change_text(queue: pd.DataFrame, status: str, coder: str) -> str:
    """What deciding every suggestion of ``queue`` as ``status`` will change (Markdown, data
    escaped): how many, of how many codes and documents, the largest codes, and how to undo.

    >>> queue = pd.DataFrame({"label": ["Relapse", "Relapse", "Stigma"], "document": ["P01"] * 3})
    >>> print(bulk_change_text(queue, "accepted", "ana"))
    Accept 3 suggestions of 2 codes in 1 document as **ana**? They go from suggested to accepted (Relapse 2, Stigma 1). One undo takes the whole step back.
    """
    n, codes, docs = len(queue), queue["label"].nunique(), queue["document"].nunique()
    verb = {"accepted": "Accept", "rejected": "Reject"}.get(status, "Decide")
    largest = queue["label"].value_counts().head(5)
    parts = ", ".join(f"{md(label)} {count:,}" for label, count in largest.items())
    more = ", …" if codes > len(largest) else ""
    return (f"{verb} {n:,} suggestion{'s' if n != 1 else ''} of {codes:,} code{'s' if codes != 1 else ''} "
            f"in {docs:,} document{'s' if docs != 1 else ''} as **{md(coder)}**? They go from "
            f"suggested to {status} ({parts}{more}). One undo takes the whole step back.")


__all__ = ["BULK_CONFIRM_ABOVE", "QUEUE_COLUMNS", "bulk_change_text", "evidence_reasons",
           "evidence_text", "order_queue", "passage_html", "passage_ids", "informative_order", "review_queue",
           "review_card_html", "queue_caption"]
