"""Project commands: init, ingest, status, role, set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from thematic.cli.common import (
    DEFAULT_PROJECT,
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
from thematic.errors import ParameterError
from thematic.models import ATTRIBUTE_TYPES, REVIEW_MODES, SURVEY_LAYOUTS, UNITS

if TYPE_CHECKING:  # pragma: no cover
    from thematic.services.ingest import IngestReport


# ---------------------------------------------------------------------------- project
@app.command()
def init(
    path: str = typer.Argument(DEFAULT_PROJECT, help="Project file to create, or a database URL."),
    name: str | None = typer.Option(None, help="Project name (default: the file name)."),
    unit: str = typer.Option("sentence", **choice(UNITS), help="Unit of coding."),
    as_json: bool = JsonOpt,
) -> None:
    """Create a new project file (SQLite; or a database URL)."""
    from thematic.project import Project
    from thematic.store.database import mask_url

    where = mask_url(path)  # a URL's password is never printed
    with errors():
        project = Project.create(path, name=name, unit=unit)
        info = {"project": where, "name": project.name, "unit": unit}
        project.close()
    emit(info, as_json, lambda: typer.echo(f"created {where} (unit of coding: {unit})"))


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders or glob patterns."),
    participants: Path | None = typer.Option(None, "--participants", help="CSV/XLSX: id column + attributes."),
    interviewer: list[str] = typer.Option([], "--interviewer", help="A speaker label that is an interviewer (repeat)."),
    survey_layout: str = typer.Option("respondent", **choice(SURVEY_LAYOUTS),
                                      help="Survey files: one document per respondent or per question."),
    id_column: str | None = typer.Option(None, help="Survey files: the id column."),
    text_column: list[str] = typer.Option([], "--text-column", help="Survey files: a text column (repeat)."),
    skip_errors: bool = typer.Option(False, "--skip-errors", help="Import the good files and report the bad ones."),
    allow_unmatched: bool = typer.Option(False, "--allow-unmatched", help="Keep participants that match no speaker."),
    attribute_type: list[str] = typer.Option([], "--attribute-type", help="Override an inferred attribute type: NAME=number|date|category|text (repeat)."),
    encoding: str | None = typer.Option(None, "--encoding", help="Text files: decode with this encoding (e.g. cp1252) instead of detecting one."),
    max_mb: float | None = typer.Option(None, "--max-mb", min=0.001, help="Largest file read, in MB (default 20)."),
    max_unzipped_mb: float | None = typer.Option(None, "--max-unzipped-mb", min=0.001, help="Largest size a .docx/.odt/.xlsx may expand to, in MB (default 200)."),
    na_values: str | None = typer.Option(None, "--na-values", help="Participants and survey files: comma-separated strings that mean 'missing' (default: only empty cells; NA, N/A, null are values except in numeric columns)."),
    replace: bool = typer.Option(False, "--replace", help="A file whose name is taken replaces that document (a new version) instead of being added as a new one."),
    allow_losing_codings: bool = typer.Option(False, "--allow-losing-codings", help="Let a new version drop decided codings whose text it no longer holds (they stay listed in the history)."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Import transcripts (txt, md, docx, vtt, srt, csv, xlsx, pdf, odt) in one transaction."""
    with errors():
        types = _attribute_types(attribute_type)
        limits: dict[str, Any] = {}
        if max_mb:
            limits["max_bytes"] = int(max_mb * 2**20)
        if max_unzipped_mb:
            limits["max_unzipped_bytes"] = int(max_unzipped_mb * 2**20)
        proj = open_project(project)
        with progress_bar(not as_json) as progress:
            report = proj.documents.ingest(
                paths, participants=participants, progress=progress, participant_types=types or None,
                interviewers=interviewer or None, on_error="skip" if skip_errors else "raise",
                allow_unmatched_participants=allow_unmatched, survey_layout=survey_layout,
                id_column=id_column, text_columns=text_column or None, encoding=encoding,
                replace=replace, allow_losing_codings=allow_losing_codings, actor=acting(coder),
                na_values=tuple(v.strip() for v in na_values.split(",")) if na_values else None,
                **limits,
            )
    data = {"added": report.added, "updated": report.updated,
            "skipped": [{"file": f, "why": w} for f, w in report.skipped],
            "failed": [{"file": f, "error": e} for f, e in report.failed],
            "turns": report.turns, "words": report.words, "roles": report.roles,
            "reanchored": report.reanchored, "lost_codings": report.lost_codings,
            "renamed": [{"file": f, "taken": old, "name": new} for f, old, new in report.renamed],
            "warnings": report.warnings}
    emit(data, as_json, lambda: _print_ingest(report))
    if report.failed:
        raise typer.Exit(1)


def _attribute_types(items: list[str]) -> dict[str, str]:
    """``--attribute-type NAME=TYPE`` options as ``{name: type}``."""
    types = {}
    for item in items:
        name, sep, kind = item.partition("=")
        if not sep or not name.strip() or kind not in ATTRIBUTE_TYPES:
            raise ParameterError(f"--attribute-type must be NAME={'|'.join(ATTRIBUTE_TYPES)}. "
                                 f"Got {item!r} instead.")
        types[name.strip()] = kind
    return types


def _print_ingest(report: IngestReport) -> None:
    """An ingest report as lines: each file's fate, warnings and failures, then the summary."""
    for name in report.added:
        typer.echo(f"added    {name}")
    for name in report.updated:
        typer.echo(f"updated  {name}")
    for name, why in report.skipped:
        typer.echo(f"skipped  {name}: {why}")
    for file, old, new in report.renamed:
        typer.echo(f"renamed  {file}: '{old}' is another document; added as '{new}' "
                   "(--replace makes it a new version instead)")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for _name, error in report.failed:
        typer.echo(f"failed   {error}", err=True)
    for lost in report.lost_codings:
        typer.echo(f"lost coding {lost['coding_id']} in {lost['document']}: {lost['text'][:60]!r}")
    interviewers = sorted(s for s, r in report.roles.items() if r == "interviewer")
    if interviewers:
        typer.echo(f"interviewers: {', '.join(interviewers)} (override with `thematic role`)")
    typer.echo(report.summary())


@app.command()
def status(project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Documents, turns, participants, words, codes and codings of the project."""
    with errors():
        proj = open_project(project)
        info = proj.status()
        docs = proj.documents.frame()
        language = proj.documents.language()
    info["language"] = language.as_dict()
    info["documents_list"] = docs[["name", "format", "turns", "words", "participants"]].to_dict("records")

    def text() -> None:
        typer.echo(f"{info['documents']} documents, {info['turns']} turns, {info['sentences']} sentences, "
                   f"{info['participants']} participants, {info['words']} words")
        typer.echo(f"unit of coding: {info['unit']}; codebook: {info['codebook'] or 'none'} "
                   f"({info['codes']} codes)")
        typer.echo(f"language: {language.message}")
        c = info["codings"]
        typer.echo(f"codings: {c['suggested']} suggested, {c['accepted']} accepted, {c['rejected']} rejected")
        for row in info["documents_list"]:
            typer.echo(f"  {row['name']:<40} {row['format']:<6} {row['turns']:>5} turns {row['words']:>7} words  {row['participants']}")

    emit(info, as_json, text)


@app.command()
def role(
    speaker: str = typer.Argument(..., help="Speaker label as in the transcripts."),
    new_role: str = typer.Argument(..., metavar="ROLE", help="participant, interviewer, moderator, facilitator or observer."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Override the detected role of a speaker in every document."""
    with errors():
        n = open_project(project).documents.set_speaker_role(speaker, new_role, actor=acting(coder))
    typer.echo(f"{speaker}: {new_role} ({n} turns)")


@app.command("set")
def set_option(
    unit: str | None = typer.Option(None, **choice(UNITS), help="Unit of coding."),
    review_mode: str | None = typer.Option(
        None, "--review-mode", **choice(REVIEW_MODES),
        help="shared: one decision anyone may change; independent: each coder decides blind, "
             "an owner records the consensus."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Change project settings."""
    with errors():
        proj = open_project(project)
        if unit:
            proj.settings.set_unit(unit, actor=acting(coder))
        if review_mode:
            proj.settings.set_review_mode(review_mode, actor=acting(coder))
        settings = proj.settings.current()
    typer.echo(f"unit of coding: {settings.unit}; review: {settings.review_mode}")


@app.command()
def migrate(
    target: str = typer.Argument(..., help="Project database URL (or SQLite file) to upgrade."),
    as_json: bool = JsonOpt,
) -> None:
    """Upgrade a project database to this version's schema (required on a server database)."""
    from thematic.project import Project
    from thematic.store.database import mask_url

    with errors():
        before, after = Project.migrate(target)
    where = mask_url(target)
    emit({"project": where, "from": before, "to": after}, as_json,
         lambda: typer.echo(f"{where}: schema {before or '(new)'} -> {after}" if before != after
                            else f"{where}: schema {after} is current"))
