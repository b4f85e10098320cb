"""Write a codebook as YAML in the documented format (nested codes, block style)."""

from __future__ import annotations

from typing import Any

import yaml

from thematic.codebook.canonical import split_label
from thematic.codebook.schema import EXAMPLE_KINDS, default_rule_id
from thematic.errors import CodebookError
from thematic.models import Code, Codebook, Rule


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line: keywords, roles, token patterns."""


class _Block(str):
    """A multi-line text written as a literal block (``|``)."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


def _represent_regex(dumper: yaml.SafeDumper, data: _Regex) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="'")


class _Regex(str):
    """A regex: always single-quoted so backslashes stay literal."""


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_Block, _represent_str)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Regex, _represent_regex)


def _common_roles(codebook: Codebook) -> tuple[str, ...] | None:
    roles = {r.roles for c in codebook.codes for r in c.rules}
    if len(roles) == 1:
        only = roles.pop()
        return only if only else None
    return None


def _rule(rule: Rule, code_id: str, index: int, default_roles: tuple[str, ...] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if rule.id != default_rule_id(code_id, index):
        out["id"] = rule.id
    if rule.kind == "keywords":
        out["keywords"] = _Flow(rule.value)
    elif rule.kind == "regex":
        out["regex"] = _Regex(rule.value)
    else:
        out["pattern"] = _Flow(rule.value)
    if rule.exclude:
        out["exclude"] = True
    if rule.roles != default_roles:
        out["roles"] = _Flow(rule.roles) if rule.roles is not None else None
    if rule.weight != 1.0:
        out["weight"] = rule.weight
    return out


def _code(code: Code, codebook: Codebook, default_roles: tuple[str, ...] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": code.id, "name": code.name}
    if code.color:
        out["color"] = code.color
    for field in ("definition", "inclusion", "exclusion"):
        value = getattr(code, field)
        if value:
            out[field] = value
    examples = {k: [e.text for e in code.examples if e.kind == k] for k in EXAMPLE_KINDS}
    examples = {k: v for k, v in examples.items() if v}
    if examples:
        out["examples"] = examples
    if code.rules:
        out["rules"] = [_rule(r, code.id, i, default_roles) for i, r in enumerate(code.rules)]
    children = codebook.children(code.id)
    if children:
        out["children"] = [_code(c, codebook, default_roles) for c in children]
    return out


def codebook_to_data(codebook: Codebook) -> dict[str, Any]:
    """The YAML document of ``codebook`` as plain data (nested ``children:``)."""
    name, version = split_label(codebook)
    meta: dict[str, Any] = {"name": name}
    if version:
        meta["version"] = version
    default_roles = _common_roles(codebook)
    if default_roles:
        meta["defaults"] = {"roles": _Flow(default_roles)}
    ids = {c.id for c in codebook.codes}
    roots = [c for c in codebook.codes if c.parent_id is None or c.parent_id not in ids]
    _check_reachable(codebook, roots)
    return {"codebook": meta, "codes": [_code(c, codebook, default_roles) for c in roots]}


def _check_reachable(codebook: Codebook, roots: list[Code]) -> None:
    """Refuse to write a tree that would leave codes out (a parent cycle), never drop them."""
    seen: set[str] = set()
    stack = [c.id for c in roots]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack += [c.id for c in codebook.children(key)]
    missing = [c.id for c in codebook.codes if c.id not in seen]
    if missing:
        raise CodebookError(
            f"{len(missing)} code(s) sit in a parent cycle and cannot be written: {', '.join(missing)}",
            code_id=missing[0], hint="Move one of them to the top level (`project.codebook.move_code`).")


def dump_codebook_yaml(codebook: Codebook) -> str:
    """The codebook as YAML text that :func:`~thematic.codebook.parse_codebook` reads back.

    Parameters
    ----------
    codebook
        A valid codebook (acyclic hierarchy).

    Returns
    -------
    str
        YAML with nested ``children:``; rules shared roles go to ``codebook.defaults``.

    Examples
    --------
    >>> from thematic.models import Code, Codebook
    >>> cb = Codebook([Code("hope", "Hope")], name="demo", label="demo@1")
    >>> print(dump_codebook_yaml(cb), end="")
    codebook:
      name: demo
      version: '1'
    codes:
    - id: hope
      name: Hope
    """
    return yaml.dump(
        codebook_to_data(codebook),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
