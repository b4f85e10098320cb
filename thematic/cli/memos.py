"""Memos and recordings: ``thematic memo``, ``thematic memos``, ``thematic attach``."""

from __future__ import annotations

from pathlib import Path

import typer

from thematic.cli.common import (
    CoderOpt,
    JsonOpt,
    ProjectOpt,
    app,
    choice,
    emit,
    errors,
    need_coder,
    open_project,
)
from thematic.models import MEMO_TARGETS


@app.command()
def memo(
    text: str = typer.Argument(..., help="The memo's text."),
    on: str = typer.Option("project", "--on", **choice(MEMO_TARGETS), help="What the memo is about."),
    target_id: str | None = typer.Option(None, "--id", help="The document, code, theme or coding it is about."),
    title: str = typer.Option("", help="A title."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Write a memo on the project, a document, a code, a theme or a coding."""
    with errors():
        memo_id = open_project(project).memos.add(text, actor=need_coder(coder, "a memo"), target=on,
                                                 target_id=target_id, title=title)
    typer.echo(f"memo {memo_id} added")


@app.command()
def memos(
    on: str | None = typer.Option(None, "--on", **choice(MEMO_TARGETS), help="Only memos about this kind of thing."),
    target_id: str | None = typer.Option(None, "--id", help="Only memos about this document, code, theme or coding."),
    project: str | None = ProjectOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List memos."""
    with errors():
        frame = open_project(project).memos.frame(on, target_id)
    emit(frame.to_dict("records"), as_json,
         lambda: typer.echo(frame[["memo_id", "target_type", "target_id", "author", "title", "body"]]
                            .to_string(index=False) if not frame.empty else "no memos yet"))


@app.command()
def attach(
    document: str = typer.Argument(..., help="Document name or id."),
    media: Path = typer.Argument(..., help="Audio or video recording of the interview."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Attach a recording to a document: the app plays each timestamped turn from its moment."""
    with errors():
        attachment = open_project(project).memos.attach(document, media, actor=need_coder(coder, "attaching"))
    typer.echo(f"recording attached to {document} (attachment {attachment})")
