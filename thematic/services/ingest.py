"""Importing files into a project: read, detect roles, segment, map participants, store.

An import is one transaction: every file of it is stored, or (on an error with
``on_error="raise"``) none is and the project is exactly as before. With ``on_error="skip"``
the files that fail are reported and the others are stored.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.errors import (
    IngestError,
    NoTextColumnsError,
    ParameterError,
    ParticipantsError,
    ThematicError,
)
from thematic.ingest import ReadOptions
from thematic.models import INTERVIEWER_ROLES, Document
from thematic.progress import Progress, no_progress
from thematic.store import ProjectStore
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


def expand_paths(paths: Iterable[str | Path], suffixes: Sequence[str]) -> list[Path]:
    """Files, folders (searched recursively for supported suffixes) and glob patterns."""
    return [p for p, _ in _expand(paths, suffixes)]


def _expand(paths: Iterable[str | Path], suffixes: Sequence[str]) -> list[tuple[Path, bool]]:
    """Like :func:`expand_paths`, each with whether it was named (True) or found in a folder."""
    found: list[tuple[Path, bool]] = []
    for item in paths:
        text = str(item)
        if any(ch in text for ch in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(text, recursive=True))]
            if not matches:
                raise IngestError(f"no file matches '{text}'", hint="Check the pattern.")
            found.extend((m, True) for m in matches if m.is_file())
            continue
        path = Path(text)
        if path.is_dir():
            found.extend(
                (p, False) for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in suffixes and not _ignored(p)
            )
        elif path.exists():
            found.append((path, True))
        else:
            raise IngestError("no such file or folder", path=text, hint="Check the path.")
    unique: dict[Path, bool] = {}
    for p, named in found:
        unique[p.resolve()] = unique.get(p.resolve(), False) or named
    return list(unique.items())


def _ignored(path: Path) -> bool:
    """Files a folder import passes over: hidden, Office lock files, READMEs."""
    return path.name.startswith((".", "~$")) or path.stem.upper() in {"README", "LICENSE"}


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
    actor: str | None = None,
    progress: Progress | None = None,
    nlp: Any = None,
) -> IngestReport:
    """Import transcript files (and optionally a participants file) in one transaction."""
    from thematic import ingest as readers
    from thematic.ingest.speakers_map import map_speakers
    from thematic.nlp import load_nlp
    from thematic.segment import segment_many

    if on_error not in ("raise", "skip"):
        raise ParameterError(f"on_error must be 'raise' or 'skip'. Got {on_error!r} instead.")
    progress = progress or no_progress
    report = IngestReport()
    settings = store.settings()
    interviewers = list(interviewers or settings.get("interviewers") or [])

    table = None
    if participants is not None:
        table = readers.read_participants(participants, types=participant_types)

    files = _expand(paths, readers.supported_suffixes())
    if participants is not None:
        files = [(f, named) for f, named in files if f != Path(participants).resolve()]
    docs: list[Document] = []
    replacing: dict[int, int] = {}  # index in docs -> stored document id
    seen: set[tuple[str, str]] = set()
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
            identity = (doc.sha256, doc.text)
            if identity in seen:
                report.skipped.append((doc.name, "identical to another file of this import"))
                continue
            same = store.documents.by_sha(doc.sha256) if doc.sha256 else None
            if same is not None and (same.text == doc.text):
                report.skipped.append((doc.name, f"identical to '{same.name}', already imported"))
                continue
            seen.add(identity)
            older = store.documents.by_name(doc.name)
            if older is not None:
                replacing[len(docs)] = older.id
            docs.append(doc)
    progress("read", len(files), len(files))

    if not docs and table is None:
        return report

    roles = readers.detect_roles(docs)
    # what the project already says about a label wins over detection (a person may have
    # overridden it with `thematic role`), and configured interviewers win over both
    known_roles = store.documents.speaker_roles()
    configured = {name.strip().casefold() for name in interviewers}
    for label in roles:
        if label in known_roles:
            roles[label] = known_roles[label]
        if label.strip().casefold() in configured:
            roles[label] = "interviewer"
    report.roles = roles
    docs = readers.apply_roles(docs, roles)

    nlp = nlp or load_nlp(settings.get("language", "en"))
    progress("segment", 0, len(docs))
    segmented = segment_many([(d.text, d.turns) for d in docs], nlp)
    progress("segment", len(docs), len(docs))

    known = store.participants.names()
    if table is not None:
        known = {**known, **{k: table.names.get(k) for k in table.ids}}
    mappings = [map_speakers(doc, roles, known) for doc in docs]

    if table is not None and not allow_unmatched_participants and docs:
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

    with store.unit(actor, "ingest") as uow:
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
        for i, (doc, segs, mapping) in enumerate(zip(docs, segmented, mappings)):
            progress("store", i, len(docs))
            speaker_pks = {s: (pks[k] if k else None) for s, k in mapping.items()}
            if i in replacing:
                _replace(store, uow, replacing[i], doc, speaker_pks, segs, report)
                report.updated.append(doc.name)
            else:
                store.documents.add(uow, doc, speaker_participants=speaker_pks, segments=segs)
                report.added.append(doc.name)
            report.turns += len(doc.turns)
            report.words += sum(len(doc.text[t.start:t.end].split()) for t in doc.turns)
        uow.note("import", "", {"added": report.added, "updated": report.updated,
                                "skipped": [s for s, _ in report.skipped]})
        progress("store", len(docs), len(docs))
    return report


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
             report: IngestReport) -> None:
    from thematic.ingest.reanchor import reanchor
    from thematic.store.audit import IRREVERSIBLE

    old = store.documents.get(document_id)  # a read snapshot: the unit has not changed it yet
    spans = store.codings.spans(uow, document_id)
    kept, lost = reanchor(old.text, doc.text, spans)
    store.documents.replace_text(uow, document_id, doc, speaker_participants=speaker_pks,
                                segments=segs)
    uow.note(IRREVERSIBLE, str(document_id), {
        "why": f"a new version of '{doc.name}' replaced its turns and segments",
        "hint": "Import the previous version of the file again to go back.",
    })
    for anchor in kept:
        store.codings.move(uow, anchor.coding_id, anchor.start, anchor.end)
    for coding_id in lost:
        quote = next((old.text[s:e] for cid, s, e in spans if cid == coding_id), "")
        report.lost_codings.append({"document": doc.name, "coding_id": coding_id, "text": quote})
        store.codings.delete(uow, coding_id)
    report.reanchored += len(kept)


__all__ = ["ingest", "IngestReport", "expand_paths", "INTERVIEWER_ROLES"]
