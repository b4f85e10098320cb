"""Review operations: a person decides on suggestions and reshapes the codebook.

Each function is one audited transaction (DESIGN invariant 4) and can be undone with
:func:`undo`. Only these functions move a coding out of ``suggested``, and each needs the
name of the person deciding (``actor``, recorded as the decision's coder). The rows and
queries live in ``thematic.store``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from thematic.errors import ParameterError, ReviewError
from thematic.models import DECISIONS
from thematic.store import ProjectStore


def decide(store: ProjectStore, coding_ids: Sequence[int], status: str, *, actor: str,
           expected_versions: Mapping[int, int] | None = None) -> int:
    """Set ``status`` ("accepted", "rejected", or back to "suggested") on codings.

    In shared review (the default) this is the coding's one current decision; in
    independent review it is ``actor``'s own decision, and the coding's status changes only
    with :func:`consensus`. ``expected_versions`` (coding id -> version read) makes the
    decision fail with ConflictError when someone else changed the coding in between.
    """
    if status not in DECISIONS:
        raise ReviewError(f"status must be one of {', '.join(DECISIONS)}. Got {status!r} instead.")

    def change() -> int:
        with store.unit(actor, f"{status.removesuffix('ed')}") as uow:
            mode = store.settings_in(uow).review_mode
            return store.decisions.decide(uow, coding_ids, status, coder=uow.actor or actor,
                                          mode=mode, expected_versions=expected_versions)

    # a decision that met another at the same moment is made again on what is there now;
    # one made on a version read earlier (expected_versions) must be a conflict instead
    return change() if expected_versions else store.retry(change)


def consensus(store: ProjectStore, coding_ids: Sequence[int], status: str, *, actor: str) -> int:
    """Record the final (consensus) decision on codings; the codings take its status."""
    if status not in DECISIONS:
        raise ReviewError(f"status must be one of {', '.join(DECISIONS)}. Got {status!r} instead.")

    def change() -> int:
        with store.unit(actor, "consensus") as uow:
            return store.decisions.decide(uow, coding_ids, status, coder=uow.actor or actor,
                                          mode="shared")

    return store.retry(change)


def accept(store: ProjectStore, coding_ids: Sequence[int], *, actor: str, **kw: Any) -> int:
    """Accept codings (see :func:`decide`)."""
    return decide(store, coding_ids, "accepted", actor=actor, **kw)


def reject(store: ProjectStore, coding_ids: Sequence[int], *, actor: str, **kw: Any) -> int:
    """Reject codings (see :func:`decide`)."""
    return decide(store, coding_ids, "rejected", actor=actor, **kw)


def bulk_decide(store: ProjectStore, status: str, *, actor: str, code: str | None = None,
                source: str | None = None, min_confidence: float | None = None,
                max_confidence: float | None = None, document_id: int | None = None) -> int:
    """Decide every *suggested* coding matching the filter (code, engine, confidence range)."""
    ids = store.codings.ids(code=code, source=source, status="suggested",
                            min_confidence=min_confidence, max_confidence=max_confidence,
                            document_id=document_id)
    return decide(store, ids, status, actor=actor) if ids else 0


def same_turn(codings: pd.DataFrame, document_id: int, code: str, turn: float | None) -> list[int]:
    """The codings of ``codings`` of ``code`` in turn ``turn`` (its index) of document
    ``document_id``, in transcript order: a passage the engine suggested sentence by sentence,
    to decide at once. ``codings`` has the columns of a codings frame (``coding_id``,
    ``document_id``, ``code``, ``turn``, ``start``); a coding outside every turn (``turn``
    missing) has no passage.

    >>> codings = pd.DataFrame({"coding_id": [1, 2, 3, 4], "document_id": [7, 7, 7, 7],
    ...                         "code": ["a", "a", "b", "a"], "turn": [0, 0, 0, 1],
    ...                         "start": [0, 12, 12, 40]})
    >>> same_turn(codings, 7, "a", 0)
    [1, 2]
    """
    if turn is None or pd.isna(turn):
        return []
    mates = codings[(codings["document_id"] == document_id) & (codings["code"] == code)
                    & (codings["turn"] == turn)]
    return [int(i) for i in mates.sort_values(["start", "coding_id"], kind="stable")["coding_id"]]


def turn_suggestions(store: ProjectStore, coding_ids: Sequence[int]) -> list[int]:
    """``coding_ids`` and every suggestion of the same code in the same turn as each of them
    (:func:`same_turn`), in the order given, each once; each document's codings read once."""
    out: dict[int, None] = {}
    frames: dict[int, pd.DataFrame] = {}
    for coding_id in coding_ids:
        document_id = store.codings.get(int(coding_id)).document_id
        if document_id not in frames:
            frames[document_id] = store.codings.frame(document_id=document_id, evidence=False)
        frame = frames[document_id]
        this = frame[frame["coding_id"] == int(coding_id)].iloc[0]
        open_ = frame[frame["status"] == "suggested"]
        out.update(dict.fromkeys([int(coding_id), *same_turn(open_, document_id, this["code"], this["turn"])]))
    return list(out)


def _check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise ReviewError(f"span [{start}, {end}) is outside the document (0-{len(text)})",
                          hint="Offsets count characters of the stored text from 0.")


def locate_quote(text: str, quote: str, *, occurrence: int | None = None) -> tuple[int, int]:
    """Exact offsets of ``quote`` in ``text``; ambiguous quotes need ``occurrence`` (1-based)."""
    if not quote:
        raise ReviewError("the quote is empty")
    hits, pos = [], text.find(quote)
    while pos != -1:
        hits.append(pos)
        pos = text.find(quote, pos + 1)
    if not hits:
        raise ReviewError(f"the quoted text is not in the document: {quote[:60]!r}",
                          hint="Quote the text exactly as the transcript has it.")
    if len(hits) > 1 and occurrence is None:
        raise ReviewError(f"the quoted text occurs {len(hits)} times",
                          hint="Quote more of it, or give occurrence=N (CLI: --occurrence N).")
    index = 0 if occurrence is None else occurrence - 1  # 0 is not "the first": it is an error
    if not 0 <= index < len(hits):
        raise ReviewError(f"occurrence must be 1-{len(hits)}. Got {occurrence} instead.")
    return hits[index], hits[index] + len(quote)


def code_span(store: ProjectStore, document: int | str, code: str, *, actor: str,
              start: int | None = None, end: int | None = None, quote: str | None = None,
              occurrence: int | None = None) -> int:
    """Code a span by hand (by offsets or by quoting its text). Returns the coding id."""
    doc = store.documents.get(document)
    if quote is not None and (start is not None or end is not None):
        raise ParameterError("give a quote or start/end offsets, not both",
                             hint="The offsets would be ignored; drop them or the quote.")
    if quote is None and occurrence is not None:
        raise ParameterError("occurrence needs a quote", hint="Give the quote it counts.")
    if quote is not None:
        start, end = locate_quote(doc.text, quote, occurrence=occurrence)
    if start is None or end is None:
        raise ReviewError("give start and end offsets, or a quote")
    _check_span(doc.text, start, end)
    settings = store.settings()
    final = settings.review_mode != "independent"  # blind review: the coder's own coding
    with store.unit(actor, "code") as uow:
        segment = store.documents.segment_for_span(uow, doc.id, start, end, settings.unit)
        cid = store.codings.add_manual(uow, document_id=doc.id, code=code, start=start, end=end,
                                       coder=uow.actor or actor, segment_id=segment, final=final)
        store.decisions.record_manual(uow, cid, uow.actor or actor, final=final)
        return cid


def edit_span(store: ProjectStore, coding_id: int, start: int, end: int, *, actor: str) -> int:
    """Change a coding's span, accepted by ``actor``; returns the coding that holds it.

    In shared review the coding itself changes (and its one decision). In independent review
    nobody else's work changes: ``actor``'s own hand-made coding that nobody else decided
    changes in place; any other coding keeps its span, ``actor`` rejects it and gets their
    own coding of the new span (still "suggested" for everyone until consensus).
    """
    mode = store.settings().review_mode
    with store.unit(actor, "edit span") as uow:
        _check_span(store.documents.get(store.codings.document_of(uow, coding_id)).text, start, end)
        if mode == "independent":
            return _own_version(store, uow, coding_id, span=(start, end))
        store.codings.set_span(uow, coding_id, start, end)
        store.decisions.decide(uow, [coding_id], "accepted", coder=uow.actor or actor, mode="shared")
        return coding_id


def recode(store: ProjectStore, coding_id: int, code: str, *, actor: str) -> int:
    """Move a coding to another code (accepted by ``actor``); returns the coding that holds it.

    In independent review, as :func:`edit_span`: only ``actor``'s own work changes.
    """
    mode = store.settings().review_mode
    with store.unit(actor, "recode") as uow:
        if mode == "independent":
            store.codebook.row(uow.session, code)  # NotFoundError for an unknown code
            return _own_version(store, uow, coding_id, code=code)
        store.codings.set_code(uow, coding_id, code)
        store.decisions.decide(uow, [coding_id], "accepted", coder=uow.actor or actor, mode="shared")
        return coding_id


def _own_version(store: ProjectStore, uow: Any, coding_id: int, *, code: str | None = None,
                 span: tuple[int, int] | None = None) -> int:
    """Independent review: ``uow.actor``'s changed version of a coding, leaving everyone
    else's decisions and the coding's status as they are."""
    coder = str(uow.actor)
    if store.decisions.only_coders_own(uow, coding_id, coder):
        if span is not None:
            store.codings.set_span(uow, coding_id, *span)
        if code is not None:
            store.codings.set_code(uow, coding_id, code)
        return coding_id
    document, start, end, segment, key = store.codings.span_of(uow, coding_id)
    store.decisions.decide(uow, [coding_id], "rejected", coder=coder, mode="independent")
    if span is not None:
        start, end = span
        segment = store.documents.segment_for_span(uow, document, start, end,
                                                   store.settings().unit)
    cid = store.codings.add_manual(uow, document_id=document, code=code or key, start=start,
                                   end=end, coder=coder, segment_id=segment, final=False)
    store.decisions.record_manual(uow, cid, coder, final=False)
    return cid


# ---------------------------------------------------------------------------- undo / history
def undo(store: ProjectStore, *, actor: str, mine_only: bool = False) -> list[str]:
    """Undo the newest change (``mine_only``: the newest change by ``actor``); a recording
    whose attachment is undone leaves the disk too.

    In independent review a person's undo is always their own (it never touches another
    coder's decisions). Undoing a change needs the role the change needed (a coder cannot
    undo an owner's merge). It is refused, naming the later work, when it would remove what
    someone else did since (their codings in an imported document, their decisions on an
    adopted topic's suggestions).
    """
    from thematic.services.memos import prune_media

    independent = store.settings().review_mode == "independent"
    with store.unit(actor, "undo") as uow:
        own = mine_only or (independent and bool(uow.actor))
        undone = store.history.undo(uow, actor=uow.actor if own else None,
                                    authorize=lambda action: store.accounts.authorize(
                                        uow.session, uow.actor, action))
    prune_media(store)  # a recording whose attachment was undone leaves the disk too
    return undone


def history(store: ProjectStore, *, limit: int = 50, by: str | None = None) -> pd.DataFrame:
    """The newest changes, one row per transaction: txn, at, actor, action, changes, undone;
    ``by``: only that person's (an account's name in any case)."""
    if by is not None:
        account = store.accounts.get(by.strip())
        by = account.name if account else by.strip()
    return store.history.frame(limit=limit, by=by)
