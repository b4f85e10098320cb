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
export_app = typer.Typer(help="Export segments and codings as CSV or XLSX.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")
app.add_typer(export_app, name="export")


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


# ---------------------------------------------------------------------------- themes and analysis
theme_app = typer.Typer(help="Build themes from codes: add, edit, remove, quotes, summaries.",
                        no_args_is_help=True)
app.add_typer(theme_app, name="theme")
RowsOpt = typer.Option("code", "--rows", help="Rows of the table: code or theme.")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _table(frame: Any, as_json: bool, *, index: bool = False, empty: str = "nothing to show") -> None:
    from thematic.views.themes_view import table_records

    _emit(table_records(frame, index=index), as_json,
          lambda: typer.echo(frame.to_string(index=index) if len(frame) else empty))


@theme_app.command("add")
def theme_add(name: str = typer.Argument(..., help="The theme's name."),
              codes: str = typer.Option("", "--codes", help="Its codes, comma-separated (code ids)."),
              parent: str | None = typer.Option(None, "--parent", help="Make it a subtheme of THEME."),
              definition: str = typer.Option("", "--definition", help="Central organising concept; what is in and out."),
              project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Add a theme (or a subtheme) grouping codes."""
    with _errors():
        _project(project).add_theme(name, codes=_split(codes), parent=parent,
                                    definition=definition, actor=coder)
    typer.echo(f"theme {name!r} added" + (f" under {parent!r}" if parent else ""))


@theme_app.command("edit")
def theme_edit(name: str = typer.Argument(..., help="The theme to change."),
               rename: str | None = typer.Option(None, "--name", help="A new name."),
               parent: str | None = typer.Option(None, "--parent", help="A new parent theme."),
               top: bool = typer.Option(False, "--top", help="Move it to the top level."),
               definition: str | None = typer.Option(None, "--definition", help="A new definition."),
               position: int | None = typer.Option(None, "--position", help="Its order among its siblings."),
               codes: str | None = typer.Option(None, "--codes", help="Replace its codes (comma-separated)."),
               add_codes: str = typer.Option("", "--add-codes", help="Codes to add."),
               remove_codes: str = typer.Option("", "--remove-codes", help="Codes to remove."),
               project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Rename, move, redefine, reorder or recode a theme."""
    changes: dict[str, Any] = {"new_name": rename, "definition": definition, "position": position,
                               "codes": None if codes is None else _split(codes),
                               "add_codes": _split(add_codes), "remove_codes": _split(remove_codes)}
    if top or parent is not None:
        changes["parent"] = None if top else parent
    with _errors():
        _project(project).edit_theme(name, actor=coder, **changes)
    typer.echo(f"theme {rename or name!r} changed")


@theme_app.command("remove")
def theme_remove(name: str = typer.Argument(..., help="The theme to remove (with its subthemes)."),
                 project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Remove a theme and its subthemes (codes and codings stay; undo brings it back)."""
    with _errors():
        removed = _project(project).remove_theme(name, actor=coder)
    typer.echo(f"removed: {', '.join(removed)}")


@theme_app.command("quote")
def theme_quote(name: str = typer.Argument(..., help="The theme."),
                coding_id: int = typer.Argument(..., metavar="CODING", help="An accepted coding of one of its codes."),
                remove: bool = typer.Option(False, "--remove", help="Remove the quote instead."),
                project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Choose (or, with --remove, drop) an exemplar quote of a theme."""
    with _errors():
        proj = _project(project)
        done = (proj.remove_theme_quote if remove else proj.add_theme_quote)(name, coding_id, actor=coder)
    verb = "removed from" if remove else "added to"
    typer.echo(f"quote {coding_id} {verb} {name!r}" if done else f"nothing to do: quote {coding_id} "
               f"{'was not' if remove else 'is already'} a quote of {name!r}")


@theme_app.command("summary")
def theme_summary(participant: str = typer.Argument(..., help="Participant id."),
                  target: str = typer.Argument(..., metavar="THEME", help="The theme (or the code with --code)."),
                  text: str = typer.Argument(..., help="The analyst's summary of the cell."),
                  is_code: bool = typer.Option(False, "--code", help="TARGET is a code, not a theme."),
                  quotes: str = typer.Option("", "--quotes", help="Coding ids it rests on, comma-separated."),
                  project: Path | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Write the framework-matrix summary of one participant x theme (or code) cell."""
    with _errors():
        ids = [int(q) for q in _split(quotes) if q.isdigit()]
        if len(ids) != len(_split(quotes)):
            raise ThematicError(f"--quotes must be coding ids separated by commas. Got {quotes!r}.")
        _project(project).set_framework_summary(
            participant, text, theme=None if is_code else target, code=target if is_code else None,
            quote_ids=ids, author=coder)
    typer.echo(f"summary of {participant} x {target} saved")


@app.command("themes")
def themes_cmd(project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The themes as a tree, with their codes and counts (participants, documents, codings)."""
    from thematic.views.themes_view import table_records, theme_tree, tree_lines

    with _errors():
        proj = _project(project)
        tree = theme_tree(proj.themes(), proj.theme_codes(), proj.frequencies(rows="theme"))
    _emit(table_records(tree), as_json,
          lambda: typer.echo("\n".join(tree_lines(tree)) if len(tree) else "no themes yet"))


@app.command()
def frequencies(rows: str = RowsOpt, project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Codings, segments, documents and participants (n, %) per code or theme."""
    with _errors():
        frame = _project(project).frequencies(rows=rows)
    _table(frame, as_json)


@app.command()
def matrix(by: str = typer.Option("participant", "--by", help="participant, or a participant attribute."),
           rows: str = RowsOpt,
           value: str = typer.Option("segments", "--value", help="participant cells: segments, codings or presence."),
           project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """A code (or theme) x participant matrix, or x the groups of an attribute (n and %)."""
    with _errors():
        frame = _project(project).matrix(by, rows=rows, value=value)
    _table(frame, as_json, index=True)


@app.command()
def cooccurrence(method: str = typer.Option("segment", "--method", help="segment, window or overlap."),
                 window: int = typer.Option(1, "--window", help="For --method window: segments apart."),
                 rows: str = RowsOpt, project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Pairs of codes (or themes) that occur together: count and Jaccard."""
    with _errors():
        frame = _project(project).cooccurrence(method=method, window=window, rows=rows)
    _table(frame, as_json, empty="no co-occurrences")


@app.command()
def framework(rows: str = typer.Option("theme", "--rows", help="Columns of the matrix: theme or code."),
              project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The framework matrix: participants x themes, each cell its summary or what is left to summarise."""
    with _errors():
        frame = _project(project).framework(rows=rows)
    if as_json:
        _table(frame, True)
        return
    for row in frame.itertuples():
        cell = row.summary if row.state == "summarised" else row.state
        typer.echo(f"{row.participant} x {getattr(row, rows)}: {cell} ({row.n_codings} codings)")


@app.command()
def saturation(base: int = typer.Option(4, "--base", help="Base size (interviews)."),
               run: int = typer.Option(2, "--run", help="Run length (interviews)."),
               threshold: float = typer.Option(0.05, "--threshold", help="New-information threshold (0.05 = 5%)."),
               n_boot: int = typer.Option(1000, "--bootstrap", help="Random orders for the bootstrap."),
               seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
               project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Code accumulation in interview order and saturation (Guest, Namey & Chen 2020)."""
    from thematic.views.themes_view import table_records

    with _errors():
        rep = _project(project).saturation(base_size=base, run_length=run, threshold=threshold,
                                           n_boot=n_boot, random_state=seed)
    boot = rep.bootstrap
    data = {"point": rep.point, "order": rep.order, "accumulation": table_records(rep.accumulation),
            "runs": table_records(rep.runs), "bootstrap": table_records(boot.summary())[0]}

    def text() -> None:
        typer.echo(rep.accumulation.drop(columns="new_code_ids").to_string(index=False))
        reached = f"at {rep.point} interviews" if rep.point is not None else "not reached"
        typer.echo(f"saturation {reached} (base {base}, run {run}, <= {threshold:.0%} new information)")
        typer.echo(f"bootstrap over {n_boot} orders: median {boot.median:g}, IQR {boot.q25:g}-{boot.q75:g}, "
                   f"reached in {boot.share_saturated:.0%}")
    _emit(data, as_json, text)


@app.command()
def agreement(coders: str = typer.Option(..., "--coders", help="Two coders, comma-separated (a person, or an engine: rule, semantic)."),
              unit: str = typer.Option("sentence", "--unit", help="sentence, turn or document."),
              n_boot: int = typer.Option(1000, "--bootstrap", help="Bootstrap draws for the intervals."),
              seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
              show_disagreements: bool = typer.Option(False, "--disagreements", help="Also list each disagreement."),
              project: Path | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Inter-coder agreement per code and pooled: kappa, AC1, alpha, with confidence intervals."""
    from thematic.views.themes_view import table_records

    with _errors():
        rep = _project(project).agreement(_split(coders), unit=unit, n_boot=n_boot, random_state=seed)
    data = {"coders": list(rep.coders), "unit": rep.unit, "table": table_records(rep.table),
            "disagreements": table_records(rep.disagreements)}
    columns = ["code", "double_coded", "both", "a_only", "b_only", "percent_agreement",
               "positive_agreement", "cohen_kappa", "cohen_kappa_low", "cohen_kappa_high",
               "gwet_ac1", "krippendorff_alpha"]

    def text() -> None:
        pooled = rep.table.iloc[-1]
        typer.echo(f"{rep.coders[0]} vs {rep.coders[1]} by {rep.unit}: {pooled['double_coded']} of "
                   f"{pooled['units']} units double-coded ({pooled['double_coded_share']:.0%})")
        typer.echo(rep.table[columns].round(3).to_string(index=False))
        if show_disagreements:
            typer.echo(rep.disagreements[["unit", "code", "value_a", "value_b", "text"]].to_string(index=False))
    _emit(data, as_json, text)


def main() -> None:
    """Entry point of the ``thematic`` command."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()


if __name__ == "__main__":
    main()
