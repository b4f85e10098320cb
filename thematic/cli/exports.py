"""``thematic export ...``: tables of the project's segments and codings."""

from __future__ import annotations

from pathlib import Path

import typer

from thematic.cli.common import (
    CoderOpt,
    ProjectOpt,
    app,
    choice,
    errors,
    open_project,
)
from thematic.models import STATUSES, UNITS

export_app = typer.Typer(help="Export tables, reports and projects (the format from the file suffix).",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")

@export_app.command("segments")
def export_segments(
    output: Path = typer.Argument(..., help="File to write (.csv or .xlsx)."),
    unit: str | None = typer.Option(None, **choice(UNITS),
                                    help="sentence or turn (default: the project's unit)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Segments with document, participant, speaker, role, attributes, times and text."""
    with errors():
        n = open_project(project).exports.write("segments", output, unit=unit, account=coder)["rows"]
    typer.echo(f"wrote {n} segments to {output}")


@export_app.command("codings")
def export_codings(
    output: Path = typer.Argument(..., help="File to write (.csv or .xlsx)."),
    status_: str | None = typer.Option(None, "--status", **choice(STATUSES),
                                       help="Only suggested, accepted or rejected."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Codings with participant attributes, code path per level, context, provenance."""
    with errors():
        n = open_project(project).exports.write("codings", output, status=status_, account=coder)["rows"]
    typer.echo(f"wrote {n} codings to {output}")
