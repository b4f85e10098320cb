"""The codebook editor: a code's fields as form values, and back, with located problems."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thematic.models import Code, Codebook

EXAMPLE_KINDS = {"typical": "typical", "atypical": "atypical", "near miss": "near_miss",
                 "near_miss": "near_miss"}


@dataclass(frozen=True)
class CodeForm:
    """What the editor's widgets hold for one code (all plain strings)."""

    id: str
    name: str
    definition: str
    inclusion: str
    exclusion: str
    color: str
    examples: str  # one per line; "atypical: ..." or "near miss: ..." mark the other kinds
    rules: str     # YAML: the list under ``rules:``


def _yaml_header(codebook: Codebook, code: Code) -> str:
    from thematic.codebook.yaml_write import dump_codebook_yaml
    from thematic.models import Codebook as CB

    dumped = dump_codebook_yaml(CB([dataclasses.replace(code, parent_id=None)], name="edit"))
    return dumped.split("\ncodes:\n", 1)[0] + "\n"


def code_form(codebook: Codebook, code_id: str) -> CodeForm:
    """The editor's values for ``code_id``."""
    from thematic.codebook.yaml_write import dump_codebook_yaml
    from thematic.models import Codebook as CB

    code = codebook.by_id()[code_id]
    examples = "\n".join(e.text if e.kind == "typical" else f"{e.kind.replace('_', ' ')}: {e.text}"
                         for e in code.examples)
    rules = ""
    if code.rules:
        bare = dataclasses.replace(code, parent_id=None, examples=(), definition="", inclusion="",
                                   exclusion="", color=None)
        dumped = dump_codebook_yaml(CB([bare], name="edit"))
        rules = dumped.split("  rules:\n", 1)[1] if "  rules:\n" in dumped else ""
        rules = "\n".join(line[2:] if line.startswith("  ") else line
                          for line in rules.rstrip("\n").split("\n"))
    return CodeForm(code.id, code.name, code.definition, code.inclusion, code.exclusion,
                    code.color or "", examples, rules)


def _examples_yaml(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        head, _, rest = line.partition(":")
        kind = EXAMPLE_KINDS.get(head.strip().lower()) if rest else None
        if kind and kind != "typical" or head.strip().lower() == "typical" and rest:
            out.setdefault(kind or "typical", []).append(rest.strip())
        else:
            out.setdefault("typical", []).append(line)
    return out


def code_from_form(codebook: Codebook, form: CodeForm) -> tuple[Code | None, list[str]]:
    """The code the form describes, or None and every problem, each located.

    Problems in the rules say ``rules, line L, column C`` counted in the rules box. Warnings
    (a code with no definition, say) come back with a code too.
    """
    import yaml

    from thematic.codebook.loader import parse_codebook_with_warnings
    from thematic.errors import CodebookError

    original = codebook.by_id().get(form.id)
    problems: list[str] = []
    if not form.name.strip():
        problems.append("name: a code needs a name")
    color = form.color.strip()
    if color and not (len(color) == 7 and color.startswith("#")
                      and all(ch in "0123456789abcdefABCDEF" for ch in color[1:])):
        problems.append(f"colour: must be #rrggbb. Got {color!r} instead.")
    body: dict[str, object] = {"id": form.id, "name": form.name.strip() or form.id}
    for key in ("definition", "inclusion", "exclusion"):
        if getattr(form, key).strip():
            body[key] = getattr(form, key).strip()
    examples = _examples_yaml(form.examples)
    if examples:
        body["examples"] = examples
    header = _yaml_header(codebook, original) if original is not None else "codebook:\n  name: edit\n"
    text = header + "codes:\n" + yaml.safe_dump([body], allow_unicode=True, sort_keys=False,
                                                width=10_000)
    rules_offset = None
    if form.rules.strip():
        text += "  rules:\n"
        rules_offset = text.count("\n")
        text += "".join(f"    {line}\n" for line in form.rules.splitlines())
    try:
        parsed, warnings = parse_codebook_with_warnings(text, source="editor")
    except CodebookError as error:
        problems.extend(_locate(p, rules_offset) for p in error.problems)
        return None, problems
    if problems:
        return None, problems
    code = parsed.codes[0]
    code = dataclasses.replace(code, parent_id=original.parent_id if original else None,
                               color=color or None)
    return code, [_locate(p, rules_offset) for p in warnings]


def _locate(problem: object, rules_offset: int | None) -> str:
    line = getattr(problem, "line", None)
    column = getattr(problem, "column", None)
    message = str(getattr(problem, "message", problem))
    where = message.split(": ", 1)
    text = where[1] if len(where) == 2 and where[0].startswith("codes[") else message
    if rules_offset is not None and line is not None and line > rules_offset:
        col = f", column {max(1, column - 4)}" if column else ""
        return f"rules, line {line - rules_offset}{col}: {text}"
    field = where[0].split(".")[-1] if len(where) == 2 and "." in where[0] else "code"
    return f"{field}: {text}"


__all__ = ["CodeForm", "code_form", "code_from_form"]
