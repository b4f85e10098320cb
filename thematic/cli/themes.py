"""Themes: ``thematic theme add|edit|remove|quote|summary`` and ``thematic themes``."""

from __future__ import annotations

from typing import Any

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
    records,
    split,
)
from thematic.errors import ParameterError

theme_app = typer.Typer(help="Build themes from codes: add, edit, remove, quotes, summaries.",
                        no_args_is_help=True)
app.add_typer(theme_app, name="theme")


def tree_lines(tree: Any) -> list[str]:
    """:func:`thematic.analysis.theme_tree` as indented lines; "no codings yet" when empty."""
    lines = []
    for row in tree.itertuples():
        counts = ("no codings yet" if row.empty else
                  f"{row.participants} participants ({row.participants_pct:.0f}%), "
                  f"{row.documents} documents, {row.codings} codings")
        lines.append(f"{'  ' * row.depth}{row.theme}: {counts} [{', '.join(row.codes) or 'no codes'}]")
    return lines


@theme_app.command("add")
def theme_add(name: str = typer.Argument(..., help="The theme's name."),
              codes: str = typer.Option("", "--codes", help="Its codes, comma-separated (code ids)."),
              parent: str | None = typer.Option(None, "--parent", help="Make it a subtheme of THEME."),
              definition: str = typer.Option("", "--definition", help="Central organising concept; what is in and out."),
              project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Add a theme (or a subtheme) grouping codes."""
    with errors():
        open_project(project).themes.add(name, codes=split(codes), parent=parent,
                                        definition=definition, actor=acting(coder))
    typer.echo(f"theme {name!r} added" + (f" under {parent!r}" if parent else ""))


@theme_app.command("edit")
def theme_edit(name: str = typer.Argument(..., help="The theme to change."),
               rename: str | None = typer.Option(None, "--name", help="A new name."),
               parent: str | None = typer.Option(None, "--parent", help="A new parent theme."),
               top: bool = typer.Option(False, "--top", help="Move it to the top level."),
               definition: str | None = typer.Option(None, "--definition", help="A new definition."),
               position: int | None = typer.Option(None, "--position", min=0, help="Its order among its siblings."),
               codes: str | None = typer.Option(None, "--codes", help="Replace its codes (comma-separated)."),
               add_codes: str = typer.Option("", "--add-codes", help="Codes to add."),
               remove_codes: str = typer.Option("", "--remove-codes", help="Codes to remove."),
               project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Rename, move, redefine, reorder or recode a theme."""
    changes: dict[str, Any] = {"new_name": rename, "definition": definition, "position": position,
                               "codes": None if codes is None else split(codes),
                               "add_codes": split(add_codes), "remove_codes": split(remove_codes)}
    if top or parent is not None:
        changes["parent"] = None if top else parent
    with errors():
        open_project(project).themes.edit(name, actor=acting(coder), **changes)
    typer.echo(f"theme {rename or name!r} changed")


@theme_app.command("remove")
def theme_remove(name: str = typer.Argument(..., help="The theme to remove (with its subthemes)."),
                 project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Remove a theme and its subthemes (codes and codings stay; undo brings it back)."""
    with errors():
        removed = open_project(project).themes.remove(name, actor=acting(coder))
    typer.echo(f"removed: {', '.join(removed)}")


@theme_app.command("quote")
def theme_quote(name: str = typer.Argument(..., help="The theme."),
                coding_id: int = typer.Argument(..., metavar="CODING", min=1,
                                                help="An accepted coding of one of its codes."),
                remove: bool = typer.Option(False, "--remove", help="Remove the quote instead."),
                project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Choose (or, with --remove, drop) an exemplar quote of a theme."""
    with errors():
        proj = open_project(project)
        change = proj.themes.remove_quote if remove else proj.themes.add_quote
        done = change(name, coding_id, actor=acting(coder))
    if done:
        typer.echo(f"quote {coding_id} {'removed from' if remove else 'added to'} {name!r}")
    else:
        typer.echo(f"nothing to do: coding {coding_id} {'was not' if remove else 'is already'} "
                   f"a quote of {name!r}")


@theme_app.command("summary")
def theme_summary(participant: str = typer.Argument(..., help="Participant id."),
                  target: str = typer.Argument(..., metavar="THEME", help="The theme (or the code with --code)."),
                  text: str = typer.Argument(..., help="The analyst's summary of the cell."),
                  is_code: bool = typer.Option(False, "--code", help="THEME is a code id, not a theme."),
                  quotes: str = typer.Option("", "--quotes", help="Coding ids it rests on, comma-separated."),
                  project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Write the framework-matrix summary of one participant x theme (or code) cell."""
    with errors():
        ids = split(quotes)
        if not all(q.isdigit() for q in ids):
            raise ParameterError(f"--quotes must be coding ids separated by commas. Got {quotes!r} instead.")
        open_project(project).themes.set_summary(
            participant, text, theme=None if is_code else target, code=target if is_code else None,
            quote_ids=[int(q) for q in ids], actor=acting(coder))
    typer.echo(f"summary of {participant} x {target} saved")


@app.command("themes")
def themes_cmd(project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The themes as a tree, with their codes and counts (participants, documents, codings)."""
    from thematic.analysis import theme_tree
    with errors():
        proj = open_project(project)
        tree = theme_tree(proj.themes.frame(), proj.themes.codes(), proj.analysis.frequencies(rows="theme"))
    emit(records(tree), as_json,
         lambda: typer.echo("\n".join(tree_lines(tree)) if len(tree) else "no themes yet"))
