"""Review operations: a person decides on suggestions and reshapes the codebook.

Each function is one audited transaction (DESIGN invariant 4) and can be undone with
:func:`undo`. Only these functions move a coding out of ``suggested``, and each needs the
name of the person deciding (``coder``). The rows and queries live in ``thematic.store``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from thematic.errors import ParameterError, ReviewError
from thematic.models import (
    DECISIONS,
    REVIEW_MODES,
    Code,
)
from thematic.store import ProjectStore


def _need_coder(coder: str | None) -> str:
    if not coder or not str(coder).strip():
        raise ReviewError("a decision needs the name of the person making it",
                          hint="Pass coder='your name' (CLI: --coder NAME).")
    return str(coder).strip()


def decide(store: ProjectStore, coding_ids: Sequence[int], status: str, *, coder: str,
           expected_versions: Mapping[int, int] | None = None) -> int:
    """Set ``status`` ("accepted", "rejected", or back to "suggested") on codings.

    In shared review (the default) this is the coding's one current decision; in
    independent review it is ``coder``'s own decision, and the coding's status changes only
    with :func:`consensus`. ``expected_versions`` (coding id -> version read) makes the
    decision fail with ConflictError when someone else changed the coding in between.
    """
    coder = _need_coder(coder)
    if status not in DECISIONS:
        raise ReviewError(f"status must be one of {', '.join(DECISIONS)}. Got {status!r} instead.")

    def change() -> int:
        with store.unit(coder, f"{status.removesuffix('ed')}") as uow:
            mode = store.settings_in(uow).get("review_mode", "shared")
            return store.decisions.decide(uow, coding_ids, status, coder=uow.actor or coder,
                                          mode=mode, expected_versions=expected_versions)

    # a decision that met another at the same moment is made again on what is there now;
    # one made on a version read earlier (expected_versions) must be a conflict instead
    return change() if expected_versions else store.retry(change)


def consensus(store: ProjectStore, coding_ids: Sequence[int], status: str, *, coder: str) -> int:
    """Record the final (consensus) decision on codings; the codings take its status."""
    coder = _need_coder(coder)
    if status not in DECISIONS:
        raise ReviewError(f"status must be one of {', '.join(DECISIONS)}. Got {status!r} instead.")
    def change() -> int:
        with store.unit(coder, "consensus") as uow:
            return store.decisions.decide(uow, coding_ids, status, coder=uow.actor or coder,
                                          mode="shared")

    return store.retry(change)


def set_review_mode(store: ProjectStore, mode: str, *, actor: str | None = None) -> None:
    """Choose shared review (one current decision) or independent review (one per coder)."""
    if mode not in REVIEW_MODES:
        raise ReviewError(f"review mode must be one of {', '.join(REVIEW_MODES)}. Got {mode!r} instead.")
    with store.unit(actor, "settings") as uow:
        store.update_settings(uow, review_mode=mode)


def accept(store: ProjectStore, coding_ids: Sequence[int], *, coder: str, **kw: Any) -> int:
    """Accept codings (see :func:`decide`)."""
    return decide(store, coding_ids, "accepted", coder=coder, **kw)


def reject(store: ProjectStore, coding_ids: Sequence[int], *, coder: str, **kw: Any) -> int:
    """Reject codings (see :func:`decide`)."""
    return decide(store, coding_ids, "rejected", coder=coder, **kw)


def bulk_decide(store: ProjectStore, status: str, *, coder: str, code: str | None = None,
                source: str | None = None, min_confidence: float | None = None,
                max_confidence: float | None = None, document_id: int | None = None) -> int:
    """Decide every *suggested* coding matching the filter (code, engine, confidence range)."""
    ids = store.codings.ids(code=code, source=source, status="suggested",
                            min_confidence=min_confidence, max_confidence=max_confidence,
                            document_id=document_id)
    return decide(store, ids, status, coder=coder) if ids else 0


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


def code_span(store: ProjectStore, document: int | str, code: str, *, coder: str,
              start: int | None = None, end: int | None = None, quote: str | None = None,
              occurrence: int | None = None) -> int:
    """Code a span by hand (by offsets or by quoting its text). Returns the coding id."""
    coder = _need_coder(coder)
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
    final = settings.get("review_mode", "shared") != "independent"
    with store.unit(coder, "code") as uow:
        segment = store.documents.segment_for_span(uow, doc.id, start, end,
                                                   settings.get("unit", "sentence"))
        cid = store.codings.add_manual(uow, document_id=doc.id, code=code, start=start, end=end,
                                       coder=uow.actor or coder, segment_id=segment, final=final)
        store.decisions.record_manual(uow, cid, uow.actor or coder, final=final)
        return cid


def edit_span(store: ProjectStore, coding_id: int, start: int, end: int, *, coder: str) -> int:
    """Change a coding's span, accepted by ``coder``; returns the coding that holds it.

    In shared review the coding itself changes (and its one decision). In independent review
    nobody else's work changes: ``coder``'s own hand-made coding that nobody else decided
    changes in place; any other coding keeps its span, ``coder`` rejects it and gets their
    own coding of the new span (still "suggested" for everyone until consensus).
    """
    coder = _need_coder(coder)
    mode = store.settings().get("review_mode", "shared")
    with store.unit(coder, "edit span") as uow:
        _check_span(store.documents.get(store.codings.document_of(uow, coding_id)).text, start, end)
        if mode == "independent":
            return _own_version(store, uow, coding_id, span=(start, end))
        store.codings.set_span(uow, coding_id, start, end)
        store.decisions.decide(uow, [coding_id], "accepted", coder=uow.actor or coder, mode="shared")
        return coding_id


def recode(store: ProjectStore, coding_id: int, code: str, *, coder: str) -> int:
    """Move a coding to another code (accepted by ``coder``); returns the coding that holds it.

    In independent review, as :func:`edit_span`: only ``coder``'s own work changes.
    """
    coder = _need_coder(coder)
    mode = store.settings().get("review_mode", "shared")
    with store.unit(coder, "recode") as uow:
        if mode == "independent":
            store.codebook.row(uow.session, code)  # NotFoundError for an unknown code
            return _own_version(store, uow, coding_id, code=code)
        store.codings.set_code(uow, coding_id, code)
        store.decisions.decide(uow, [coding_id], "accepted", coder=uow.actor or coder, mode="shared")
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
                                                   store.settings().get("unit", "sentence"))
    cid = store.codings.add_manual(uow, document_id=document, code=code or key, start=start,
                                   end=end, coder=coder, segment_id=segment, final=False)
    store.decisions.record_manual(uow, cid, coder, final=False)
    return cid


# ---------------------------------------------------------------------------- codebook edits
def add_code(store: ProjectStore, code: Code, *, coder: str) -> None:
    """Add a code to the project's codebook (e.g. from the app's codebook editor)."""
    coder = _need_coder(coder)
    with store.unit(coder, "add code") as uow:
        store.codebook.add_code(uow, code)


def update_code(store: ProjectStore, code: str, *, coder: str, **fields: Any) -> None:
    """Edit a code's name, definition, inclusion, exclusion, examples, color or rules."""
    coder = _need_coder(coder)
    with store.unit(coder, "edit code") as uow:
        store.codebook.update_code(uow, code, fields)


def move_code(store: ProjectStore, code: str, parent: str | None, *, coder: str) -> None:
    """Move a code under ``parent`` (None: to the top level)."""
    coder = _need_coder(coder)
    with store.unit(coder, "move code") as uow:
        store.codebook.move_code(uow, code, parent)


def delete_code(store: ProjectStore, code: str, *, coder: str) -> int:
    """Delete a code and its codings (children move up to its parent). Undo brings all back."""
    coder = _need_coder(coder)
    with store.unit(coder, "delete code") as uow:
        return store.codebook.delete_code(uow, code)


def merge_codes(store: ProjectStore, sources: Sequence[str], target: str, *, coder: str) -> int:
    """Merge ``sources`` into ``target``: their codings move (duplicates of a span already
    coded with ``target`` are dropped, keeping the decided one), their children move under
    ``target``, and the source codes are deleted. Returns the codings moved. Merging a code
    into its own descendant is refused."""
    coder = _need_coder(coder)
    with store.unit(coder, "merge codes") as uow:
        return store.codebook.merge_codes(uow, sources, target)


def split_code(store: ProjectStore, code: str, into: Mapping[str, Sequence[int]], *, coder: str,
               names: Mapping[str, str] | None = None, as_children: bool = True) -> dict[str, int]:
    """Split ``code``: create the codes in ``into`` (new id -> coding ids to move there).

    New codes become children of ``code`` (or its siblings with ``as_children=False``) and
    inherit its definition text to edit. Codings not listed stay on ``code``.
    """
    coder = _need_coder(coder)
    with store.unit(coder, "split code") as uow:
        return store.codebook.split_code(uow, code, into, names=names, as_children=as_children)


# ---------------------------------------------------------------------------- undo / history
def undo(store: ProjectStore, *, actor: str | None = None, mine_only: bool = False) -> list[str]:
    """Undo the newest change (``mine_only``: the newest change by ``actor``).

    In independent review a person's undo is always their own (it never touches another
    coder's decisions). Undoing a change needs the role the change needed (a coder cannot
    undo an owner's merge). It is refused, naming the later work, when it would remove what
    someone else did since (their codings in an imported document, their decisions on an
    adopted topic's suggestions).
    """
    if mine_only and not (actor and actor.strip()):
        raise ReviewError("undoing only your own changes needs your name",
                          hint="Pass actor='your name' (CLI: --coder NAME or THEMATIC_CODER).")
    from thematic.services.memos import prune_media

    independent = store.settings().get("review_mode", "shared") == "independent"
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
