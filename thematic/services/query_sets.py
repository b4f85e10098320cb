"""Search the project, query its codings, and keep what was found as a named set.

:func:`search` and :func:`query` read the project's frames and call the pure functions of
:mod:`thematic.search`. A result (a frame of segments) can be coded at once
(:func:`code_found`) or saved under a name (:func:`save_set`); a saved set keeps its
definition (the search or query and its options) and its spans, and can later be coded with
any code (:func:`code_set`), exported as a table (:func:`export_set`) or removed. Every change
is one audited transaction (``thematic undo`` takes it back).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.search import TokenIndex, coding_query, parse_where, restrict, text_search
from thematic.store import ProjectStore

#: What a saved set holds: the spans of a text search or of a coding query.
KINDS = ("search", "query")
#: What coding a result codes: the whole segment, only the words found, or the whole turn.
EXTENTS = ("segment", "hit", "turn")
#: Columns of :func:`set_items`.
ITEM_COLUMNS = ["document_id", "document", "participant", "speaker", "start", "end", "text",
                "matched", "codes"]


def search(store: ProjectStore, text: str, *, match: str = "lemma",
           where: Iterable[str] | str | None = None, unit: str | None = None,
           segments: pd.DataFrame | None = None, index: TokenIndex | None = None) -> pd.DataFrame:
    """The segments (``unit``: the project's by default) whose text matches ``text``.

    ``where``: conditions on participant attributes or speaker (``role=newcomer``,
    ``speaker_role=participant``). ``segments`` and ``index`` let a caller that keeps them
    (the app) search again without reading every segment and word anew. Columns: the
    segments' plus those of :func:`thematic.search.text_search`.
    """
    conditions = parse_where(where)
    if segments is None:
        segments = store.documents.segments_frame(unit or store.settings().unit)
    return restrict(text_search(segments, text, match=match, index=index), conditions)


def query(store: ProjectStore, text: str, *, where: Iterable[str] | str | None = None,
          statuses: Sequence[str] = ("accepted",), subcodes: bool = True,
          unit: str | None = None, segments: pd.DataFrame | None = None,
          codings: pd.DataFrame | None = None) -> pd.DataFrame:
    """The segments a coding query finds (:func:`thematic.search.coding_query`).

    Codes are named by id or name; ``subcodes``: a code stands for its sub-codes too.
    """
    conditions = parse_where(where)
    codebook = store.codebook.current()
    names = {c.id: c.name for c in codebook.codes}
    parents = {c.id: c.parent_id for c in codebook.codes} if subcodes else None
    if segments is None:
        segments = store.documents.segments_frame(unit or store.settings().unit)
    if codings is None:
        codings = store.codings.frame()
    found = coding_query(segments, codings, text, statuses=statuses, code_parents=parents,
                         codes=names)
    return restrict(found, conditions)


def items_of(found: pd.DataFrame) -> list[dict[str, Any]]:
    """The spans of a search or query result, as a saved set keeps them."""
    out = []
    for row in found.to_dict("records"):
        item: dict[str, Any] = {
            "document_id": int(row["document_id"]), "document": str(row.get("document", "")),
            "participant": _text(row.get("participant")), "speaker": _text(row.get("speaker")),
            "start": int(row["start"]), "end": int(row["end"]),
        }
        if isinstance(row.get("hits"), list):
            item["hits"] = [[int(a), int(b)] for a, b in row["hits"]]
            item["matched"] = str(row.get("matched") or "")
        if isinstance(row.get("codes"), list):
            item["codes"] = [str(c) for c in row["codes"]]
        out.append(item)
    return out


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def save_set(store: ProjectStore, name: str, found: pd.DataFrame, *, kind: str, query: str,
             actor: str, options: dict[str, Any] | None = None, replace: bool = False) -> int:
    """Save a result under ``name`` with how it was found; returns the set's id."""
    if kind not in KINDS:
        raise ParameterError(f"kind must be one of {list(KINDS)}. Got {kind!r} instead.")
    definition = {"query": query, **(options or {})}
    with store.unit(actor, "save set") as uow:
        return store.query_sets.save(uow, name, kind=kind, definition=definition,
                                     items=items_of(found), author=actor, replace=replace)


def sets(store: ProjectStore) -> pd.DataFrame:
    """The saved sets: set_id, name, kind, query, items, author, created_at."""
    return store.query_sets.frame()


def set_items(store: ProjectStore, name: str) -> pd.DataFrame:
    """The spans of the set ``name`` with their text now (columns :data:`ITEM_COLUMNS`)."""
    saved = store.query_sets.get(name)
    texts: dict[int, str] = {}
    rows = []
    for item in saved.items:
        doc = int(item["document_id"])
        if doc not in texts:
            texts[doc] = store.documents.get(doc).text
        rows.append({**{c: item.get(c) for c in ITEM_COLUMNS},
                     "text": texts[doc][int(item["start"]):int(item["end"])],
                     "matched": item.get("matched", ""),
                     "codes": ", ".join(item.get("codes") or [])})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def remove_set(store: ProjectStore, name: str, *, actor: str) -> None:
    """Delete the saved set ``name`` (undo brings it back)."""
    with store.unit(actor, "remove set") as uow:
        store.query_sets.remove(uow, name)


def code_set(store: ProjectStore, name: str, code: str, *, actor: str,
             extent: str = "segment") -> int:
    """Code every span of the saved set ``name`` with ``code``; returns the codings added."""
    return code_spans(store, _spans(store, list(store.query_sets.get(name).items), extent),
                      code, actor=actor, action="code set")


def code_found(store: ProjectStore, found: pd.DataFrame, code: str, *, actor: str,
               extent: str = "segment") -> int:
    """Code every row of a search or query result with ``code``; returns the codings added."""
    return code_spans(store, _spans(store, items_of(found), extent), code, actor=actor,
                      action="code results")


def code_spans(store: ProjectStore, spans: Iterable[tuple[int, int, int]], code: str, *,
               actor: str, action: str = "code") -> int:
    """Code ``(document id, start, end)`` spans by hand as ``actor``'s, in one transaction; a
    span already coded with ``code`` (and not rejected) is left as it is. Returns the codings
    added."""
    settings = store.settings()
    final = settings.review_mode != "independent"  # blind review: the coder's own codings
    added = 0
    with store.unit(actor, action) as uow:
        who = uow.actor or actor
        existing = store.codings.spans_of_code(uow, code)
        for doc, start, end in dict.fromkeys(spans):
            if (doc, start, end) in existing or end <= start:
                continue
            segment = store.documents.segment_for_span(uow, doc, start, end, settings.unit)
            cid = store.codings.add_manual(uow, document_id=doc, code=code, start=start, end=end,
                                           coder=who, segment_id=segment, final=final)
            store.decisions.record_manual(uow, cid, who, final=final)
            added += 1
    return added


def _spans(store: ProjectStore, items: list[dict[str, Any]], extent: str
           ) -> list[tuple[int, int, int]]:
    if extent not in EXTENTS:
        raise ParameterError(f"extent must be one of {list(EXTENTS)}. Got {extent!r} instead.")
    out: list[tuple[int, int, int]] = []
    turns: dict[int, list[tuple[int, int]]] = {}
    for item in items:
        doc, start, end = int(item["document_id"]), int(item["start"]), int(item["end"])
        if extent == "hit" and item.get("hits"):
            out += [(doc, int(a), int(b)) for a, b in item["hits"]]
        elif extent == "turn":
            if doc not in turns:
                turns[doc] = [(t.start, t.end) for t in store.documents.turns(doc)]
            out.append((doc, *_turn_around(turns[doc], start, end)))
        else:
            out.append((doc, start, end))
    return out


def _turn_around(turns: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    i = bisect.bisect_right([t[0] for t in turns], start) - 1
    if i >= 0 and turns[i][0] <= start < turns[i][1]:
        return turns[i][0], max(turns[i][1], end)
    return start, end


def export_set(store: ProjectStore, name: str, target: str | Path | IO[bytes], *,
               fmt: str | None = None) -> int:
    """Write the set's spans (:func:`set_items`) as ``.csv`` or ``.xlsx``; returns the rows."""
    from thematic.export.tabular import write_table

    frame = set_items(store, name)
    write_table(frame.assign(set=name)[["set", *ITEM_COLUMNS]], target, fmt=fmt,
                sheet_name="set")
    return len(frame)


__all__ = ["EXTENTS", "ITEM_COLUMNS", "KINDS", "code_found", "code_set", "code_spans",
           "export_set", "items_of", "query", "remove_set", "save_set", "search", "set_items",
           "sets"]
