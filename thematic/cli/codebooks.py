"""``thematic codebook ...``: validate, import, export and compare codebooks."""

from __future__ import annotations

from pathlib import Path

import typer

from thematic.cli.common import (
    CoderOpt,
    JsonOpt,
    ProjectOpt,
    acting,
    app,
    emit,
    errors,
    open_project,
)

codebook_app = typer.Typer(help="Validate, import, export and compare codebooks.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")

@codebook_app.command("validate")
def codebook_validate(path: Path = typer.Argument(..., help="Codebook file (.yaml, .csv, .qdc)."),
                      as_json: bool = JsonOpt) -> None:
    """Check a codebook file; print every problem with its location."""
    from thematic.codebook import validate_codebook

    with errors():
        problems = validate_codebook(path)
    failed = [p for p in problems if p.severity == "error"]

    def text() -> None:
        for p in problems:
            typer.echo(f"{p.severity}: {p}")
        if not failed:
            typer.echo(f"{path}: valid")

    emit([p.__dict__ for p in problems], as_json, text)
    if failed:
        raise typer.Exit(1)


@codebook_app.command("import")
def codebook_import(path: Path = typer.Argument(..., help="Codebook file (.yaml, .csv, .qdc)."),
                    project: str | None = ProjectOpt, coder: str | None = CoderOpt,
                    as_json: bool = JsonOpt) -> None:
    """Load a codebook into the project (records its version; shows what changed)."""
    with errors():
        report = open_project(project).codebook.load(path, actor=acting(coder))

    def text() -> None:
        for w in report.warnings:
            typer.echo(f"warning: {w}")
        if report.diff is not None:
            typer.echo(report.diff.summary())
        typer.echo(report.summary())

    emit({"label": report.label, "hash": report.content_hash, "changed": report.changed,
           "sync": report.sync, "warnings": [str(w) for w in report.warnings]}, as_json, text)


@codebook_app.command("export")
def codebook_export(output: Path = typer.Argument(..., help="File to write (.yaml, .csv, .qdc)."),
                    project: str | None = ProjectOpt) -> None:
    """Write the project's codebook as YAML, CSV or REFI-QDA .qdc."""
    from thematic.codebook import save_any

    with errors():
        codebook = open_project(project).codebook.current()
        save_any(codebook, output)
    typer.echo(f"wrote {len(codebook.codes)} codes to {output}")


@codebook_app.command("diff")
def codebook_diff(old: Path = typer.Argument(..., help="Older codebook file, or 'project'."),
                  new: Path = typer.Argument(..., help="Newer codebook file."),
                  project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """What changed between two codebooks (added, removed, renamed, moved, edited codes)."""
    from thematic.codebook import diff_codebooks, load_any

    with errors():
        before = open_project(project).codebook.current() if str(old) == "project" else load_any(old)
        diff = diff_codebooks(before, load_any(new))
    emit(diff.as_dict() if hasattr(diff, "as_dict") else str(diff), as_json,
          lambda: typer.echo(diff.summary()))
