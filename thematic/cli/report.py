"""``thematic export KIND FILE`` (the outputs for papers), ``thematic report OUTDIR`` and
``thematic pseudonym add|remove|list``: thin over ``project.exports.write``, ``project.exports.report`` and the
project's pseudonym list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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
from thematic.export.registry import EXPORT_KINDS as REGISTERED
from thematic.models import UNITS

pseudonym_app = typer.Typer(help="The project's pseudonym list (names and places replaced in exports).",
                            no_args_is_help=True)
app.add_typer(pseudonym_app, name="pseudonym")


# ---------------------------------------------------------------------------- exports for papers
#: The kinds ``thematic export KIND FILE`` writes with the options of a paper's outputs (the
#: data tables and the .qdpx project have commands of their own).
EXPORT_KINDS = {k.name: f"{k.help} ({' '.join('.' + f for f in k.formats)})" for k in REGISTERED
                if k.name not in ("segments", "codings", "topics", "qdpx")}


def _export_command(kind: str) -> Callable[..., None]:
    def command(
        output: Path = typer.Argument(..., help="File to write (the suffix chooses the format); "
                                                "a folder for transcripts."),
        fmt: str | None = typer.Option(None, "--format", help="Format, when the suffix does not say."),
        pseudonymise: bool = typer.Option(True, "--pseudonymise/--verbatim",
                                          help="Replace names in quotes and transcripts (default)."),
        ner: bool = typer.Option(True, "--ner/--no-ner",
                                 help="Also replace names an installed spaCy NER pipeline finds."),
        quotes: int = typer.Option(2, min=0, max=3, help="Quotes per theme (0-3)."),
        attribute: list[str] = typer.Option([], "--attribute", "-a",
                                            help="Participant attribute after each quote (repeat)."),
        by: str = typer.Option("participant", help="matrix: participant, theme or an attribute."),
        coders: str | None = typer.Option(None, help="agreement: two coders, 'A,B'."),
        unit: str | None = typer.Option(None, **choice(UNITS), help="Unit for agreement/co-occurrence: sentence or turn."),
        seed: int = typer.Option(0, min=0, help="Seed of the bootstrap (saturation, agreement)."),
        project: str | None = ProjectOpt,
        coder: str | None = CoderOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        options: dict[str, Any] = {"pseudonymise": pseudonymise, "ner": "auto" if ner else None,
                                   "quotes": quotes, "by": by, "random_state": seed,
                                   "account": coder}
        if attribute:
            options["attributes"] = attribute
        if coders:
            options["coders"] = [c.strip() for c in coders.split(",") if c.strip()]
        if unit:
            options["unit"] = unit
        with errors():
            done = open_project(project).exports.write(kind, output, fmt=fmt, **options)

        def text() -> None:
            state = "pseudonymised" if done.get("pseudonymised") else "verbatim"
            typer.echo(f"wrote {kind} ({done['format']}, {state}) to {output}")
            for note in done.get("notes", []):
                typer.echo(f"note: {note}")
        emit(done, as_json, text)
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
    quotes: int = typer.Option(2, min=0, max=3, help="Quotes per theme (0-3)."),
    attribute: list[str] = typer.Option([], "--attribute", "-a", help="Attribute after each quote (repeat)."),
    coders: str | None = typer.Option(None, help="Two coders to compare, 'A,B' (default: the two hand coders)."),
    unit: str | None = typer.Option(None, **choice(UNITS), help="Unit for agreement/co-occurrence."),
    seed: int = typer.Option(0, min=0, help="Seed of the bootstraps."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Write every output for a paper into OUTDIR: theme table, matrices, framework,
    co-occurrence, agreement, codebook, saturation, methods, plots, de-identified transcripts."""
    options: dict[str, Any] = {"pseudonymise": pseudonymise, "ner": "auto" if ner else None,
                               "quotes": quotes, "random_state": seed, "account": coder}
    if attribute:
        options["attributes"] = attribute
    if coders:
        options["coders"] = [c.strip() for c in coders.split(",") if c.strip()]
    if unit:
        options["unit"] = unit
    with errors(), progress_bar() as progress:
        files, notes = open_project(project).exports.report(outdir, progress=progress, **options)
    data = {"files": [{"kind": f.kind, "path": str(f.path), "what": f.description} for f in files],
            "notes": notes}

    def text() -> None:
        typer.echo(f"wrote {len(files)} outputs to {outdir}")
        for f in files:
            typer.echo(f"  {f.path.name}: {f.description}")
        for note in notes:
            typer.echo(f"note: {note}")
    emit(data, as_json, text)


@pseudonym_app.command("add")
def pseudonym_add(
    original: str = typer.Argument(..., help="The name or place as it appears in transcripts."),
    replacement: str = typer.Argument(..., help="What exports print instead, e.g. '[a friend]'."),
    kind: str = typer.Option("name", help="name, place, organisation or other."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Add (or change) an entry of the project's pseudonym list."""
    with errors():
        added = open_project(project).exports.set_pseudonym(original, replacement, kind=kind, actor=acting(coder))
    typer.echo(f"{'added' if added else 'changed'}: {original} -> {replacement}")


@pseudonym_app.command("remove")
def pseudonym_remove(original: str = typer.Argument(..., help="The entry to remove."),
                     project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Remove an entry of the project's pseudonym list."""
    with errors():
        open_project(project).exports.remove_pseudonym(original, actor=acting(coder))
    typer.echo(f"removed: {original}")


@pseudonym_app.command("list")
def pseudonym_list(project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The project's pseudonym list (participants' names map to their ids without an entry)."""
    with errors():
        frame = open_project(project).exports.pseudonyms()
    rows = frame.to_dict("records")

    def text() -> None:
        if not rows:
            typer.echo("no pseudonyms yet (participants' names are replaced by their ids)")
        for r in rows:
            typer.echo(f"{r['original']} -> {r['replacement']} ({r['kind']})")
    emit(rows, as_json, text)


@pseudonym_app.command("candidates")
def pseudonym_candidates(
    show_all: bool = typer.Option(False, "--all", help="Also list participants' names, speaker "
                                  "labels and names already listed."),
    ner: bool = typer.Option(True, "--ner/--no-ner", help="Use an installed spaCy NER pipeline too."),
    limit: int = typer.Option(50, min=1, help="Show at most this many."),
    project: str | None = ProjectOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Capitalised words that may be people or places (not sentence-initial, not English words),
    with their contexts, to confirm into the pseudonym list."""
    with errors():
        frame = open_project(project).exports.name_candidates(ner="auto" if ner else None,
                                                              include_known=show_all)
    rows = frame.head(limit).to_dict("records")

    def text() -> None:
        if not rows:
            typer.echo("no candidate names: every capitalised word is listed or an English word")
        for r in rows:
            typer.echo(f"{r['candidate']} ({r['status']}, {r['kind']}?, {r['count']}x in "
                       f"{r['documents']} documents)")
            for context in r["contexts"]:
                typer.echo(f"    ...{context}...")
        if len(frame) > limit:
            typer.echo(f"... and {len(frame) - limit} more (--limit)")
        typer.echo(f"note: {frame.attrs.get('ner', '')}")
        typer.echo("confirm with: thematic pseudonym confirm NAME [NAME...] [--kind place]")
    emit({"candidates": rows, "total": len(frame), "ner": frame.attrs.get("ner")}, as_json, text)


@pseudonym_app.command("confirm")
def pseudonym_confirm(
    names: list[str] = typer.Argument(..., help="Candidate names to add to the list."),
    kind: str = typer.Option("name", help="name, place, organisation or other."),
    replacement: str | None = typer.Option(None, help="What exports print instead "
                                           "(default: [name], [place], [organisation])."),
    project: str | None = ProjectOpt,
    coder: str | None = CoderOpt,
) -> None:
    """Add candidate names to the pseudonym list in one step (undo takes it back)."""
    with errors():
        added = open_project(project).exports.confirm_names(names, kind=kind,
                                                            replacement=replacement,
                                                            actor=acting(coder))
    typer.echo(f"added {added} of {len(names)} to the pseudonym list")
