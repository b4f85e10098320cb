"""The Python API: a :class:`Project` is one study, stored in one file (or database).

Every method is a thin call into the library (``services.ingest``, ``services.review``, ``services.suggest``,
``export``); the CLI and the app call these methods and nothing below them.

Examples
--------
>>> import tempfile, pathlib
>>> from thematic import Project
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> project = Project.create(folder / "study.thematic")
>>> (folder / "P01.txt").write_text("Interviewer: How was it?\\nP01: It helped me a lot.\\n")
50
>>> project.ingest([folder / "P01.txt"]).summary()
'1 added, 0 updated, 0 skipped; 2 turns, 8 words'
>>> project.status()["documents"]
1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.errors import ParameterError, ProjectError
from thematic.models import DECISIONS, SURVEY_LAYOUTS, UNITS, Code, Codebook
from thematic.progress import Progress
from thematic.project_analysis import ProjectAnalysis
from thematic.project_suggestions import ProjectSuggestions
from thematic.services import review
from thematic.services.ingest import IngestReport

if TYPE_CHECKING:
    from thematic.services.codebook import CodebookLoadReport
    from thematic.services.exchange import ExchangeReport, ExportReport
    from thematic.services.suggest import RunReport
from thematic.store import ProjectStore, StoredDocument, StoredTurn

PROJECT_SUFFIX = ".thematic"
#: How the study approaches coding (Braun & Clarke's three families of thematic analysis).
APPROACHES = ("reflexive", "codebook", "coding-reliability")
#: Options of :meth:`Project.ingest` besides the readers' (``thematic.ingest.ReadOptions``)
INGEST_OPTIONS = ("participant_types", "interviewers", "on_error", "allow_unmatched_participants",
                  "nlp", "replace", "allow_losing_codings")


class Project(ProjectAnalysis, ProjectSuggestions):
    """One study. Open with :meth:`open`, create with :meth:`create`."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store

    # ------------------------------------------------------------------ open / create
    @classmethod
    def create(cls, target: str | Path, *, name: str | None = None, unit: str = "sentence",
               exist_ok: bool = False) -> Project:
        """Create a project file (or a project in the database at a URL).

        Every parameter is checked before anything is created: a bad one raises
        :class:`~thematic.errors.ParameterError` and leaves no file behind.
        """
        if unit not in UNITS:
            raise ParameterError(f"unit must be one of {', '.join(UNITS)}. Got {unit!r} instead.")
        path = None if "://" in str(target) else Path(target)
        if path is not None and path.exists() and not exist_ok:
            raise ProjectError("a project file exists here already", path=str(path),
                               hint="Open it, or choose another path.")
        store = ProjectStore(str(target), create=True, name=name or (path.stem if path else None))
        project = cls(store)
        if unit != project.settings()["unit"]:
            project.set_unit(unit)
        return project

    @classmethod
    def open(cls, target: str | Path, *, create: bool = False) -> Project:
        """Open an existing project (``create=True``: create it when missing)."""
        return cls(ProjectStore(str(target), create=create))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.store.project_name()

    # ------------------------------------------------------------------ settings
    def settings(self) -> dict[str, Any]:
        return self.store.settings()

    def set_unit(self, unit: str, *, actor: str | None = None) -> None:
        """The unit of coding and analysis: "turn" or "sentence"."""
        if unit not in UNITS:
            raise ParameterError(f"unit must be one of {', '.join(UNITS)}. Got {unit!r} instead.")
        with self.store.unit(actor, "settings") as uow:
            self.store.update_settings(uow, unit=unit)

    def set_approach(self, approach: str, *, actor: str | None = None) -> None:
        """The study's approach: "reflexive", "codebook" or "coding-reliability".

        Coding-reliability studies compare coders (agreement); reflexive ones do not.
        """
        if approach not in APPROACHES:
            raise ParameterError(f"approach must be one of {', '.join(APPROACHES)}. "
                                 f"Got {approach!r} instead.")
        with self.store.unit(actor, "settings") as uow:
            self.store.update_settings(uow, approach=approach)

    def revision(self) -> int:
        """A number that changes whenever the project changes (the newest audit event id).

        Cheap to read: the app keys its caches on it.
        """
        return self.store.history.revision()

    def set_interviewers(self, names: Sequence[str], *, actor: str | None = None) -> None:
        """Speaker labels that are always interviewers (applied to existing turns too)."""
        with self.store.unit(actor, "settings") as uow:
            self.store.update_settings(uow, interviewers=list(names))
            for name in names:
                self.store.documents.set_speaker_role(uow, name, "interviewer")

    def set_role(self, speaker: str, role: str, *, actor: str | None = None) -> int:
        """Override the detected role of a speaker label everywhere. Returns turns changed.

        Raises
        ------
        NotFoundError
            No turn of the project has the speaker label ``speaker`` (the message lists some).
        """
        known = self.store.documents.speaker_roles()
        if speaker not in known:
            from difflib import get_close_matches

            from thematic.errors import NotFoundError

            close = get_close_matches(speaker, [k for k in known if k], n=3)
            raise NotFoundError(
                f"no turn has the speaker label {speaker!r}",
                hint=(f"Did you mean {', '.join(map(repr, close))}? " if close else "")
                + "`thematic status` and the documents list the speakers; labels are case-sensitive.",
            )
        with self.store.unit(actor, "set role") as uow:
            return self.store.documents.set_speaker_role(uow, speaker, role)

    # ------------------------------------------------------------------ ingest
    def ingest(self, paths: Iterable[str | Path], *, participants: str | Path | None = None,
               progress: Progress | None = None, actor: str | None = None, **options: Any) -> IngestReport:
        """Import files, folders or glob patterns (one transaction). See ``services.ingest.ingest``."""
        from thematic.ingest import ReadOptions
        from thematic.services.ingest import ingest

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
        read_opts = {k: options.pop(k) for k in list(options) if k in read_keys}
        return ingest(self.store, paths, participants=participants,
                      options=ReadOptions(**read_opts) if read_opts else None,
                      progress=progress, actor=actor, **options)

    # ------------------------------------------------------------------ reading
    def status(self) -> dict[str, Any]:
        """Counts: documents, turns, sentences, participants, words, codes, codings by status."""
        counts: dict[str, Any] = dict(self.store.documents.counts())
        docs = self.store.documents.frame()
        counts["words"] = int(docs["words"].sum()) if not docs.empty else 0
        counts["unit"] = self.settings()["unit"]
        counts["codes"] = len(self.store.codebook.current().codes)
        counts["codings"] = self.store.codings.counts()
        version = self.store.codebook.latest_version()
        counts["codebook"] = version[1] if version else None
        return counts

    def documents(self) -> pd.DataFrame:
        return self.store.documents.frame()

    def document(self, ref: int | str) -> StoredDocument:
        return self.store.documents.get(ref)

    def turns(self, document: int | str) -> list[StoredTurn]:
        return self.store.documents.turns(self.store.documents.get(document).id)

    def participants(self) -> pd.DataFrame:
        return self.store.participants.frame()

    def attribute_types(self) -> dict[str, str]:
        return self.store.participants.attribute_types()

    def segments(self, unit: str | None = None) -> pd.DataFrame:
        """One row per segment (unit: project setting by default) with attributes."""
        return self.store.documents.segments_frame(unit or self.settings()["unit"])

    # ------------------------------------------------------------------ codebook
    def codebook(self) -> Codebook:
        return self.store.codebook.current()

    def load_codebook(self, source: str | Path | Codebook, *,
                      actor: str | None = None) -> CodebookLoadReport:
        """Load a codebook file (.yaml/.csv/.qdc) into the project; returns what changed."""
        from thematic.services.codebook import load_codebook_into

        return load_codebook_into(self.store, source, actor=actor)

    # ------------------------------------------------------------------ suggestions
    def suggest(self, engines: Sequence[str] = ("rules", "semantic"), **kwargs: Any) -> RunReport:
        """Run suggestion engines over the project's segments. See ``services.suggest.run_suggestions``."""
        from thematic.services.suggest import run_suggestions

        return run_suggestions(self.store, engines=engines, **kwargs)

    def codings(self, *, status: str | None = None, document: int | str | None = None,
                evidence: bool = True) -> pd.DataFrame:
        """One row per coding (``evidence=False``: without the engines' evidence, much faster
        on a big project; :meth:`coding_evidence` reads it for the few a page shows)."""
        doc_id = self.store.documents.get(document).id if document is not None else None
        return self.store.codings.frame(status=status, document_id=doc_id, evidence=evidence)

    def coding_evidence(self, coding_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The engines' evidence of the codings ``coding_ids``."""
        return self.store.codings.evidence(coding_ids)

    def decisions(self, *, coder: str | None = None) -> pd.DataFrame:
        """One row per decision: coding_id, coder, status, decided_at, final.

        In shared review each decided coding has one (final) decision; in independent review
        each coder's own decisions have ``final`` False (``coder``: only theirs, for blind
        review) and :meth:`consensus` records the final one.
        """
        return self.store.decisions.frame(coder=coder)

    def set_review_mode(self, mode: str, *, actor: str | None = None) -> None:
        """"shared" (one current decision, anyone may change it) or "independent" (one per coder)."""
        review.set_review_mode(self.store, mode, actor=actor)

    def consensus(self, coding_ids: Sequence[int], status: str, *, coder: str) -> int:
        """Record the final decision on codings (independent review); returns codings changed."""
        return review.consensus(self.store, coding_ids, status, coder=coder)

    @staticmethod
    def migrate(target: str | Path) -> tuple[str | None, str]:
        """Upgrade a project database (required on a server) to this version's schema.

        Returns the schema revisions (before, after). A SQLite file is backed up first.
        """
        from thematic.store.database import migrate, to_url

        return migrate(to_url(target))

    def coders(self) -> list[str]:
        """The people who have changed the project."""
        return self.store.coders()

    def runs(self) -> pd.DataFrame:
        return self.store.runs.frame()

    # ------------------------------------------------------------------ review
    def decide(self, coding_ids: Sequence[int], status: str, *, coder: str, **kw: Any) -> int:
        """Set codings to ``status`` ("accepted", "rejected", or "suggested" to take it back)."""
        if status not in DECISIONS:
            raise ParameterError(f"status must be one of {', '.join(DECISIONS)}. Got {status!r} instead.")
        return review.decide(self.store, coding_ids, status, coder=coder, **kw)

    def accept(self, coding_ids: Sequence[int], *, coder: str, **kw: Any) -> int:
        return review.accept(self.store, coding_ids, coder=coder, **kw)

    def reject(self, coding_ids: Sequence[int], *, coder: str, **kw: Any) -> int:
        return review.reject(self.store, coding_ids, coder=coder, **kw)

    def bulk_decide(self, status: str, *, coder: str, **filters: Any) -> int:
        return review.bulk_decide(self.store, status, coder=coder, **filters)

    def code_span(self, document: int | str, code: str, *, coder: str, **where: Any) -> int:
        return review.code_span(self.store, document, code, coder=coder, **where)

    def edit_span(self, coding_id: int, start: int, end: int, *, coder: str) -> None:
        review.edit_span(self.store, coding_id, start, end, coder=coder)

    def recode(self, coding_id: int, code: str, *, coder: str) -> None:
        review.recode(self.store, coding_id, code, coder=coder)

    def add_code(self, code: Code, *, coder: str) -> None:
        review.add_code(self.store, code, coder=coder)

    def update_code(self, code: str, *, coder: str, **fields: Any) -> None:
        review.update_code(self.store, code, coder=coder, **fields)

    def edit_code(self, code: Code, *, coder: str) -> None:
        """Replace every editable field of ``code.id`` with those of ``code`` (one undoable step)."""
        review.update_code(self.store, code.id, coder=coder, name=code.name,
                           definition=code.definition, inclusion=code.inclusion,
                           exclusion=code.exclusion, examples=code.examples, color=code.color,
                           rules=code.rules)

    def merge_codes(self, sources: Sequence[str], target: str, *, coder: str) -> int:
        return review.merge_codes(self.store, sources, target, coder=coder)

    def split_code(self, code: str, into: Mapping[str, Sequence[int]], *, coder: str, **kw: Any) -> dict[str, int]:
        return review.split_code(self.store, code, into, coder=coder, **kw)

    def move_code(self, code: str, parent: str | None, *, coder: str) -> None:
        review.move_code(self.store, code, parent, coder=coder)

    def delete_code(self, code: str, *, coder: str) -> int:
        return review.delete_code(self.store, code, coder=coder)

    def undo(self, *, actor: str | None = None, mine_only: bool = False) -> list[str]:
        return review.undo(self.store, actor=actor, mine_only=mine_only)

    def history(self, *, limit: int = 50) -> pd.DataFrame:
        return review.history(self.store, limit=limit)

    # ------------------------------------------------------------------ memos, read marks, recordings
    def add_memo(self, body: str, *, coder: str, target: str = "project",
                 target_id: int | str | None = None, title: str = "") -> int:
        """Write a memo on the project, a document, a code, a theme or a coding; returns its id."""
        from thematic.services import memos

        return memos.add_memo(self.store, body, coder=coder, target=target, target_id=target_id,
                              title=title)

    def edit_memo(self, memo_id: int, *, coder: str, title: str | None = None,
                  body: str | None = None) -> None:
        """Change a memo's title and/or body."""
        from thematic.services import memos

        memos.edit_memo(self.store, memo_id, coder=coder, title=title, body=body)

    def delete_memo(self, memo_id: int, *, coder: str) -> None:
        """Delete a memo (undo brings it back)."""
        from thematic.services import memos

        memos.delete_memo(self.store, memo_id, coder=coder)

    def memos(self, target: str | None = None, target_id: int | str | None = None) -> pd.DataFrame:
        """Memos, all or of one target (see ``services.memos.memos`` for the columns)."""
        from thematic.services import memos

        return memos.memos(self.store, target=target, target_id=target_id)

    def mark_read(self, document: int | str, *, coder: str, read: bool = True) -> bool:
        """Mark a document as read (or unread) by ``coder``."""
        from thematic.services import memos

        return memos.mark_read(self.store, document, coder=coder, read=read)

    def read_documents(self, coder: str | None = None) -> pd.DataFrame:
        """Which coder read which document: document_id, document, coder, read_at."""
        return self.store.memos.reads(coder=coder)

    def attach(self, document: int | str, media: str | Path, *, coder: str) -> int:
        """Attach an audio or video recording to a document (copied beside the project)."""
        from thematic.services import memos

        return memos.attach(self.store, document, media, coder=coder)

    def attachments(self, document: int | str | None = None) -> pd.DataFrame:
        """Recordings attached to documents, newest first."""
        from thematic.services import memos

        return memos.attachments(self.store, document)

    # ------------------------------------------------------------------ export
    def export_segments(self, target: str | Path, *, fmt: str | None = None, unit: str | None = None) -> int:
        """Write segments as CSV/XLSX. Returns the number of rows."""
        from thematic.export import segments_table, write_table

        table = segments_table(self.segments(unit))
        write_table(table, target, fmt=fmt, sheet_name="segments")
        return len(table)

    def export_codings(self, target: str | Path, *, fmt: str | None = None, status: str | None = None) -> int:
        """Write codings (with attributes and code path per level) as CSV/XLSX."""
        from thematic.export import codings_table, write_table

        table = codings_table(self.store.codings.frame(status=status), self.codebook(), self.participants())
        write_table(table, target, fmt=fmt, sheet_name="codings")
        return len(table)

    # ------------------------------------------------------------------ themes (helper analysis)
    def themes(self) -> pd.DataFrame:
        """Themes: theme_id, name, parent (name or None), definition, position."""
        return self.store.themes.frame()

    def theme_codes(self) -> pd.DataFrame:
        """The codes of each theme: theme (name), code (code id)."""
        return self.store.themes.codes_frame()

    def theme_quotes(self) -> pd.DataFrame:
        """Each theme's exemplar quotes: theme, coding_id, position."""
        return self.store.themes.quotes_frame()

    def framework_summaries(self) -> pd.DataFrame:
        """Framework summaries: participant, theme, code, summary, quote_ids, author, updated_at."""
        return self.store.themes.summaries_frame()

    def add_theme(self, name: str, *, codes: Sequence[str] = (), parent: str | None = None,
                  definition: str = "", position: int | None = None,
                  actor: str | None = None) -> int:
        """Add a theme or subtheme. See ``services.themes.add_theme``."""
        from thematic.services import themes

        return themes.add_theme(self.store, name, codes=codes, parent=parent,
                                definition=definition, position=position, actor=actor)

    def edit_theme(self, name: str, *, actor: str | None = None, **changes: Any) -> None:
        """Rename, move, redefine, reorder or recode a theme. See ``services.themes.edit_theme``."""
        from thematic.services import themes

        themes.edit_theme(self.store, name, actor=actor, **changes)

    def remove_theme(self, name: str, *, actor: str | None = None) -> list[str]:
        """Remove a theme and its subthemes; returns the names removed."""
        from thematic.services import themes

        return themes.remove_theme(self.store, name, actor=actor)

    def add_theme_quote(self, theme: str, coding_id: int, *, actor: str | None = None) -> bool:
        """Choose an accepted coding of the theme's own codes as an exemplar quote."""
        from thematic.services import themes

        return themes.add_theme_quote(self.store, theme, coding_id, actor=actor)

    def remove_theme_quote(self, theme: str, coding_id: int, *, actor: str | None = None) -> bool:
        """Remove an exemplar quote from a theme."""
        from thematic.services import themes

        return themes.remove_theme_quote(self.store, theme, coding_id, actor=actor)

    def set_framework_summary(self, participant: str, summary: str, *, theme: str | None = None,
                              code: str | None = None, quote_ids: Sequence[int] = (),
                              author: str | None = None) -> None:
        """Write the summary of one framework cell. See ``services.themes.set_framework_summary``."""
        from thematic.services import themes

        themes.set_framework_summary(self.store, participant, summary, theme=theme, code=code,
                                     quote_ids=quote_ids, author=author)

    # ------------------------------------------------------------------ pseudonyms, outputs for papers
    def pseudonyms(self) -> pd.DataFrame:
        """The project's pseudonym list: original, replacement, kind."""
        from thematic.services import exports

        return exports.pseudonyms(self.store)

    def set_pseudonym(self, original: str, replacement: str, *, kind: str = "name",
                      actor: str | None = None) -> bool:
        """Add ``original -> replacement`` to the list (or change it). True when added."""
        from thematic.services import exports

        return exports.set_pseudonym(self.store, original, replacement, kind=kind, actor=actor)

    def remove_pseudonym(self, original: str, *, actor: str | None = None) -> None:
        """Remove an entry of the pseudonym list (undo brings it back)."""
        from thematic.services import exports

        exports.remove_pseudonym(self.store, original, actor=actor)

    def pseudonymiser(self, *, ner: Any = "auto") -> Any:
        """A :class:`~thematic.pseudonymise.Pseudonymiser` for this project's quotes: names of
        participants and speakers, the pseudonym list, and (``ner="auto"``) an installed NER
        pipeline."""
        from thematic.services import exports

        return exports.project_pseudonymiser(self, ner=ner)

    def export(self, kind: str, target: str | Path, *, fmt: str | None = None,
               **options: Any) -> dict[str, Any]:
        """Write one output (``theme-table``, ``framework``, ``matrix``, ``agreement``, ...);
        the format from ``fmt`` or the suffix. See ``services.exports.export_project``."""
        from thematic.services import exports

        return exports.export_project(self, kind, target, fmt=fmt, **options)

    def report(self, outdir: str | Path, **options: Any) -> tuple[list[Any], list[str]]:
        """Write every output for a paper into ``outdir``: the files written and notes on
        what was left out. See ``services.exports.report_project``."""
        from thematic.services import exports

        return exports.report_project(self, outdir, **options)


    # ------------------------------------------------------------------ exchange
    def import_project(self, path: str | Path, *, actor: str | None = None, allow_unplaced: bool = False,
                       progress: Progress | None = None) -> ExchangeReport:
        """Import a REFI-QDA ``.qdpx``/``.qde``, a QualCoder ``.qda`` or a Taguette ``.sqlite3``
        project (one transaction). See ``services.exchange.import_project``."""
        from thematic.services.exchange import import_project

        return import_project(self.store, path, actor=actor, allow_unplaced=allow_unplaced,
                              progress=progress)

    def export_qdpx(self, path: str | Path, *, target: str = "standard") -> ExportReport:
        """Write the project as REFI-QDA ``.qdpx`` for ``target`` (standard, nvivo, atlasti, maxqda)."""
        from thematic.services.exchange import export_qdpx

        return export_qdpx(self.store, path, target=target)


    def import_codings(self, path: str | Path, *, coder: str) -> int:
        """Add a file of quoted codings (the gold format) as ``coder``'s, in one transaction.

        See ``services.coders.import_coder_codings``; returns how many codings were added.
        """
        from thematic.services.coders import import_coder_codings

        return import_coder_codings(self.store, path, coder=coder)

    # ------------------------------------------------------------------ hostile inputs (issue 10)
    def lost_codings(self) -> pd.DataFrame:
        """Codings that new versions of documents lost (``ingest(..., allow_losing_codings=True)``).

        Columns: coding_id, document, code, start, end, text, source, status, coder,
        decided_by, lost_at, lost_by. Kept in the project's history, oldest first.
        """
        from thematic.services.ingest import lost_codings

        columns = ["coding_id", "document", "code", "start", "end", "text", "source", "status",
                   "coder", "decided_by", "lost_at", "lost_by"]
        return pd.DataFrame(lost_codings(self.store), columns=columns)
