"""The ``thematic`` command line: thin over :class:`thematic.Project`.

Each command parses options, makes one library call and renders the result. Library errors
print one line (file, line, what to do) and exit 1; nothing prints a traceback for a user's
mistake.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from thematic.errors import ThematicError

DEFAULT_PROJECT = "project.thematic"
ProjectOpt = typer.Option(
    None, "--project", "-p", envvar="THEMATIC_PROJECT",
    help=f"Project file (default: ./{DEFAULT_PROJECT}, or $THEMATIC_PROJECT).",
)
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")
CoderOpt = typer.Option(None, "--coder", envvar="THEMATIC_CODER", help="Your name, recorded with each decision.")

app = typer.Typer(help="Qualitative coding of interview transcripts.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
codebook_app = typer.Typer(help="Validate, import, export and compare codebooks.", no_args_is_help=True)
export_app = typer.Typer(help="Export tables, the theme table, reports and plots (format from the suffix).",
                         no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")
app.add_typer(export_app, name="export")
pseudonym_app = typer.Typer(help="The project's pseudonym list (names and places replaced in exports).",
                            no_args_is_help=True)
app.add_typer(pseudonym_app, name="pseudonym")


def _err(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except ThematicError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _err("interrupted; nothing was written by the step in progress")
        raise typer.Exit(130) from None


def _project(path: Path | None):  # noqa: ANN202
    from thematic.project import Project

    return Project.open(path or Path(DEFAULT_PROJECT))


def _emit(data: Any, as_json: bool, text: Callable[[], None]) -> None:
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    else:
        text()


@contextmanager
def _progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar per stage on a terminal; silent when not a TTY or disabled."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=True, console=None) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


# ---------------------------------------------------------------------------- project
@app.command()
def init(
    path: Path = typer.Argument(Path(DEFAULT_PROJECT), help="Project file to create."),
    name: str | None = typer.Option(None, help="Project name (default: the file name)."),
    unit: str = typer.Option("sentence", help="Unit of coding: sentence or turn."),
    as_json: bool = JsonOpt,
) -> None:
    """Create a new project file (SQLite; or a database URL)."""
    from thematic.project import Project

    with _errors():
        project = Project.create(path, name=name, unit=unit)
        info = {"project": str(path), "name": project.name, "unit": unit}
        project.close()
    _emit(info, as_json, lambda: typer.echo(f"created {path} (unit of coding: {unit})"))


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders or glob patterns."),
    participants: Path | None = typer.Option(None, "--participants", help="CSV/XLSX: id column + attributes."),
    interviewer: list[str] = typer.Option([], "--interviewer", help="A speaker label that is an interviewer (repeat)."),
    survey_layout: str = typer.Option("respondent", help="Survey files: one document per 'respondent' or per 'question'."),
    id_column: str | None = typer.Option(None, help="Survey files: the id column."),
    text_column: list[str] = typer.Option([], "--text-column", help="Survey files: a text column (repeat)."),
    skip_errors: bool = typer.Option(False, "--skip-errors", help="Import the good files and report the bad ones."),
    allow_unmatched: bool = typer.Option(False, "--allow-unmatched", help="Keep participants that match no speaker."),
    attribute_type: list[str] = typer.Option([], "--attribute-type", help="Override an inferred attribute type: NAME=number|date|category|text (repeat)."),
    project: Path | None = ProjectOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Import transcripts (txt, md, docx, vtt, srt, csv, xlsx, pdf, odt) in one transaction."""
    with _errors():
        types = {}
        for item in attribute_type:
            name, sep, kind = item.partition("=")
            if not sep or kind not in ("number", "date", "category", "text"):
                raise ThematicError(f"--attribute-type must be NAME=number|date|category|text. Got {item!r} instead.")
            types[name.strip()] = kind
        proj = _project(project)
        with _progress(not as_json) as progress:
            report = proj.ingest(
                paths, participants=participants, progress=progress, participant_types=types or None,
                interviewers=interviewer or None, on_error="skip" if skip_errors else "raise",
                allow_unmatched_participants=allow_unmatched, survey_layout=survey_layout,
                id_column=id_column, text_columns=text_column or None,
            )
    data = {"added": report.added, "updated": report.updated,
            "skipped": [{"file": f, "why": w} for f, w in report.skipped],
            "failed": [{"file": f, "error": e} for f, e in report.failed],
            "turns": report.turns, "words": report.words, "roles": report.roles,
            "reanchored": report.reanchored, "lost_codings": report.lost_codings}

    def text() -> None:
        for name in report.added:
            typer.echo(f"added    {name}")
        for name in report.updated:
            typer.echo(f"updated  {name}")
        for name, why in report.skipped:
            typer.echo(f"skipped  {name}: {why}")
        for _name, error in report.failed:
            typer.echo(f"failed   {error}", err=True)
        for lost in report.lost_codings:
            typer.echo(f"lost coding {lost['coding_id']} in {lost['document']}: {lost['text'][:60]!r}")
        interviewers = sorted(s for s, r in report.roles.items() if r == "interviewer")
        if interviewers:
            typer.echo(f"interviewers: {', '.join(interviewers)} (override with `thematic role`)")
        typer.echo(report.summary())

    _emit(data, as_json, text)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def status(project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Documents, turns, participants, words, codes and codings of the project."""
    with _errors():
        proj = _project(project)
        info = proj.status()
        docs = proj.documents()
    info["documents_list"] = docs[["name", "format", "turns", "words", "participants"]].to_dict("records")

    def text() -> None:
        typer.echo(f"{info['documents']} documents, {info['turns']} turns, {info['sentences']} sentences, "
                   f"{info['participants']} participants, {info['words']} words")
        typer.echo(f"unit of coding: {info['unit']}; codebook: {info['codebook'] or 'none'} "
                   f"({info['codes']} codes)")
        c = info["codings"]
        typer.echo(f"codings: {c['suggested']} suggested, {c['accepted']} accepted, {c['rejected']} rejected")
        for row in info["documents_list"]:
            typer.echo(f"  {row['name']:<40} {row['format']:<6} {row['turns']:>5} turns {row['words']:>7} words  {row['participants']}")

    _emit(info, as_json, text)


@app.command()
def role(
    speaker: str = typer.Argument(..., help="Speaker label as in the transcripts."),
    new_role: str = typer.Argument(..., metavar="ROLE", help="interviewer, participant, moderator ..."),
    project: Path | None = ProjectOpt,
) -> None:
    """Override the detected role of a speaker in every document."""
    with _errors():
        n = _project(project).set_role(speaker, new_role)
    typer.echo(f"{speaker}: {new_role} ({n} turns)")


@app.command("set")
def set_option(
    unit: str | None = typer.Option(None, help="Unit of coding: sentence or turn."),
    project: Path | None = ProjectOpt,
) -> None:
    """Change project settings."""
    with _errors():
        proj = _project(project)
        if unit:
            try:
                proj.set_unit(unit)
            except ValueError as exc:
                raise ThematicError(str(exc)) from exc
    typer.echo(f"unit of coding: {proj.settings()['unit']}")


# ---------------------------------------------------------------------------- export
@export_app.command("segments")
def export_segments(
    output: Path = typer.Argument(..., help="File to write (.csv or .xlsx)."),
    unit: str | None = typer.Option(None, help="sentence or turn (default: the project's unit)."),
    project: Path | None = ProjectOpt,
) -> None:
    """Segments with document, participant, speaker, role, attributes, times and text."""
    with _errors():
        n = _project(project).export_segments(output, unit=unit)
    typer.echo(f"wrote {n} segments to {output}")


@export_app.command("codings")
def export_codings(
    output: Path = typer.Argument(..., help="File to write (.csv or .xlsx)."),
    status_: str | None = typer.Option(None, "--status", help="Only suggested, accepted or rejected."),
    project: Path | None = ProjectOpt,
) -> None:
    """Codings with participant attributes, code path per level, context, provenance."""
    with _errors():
        n = _project(project).export_codings(output, status=status_)
    typer.echo(f"wrote {n} codings to {output}")


# ---------------------------------------------------------------------------- exports for papers
#: The kinds ``thematic export KIND FILE`` writes (a literal: the CLI imports no pandas to start).
EXPORT_KINDS = {
    "theme-table": "The theme table: theme, subtheme, description, participants n (%), quotes "
                   "(.docx .xlsx .csv .md .tex).",
    "theme-table-long": "One row per quote: ids, offsets, timestamps, provenance (.csv .xlsx).",
    "framework": "Framework matrix, one sheet per theme, participants down, codes across (.xlsx).",
    "matrix": "Codes by participant, theme or attribute (--by) (.xlsx .csv .png .svg).",
    "cooccurrence": "Code co-occurrence matrix or network (.xlsx .csv .png .svg).",
    "agreement": "Inter-coder agreement report (--coders A,B, --unit) (.xlsx .docx .md).",
    "codebook": "The codebook with counts (.docx .xlsx).",
    "saturation": "Code accumulation, saturation point and bootstrap band (.csv .xlsx .png .svg).",
    "methods": "A methods paragraph drafted from the project's record (.md .docx .txt).",
    "thematic-map": "Themes, subthemes and codes as a map (.png .svg).",
    "transcripts": "De-identified transcripts, one file per participant, into a folder.",
}


def _export_command(kind: str) -> Callable[..., None]:
    def command(
        output: Path = typer.Argument(..., help="File to write (the suffix chooses the format); "
                                                "a folder for transcripts."),
        fmt: str | None = typer.Option(None, "--format", help="Format, when the suffix does not say."),
        pseudonymise: bool = typer.Option(True, "--pseudonymise/--verbatim",
                                          help="Replace names in quotes and transcripts (default)."),
        ner: bool = typer.Option(True, "--ner/--no-ner",
                                 help="Also replace names an installed spaCy NER pipeline finds."),
        quotes: int = typer.Option(2, help="Quotes per theme (0-3)."),
        attribute: list[str] = typer.Option([], "--attribute", "-a",
                                            help="Participant attribute after each quote (repeat)."),
        by: str = typer.Option("participant", help="matrix: participant, theme or an attribute."),
        coders: str | None = typer.Option(None, help="agreement: two coders, 'A,B'."),
        unit: str | None = typer.Option(None, help="Unit for agreement/co-occurrence: sentence or turn."),
        seed: int = typer.Option(0, help="Seed of the bootstrap (saturation, agreement)."),
        project: Path | None = ProjectOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        options: dict[str, Any] = {"pseudonymise": pseudonymise, "ner": "auto" if ner else None,
                                   "quotes": quotes, "by": by, "random_state": seed}
        if attribute:
            options["attributes"] = attribute
        if coders:
            options["coders"] = [c.strip() for c in coders.split(",") if c.strip()]
        if unit:
            options["unit"] = unit
        with _errors():
            done = _project(project).export(kind, output, fmt=fmt, **options)

        def text() -> None:
            state = "pseudonymised" if done.get("pseudonymised") else "verbatim"
            typer.echo(f"wrote {kind} ({done['format']}, {state}) to {output}")
            for note in done.get("notes", []):
                typer.echo(f"note: {note}")
        _emit(done, as_json, text)
    command.__doc__ = EXPORT_KINDS[kind]
    return command


for _kind in EXPORT_KINDS:
    export_app.command(_kind)(_export_command(_kind))


@app.command("report")
def report(
    outdir: Path = typer.Argument(..., help="Folder to write (created if missing)."),
    pseudonymise: bool = typer.Option(True, "--pseudonymise/--verbatim",
                                      help="Replace names in quotes and transcripts (default)."),
    ner: bool = typer.Option(True, "--ner/--no-ner", help="Use an installed spaCy NER pipeline too."),
    quotes: int = typer.Option(2, help="Quotes per theme (0-3)."),
    attribute: list[str] = typer.Option([], "--attribute", "-a", help="Attribute after each quote (repeat)."),
    coders: str | None = typer.Option(None, help="Two coders to compare, 'A,B' (default: the two hand coders)."),
    unit: str | None = typer.Option(None, help="Unit for agreement/co-occurrence."),
    seed: int = typer.Option(0, help="Seed of the bootstraps."),
    project: Path | None = ProjectOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Write every output for a paper into OUTDIR: theme table, matrices, framework,
    co-occurrence, agreement, codebook, saturation, methods, plots, de-identified transcripts."""
    options: dict[str, Any] = {"pseudonymise": pseudonymise, "ner": "auto" if ner else None,
                               "quotes": quotes, "random_state": seed}
    if attribute:
        options["attributes"] = attribute
    if coders:
        options["coders"] = [c.strip() for c in coders.split(",") if c.strip()]
    if unit:
        options["unit"] = unit
    with _errors(), _progress() as progress:
        files, notes = _project(project).report(outdir, progress=progress, **options)
    data = {"files": [{"kind": f.kind, "path": str(f.path), "what": f.description} for f in files],
            "notes": notes}

    def text() -> None:
        typer.echo(f"wrote {len(files)} outputs to {outdir}")
        for f in files:
            typer.echo(f"  {f.path.name}: {f.description}")
        for note in notes:
            typer.echo(f"note: {note}")
    _emit(data, as_json, text)


@pseudonym_app.command("add")
def pseudonym_add(
    original: str = typer.Argument(..., help="The name or place as it appears in transcripts."),
    replacement: str = typer.Argument(..., help="What exports print instead, e.g. '[a friend]'."),
    kind: str = typer.Option("name", help="name, place, organisation or other."),
    project: Path | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Add (or change) an entry of the project's pseudonym list."""
    with _errors():
        added = _project(project).set_pseudonym(original, replacement, kind=kind, actor=coder)
    typer.echo(f"{'added' if added else 'changed'}: {original} -> {replacement}")


@pseudonym_app.command("remove")
def pseudonym_remove(original: str = typer.Argument(..., help="The entry to remove."),
                     project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Remove an entry of the project's pseudonym list."""
    with _errors():
        _project(project).remove_pseudonym(original, actor=coder)
    typer.echo(f"removed: {original}")


@pseudonym_app.command("list")
def pseudonym_list(project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The project's pseudonym list (participants' names map to their ids without an entry)."""
    with _errors():
        frame = _project(project).pseudonyms()
    rows = frame.to_dict("records")

    def text() -> None:
        if not rows:
            typer.echo("no pseudonyms yet (participants' names are replaced by their ids)")
        for r in rows:
            typer.echo(f"{r['original']} -> {r['replacement']} ({r['kind']})")
    _emit(rows, as_json, text)


# ---------------------------------------------------------------------------- codebook
@codebook_app.command("validate")
def codebook_validate(path: Path = typer.Argument(..., help="Codebook file (.yaml, .csv, .qdc)."),
                      as_json: bool = JsonOpt) -> None:
    """Check a codebook file; print every problem with its location."""
    from thematic.codebook import validate_codebook

    with _errors():
        problems = validate_codebook(path)
    errors = [p for p in problems if p.severity == "error"]

    def text() -> None:
        for p in problems:
            typer.echo(f"{p.severity}: {p}")
        if not errors:
            typer.echo(f"{path}: valid")

    _emit([p.__dict__ for p in problems], as_json, text)
    if errors:
        raise typer.Exit(1)


@codebook_app.command("import")
def codebook_import(path: Path = typer.Argument(..., help="Codebook file (.yaml, .csv, .qdc)."),
                    project: Path | None = ProjectOpt, coder: str | None = CoderOpt,
                    as_json: bool = JsonOpt) -> None:
    """Load a codebook into the project (records its version; shows what changed)."""
    with _errors():
        report = _project(project).load_codebook(path, actor=coder)

    def text() -> None:
        for w in report.warnings:
            typer.echo(f"warning: {w}")
        if report.diff is not None:
            typer.echo(report.diff.summary())
        typer.echo(report.summary())

    _emit({"label": report.label, "hash": report.content_hash, "changed": report.changed,
           "sync": report.sync, "warnings": [str(w) for w in report.warnings]}, as_json, text)


@codebook_app.command("export")
def codebook_export(output: Path = typer.Argument(..., help="File to write (.yaml, .csv, .qdc)."),
                    project: Path | None = ProjectOpt) -> None:
    """Write the project's codebook as YAML, CSV or REFI-QDA .qdc."""
    from thematic.codebook import save_any

    with _errors():
        codebook = _project(project).codebook()
        save_any(codebook, output)
    typer.echo(f"wrote {len(codebook.codes)} codes to {output}")


@codebook_app.command("diff")
def codebook_diff(old: Path = typer.Argument(..., help="Older codebook file, or 'project'."),
                  new: Path = typer.Argument(..., help="Newer codebook file."),
                  project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """What changed between two codebooks (added, removed, renamed, moved, edited codes)."""
    from thematic.codebook import diff_codebooks, load_any

    with _errors():
        before = _project(project).codebook() if str(old) == "project" else load_any(old)
        diff = diff_codebooks(before, load_any(new))
    _emit(diff.as_dict() if hasattr(diff, "as_dict") else str(diff), as_json,
          lambda: typer.echo(diff.summary()))


# ---------------------------------------------------------------------------- coding
@app.command()
def code(
    engine: list[str] = typer.Option(["rules", "semantic"], "--engine", "-e", help="rules, semantic (repeat)."),
    backend: str | None = typer.Option(None, help="Embeddings: 'minilm' (default when installed), 'tfidf', or a model path."),
    include_interviewer: bool = typer.Option(False, help="Also suggest codes for interviewer turns."),
    group_codes: str = typer.Option("children_first", help="Codes with children: children_first, never or keep."),
    seed: int = typer.Option(0, help="Random seed (recorded with the run)."),
    project: Path | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Run suggestion engines: suggestions with evidence, for a person to decide."""
    with _errors():
        proj = _project(project)
        with _progress(not as_json) as progress:
            report = proj.suggest(engines=engine, backend=backend, progress=progress, seed=seed,
                                  include_interviewer=include_interviewer, group_codes=group_codes,
                                  actor=coder)

    def text() -> None:
        table = report.per_code
        if not table.empty:
            typer.echo(table.to_string(index=False))
        typer.echo(report.summary())

    _emit(report.as_dict(), as_json, text)


@app.command("review")
def review_cmd(
    decision: str = typer.Argument(..., help="accept, reject, or reset (back to suggested)."),
    ids: list[int] = typer.Option([], "--id", help="Coding id (repeat)."),
    code_id: str | None = typer.Option(None, "--code", help="All suggestions of this code."),
    source: str | None = typer.Option(None, "--source", help="Only from this engine (rule, semantic, combined)."),
    min_confidence: float | None = typer.Option(None, help="Only at or above this confidence."),
    max_confidence: float | None = typer.Option(None, help="Only at or below this confidence."),
    project: Path | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Accept or reject suggestions by id or by filter (for scripts)."""
    statuses = {"accept": "accepted", "reject": "rejected", "reset": "suggested"}
    if decision not in statuses:
        _err(f"decision must be accept, reject or reset. Got {decision!r} instead.")
        raise typer.Exit(2)
    from thematic import review as ops

    with _errors():
        proj = _project(project)
        if ids:
            n = ops.decide(proj.store, ids, statuses[decision], coder=coder or "")
        elif code_id or source or min_confidence is not None or max_confidence is not None:
            n = proj.bulk_decide(statuses[decision], coder=coder or "", code=code_id, source=source,
                                 min_confidence=min_confidence, max_confidence=max_confidence)
        else:
            raise ThematicError("say which codings: --id N, or a filter (--code, --source, --min-confidence)")
    typer.echo(f"{statuses[decision]}: {n} codings")


@app.command("code-span")
def code_span(
    document: str = typer.Argument(..., help="Document name or id."),
    code_id: str = typer.Argument(..., metavar="CODE", help="Code id."),
    quote: str | None = typer.Option(None, help="The exact text to code."),
    occurrence: int | None = typer.Option(None, help="Which occurrence of the quote (1-based)."),
    start: int | None = typer.Option(None, help="Start offset (characters)."),
    end: int | None = typer.Option(None, help="End offset (characters)."),
    project: Path | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Code a span by hand, by quoting its text or by offsets."""
    with _errors():
        cid = _project(project).code_span(document, code_id, coder=coder or "", quote=quote,
                                          occurrence=occurrence, start=start, end=end)
    typer.echo(f"coding {cid} added")


@app.command()
def merge(sources: list[str] = typer.Argument(..., help="Codes to merge."),
          into: str = typer.Option(..., "--into", help="The code they merge into."),
          project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Merge codes: their codings move to the target code."""
    with _errors():
        n = _project(project).merge_codes(sources, into, coder=coder or "")
    typer.echo(f"merged {', '.join(sources)} into {into}: {n} codings moved")


@app.command()
def undo(project: Path | None = ProjectOpt, coder: str | None = CoderOpt,
         mine: bool = typer.Option(False, "--mine", help="Undo my newest change, not anyone's.")) -> None:
    """Undo the newest change (a decision, an edit, a merge, an import ...)."""
    with _errors():
        actions = _project(project).undo(actor=coder, mine_only=mine)
    typer.echo(f"undone: {', '.join(actions)}")


@app.command()
def history(limit: int = typer.Option(20, help="How many changes."),
            project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The newest changes: when, who, what."""
    with _errors():
        frame = _project(project).history(limit=limit)
    _emit(frame.to_dict("records"), as_json,
          lambda: typer.echo(frame.drop(columns=["txn", "undo_of"]).to_string(index=False)
                             if not frame.empty else "no changes yet"))


def main() -> None:
    """Entry point of the ``thematic`` command."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()


if __name__ == "__main__":
    main()
