"""Importing files into a project: read, detect roles, segment, map participants, store.

An import is one transaction: every file of it is stored, or (on an error with
``on_error="raise"``) none is and the project is exactly as before. With ``on_error="skip"``
the files that fail are reported and the others are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any

import pandas as pd

from thematic.errors import (
    IngestError,
    NoTextColumnsError,
    ParameterError,
    ParticipantsError,
    ThematicError,
)
from thematic.ingest import ReadOptions
from thematic.ingest.participants import ParticipantTable
from thematic.ingest.paths import expand
from thematic.models import INTERVIEWER_ROLES, SURVEY_LAYOUTS, Document
from thematic.progress import Progress, no_progress
from thematic.store import ProjectStore, check_actor
from thematic.store.audit import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What an import did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, error)
    reanchored: int = 0
    lost_codings: list[dict] = field(default_factory=list)
    participants: int = 0
    turns: int = 0
    words: int = 0
    roles: dict[str, str] = field(default_factory=dict)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (file, name taken, new name)
    warnings: list[str] = field(default_factory=list)  # e.g. an encoding that was guessed

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated",
                 f"{len(self.skipped)} skipped"]
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        text = ", ".join(parts) + f"; {self.turns} turns, {self.words} words"
        if self.updated:
            text += f"; {self.reanchored} codings re-anchored, {len(self.lost_codings)} lost"
        return text


TABLE_SUFFIXES = (".csv", ".xlsx")
#: Options of :func:`ingest` that callers may pass beside the readers' (``ReadOptions``)
INGEST_OPTIONS = ("participant_types", "interviewers", "on_error", "allow_unmatched_participants",
                  "nlp", "replace", "allow_losing_codings")


def expand_paths(paths: Iterable[str | Path], suffixes: Sequence[str]) -> list[Path]:
    """Files, folders (searched recursively for supported suffixes) and glob patterns.

    See :mod:`thematic.ingest.paths` for the rules (no symlinked folders, globs stay in
    their folder, a folder without a readable file is an error that says what it holds).
    """
    return [p for p, _ in expand(paths, suffixes)]


def _unique_name(name: str, path: Path, taken: Callable[[str], bool]) -> str:
    """``name`` qualified by its folder (``P01 (site_b)``), then numbered, until it is free."""
    base = f"{name} ({path.parent.name})" if path.parent.name else f"{name} (2)"
    candidate, n = base, 2
    while taken(candidate):
        candidate = f"{base} {n}"
        n += 1
    return candidate


def ingest(
    store: ProjectStore,
    paths: Iterable[str | Path],
    *,
    participants: str | Path | None = None,
    participant_types: dict[str, str] | None = None,
    options: ReadOptions | None = None,
    interviewers: Sequence[str] | None = None,
    on_error: str = "raise",
    allow_unmatched_participants: bool = False,
    actor: str,
    progress: Progress | None = None,
    nlp: Any = None,
    replace: bool = False,
    allow_losing_codings: bool = False,
) -> IngestReport:
    """Import transcript files (and optionally a participants file) in one transaction.

    The stages: read the files and place each document (new, a new version, or renamed),
    detect the speakers' roles, segment the turns into sentences, map speakers to
    participants, then write everything in one audited unit of work.

    A file whose document name is already taken is a *new version* of that document only
    when it is the same file (same path) or ``replace=True``; any other file of the same
    name (``a/P01.txt`` then ``b/P01.txt``, or both in one import) becomes a new document
    with a unique name (``P01 (b)``), listed in ``report.renamed``. A new version that would
    lose decided codings (accepted, rejected or made by hand) is refused unless
    ``allow_losing_codings=True``; lost codings are listed in ``report.lost_codings`` and
    kept in the history (:func:`lost_codings`).
    """
    from thematic import ingest as readers
    from thematic.nlp import load_nlp
    from thematic.segment import segment_many

    check_actor(actor, "ingest")
    if on_error not in ("raise", "skip"):
        raise ParameterError(f"on_error must be 'raise' or 'skip'. Got {on_error!r} instead.")
    progress = progress or no_progress
    report = IngestReport()
    settings = store.settings()
    table = None
    if participants is not None:
        table = readers.read_participants(participants, types=participant_types, options=options)
    plan = _read_and_place(store, paths, participants, options, replace=replace,
                           on_error=on_error, report=report, progress=progress)
    if not plan.docs and table is None:
        return report
    report.roles = _roles(store, plan.docs, list(interviewers or settings.interviewers))
    docs = readers.apply_roles(plan.docs, report.roles)
    progress("segment", 0, len(docs))
    segmented = segment_many([(d.text, d.turns) for d in docs], nlp or load_nlp(settings.language))
    progress("segment", len(docs), len(docs))
    known, mappings = _map_participants(store, docs, report.roles, table, participants,
                                        allow_unmatched=allow_unmatched_participants)
    with store.unit(actor, "ingest") as uow:
        pks = _write_participants(store, uow, docs, mappings, known, table, report)
        _write_documents(store, uow, docs, segmented, mappings, pks, plan.replacing, report,
                         allow_losing_codings=allow_losing_codings, progress=progress)
    return report


@dataclass
class _Placed:
    """The documents an import will write, and which of them replace a stored one."""

    docs: list[Document] = field(default_factory=list)
    replacing: dict[int, int] = field(default_factory=dict)  # index in docs -> stored id
    names: set[str] = field(default_factory=set)  # document names taken by this import
    seen: set[tuple[str, str]] = field(default_factory=set)  # (sha256, text) read already


def _read_and_place(store: ProjectStore, paths: Iterable[str | Path],
                    participants: str | Path | None, options: ReadOptions | None, *,
                    replace: bool, on_error: str, report: IngestReport,
                    progress: Progress) -> _Placed:
    """Read every file (a bad one raises, or with ``on_error="skip"`` is reported) and place
    each of its documents."""
    from thematic import ingest as readers

    files = expand(paths, readers.supported_suffixes())
    if participants is not None:
        files = [(f, named) for f, named in files if f != Path(participants).resolve()]
    placed = _Placed()
    for i, (path, named) in enumerate(files):
        progress("read", i, len(files))
        try:
            read = readers.read_file(path, options=options)
        except ThematicError as exc:
            if not named and path.suffix.lower() in TABLE_SUFFIXES:
                # a folder holds more tables than surveys (participants, codings, notes):
                # skip those that are not surveys and say why; a named file fails loudly
                why = ("a table without free-text answers (a participants file? pass it with "
                       "--participants)" if isinstance(exc, NoTextColumnsError)
                       else f"not read as a survey: {exc.message}")
                report.skipped.append((path.name, why))
                continue
            if on_error == "raise":
                raise
            report.failed.append((str(path), str(exc)))
            continue
        for doc in read:
            _place(store, doc, path, placed, replace=replace, report=report)
    progress("read", len(files), len(files))
    return placed


def _place(store: ProjectStore, doc: Document, path: Path, placed: _Placed, *, replace: bool,
           report: IngestReport) -> None:
    """Skip an identical document; else add it as new, as a new version of a stored one (the
    same file, or ``replace``), or under a unique name."""
    identity = (doc.sha256, doc.text)
    if identity in placed.seen:
        report.skipped.append((doc.name, "identical to another file of this import"))
        return
    same = store.documents.by_sha(doc.sha256) if doc.sha256 else None
    if same is not None and (same.text == doc.text):
        report.skipped.append((doc.name, f"identical to '{same.name}', already imported"))
        return
    placed.seen.add(identity)
    older = store.documents.by_name(doc.name)
    same_file = older is not None and older.original_name == (doc.source_path or doc.name)
    if older is not None and (same_file or replace) and older.id not in placed.replacing.values() \
            and doc.name not in placed.names:
        placed.replacing[len(placed.docs)] = older.id
    elif older is not None or doc.name in placed.names:
        new_name = _unique_name(doc.name, path, lambda n: n in placed.names
                                or store.documents.by_name(n) is not None)
        report.renamed.append((str(path), doc.name, new_name))
        doc = dc_replace(doc, name=new_name)
    placed.names.add(doc.name)
    if doc.metadata.get("encoding_note"):
        report.warnings.append(f"{path}: {doc.metadata['encoding_note']}")
    placed.docs.append(doc)


def _roles(store: ProjectStore, docs: Sequence[Document], interviewers: Sequence[str]) -> dict[str, str]:
    """Each speaker label's role: detected, unless the project already says (a person may
    have set it) or the label is a configured interviewer."""
    from thematic import ingest as readers

    roles: dict[str, str] = readers.detect_roles(list(docs))
    known_roles = store.documents.speaker_roles()
    configured = {name.strip().casefold() for name in interviewers}
    for label in roles:
        if label in known_roles:
            roles[label] = known_roles[label]
        if label.strip().casefold() in configured:
            roles[label] = "interviewer"
    return roles


def _map_participants(store: ProjectStore, docs: Sequence[Document], roles: Mapping[str, str],
                      table: ParticipantTable | None, participants: str | Path | None, *,
                      allow_unmatched: bool
                      ) -> tuple[dict[str, str | None], list[dict[str | None, str | None]]]:
    """The participants known (id -> name) and each document's speaker -> participant id;
    ParticipantsError when ids of the participants file match no speaker."""
    from thematic.ingest.speakers_map import map_speakers

    known = store.participants.names()
    if table is not None:
        known = {**known, **{k: table.names.get(k) for k in table.ids}}
    mappings = [map_speakers(doc, dict(roles), known) for doc in docs]
    if table is not None and not allow_unmatched and docs:
        matched = {p for m in mappings for p in m.values() if p}
        already = store.participants.with_turns()
        unmatched = [k for k in table.ids if k not in matched and k not in already]
        if unmatched:
            raise ParticipantsError(
                f"{len(unmatched)} participant id(s) match no speaker: {', '.join(unmatched[:10])}",
                path=str(participants),
                hint="Check the ids against the speaker labels and file names "
                "(or pass --allow-unmatched to import them anyway).",
            )
    return known, mappings


def _write_participants(store: ProjectStore, uow: UnitOfWork, docs: Sequence[Document],
                        mappings: Sequence[Mapping[str | None, str | None]],
                        known: Mapping[str, str | None], table: ParticipantTable | None,
                        report: IngestReport) -> dict[str, int]:
    """Store the participants the documents and the participants file name, with attributes;
    returns participant id -> row id."""
    new_keys: dict[str, str | None] = {}
    for mapping in mappings:
        for pid in mapping.values():
            if pid:
                new_keys.setdefault(pid, known.get(pid))
    if table is not None:
        for pid in table.ids:
            new_keys.setdefault(pid, table.names.get(pid))
    pks = store.participants.ensure(uow, new_keys)
    file_attrs = _file_attributes(docs, mappings)
    if file_attrs[0]:
        store.participants.set_attributes(uow, *file_attrs)
    if table is not None:
        store.participants.set_attributes(uow, table.attributes, table.types)
    report.participants = len(new_keys)
    return pks


def _write_documents(store: ProjectStore, uow: UnitOfWork, docs: Sequence[Document],
                     segmented: Sequence[Any], mappings: Sequence[Mapping[str | None, str | None]],
                     pks: Mapping[str, int], replacing: Mapping[int, int], report: IngestReport, *,
                     allow_losing_codings: bool, progress: Progress) -> None:
    """Store each document (new, or a new version re-anchoring its codings) with its turns and
    sentences, and note the import in the history."""
    for i, (doc, segs, mapping) in enumerate(zip(docs, segmented, mappings)):
        progress("store", i, len(docs))
        speaker_pks = {s: (pks[k] if k else None) for s, k in mapping.items()}
        if i in replacing:
            _replace(store, uow, replacing[i], doc, speaker_pks, segs, report,
                     allow_losing_codings=allow_losing_codings)
            report.updated.append(doc.name)
        else:
            store.documents.add(uow, doc, speaker_participants=speaker_pks, segments=segs)
            report.added.append(doc.name)
        report.turns += len(doc.turns)
        report.words += sum(len(doc.text[t.start:t.end].split()) for t in doc.turns)
    uow.note("import", "", {"added": report.added, "updated": report.updated,
                            "skipped": [s for s, _ in report.skipped]})
    progress("store", len(docs), len(docs))


def _file_attributes(
    docs: Sequence[Document], mappings: Sequence[Mapping[str | None, str | None]]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Attributes files state about their own speakers (survey columns), by participant id."""
    from thematic.ingest.tables import infer_type

    values: dict[str, dict[str, Any]] = {}
    for doc, mapping in zip(docs, mappings):
        for speaker, attrs in doc.speaker_attributes.items():
            key = mapping.get(speaker)
            if key:
                values.setdefault(key, {}).update(attrs)
    columns = list(dict.fromkeys(c for attrs in values.values() for c in attrs))
    types = {c: infer_type([a.get(c) for a in values.values()]) for c in columns}
    return values, types


def _replace(store: ProjectStore, uow: UnitOfWork, document_id: int, doc: Document,
             speaker_pks: Mapping[str | None, int | None], segs: Sequence[Any],
             report: IngestReport, *, allow_losing_codings: bool = False) -> None:
    from thematic.ingest.reanchor import reanchor
    from thematic.store.audit import IRREVERSIBLE

    old = store.documents.get(document_id)  # a read snapshot: the unit has not changed it yet
    spans = store.codings.spans(uow, document_id)
    kept, lost = reanchor(old.text, doc.text, spans)
    lost_rows = _lost_rows(store, document_id, lost)
    decided = [r for r in lost_rows if r["status"] != "suggested" or r["source"] == "manual"]
    if decided and not allow_losing_codings:
        raise IngestError(
            f"this version of '{old.name}' would lose {len(decided)} decided coding(s) "
            f"(accepted, rejected or made by hand) whose text it no longer holds",
            path=doc.source_path,
            hint="Nothing was imported. Pass --allow-losing-codings to replace it anyway (the "
            "lost codings stay listed in the history: project.documents.lost_codings()), or import the "
            "file under another name.",
        )
    store.documents.replace_text(uow, document_id, doc, speaker_participants=speaker_pks,
                                 segments=segs)
    uow.note(IRREVERSIBLE, str(document_id), {
        "why": f"a new version of '{doc.name}' replaced its turns and segments",
        "hint": "Import the previous version of the file again to go back.",
    })
    for anchor in kept:
        store.codings.move(uow, anchor.coding_id, anchor.start, anchor.end)
    if lost_rows:
        uow.note(LOST_CODINGS, str(document_id), {"document": doc.name, "codings": lost_rows})
    for row in lost_rows:
        report.lost_codings.append(row)
        store.codings.delete(uow, row["coding_id"])
    report.reanchored += len(kept)


LOST_CODINGS = "lost-codings"
_LOST_COLUMNS = ("coding_id", "document", "code", "start", "end", "text", "source", "status",
                 "coder", "decided_by")


def _lost_rows(store: ProjectStore, document_id: int, lost: Sequence[int]) -> list[dict[str, Any]]:
    if not lost:
        return []
    frame = store.codings.frame(document_id=document_id)
    frame = frame[frame["coding_id"].isin(list(lost))]
    rows = []
    for rec in frame.to_dict("records"):
        row = {k: rec.get(k) for k in _LOST_COLUMNS}
        rows.append({k: (None if v != v else v) for k, v in row.items()})  # NaN -> None
    return rows


#: The columns of :func:`lost_codings`.
LOST_COLUMNS = ["coding_id", "document", "code", "start", "end", "text", "source", "status",
                "coder", "decided_by", "lost_at", "lost_by"]


def lost_codings(store: ProjectStore) -> pd.DataFrame:
    """Every coding a new version of a document lost, oldest first, with when and by whom
    (columns :data:`LOST_COLUMNS`)."""
    out: list[dict[str, Any]] = []
    for note in store.history.notes(LOST_CODINGS):
        for row in note.get("codings", []):
            out.append({**row, "lost_at": note["at"], "lost_by": note["actor"]})
    return pd.DataFrame(out, columns=LOST_COLUMNS)


def split_options(options: dict[str, Any]) -> tuple[ReadOptions | None, dict[str, Any]]:
    """The readers' options (``thematic.ingest.ReadOptions``) and :func:`ingest`'s own, from one
    mapping of keyword arguments; ParameterError names any unknown option."""
    read_keys = set(ReadOptions.__dataclass_fields__)
    known = read_keys | set(INGEST_OPTIONS)
    unknown = sorted(set(options) - known)
    if unknown:
        raise ParameterError(f"unknown ingest option {', '.join(map(repr, unknown))}",
                             hint=f"Options: {', '.join(sorted(known))}.")
    layout = options.get("survey_layout")
    if layout is not None and layout not in SURVEY_LAYOUTS:
        raise ParameterError(f"survey_layout must be one of {', '.join(SURVEY_LAYOUTS)}. "
                             f"Got {layout!r} instead.")
    read = {k: v for k, v in options.items() if k in read_keys}
    own = {k: v for k, v in options.items() if k not in read_keys}
    return (ReadOptions(**read) if read else None), own


__all__ = ["INGEST_OPTIONS", "INTERVIEWER_ROLES", "IngestReport", "LOST_COLUMNS", "expand_paths",
           "ingest", "lost_codings", "split_options"]
