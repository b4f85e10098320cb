"""Every command a message names exists (as sqlite-utils tests its docs against its commands).

The mentions are collected from every string of ``thematic/`` that is not a docstring: a
quoted command (```thematic codebook show```, ``'thematic ...'``, ``with: thematic ...``) or
any ``thematic WORD`` where WORD is a command. The store and the services name none: they say
what to do with a remedy (:data:`thematic.errors.REMEDIES`) that the CLI words with its own
command.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
import typer

from thematic.cli import app
from thematic.cli.common import REMEDY_COMMANDS, one_line
from thematic.errors import REMEDIES, NotFoundError

ROOT = Path(__file__).resolve().parents[2]
MENTION = re.compile(r"(?P<quoted>[`']|: )?\bthematic (?P<words>[a-z][a-z-]*(?: [a-z][a-z-]*)?)")


@cache
def commands() -> dict[str, set[str]]:
    """Top-level command -> its subcommands (empty for a plain command)."""
    root = typer.main.get_command(app)
    return {name: set(getattr(sub, "commands", {}) or ()) for name, sub in root.commands.items()}  # type: ignore[attr-defined]


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


def mentions(root: Path) -> list[tuple[str, str]]:
    """``(file:line, "thematic words")`` for every command a message of ``root/thematic`` names."""
    found = []
    for path in sorted((root / "thematic").rglob("*.py")):
        where = path.relative_to(root).as_posix()
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            for m in MENTION.finditer(text):
                first = m["words"].split()[0]
                if m["quoted"] or first in commands():
                    found.append((f"{where}:{line}", f"thematic {m['words']}"))
    found += [(f"REMEDY_COMMANDS[{key!r}]", f"thematic {m['words']}")
              for key, text in REMEDY_COMMANDS.items() for m in MENTION.finditer(text)]
    return found


def unknown(mention: str) -> str | None:
    """Why ``thematic a b`` names no command (None when it does)."""
    words = mention.split()[1:]
    known = commands()
    if words[0] not in known:
        return f"no command {words[0]!r}"
    subs = known[words[0]]
    if subs and len(words) > 1 and words[1] not in subs:
        return f"`thematic {words[0]}` has no subcommand {words[1]!r} ({', '.join(sorted(subs))})"
    return None


MENTIONS = mentions(ROOT)


def test_the_messages_name_commands() -> None:
    assert len(MENTIONS) > 20  # the collector finds them


@pytest.mark.parametrize(("where", "mention"), MENTIONS, ids=[f"{w} {m}" for w, m in MENTIONS])
def test_every_command_a_message_names_exists(where: str, mention: str) -> None:
    assert unknown(mention) is None, f"{where}: {mention}: {unknown(mention)}"


def test_the_check_catches_a_command_that_does_not_exist() -> None:
    assert unknown("thematic codebook show") is not None
    assert unknown("thematic codings") is not None
    assert unknown("thematic codebook export") is None and unknown("thematic status") is None


@pytest.mark.parametrize("layer", ["thematic/store/", "thematic/services/", "thematic/project/",
                                   "thematic/analysis/", "thematic/export/"])
def test_the_library_below_the_shells_names_no_command(layer: str) -> None:
    """Below the shells a message says what to do in a researcher's words, or names a remedy
    each shell words with its own command or call. (Messages of ingest/, codebook/, refi/,
    search/ and suggest/ still name some commands.)"""
    offenders = [f"{where} {mention}" for where, mention in MENTIONS if where.startswith(layer)]
    assert offenders == []


def test_every_remedy_is_worded_by_the_library_and_by_the_command_line() -> None:
    assert set(REMEDY_COMMANDS) == set(REMEDIES)
    error = NotFoundError("no document 'P99' in this project", remedy="list-documents")
    assert str(error) == "no document 'P99' in this project. project.documents.frame() lists the documents."
    assert one_line(error) == "no document 'P99' in this project. `thematic status` lists the documents."
    with pytest.raises(ValueError, match="remedy must be one of"):
        NotFoundError("x", remedy="list-everything")
