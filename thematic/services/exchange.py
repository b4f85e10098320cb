"""Project exchange: import a REFI-QDA / QualCoder / Taguette project, export a ``.qdpx``.

An import is one transaction (DESIGN invariant 4): every element is written, or, on any
error, nothing is and the project is exactly as before. Users become coders; the code tree
keeps its colours and descriptions (ours come back as definition / inclusion / exclusion /
examples); sources become documents whose speaker turns are detected as in any ingest;
codings are ``accepted`` with source ``import`` and their coder and dates; cases become
participants with typed attributes; notes become memos; sets become themes. The report
lists every element kept, converted (kept in another shape) and skipped, with why; a
:class:`DroppedElementsWarning` lists every element left out. A quirk that touches nothing
thematic keeps is reported, never fatal: only codings that would land on the wrong words
fail the import, named one by one (``allow_unplaced=True`` imports the rest and reports them).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thematic.errors import ExchangeError, UnsupportedFormatError
from thematic.models import Codebook, Document, Settings
from thematic.progress import Progress, no_progress
from thematic.refi.archive import ArchiveLimits
from thematic.refi.model import ExProject, Outcome, OutcomeLog, Unplaced
from thematic.refi.plan import ImportPlan, PlanTheme
from thematic.store import ProjectStore, check_actor

log = logging.getLogger(__name__)


class DroppedElementsWarning(UserWarning):
    """Elements of an imported project that thematic could not keep (listed one per line)."""


@dataclass
class ExchangeReport(OutcomeLog):
    """What an import did: ``kept`` (per kind, the elements stored), ``outcomes`` (converted and
    skipped elements, with why) and ``unplaced`` (codings not placed)."""

    path: str
    origin: str
    documents: list[str] = field(default_factory=list)
    codes: int = 0
    codings: int = 0
    participants: int = 0
    memos: int = 0
    themes: int = 0
    coders: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    kept: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the shells."""
        text = (
            f"{len(self.documents)} documents, {self.codes} new codes, {self.codings} codings, "
            f"{self.participants} participants, {self.memos} memos, {self.themes} themes, "
            f"{len(self.coders)} coders"
        )
        if self.unplaced:
            text += f"; {len(self.unplaced)} codings could not be placed"
        if self.dropped:
            text += f"; {len(self.dropped)} elements dropped"
        return text

    def as_dict(self) -> dict[str, Any]:
        """Everything the report says, JSON-ready: kept elements, converted and skipped ones."""
        return {
            "summary": self.summary(), "path": self.path, "origin": self.origin,
            "documents": self.documents, "kept": self.kept,
            "converted": [o.as_dict() for o in self.outcomes if o.action == "converted"],
            "skipped": [o.as_dict() for o in self.outcomes if o.action == "skipped"],
            "unplaced": [u.__dict__ for u in self.unplaced],
            "dropped": self.dropped, "notices": self.notices,
        }


@dataclass
class ExportReport:
    """What an export wrote."""

    path: str
    target: str
    documents: int
    codes: int
    codings: int
    suggestions: int
    participants: int
    memos: int
    themes: int

    def summary(self) -> str:
        """One line for the shells."""
        return (
            f"{self.path} for {self.target}: {self.documents} documents, {self.codes} codes, "
            f"{self.codings} codings ({self.suggestions} suggestions and rejections in the sidecar), "
            f"{self.participants} participants, {self.memos} memos, {self.themes} themes"
        )


def _unplaced_error(path: Path, unplaced: list[Unplaced]) -> ExchangeError:
    lines = [u.line() for u in unplaced[:10]]
    more = f" (and {len(unplaced) - 10} more)" if len(unplaced) > 10 else ""
    return ExchangeError(
        f"{len(unplaced)} coding(s) cannot be placed on their source's text{more}: " + "; ".join(lines),
        path=path,
        hint="Nothing was imported. Check the file, or import the rest with allow_unplaced=True "
        "(CLI: --skip-unplaced).",
    )


def _documents(store: ProjectStore, plan: ImportPlan, origin: str, path: Path) -> list[tuple[int, Document]]:
    """Plan documents as Documents with turns (index in plan.documents, document)."""
    from thematic.ingest.normalise import sha256_hex
    from thematic.ingest.speakers import parse_turns

    existing = store.documents.frame()
    taken = set(existing["name"]) if not existing.empty else set()
    out: list[tuple[int, Document]] = []
    for i, d in enumerate(plan.documents):
        if not d.text.strip():
            plan.skip("source", d.name, "it holds no text")
            continue
        name, n = d.name, 2
        while name in taken:
            name, n = f"{d.name} ({n})", n + 1
        if name != d.name:
            plan.convert("source", d.name, f"a document of this name exists already; imported as '{name}'")
        taken.add(name)
        parsed = parse_turns(d.text)
        meta: dict[str, Any] = {"convention": parsed.convention, "imported_from": path.name, "origin": origin,
                                "representation": d.kind}
        out.append((i, Document(name=name, text=d.text, turns=parsed.turns, format=d.format or "qdpx",
                                sha256=sha256_hex(d.text.encode("utf-8")), source_path=str(path), metadata=meta)))
    return out


def _roles(store: ProjectStore, docs: list[Document], settings: Settings) -> dict[str, str]:
    """Detected roles, overridden by the project's (``thematic role``) and its interviewers; applied."""
    from thematic import ingest as readers
    from thematic.models import Turn

    roles = readers.detect_roles(docs)
    known = store.documents.speaker_roles()
    configured = {n.strip().casefold() for n in settings.interviewers}
    for label in roles:
        if label in known:
            roles[label] = known[label]
        if label.strip().casefold() in configured:
            roles[label] = "interviewer"
    for doc in docs:
        doc.turns = [Turn(t.start, t.end, t.speaker, t.time_start, t.time_end,
                          roles.get(t.speaker, "participant") if t.speaker else "participant")
                     for t in doc.turns]
    return roles


def _mappings(store: ProjectStore, plan: ImportPlan, docs: list[tuple[int, Document]],
              roles: dict[str, str]) -> tuple[list[dict[str | None, str | None]], dict[str, str | None]]:
    """Speaker label -> participant key per document; a document's only case takes its only respondent."""
    from thematic.ingest.speakers_map import map_speakers
    from thematic.models import INTERVIEWER_ROLES

    known: dict[str, str | None] = dict(store.participants.names())
    known.update({k: v.get("name") for k, v in plan.participants.items()})
    mappings = []
    for i, doc in docs:
        mapping = map_speakers(doc, roles, known)
        cases = plan.documents[i].participants
        others = [s for s in mapping if s is None or roles.get(s) not in INTERVIEWER_ROLES]
        if len(cases) == 1 and len(others) == 1 and mapping[others[0]] not in known:
            mapping[others[0]] = cases[0]
        mappings.append(mapping)
    return mappings, known


def _read_and_plan(path: Path, *, sources: str | Path | None, allow_unplaced: bool,
                   progress: Progress) -> tuple[ExProject, ImportPlan]:
    """The file read and planned: what goes where (an error when codings cannot be placed,
    unless ``allow_unplaced``)."""
    from thematic.refi.plan import plan_import

    progress("read", 0, 1)
    ex = read_exchange(path, sources=sources)
    plan = plan_import(ex)
    progress("read", 1, 1)
    if plan.unplaced and not allow_unplaced:
        raise _unplaced_error(path, plan.unplaced)
    return ex, plan


def import_project(store: ProjectStore, path: str | Path, *, actor: str,
                   allow_unplaced: bool = False, progress: Progress | None = None,
                   nlp: Any = None, sources: str | Path | None = None) -> ExchangeReport:
    """Import a ``.qdpx``, ``.qde``, QualCoder ``.qda`` or Taguette ``.sqlite3`` project.

    Parameters
    ----------
    store
        The project to import into (its existing content is kept).
    path
        The file (or QualCoder folder).
    actor
        Who imports (recorded in the history).
    allow_unplaced
        Import the codings that can be placed and report the others (default: fail).
    progress
        Called as ``progress(stage, done, total)``.
    nlp
        A spaCy pipeline for sentence segmentation (default: the project's language).
    sources
        A folder or zip holding a REFI project's source files (for a loose ``.qde`` whose
        files are not in ``sources/`` beside it, or a ``.qdpx`` that left them out).

    Raises
    ------
    ExchangeError
        The file cannot be read, or codings cannot be placed; the project is unchanged.
    """
    from thematic.nlp import load_nlp
    from thematic.segment import segment_many

    check_actor(actor, "import")
    path = Path(path)
    progress = progress or no_progress
    ex, plan = _read_and_plan(path, sources=sources, allow_unplaced=allow_unplaced, progress=progress)
    docs = _documents(store, plan, ex.origin, path)
    settings = store.settings()
    roles = _roles(store, [d for _, d in docs], settings)
    progress("segment", 0, len(docs))
    segmented = segment_many([(d.text, d.turns) for _, d in docs], nlp or load_nlp(settings.language))
    progress("segment", len(docs), len(docs))
    mappings, known = _mappings(store, plan, docs, roles)
    report = ExchangeReport(str(path), ex.origin, coders=list(plan.coders))
    with store.unit(actor, "import") as uow:
        _write(store, uow, plan, docs, segmented, mappings, known, settings.unit, report, progress)
        uow.note("import", path.name, {"summary": report.summary(), "documents": report.documents})
    report.outcomes, report.unplaced = plan.outcomes, plan.unplaced
    report.kept = _kept(plan, report, docs)
    if plan.dropped:
        warnings.warn(
            f"{path.name}: {len(plan.dropped)} element(s) not imported:\n"
            + "\n".join(f"  - {d}" for d in plan.dropped),
            DroppedElementsWarning,
            stacklevel=2,
        )
    return report


def _kept(plan: ImportPlan, report: ExchangeReport, docs: list[tuple[int, Document]]) -> dict[str, Any]:
    """The elements an import stored, per kind (codings counted per document)."""
    stored = {plan.documents[i].ref: doc.name for i, doc in docs}
    per_doc: dict[str, int] = {}
    for c in plan.codings:
        if c.document in stored:
            per_doc[stored[c.document]] = per_doc.get(stored[c.document], 0) + 1
    return {
        "documents": list(report.documents),
        "codes": [c.name for c in plan.codes],
        "codings": per_doc,
        "participants": sorted(plan.participants),
        "memos": [m.title for m in plan.memos],
        "themes": [t.name for t in plan.themes],
        "coders": list(plan.coders),
    }


def _write(store: ProjectStore, uow: Any, plan: ImportPlan, docs: list[tuple[int, Document]],
           segmented: list[Any], mappings: list[dict[str | None, str | None]],
           known: dict[str, str | None], unit: str, report: ExchangeReport, progress: Progress) -> None:
    from thematic.store.foreign.exchange import CodingIn, ExchangeRows

    rows = ExchangeRows(store.project_id, store.read)
    rows.add_coders(uow, [*plan.coders, *(c.coder for c in plan.codings if c.coder),
                          *(c.decided_by for c in plan.codings if c.decided_by)])
    current = store.codebook.current()
    have = {c.id for c in current.codes}
    new = [c for c in plan.codes if c.id not in have]
    if new:
        store.codebook.sync(uow, Codebook(codes=[*current.codes, *new], name=current.name,
                                          label=current.label, content_hash=current.content_hash))
    report.codes = len(new)
    keys: dict[str, str | None] = {k: v.get("name") for k, v in plan.participants.items()}
    for mapping in mappings:
        keys.update({k: known.get(k) for k in mapping.values() if k and k not in keys})
    pks = store.participants.ensure(uow, keys)
    values = {k: v["attributes"] for k, v in plan.participants.items() if v["attributes"]}
    if values:
        store.participants.set_attributes(uow, values, plan.attribute_types)
    report.participants = len(plan.participants)
    doc_ids: dict[str, int] = {}
    for n, ((i, doc), segs, mapping) in enumerate(zip(docs, segmented, mappings)):
        progress("store", n, len(docs))
        speaker_pks = {s: (pks[k] if k else None) for s, k in mapping.items()}
        doc_ids[plan.documents[i].ref] = store.documents.add(uow, doc, speaker_participants=speaker_pks, segments=segs)
        report.documents.append(doc.name)
    run_ids = [rows.add_run(uow, r) for r in plan.runs]
    placed = [c for c in plan.codings if c.document in doc_ids]
    ids = rows.add_codings(uow, [
        CodingIn(doc_ids[c.document], c.code, c.start, c.end, c.source, c.status, c.coder, c.created,
                 c.confidence, c.evidence, run_ids[c.run] if c.run is not None else None,
                 c.decided_by, c.decided_at)
        for c in placed
    ], unit=unit)
    coding_ids = {c.ref: i for c, i in zip(placed, ids)}
    report.codings = len(ids)
    theme_ids: dict[str, int] = {}
    for theme in _parents_first(plan.themes):
        theme_ids[theme.ref] = rows.add_theme(uow, name=theme.name, definition=theme.definition,
                                              parent_id=theme_ids.get(theme.parent or ""),
                                              position=theme.position, codes=theme.codes)
    report.themes = len(theme_ids)
    targets = {"document": {k: str(v) for k, v in doc_ids.items()},
               "coding": {k: str(v) for k, v in coding_ids.items()},
               "theme": {k: str(v) for k, v in theme_ids.items()}}
    for memo in plan.memos:
        kind, target = memo.target_type, memo.target
        if kind in targets:
            target = targets[kind].get(target or "")
            if target is None:
                kind = "project"
        rows.add_memo(uow, target_type=kind, target_id=target if kind != "project" else None,
                      title=memo.title, body=memo.body, author=memo.author, created=memo.created)
    report.memos = len(plan.memos)
    progress("store", len(docs), len(docs))


def _parents_first(themes: list[PlanTheme]) -> list[PlanTheme]:
    refs = {t.ref for t in themes}
    done: set[str] = set()
    out: list[PlanTheme] = []
    pending = list(themes)
    while pending:
        rest = [t for t in pending if t.parent in refs and t.parent not in done and t.parent != t.ref]
        ready = [t for t in pending if t not in rest] or rest  # a cycle: break it
        for t in ready:
            out.append(t)
            done.add(t.ref)
        pending = [t for t in pending if t.ref not in done]
    return out


def exchange_snapshot(store: ProjectStore) -> ExProject:
    """The project as a REFI-QDA exchange project (what a ``.qdpx`` holds)."""
    from thematic.refi.snapshot import SnapDocument, SnapMemo, Snapshot, build_exchange
    from thematic.store.foreign.exchange import ExchangeRows

    rows = ExchangeRows(store.project_id, store.read)
    documents = []
    for rec in store.documents.frame().to_dict("records"):
        stored = store.documents.get(int(rec["id"]))
        people = [p.strip() for p in str(rec.get("participants") or "").split(",") if p.strip()]
        imported = rec.get("imported_at")
        documents.append(SnapDocument(stored.id, stored.name, stored.text, people, stored.format,
                                      stored.sha256, str(imported) if imported is not None else None))
    themes, theme_codes = rows.themes()
    memos = [SnapMemo(int(m.memo_id), m.target_type, m.target_id, m.title, m.body, m.author,
                      m.created_at.isoformat() if m.created_at is not None else None)
             for m in store.memos.frame().itertuples(index=False)]
    snap = Snapshot(
        name=store.project_name(), documents=documents, codebook=store.codebook.current(),
        codings=rows.codings(), participants=store.participants.frame(),
        attribute_types=store.participants.attribute_types(), memos=memos, themes=themes,
        theme_codes=theme_codes, runs=rows.runs(), coders=store.coders(),
    )
    return build_exchange(snap)


def export_qdpx(store: ProjectStore, path: str | Path, *, target: str = "standard",
                account: str | None = None) -> ExportReport:
    """Write the project as a REFI-QDA ``.qdpx`` for ``target`` (standard, nvivo, atlasti,
    maxqda), through the export registry's ``qdpx`` writer.

    Raises
    ------
    ParameterError
        ``target`` is not a known tool.
    WriteError
        The file cannot be written (one line; nothing is left behind).
    AccessError
        The project has accounts and ``account`` is not a coder or owner (the whole project,
        names included).
    """
    from thematic.export.registry import export
    from thematic.refi.qde_write import check_target
    from thematic.services.accounts import require_export

    require_export(store, account, identifying=True, what="export qdpx")
    check_target(target)
    ex = exchange_snapshot(store)
    export("qdpx", ex, path, fmt="qdpx", tool=target)
    return ExportReport(str(path), target, len(ex.sources), len(ex.codes), len(ex.codings),
                        len(ex.sidecar.get("suggestions", [])), len(ex.cases), len(ex.notes), len(ex.sets))


# ---------------------------------------------------------------------- reading a file
def read_exchange(
    path: str | Path, *, limits: ArchiveLimits | None = None, sources: str | Path | None = None
) -> ExProject:
    """Read a ``.qdpx``, a loose ``.qde``, a QualCoder ``.qda`` folder or a Taguette database.

    Parameters
    ----------
    path
        The file (or QualCoder folder).
    limits
        Archive limits (entry count, inflated bytes).
    sources
        A folder or zip holding a REFI project's source files, looked in before the archive's
        own ``sources`` (or the ``sources/`` folder beside a loose ``.qde``).

    Raises
    ------
    UnsupportedFormatError
        The suffix is none of :data:`EXCHANGE_SUFFIXES` (another program's own file is named,
        with the REFI-QDA export to make instead).
    ExchangeError
        The file cannot be read (see each reader).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ExchangeError(f"'{path.name}' does not exist", path=path, hint="Check the path.")
    if suffix in (".qdpx", ".qde"):
        from thematic.refi.qde_read import read_project

        return read_project(path, limits=limits, sources=sources)
    if suffix == ".qda" or (path.is_dir() and (path / "data.qda").is_file()):
        from thematic.store.foreign.qualcoder import read_qualcoder

        return read_qualcoder(path)
    if suffix in (".sqlite3", ".sqlite"):
        from thematic.store.foreign.taguette import read_taguette

        return read_taguette(path)
    raise _not_exchange(path)


def _not_exchange(path: Path) -> UnsupportedFormatError:
    from thematic.refi.identify import native_message

    native = native_message(path)
    if native is not None:
        return UnsupportedFormatError(native[0], path=path, hint=native[1])
    if path.suffix.lower() == ".qdc":
        return UnsupportedFormatError(
            f"'{path.name}' is a REFI-QDA codebook, not a project",
            path=path,
            remedy="load-as-codebook",
        )
    return UnsupportedFormatError(
        f"cannot import '{path.name}': not a project exchange file",
        path=path,
        hint="Import a REFI-QDA .qdpx or .qde, a QualCoder .qda folder or a Taguette .sqlite3.",
    )
