"""Read a codebook YAML file into codes, keeping the line and column of every value.

The text is composed (not loaded) with PyYAML so every node keeps its start mark; the walker
below checks types and field names as it goes and never stops at the first problem.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from thematic.codebook.parsed import ParsedSource
from thematic.codebook.schema import (
    CODE_FIELDS,
    DEFAULT_FIELDS,
    EXAMPLE_KINDS,
    ID_RE,
    META_FIELDS,
    RULE_FIELDS,
    TEXT_FIELDS,
    TOP_FIELDS,
    CodeMarks,
    Mark,
    normalize_color,
    slugify,
    unknown_field_hint,
)
from thematic.codebook.yaml_rules import RuleReaderMixin, mark_of
from thematic.errors import Problem
from thematic.models import Code, Example, Rule

#: Deepest nesting of lists/mappings a codebook may have (PyYAML composes recursively, so a
#: file of 400 nested levels or 5000 flow lists would otherwise end in a RecursionError).
MAX_DEPTH = 64


def too_deep(text: str, limit: int = MAX_DEPTH) -> Mark | None:
    """Where ``text`` first nests collections deeper than ``limit``, or None.

    Streams PyYAML's parser events (which keeps its own stack, no recursion); a syntax error
    is left for the composer to report with its location.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    return Mark(mark.line + 1, mark.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


_STR = "tag:yaml.org,2002:str"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
# fields of nested mappings written at the code level by mistake
_MISPLACED = {**{k: "examples:" for k in EXAMPLE_KINDS}, **{k: "a rule in rules:" for k in RULE_FIELDS if k != "id"}}


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "empty"
    if node.tag == _BOOL:
        return f"true/false ({node.value})"
    if node.tag in _NUMBERS:
        return f"a number ({node.value})"
    return f"text ({node.value!r})"


class YamlCodebookReader(RuleReaderMixin):
    """Walks a composed YAML document; collects codes, marks and problems."""

    def __init__(self, source: str | None) -> None:
        self.out = ParsedSource(source=source)
        self._ctor = yaml.constructor.SafeConstructor()
        self._default_roles: tuple[str, ...] | None = None
        self._default_weight: float = 1.0

    # ---------------------------------------------------------------- reporting
    def problem(
        self,
        message: str,
        node: Node | Mark | None,
        *,
        code_id: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        mark = node if isinstance(node, Mark) or node is None else mark_of(node)
        self.out.problems.append(
            Problem(
                message,
                path=self.out.source,
                line=mark.line if mark else None,
                column=mark.column if mark else None,
                code_id=code_id or None,
                hint=hint,
                severity=severity,
            )
        )

    def _type_error(self, node: Node, trail: str, expected: str, code_id: str | None) -> None:
        self.problem(f"{trail} must be {expected}, got {_kind(node)}", node, code_id=code_id)

    # ---------------------------------------------------------------- node helpers
    def pairs(
        self, node: MappingNode, known: tuple[str, ...], trail: str, code_id: str | None = None
    ) -> dict[str, Node]:
        """The mapping's fields by name; unknown and duplicate keys are reported."""
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or not key:
                self.problem(f"{trail}: field names must be text", key_node, code_id=code_id)
                continue
            if key in fields:
                self.problem(f"{trail}: field '{key}' is given twice", key_node, code_id=code_id)
                continue
            if key not in known:
                home = _MISPLACED.get(key) if known is CODE_FIELDS else None
                self.problem(
                    f"{trail}: unknown field '{key}'",
                    key_node,
                    code_id=code_id,
                    hint=f"'{key}' belongs under '{home}'." if home else unknown_field_hint(key, known),
                )
                continue
            fields[key] = value_node
        return fields

    def text(
        self, node: Node, trail: str, code_id: str | None = None, *, allow_null: bool = True
    ) -> str | None:
        """A scalar as text (numbers keep their source spelling); None after a type error."""
        if isinstance(node, ScalarNode):
            if node.tag == _STR or node.tag in _NUMBERS:
                return str(node.value).strip()
            if node.tag == _NULL and allow_null:
                return ""
        self._type_error(node, trail, "text", code_id)
        return None

    def text_list(self, node: Node, trail: str, code_id: str | None) -> list[str] | None:
        """A list of non-empty texts; a single text is an error with a hint."""
        if not isinstance(node, SequenceNode):
            hint = "Write a list: [a, b]." if isinstance(node, ScalarNode) else None
            self.problem(
                f"{trail} must be a list of texts, got {_kind(node)}", node, code_id=code_id, hint=hint
            )
            return None
        items: list[str] = []
        for i, item in enumerate(node.value):
            value = self.text(item, f"{trail}[{i}]", code_id, allow_null=False)
            if value == "":
                self.problem(f"{trail}[{i}] is empty", item, code_id=code_id)
            elif value is not None:
                items.append(value)
        return items

    def plain(self, node: Node, trail: str, code_id: str | None) -> Any:
        """The Python value of ``node`` (safe constructor), None after an error."""
        try:
            return self._ctor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.problem(f"{trail}: {exc}", node, code_id=code_id)
            return None

    # ---------------------------------------------------------------- document
    def read(self, text: str) -> ParsedSource:
        """Read the whole document ``text``."""
        deep = too_deep(text)
        if deep is not None:
            self.problem(
                f"the YAML nests lists or mappings more than {MAX_DEPTH} levels deep",
                deep,
                hint="A codebook needs a few levels (codes, rules, examples); nest codes with "
                "'parent:' or 'children:' and check the file is the codebook you meant.",
            )
            self.out.fatal = True
            return self.out
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Mark(mark.line + 1, mark.column + 1) if mark else None
            detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            start = exc.context_mark
            if start is not None and mark is not None and start.line != mark.line:
                detail += f" (it starts at line {start.line + 1}, column {start.column + 1})"
            self.problem(f"YAML syntax error: {detail}", where, hint="Check indentation and quoting.")
            self.out.fatal = True
            return self.out
        except yaml.YAMLError as exc:  # pragma: no cover - unmarked reader errors
            self.problem(f"YAML error: {exc}", Mark(1, 1))
            self.out.fatal = True
            return self.out
        except RecursionError:  # pragma: no cover - too_deep stops this first
            self.problem(f"the YAML nests more than {MAX_DEPTH} levels deep", Mark(1, 1))
            self.out.fatal = True
            return self.out
        if root is None:
            self.problem("the codebook file is empty", Mark(1, 1), hint="Add a 'codes:' list.")
            self.out.fatal = True
            return self.out
        if not isinstance(root, MappingNode):
            self._type_error(root, "the top level", "a mapping with 'codebook:' and 'codes:'", None)
            self.out.fatal = True
            return self.out
        fields = self.pairs(root, TOP_FIELDS, "top level")
        if "codebook" in fields:
            self.meta(fields["codebook"])
        if "codes" not in fields:
            self.problem("the codebook has no 'codes:' list", root, hint="Add 'codes:' with at least one code.")
        else:
            codes = fields["codes"]
            if isinstance(codes, SequenceNode):
                self.codes(codes.value, "codes", None)
            elif not (isinstance(codes, ScalarNode) and codes.tag == _NULL):
                self._type_error(codes, "codes", "a list of codes", None)
        return self.out

    def meta(self, node: Node) -> None:
        if not isinstance(node, MappingNode):
            self._type_error(node, "codebook", "a mapping (name, version)", None)
            return
        fields = self.pairs(node, META_FIELDS, "codebook")
        if "name" in fields:
            self.out.name = self.text(fields["name"], "codebook.name") or ""
        if "version" in fields:
            self.out.version = self.text(fields["version"], "codebook.version") or ""
        if "defaults" in fields:
            defaults = fields["defaults"]
            if not isinstance(defaults, MappingNode):
                self._type_error(defaults, "codebook.defaults", "a mapping (roles, weight)", None)
                return
            found = self.pairs(defaults, DEFAULT_FIELDS, "codebook.defaults")
            if "roles" in found:
                roles = self.roles(found["roles"], "codebook.defaults.roles", None)
                self._default_roles = roles if roles is not False else None
            if "weight" in found:
                self._default_weight = self.weight(found["weight"], "codebook.defaults.weight", None)

    # ---------------------------------------------------------------- codes
    def codes(self, items: list[Node], trail: str, parent_id: str | None) -> None:
        for i, node in enumerate(items):
            self.code(node, f"{trail}[{i}]", parent_id)

    def code(self, node: Node, trail: str, parent_id: str | None) -> None:
        if not isinstance(node, MappingNode):
            self._type_error(node, trail, "a code (a mapping with id and name)", None)
            return
        early_id = next(
            (v.value for k, v in node.value if getattr(k, "value", None) == "id" and isinstance(v, ScalarNode)),
            None,
        )
        fields = self.pairs(node, CODE_FIELDS, trail, early_id)
        marks = CodeMarks(node=mark_of(node), trail=trail)
        marks.fields = {key: mark_of(value) for key, value in fields.items()}
        name = self.text(fields["name"], f"{trail}.name") if "name" in fields else None
        code_id = self._code_id(fields, node, trail, name)
        cid = code_id or None
        if "name" not in fields:
            self.problem(f"{trail}: the code has no name", node, code_id=cid, hint="Add 'name:'.")
        parent = self._parent(fields, trail, cid, parent_id)
        texts = {k: self.text(fields[k], f"{trail}.{k}", cid) or "" for k in TEXT_FIELDS if k in fields}
        color = self._color(fields, trail, cid)
        examples = self.examples(fields["examples"], f"{trail}.examples", cid) if "examples" in fields else ()
        rules: tuple[Rule, ...] = ()
        if "rules" in fields:
            rules = self.rules(fields["rules"], f"{trail}.rules", code_id, marks)
        self.out.codes.append(
            Code(
                id=code_id,
                name=name or "",
                parent_id=parent,
                definition=texts.get("definition", ""),
                inclusion=texts.get("inclusion", ""),
                exclusion=texts.get("exclusion", ""),
                examples=examples,
                color=color,
                rules=rules,
            )
        )
        self.out.marks.append(marks)
        if "children" in fields:
            children = fields["children"]
            if isinstance(children, SequenceNode):
                self.codes(children.value, f"{trail}.children", code_id or None)
            elif not (isinstance(children, ScalarNode) and children.tag == _NULL):
                self._type_error(children, f"{trail}.children", "a list of codes", cid)

    def _parent(self, fields: dict[str, Node], trail: str, cid: str | None,
                parent_id: str | None) -> str | None:
        """The code's parent: the one it is nested under, else its ``parent:``."""
        if "parent" not in fields:
            return parent_id
        declared = self.text(fields["parent"], f"{trail}.parent", cid)
        if declared and parent_id is not None and declared != parent_id:
            self.problem(
                f"{trail}.parent: '{declared}' contradicts the nesting under '{parent_id}'",
                fields["parent"],
                code_id=cid,
                hint="Remove 'parent:' from nested codes.",
            )
            return parent_id
        return declared or parent_id

    def _color(self, fields: dict[str, Node], trail: str, cid: str | None) -> str | None:
        """The code's ``color:`` as ``#RRGGBB`` (a problem when it is not a colour)."""
        raw = self.text(fields["color"], f"{trail}.color", cid) if "color" in fields else None
        if not raw:
            return None
        color = normalize_color(raw)
        if color is None:
            self.problem(
                f"{trail}.color: '{raw}' is not a colour",
                fields["color"],
                code_id=cid,
                hint="Write it as '#rrggbb' (quoted), e.g. '#1f77b4'.",
            )
        return color

    def _code_id(self, fields: dict[str, Node], node: Node, trail: str, name: str | None) -> str:
        suggestion = slugify(name) if name else "a-slug"
        if "id" not in fields:
            self.problem(f"{trail}: the code has no id", node, hint=f"Add 'id: {suggestion}'.")
            return ""
        code_id = self.text(fields["id"], f"{trail}.id", allow_null=False) or ""
        if code_id and not ID_RE.match(code_id):
            self.problem(
                f"{trail}.id: '{code_id}' is not a slug (lower-case letters, digits, '-' and '_')",
                fields["id"],
                code_id=code_id,
                hint=f"Use e.g. 'id: {slugify(code_id)}'.",
            )
        return code_id

    def examples(self, node: Node, trail: str, code_id: str | None) -> tuple[Example, ...]:
        if isinstance(node, SequenceNode):  # a plain list means typical examples
            return tuple(Example(t, "typical") for t in self.text_list(node, trail, code_id) or [])
        if not isinstance(node, MappingNode):
            if not (isinstance(node, ScalarNode) and node.tag == _NULL):
                self._type_error(node, trail, "a mapping (typical, atypical, near_miss)", code_id)
            return ()
        found = self.pairs(node, EXAMPLE_KINDS, trail, code_id)
        examples: list[Example] = []
        for kind in EXAMPLE_KINDS:
            if kind in found:
                value = found[kind]
                if isinstance(value, ScalarNode) and value.tag == _NULL:
                    continue
                texts = self.text_list(value, f"{trail}.{kind}", code_id) or []
                examples.extend(Example(t, kind) for t in texts)
        return tuple(examples)


def read_yaml_source(text: str, *, source: str | None = None) -> ParsedSource:
    """Read codebook YAML ``text``; problems are collected, never raised."""
    return YamlCodebookReader(source).read(text)
