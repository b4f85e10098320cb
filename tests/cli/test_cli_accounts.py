"""``thematic user ...``: accounts from the command line; a password is never printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli import app

runner = CliRunner()
SECRET = "S3cret-horse-battery"


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def files(tmp_path: Path, cheap_hashing: None) -> tuple[str, str]:
    project = str(tmp_path / "p.thematic")
    run("init", project)
    secret = tmp_path / "pw.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return project, str(secret)


def test_user_commands_manage_accounts_and_never_print_a_password(files: tuple[str, str]) -> None:
    project, secret = files
    out = run("user", "add", "alice", "--role", "owner", "--password-file", secret, "-p", project)
    assert out == "account alice added (owner)\n"
    out += run("user", "add", "bob", "--role", "coder", "--password-file", secret, "-p", project,
               "--coder", "alice")
    out += run("user", "role", "bob", "viewer", "-p", project, "--coder", "alice")
    out += run("user", "passwd", "bob", "--password-file", secret, "-p", project, "--coder", "bob")
    listed = run("user", "list", "-p", project)
    assert [line.split()[:2] for line in listed.splitlines()] == [["alice", "owner"], ["bob", "viewer"]]
    out += listed + run("user", "list", "-p", project, "--json") + run("history", "-p", project)
    out += run("user", "remove", "bob", "-p", project, "--coder", "alice")
    assert SECRET not in out and "argon2" not in out
    assert "bob: coder -> viewer" in out and "account bob removed" in out


def test_user_command_errors_are_one_line(files: tuple[str, str], tmp_path: Path) -> None:
    project, secret = files
    out = run("user", "add", "bob", "--role", "coder", "--password-file", secret, "-p", project, code=1)
    assert out.strip() == ("error: the first account must be an owner. Got role 'coder' instead. "
                           "Add an owner first: `thematic user add NAME --role owner`.")
    run("user", "add", "alice", "--role", "owner", "--password-file", secret, "-p", project)
    out = run("user", "add", "<b>x</b>", "--role", "coder", "--password-file", secret, "-p",
              project, "--coder", "alice", code=1)
    assert out.startswith("error: an account name must be") and out.count("\n") == 1
    out = run("user", "add", "bob", "--role", "coder", "-p", project, "--coder", "alice", code=1)
    assert "no password given. Pass --password-file FILE" in out
    out = run("user", "add", "bob", "--role", "coder", "--password-file",
              str(tmp_path / "missing.txt"), "-p", project, "--coder", "alice", code=1)
    assert "missing.txt: cannot read the password file (FileNotFoundError)" in out
    out = run("user", "add", "bob", "--role", "admin", "--password-file", secret, "-p", project,
              code=2)
    assert "must be one of viewer, coder, owner" in out
    out = run("user", "remove", "alice", "-p", project, "--coder", "alice", code=1)
    assert "last owner cannot be removed" in out
    assert SECRET not in out


def test_history_by_person_review_mode_and_consensus(files: tuple[str, str], tmp_path: Path) -> None:
    project, secret = files
    doc = tmp_path / "P01.txt"
    doc.write_text("Interviewer: How was it?\n\nP01: I felt heard there.\n", encoding="utf-8")
    run("ingest", str(doc), "-p", project)
    codebook = tmp_path / "cb.yaml"
    codebook.write_text("codebook:\n  name: cb\ncodes:\n  - id: heard\n    name: Heard\n", encoding="utf-8")
    run("codebook", "import", str(codebook), "-p", project)
    run("user", "add", "alice", "--role", "owner", "--password-file", secret, "-p", project)
    run("user", "add", "bob", "--role", "coder", "--password-file", secret, "-p", project,
        "--coder", "alice")
    out = run("set", "--review-mode", "independent", "-p", project, "--coder", "bob", code=1)
    assert "bob is a coder: a coder cannot change the codebook, themes, settings" in out
    assert run("set", "--review-mode", "independent", "-p", project, "--coder", "alice") == \
        "unit of coding: sentence; review: independent\n"
    assert run("code-span", "P01", "heard", "--quote", "I felt heard there.", "-p", project,
               "--coder", "Bob") == "coding 1 added\n"
    out = run("consensus", "accept", "--id", "1", "-p", project, "--coder", "bob", code=1)
    assert "a coder cannot change" in out
    assert run("consensus", "accept", "--id", "1", "-p", project, "--coder", "alice") == \
        "consensus accepted: 1 codings\n"
    lines = run("history", "--by", "BOB", "-p", project).splitlines()
    assert len(lines) == 2 and lines[1].split()[2:4] == ["bob", "code"]
