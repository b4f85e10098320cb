"""What every ``thematic`` command shares: the app, common options, errors, output.

A command parses options, makes one library call and renders the result. Library errors and
bad option values print one ``error:`` line (file, line, what to do) and exit non-zero;
nothing prints a traceback for a user's mistake.
"""

from __future__ import annotations

import getpass
import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer
import typer.core
from typer import Abort
from typer._click.exceptions import ClickException, UsageError  # typer 0.29 vendors click

from thematic.errors import ThematicError

if TYPE_CHECKING:  # pragma: no cover
    from thematic.project import Project

DEFAULT_PROJECT = "project.thematic"
ProjectOpt = typer.Option(
    None, "--project", "-p", envvar="THEMATIC_PROJECT",
    help=f"Project file or database URL (default: ./{DEFAULT_PROJECT}, or $THEMATIC_PROJECT).",
)
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")
CoderOpt = typer.Option(None, "--coder", envvar="THEMATIC_CODER", help="Your name, recorded with each decision.")


class OneLineErrors(typer.core.TyperGroup):
    """The top-level group: a bad option or argument is one ``error:`` line, exit status 2."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode,
                                windows_expand_args, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as exc:
            where = getattr(getattr(exc, "ctx", None), "command_path", None) or "thematic"
            hint = f" (see `{where} --help`)" if isinstance(exc, UsageError) else ""
            _err(f"{exc.format_message().rstrip('.')}{hint}")
            sys.exit(exc.exit_code)
        except Abort:
            _err("aborted; nothing was written by the step in progress")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(help="Qualitative coding of interview transcripts.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False, cls=OneLineErrors)


def choice(values: Sequence[str]) -> dict[str, Any]:
    """Options of ``typer.Option``/``Argument`` that accept one word of the library's
    vocabulary ``values`` (use as ``**choice(UNITS)``): anything else is a usage error."""
    allowed = tuple(values)

    def parse(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"must be one of {', '.join(allowed)}. Got {value!r} instead")
        return value

    return {"parser": parse, "metavar": "[" + "|".join(allowed) + "]"}


def _err(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


#: What to do about an error (:data:`thematic.errors.REMEDIES`), said with the command for it.
REMEDY_COMMANDS: dict[str, str] = {
    "create-project": "Create one with `thematic init PATH`.",
    "migrate": "Back the database up, then run `thematic migrate {path}`.",
    "list-codes": "`thematic codebook export FILE.yaml` lists the project's codes.",
    "list-documents": "`thematic status` lists the documents.",
    "list-codings": "`thematic export codings FILE.csv` lists the codings and their ids.",
    "list-participants": "`thematic export segments FILE.csv` lists the participants.",
    "list-topics": "`thematic topics list` shows the topics and their ids.",
    "list-changes": "`thematic history` lists the changes.",
    "list-pseudonyms": "`thematic pseudonym list` shows the pseudonym list.",
    "list-memos": "`thematic memos` lists the memos and their ids.",
    "list-accounts": "`thematic user list` lists the accounts and their roles.",
    "add-owner": "Add an owner first: `thematic user add NAME --role owner`.",
    "load-codebook": "Load one first: `thematic codebook import codebooks/FILE.yaml`.",
    "load-as-codebook": "Load it with `thematic codebook import {path}`.",
    "list-name-candidates": "See the candidates with: `thematic pseudonym candidates`.",
}


def one_line(exc: ThematicError) -> str:
    """The error as the command line says it: its remedy (if any) with the command for it."""
    if exc.remedy in REMEDY_COMMANDS:
        exc.hint = REMEDY_COMMANDS[exc.remedy].format(path=exc.path or "URL")
    return str(exc)


@contextmanager
def errors() -> Iterator[None]:
    """Library errors as one line and exit status 1."""
    try:
        yield
    except ThematicError as exc:
        _err(one_line(exc))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _err("interrupted; nothing was written by the step in progress")
        raise typer.Exit(130) from None


def open_project(target: str | None) -> Project:
    """The project at a path or database URL (passed on unchanged)."""
    from thematic.project import Project

    return Project.open(target or DEFAULT_PROJECT)


def split(value: str | None) -> list[str]:
    """Comma-separated values, stripped, empty ones left out."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    return value


def records(frame: Any, *, index: bool = False) -> list[dict[str, Any]]:
    """JSON-safe records of a DataFrame (NaN as null; with ``index``, the index as a column)."""
    data = frame.reset_index() if index else frame
    return [{str(k): _plain(v) for k, v in row.items()} for row in data.to_dict("records")]


def emit(data: Any, as_json: bool, text: Callable[[], None]) -> None:
    """Print ``data`` as JSON, or call ``text`` to print it for people."""
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    else:
        text()


def need_coder(coder: str | None, what: str = "a decision") -> str:
    """The coder's name, or a clear error saying how to give it: a decision, a hand coding
    or a memo is a person's, so the CLI does not guess it."""
    if not coder or not coder.strip():
        raise ThematicError(f"{what} needs your name",
                            hint="Pass --coder NAME or set THEMATIC_CODER.")
    return coder.strip()


def acting(coder: str | None) -> str:
    """The person making a change that is not a decision (an import, a run, a setting):
    ``--coder`` / ``$THEMATIC_CODER``, else the name of the logged-in user."""
    if coder and coder.strip():
        return coder.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a user entry)
        return need_coder(None, "this change")


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
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
