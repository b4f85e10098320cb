"""``thematic search``, ``thematic query`` and ``thematic sets ...``: find, keep and code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from thematic.project import Project

EXTENTS = ("segment", "hit", "turn")
WhereOpt = typer.Option(None, "--where", "-w",
                        help="Only segments meeting a condition on a participant attribute or "
                             "the speaker: role=newcomer, years_in_recovery>=2, "
                             "speaker_role=participant. Repeat for several (all must hold).")
SaveOpt = typer.Option(None, "--save", help="Keep the result as a set with this name.")
ReplaceOpt = typer.Option(False, "--replace", help="With --save: replace a set of that name.")
CodeOpt = typer.Option(None, "--code", help="Code every result with this code (needs --coder).")
ExtentOpt = typer.Option("segment", "--extent", **choice(EXTENTS),
                         help="What --code codes: the segment, only the words found, or the turn.")
LimitOpt = typer.Option(50, "--limit", help="Show at most this many results (0: all).")

sets_app = typer.Typer(help="Saved searches and queries: list, show, code, export, remove.",
                       no_args_is_help=True)
app.add_typer(sets_app, name="sets")


@app.command()
def search(
    text: str = typer.Argument(..., help='Words, a "phrase", word* (prefix), -word (not), '
                                         "a OR b."),
    exact: bool = typer.Option(False, "--exact", help="Only the words as typed (default: every "
                                                      "form of the word: waited finds waiting)."),
    where: list[str] | None = WhereOpt,
    unit: str | None = typer.Option(None, "--unit", **choice(("sentence", "turn")),
                                    help="Search sentences or whole turns (default: the "
                                         "project's unit)."),
    save: str | None = SaveOpt, replace: bool = ReplaceOpt, code: str | None = CodeOpt,
    extent: str = ExtentOpt, limit: int = LimitOpt, project: str | None = ProjectOpt,
    coder: str | None = CoderOpt, as_json: bool = JsonOpt,
) -> None:
    """Full-text search across the documents; show, keep (--save) or code (--code) the hits."""
    with errors():
        opened = open_project(project)
        found = opened.queries.search(text, match="exact" if exact else "lemma", where=where,
                                      unit=unit)
        notes = _keep(opened, found, "search", text, save, replace, code, extent, coder,
                      {"match": "exact" if exact else "lemma", "where": list(where or []),
                       "unit": unit})
    _show(found, as_json, limit, notes, marks=True)


@app.command()
def query(
    text: str = typer.Argument(..., help="Codes joined by AND, NOT, OR, NEAR/N; (grouping); "
                                         'a code by id or "its name".'),
    where: list[str] | None = WhereOpt,
    suggested: bool = typer.Option(False, "--suggested", help="Count suggestions too (default: "
                                                              "accepted codings only)."),
    no_subcodes: bool = typer.Option(False, "--no-subcodes", help="A code stands only for "
                                                                  "itself, not its sub-codes."),
    save: str | None = SaveOpt, replace: bool = ReplaceOpt, code: str | None = CodeOpt,
    extent: str = typer.Option("segment", "--extent", **choice(("segment", "turn")),
                               help="What --code codes: the segment or its turn."),
    limit: int = LimitOpt, project: str | None = ProjectOpt, coder: str | None = CoderOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Coding query: segments coded A AND B, A NOT B, A OR B, A NEAR/N B (N segments)."""
    statuses = ("accepted", "suggested") if suggested else ("accepted",)
    with errors():
        opened = open_project(project)
        found = opened.queries.query(text, where=where, statuses=statuses,
                                     subcodes=not no_subcodes)
        notes = _keep(opened, found, "query", text, save, replace, code, extent, coder,
                      {"where": list(where or []), "statuses": list(statuses),
                       "subcodes": not no_subcodes})
    _show(found, as_json, limit, notes, marks=False)


def _keep(project: Project, found: pd.DataFrame, kind: str, text: str, save: str | None,
          replace: bool, code: str | None, extent: str, coder: str | None,
          options: dict[str, Any]) -> list[str]:
    notes = []
    if save:
        project.queries.save(save, found, kind=kind, query=text, replace=replace,
                             actor=need_coder(coder, "saving a set"), options=options)
        notes.append(f"saved {len(found)} results as set '{save}'")
    if code:
        added = project.queries.code_found(found, code, actor=need_coder(coder, "coding"),
                                           extent=extent)
        notes.append(f"coded {added} {extent}s as {code} ({len(found) - added} already were)"
                     if extent != "hit" else f"coded {added} passages as {code}")
    return notes


def _show(found: pd.DataFrame, as_json: bool, limit: int, notes: list[str], *,
          marks: bool) -> None:
    columns = [c for c in ("document", "participant", "speaker", "start", "end", "text",
                           "matched", "hits", "codes") if c in found.columns]
    records = found[columns].to_dict("records")

    def text() -> None:
        shown = records if limit <= 0 else records[:limit]
        for row in shown:
            body = " ".join((_marked(row) if marks else str(row["text"])).split())
            who = row.get("speaker") or row.get("participant") or ""
            typer.echo(f"{row['document']} [{row['start']}-{row['end']}] {who}: {body}")
        more = len(records) - len(shown)
        typer.echo(f"{len(records)} results" + (f" ({more} more: --limit 0 shows all)"
                                                if more else ""))
        for note in notes:
            typer.echo(note)

    emit({"results": records, "notes": notes}, as_json, text)


def _marked(row: dict[str, Any]) -> str:
    """The segment's text with each hit between » and «."""
    text, start = str(row["text"]), int(row["start"])
    out, at = [], 0
    for a, b in sorted(row.get("hits") or []):
        a, b = a - start, b - start
        if a < at:
            continue
        out += [text[at:a], "»", text[a:b], "«"]
        at = b
    return "".join([*out, text[at:]])


@sets_app.command("list")
def sets_list(project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The saved sets: name, kind, query, how many spans, who saved it and when."""
    with errors():
        frame = open_project(project).queries.sets()
    emit(frame.to_dict("records"), as_json,
         lambda: typer.echo(frame.drop(columns=["set_id"]).to_string(index=False)
                            if not frame.empty else "no saved sets yet"))


@sets_app.command("show")
def sets_show(name: str = typer.Argument(..., help="The set's name."),
              project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The spans of a saved set with their text."""
    with errors():
        frame = open_project(project).queries.items(name)
    emit(frame.to_dict("records"), as_json, lambda: typer.echo(
        "\n".join(f"{r.document} [{r.start}-{r.end}] {r.speaker or ''}: {' '.join(r.text.split())}"
                  for r in frame.itertuples()) or "the set is empty"))


@sets_app.command("code")
def sets_code(name: str = typer.Argument(..., help="The set's name."),
              code: str = typer.Argument(..., help="The code to apply."), extent: str = ExtentOpt,
              project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Code every span of a saved set (spans already coded with it are left alone)."""
    with errors():
        added = open_project(project).queries.code_set(name, code, extent=extent,
                                                       actor=need_coder(coder, "coding"))
    typer.echo(f"coded {added} spans of '{name}' as {code}")


@sets_app.command("export")
def sets_export(name: str = typer.Argument(..., help="The set's name."),
                target: Path = typer.Argument(..., help="A .csv or .xlsx file."),
                project: str | None = ProjectOpt) -> None:
    """Write a saved set as a table: document, participant, speaker, offsets, text, matches."""
    with errors():
        rows = open_project(project).queries.export_set(name, target)
    typer.echo(f"wrote {rows} rows to {target}")


@sets_app.command("remove")
def sets_remove(name: str = typer.Argument(..., help="The set's name."),
                project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Delete a saved set (thematic undo brings it back)."""
    with errors():
        open_project(project).queries.remove_set(name, actor=need_coder(coder, "removing a set"))
    typer.echo(f"removed the set '{name}'")
