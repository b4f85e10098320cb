"""Accounts: ``thematic user add|list|remove|passwd|role``.

A password comes from ``--password-file`` (its first line) or a hidden prompt; it is never an
option's value (which would sit in the shell's history and the process list) and never
printed. Once a project has accounts, ``--coder`` (or ``$THEMATIC_CODER``) names the owner
making the change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from thematic.access import ROLES
from thematic.cli.common import (
    CoderOpt,
    JsonOpt,
    ProjectOpt,
    acting,
    app,
    choice,
    emit,
    errors,
    need_coder,
    open_project,
)
from thematic.errors import ParameterError

user_app = typer.Typer(help="Accounts of a team project: who may sign in, and as what.",
                       no_args_is_help=True)
app.add_typer(user_app, name="user")

PasswordFileOpt = typer.Option(None, "--password-file",
                               help="A file whose first line is the password (else a prompt).")


def _password(path: Path | None) -> str:
    """The password from ``path``, or asked twice without echo on a terminal."""
    from thematic.services.accounts import read_password_file

    if path is not None:
        return read_password_file(path)
    if not sys.stdin.isatty():
        raise ParameterError("no password given", hint="Pass --password-file FILE (its first "
                             "line is the password), or run this in a terminal to be asked.")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(name: str = typer.Argument(..., help="The account's name (letters, digits, . _ @ + -)."),
             role: str = typer.Option(..., "--role", **choice(ROLES),
                                      help="owner (everything), coder (codes and decides), viewer (reads)."),
             password_file: Path | None = PasswordFileOpt,
             project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Add an account (the first one must be an owner; after that, an owner adds them)."""
    with errors():
        proj = open_project(project)
        account = proj.accounts.add(name, role, _password(password_file), actor=acting(coder))
    typer.echo(f"account {account.name} added ({account.role})")


@user_app.command("list")
def user_list(project: str | None = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The accounts and their roles."""
    with errors():
        found = open_project(project).accounts.list()
    rows = [{"name": a.name, "role": a.role, "created_at": a.created_at.isoformat(timespec="seconds"),
             "changed_at": a.changed_at.isoformat(timespec="seconds")} for a in found]

    def text() -> None:
        if not rows:
            typer.echo("no accounts: the project is single-user (`thematic user add NAME --role owner`)")
        for r in rows:
            typer.echo(f"{r['name']:<24} {r['role']:<7} since {r['created_at']}")

    emit(rows, as_json, text)


@user_app.command("remove")
def user_remove(name: str = typer.Argument(..., help="The account to remove."),
                project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Remove an account: its sessions end at once; what it did stays, under its name."""
    with errors():
        open_project(project).accounts.remove(name, actor=need_coder(coder, "removing an account"))
    typer.echo(f"account {name} removed")


@user_app.command("passwd")
def user_passwd(name: str = typer.Argument(..., help="The account whose password changes."),
                password_file: Path | None = PasswordFileOpt,
                project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Change a password (your own, or anyone's as an owner); the account's sessions end."""
    with errors():
        proj = open_project(project)
        proj.accounts.set_password(name, _password(password_file),
                                   actor=need_coder(coder, "changing a password"))
    typer.echo(f"password of {name} changed; its sessions have ended")


@user_app.command("role")
def user_role(name: str = typer.Argument(..., help="The account."),
              role: str = typer.Argument(..., **choice(ROLES), help="owner, coder or viewer."),
              project: str | None = ProjectOpt, coder: str | None = CoderOpt) -> None:
    """Change an account's role; it applies to the account's next action."""
    with errors():
        old = open_project(project).accounts.set_role(name, role,
                                                      actor=need_coder(coder, "changing a role"))
    typer.echo(f"{name}: {old} -> {role}")
