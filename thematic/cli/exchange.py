"""``thematic import FILE`` and ``thematic export qdpx FILE``: whole projects to and from other tools."""

from __future__ import annotations

import warnings
from pathlib import Path

import typer

from thematic.cli.common import (
    CoderOpt,
    JsonOpt,
    ProjectOpt,
    acting,
    app,
    choice,
    emit,
    errors,
    open_project,
    progress_bar,
)
from thematic.cli.exports import export_app
from thematic.refi import EXPORT_TARGETS


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="A .qdpx or .qde (REFI-QDA), a QualCoder .qda folder or a Taguette .sqlite3."),
    new: str | None = typer.Option(None, "--new", help="Create this project file (or a project "
                                   "in the database at this URL) and import into it."),
    skip_unplaced: bool = typer.Option(False, "--skip-unplaced",
                                       help="Import the codings that can be placed and list the others (default: fail)."),
    sources: Path | None = typer.Option(None, "--sources",
                                        help="Folder or zip holding the source files of a .qde or .qdpx "
                                             "(default: sources/ or sources.zip next to a .qde)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Import another tool's project in one transaction (into the current project, or --new)."""
    from thematic.project import Project

    with errors(), warnings.catch_warnings(record=True) as caught, \
            progress_bar(not as_json) as progress:
        warnings.simplefilter("always")
        if new is not None:
            report = Project.import_new(new, file, actor=acting(coder),
                                        allow_unplaced=skip_unplaced, progress=progress,
                                        sources=sources)
        else:
            with open_project(project) as target:
                report = target.exchange.import_project(file, actor=acting(coder),
                                                        allow_unplaced=skip_unplaced,
                                                        progress=progress, sources=sources)

    def text() -> None:
        typer.echo(f"imported {file}: {report.summary()}")
        for notice in report.notices:
            typer.echo(f"note: {notice}")
        for u in report.unplaced:
            typer.echo(f"warning: not placed: {u.line()}", err=True)
        for w in caught:
            typer.echo(f"warning: {w.message}", err=True)

    emit(report.as_dict(), as_json, text)


@export_app.command("qdpx")
def export_qdpx(
    output: Path = typer.Argument(..., help="The .qdpx file to write."),
    target: str = typer.Option("standard", "--for", **choice(EXPORT_TARGETS),
                               help="The tool that will open it (its offsets and line breaks)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """The whole project as REFI-QDA (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder or thematic."""
    with errors():
        report = open_project(project).exchange.export_qdpx(output, target=target, account=coder)
    typer.echo(f"wrote {report.summary()}")
