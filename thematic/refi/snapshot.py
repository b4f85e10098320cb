"""A project as plain data (:class:`Snapshot`) -> an exchange project (export side).

The service gathers a :class:`Snapshot` from the store; :func:`build_exchange` turns it into an
:class:`~thematic.refi.model.ExProject` without touching the store. Only codings a person
accepted become REFI codings; suggestions and rejections, confidence, evidence, engine,
runs, participant names, attribute types, theme nesting and memo targets go to the sidecar
(:data:`thematic.refi.qde_read.SIDECAR`), so that our own round trip is lossless.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from thematic.codebook.qdc import code_guid
from thematic.models import Codebook
from thematic.refi.convert import exchange_codes, guid, refi_type, refi_value
from thematic.refi.model import (
    ExCase,
    ExCoding,
    ExNote,
    ExProject,
    ExSet,
    ExSource,
    ExUser,
    ExVariable,
)

SIDECAR_VERSION = 1
_CODING_FIELDS = (
    "source",
    "status",
    "confidence",
    "evidence",
    "run_id",
    "coder",
    "decided_by",
    "decided_at",
)


@dataclass
class SnapDocument:
    """A stored document: ``participants`` are the keys of the participants who speak in it."""

    id: int
    name: str
    text: str
    participants: list[str] = field(default_factory=list)
    format: str = "txt"
    sha256: str = ""
    created: str | None = None


@dataclass
class SnapMemo:
    """A stored memo; ``target_id`` is a document id, code id, coding id or theme id (as text)."""

    id: int
    target_type: str  # project | document | code | theme | coding
    target_id: str | None
    title: str
    body: str
    author: str | None = None
    created: str | None = None


@dataclass
class Snapshot:
    """Everything an export needs, as plain data.

    ``codings`` has the columns of ``project.review.codings()``; ``participants`` those of
    ``project.participants.frame()``; ``themes`` / ``theme_codes`` those of
    ``project.themes.frame()`` and ``project.themes.codes()``.
    """

    name: str
    documents: list[SnapDocument]
    codebook: Codebook
    codings: pd.DataFrame
    participants: pd.DataFrame
    attribute_types: dict[str, str] = field(default_factory=dict)
    memos: list[SnapMemo] = field(default_factory=list)
    themes: pd.DataFrame | None = None
    theme_codes: pd.DataFrame | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)


def _clean(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def document_guid(doc: SnapDocument) -> str:
    """The REFI guid of a document (stable for one stored document)."""
    return guid("document", f"{doc.id}:{doc.sha256 or doc.name}")


def build_exchange(snap: Snapshot) -> ExProject:
    """The exchange project of ``snap`` (sidecar included)."""
    users: dict[str, str] = {}

    def user(name: Any) -> str | None:
        name = _clean(name)
        if not name:
            return None
        users.setdefault(str(name), guid("user", name))
        return users[str(name)]

    for name in snap.coders:
        user(name)
    ex = ExProject(name=snap.name, codes=exchange_codes(snap.codebook))
    doc_guids = {d.id: document_guid(d) for d in snap.documents}
    ex.sources = [
        ExSource(doc_guids[d.id], d.name, d.text, created=d.created) for d in snap.documents
    ]
    side: dict[str, Any] = {
        "version": SIDECAR_VERSION,
        "documents": {
            doc_guids[d.id]: {"name": d.name, "format": d.format, "sha256": d.sha256}
            for d in snap.documents
        },
        "codings": {},
        "suggestions": [],
        "runs": [{k: _clean(v) for k, v in r.items()} for r in snap.runs],
        "attribute_types": dict(snap.attribute_types),
        "codes": {c.id: {"rules": [asdict(r) for r in c.rules]} for c in snap.codebook.codes if c.rules},
    }
    selection_of = _codings(snap, ex, side, doc_guids, user)
    _cases(snap, ex, side, doc_guids)
    _notes(snap, ex, side, doc_guids, selection_of, user)
    _sets(snap, ex, side)
    ex.users = [ExUser(g, n) for n, g in users.items()]
    ex.sidecar = side
    return ex


def _codings(snap: Snapshot, ex: ExProject, side: dict[str, Any], doc_guids: dict[int, str],
             user: Callable[[Any], str | None]) -> dict[int, str]:
    """Accepted codings as REFI codings (their fields in the sidecar); the others as the
    sidecar's suggestions. Returns each coding's selection guid."""
    selection_of: dict[int, str] = {}
    for row in snap.codings.itertuples(index=False):
        if row.document_id not in doc_guids:
            continue
        extra = {f: _clean(getattr(row, f, None)) for f in _CODING_FIELDS}
        if row.status != "accepted":
            side["suggestions"].append(
                {
                    "document": doc_guids[row.document_id],
                    "code": row.code,
                    "start": int(row.start),
                    "end": int(row.end),
                    **extra,
                }
            )
            continue
        sel = guid("selection", f"{row.document_id}:{row.start}:{row.end}")
        cg = guid("coding", row.coding_id)
        selection_of[int(row.coding_id)] = sel
        ex.codings.append(
            ExCoding(
                cg,
                sel,
                doc_guids[row.document_id],
                code_guid(row.code),
                int(row.start),
                int(row.end),
                user(row.decided_by) or user(row.coder),
                _clean(row.decided_at),
            )
        )
        side["codings"][cg] = extra
    return selection_of


def _cases(snap: Snapshot, ex: ExProject, side: dict[str, Any], doc_guids: dict[int, str]) -> None:
    frame = snap.participants
    attrs = [c for c in frame.columns if c not in ("participant", "name")]
    kinds = {a: refi_type(snap.attribute_types.get(a, "text"), frame[a].tolist()) for a in attrs}
    ex.variables = [ExVariable(guid("attribute", a), a, kinds[a]) for a in attrs]
    speaks: dict[str, list[str]] = {}
    for d in snap.documents:
        for key in d.participants:
            speaks.setdefault(key, []).append(doc_guids[d.id])
    side["participants"] = {}
    for row in frame.to_dict("records"):
        key = str(row["participant"])
        values = {}
        for a in attrs:
            value = _clean(row.get(a))
            if value is not None and value != "":
                values[guid("attribute", a)] = refi_value(value, kinds[a])
        ex.cases.append(
            ExCase(guid("participant", key), key, values=values, sources=speaks.get(key, []))
        )
        side["participants"][key] = {"name": _clean(row.get("name"))}


def _notes(
    snap: Snapshot,
    ex: ExProject,
    side: dict[str, Any],
    doc_guids: dict[int, str],
    selection_of: dict[int, str],
    user: Any,
) -> None:
    side["memos"] = {}
    codings = {int(r.coding_id): r for r in snap.codings.itertuples(index=False)}
    for memo in snap.memos:
        note = guid("memo", memo.id)
        target = memo.target_id
        ref: str | None = None
        targets = ["project"]
        if memo.target_type == "document" and target is not None and int(target) in doc_guids:
            ref = doc_guids[int(target)]
            targets = [ref]
        elif memo.target_type == "code" and target is not None:
            ref = code_guid(target)
            targets = [ref]
        elif memo.target_type == "theme" and target is not None:
            ref = guid("theme", target)
            targets = [ref]
        elif memo.target_type == "coding" and target is not None and int(target) in codings:
            ref = guid("coding", int(target))
            if int(target) in selection_of:
                targets = [selection_of[int(target)]]
        ex.notes.append(
            ExNote(note, memo.title or "memo", memo.body, user(memo.author), memo.created, targets)
        )
        side["memos"][note] = {"target_type": memo.target_type, "ref": ref}


def _sets(snap: Snapshot, ex: ExProject, side: dict[str, Any]) -> None:
    side["themes"] = {}
    if snap.themes is None or snap.themes.empty:
        return
    members: dict[str, list[str]] = {}
    if snap.theme_codes is not None:
        for row in snap.theme_codes.itertuples(index=False):
            members.setdefault(str(row.theme), []).append(code_guid(row.code))
    by_name = {r.name: str(r.theme_id) for r in snap.themes.itertuples(index=False)}
    for row in snap.themes.itertuples(index=False):
        tid = str(row.theme_id)
        set_guid = guid("theme", tid)
        codes = members.get(tid, []) or members.get(row.name, [])
        ex.sets.append(ExSet(set_guid, row.name, _clean(row.definition) or "", codes))
        parent = _clean(row.parent)
        side["themes"][set_guid] = {
            "parent": guid("theme", by_name[parent]) if parent in by_name else None,
            "position": _clean(row.position),
        }
