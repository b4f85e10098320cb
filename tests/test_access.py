"""Roles and permissions: every kind of change the library makes has an entry in the table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from thematic import access

ROOT = Path(__file__).resolve().parents[1]


def unit_actions(root: Path) -> set[str]:
    """The literal ``action`` of every ``<store>.unit(actor, "action")`` call under ``root``."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "unit" and len(node.args) == 2):
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                elif isinstance(arg, ast.IfExp):
                    found |= {a.value for a in (arg.body, arg.orelse) if isinstance(a, ast.Constant)}
    return found


def action_arguments(root: Path) -> set[str]:
    """Literal ``action="..."`` keywords (actions handed down to a unit of work)."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "action" and \
                    isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found.add(node.value.value)
    return found


@pytest.mark.slow
def test_every_action_of_the_library_has_a_permission() -> None:
    actions = unit_actions(ROOT / "thematic") | {"accept", "reject", "suggest"}  # review.decide
    actions |= action_arguments(ROOT / "thematic")
    assert len(actions) > 30
    assert sorted(actions - set(access.ACTION_PERMISSIONS)) == []


def test_roles_are_nested_and_unknown_actions_need_an_owner() -> None:
    viewer, coder, owner = (access.ROLE_PERMISSIONS[r] for r in access.ROLES)
    assert viewer < coder < owner
    assert access.permission_for("something new") == access.MANAGE
    assert not access.allows("coder", access.MANAGE) and access.allows("owner", access.MANAGE)
    assert not access.allows(None, access.READ) and not access.allows("admin", access.READ)
    assert access.lowest_role(access.CODE) == "coder" and access.a_role("owner") == "an owner"
