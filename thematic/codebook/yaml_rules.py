"""The ``rules:`` part of the YAML reader: one rule per mapping, checked field by field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from thematic.codebook.schema import (
    RULE_FIELDS,
    RULE_ID_RE,
    RULE_KINDS,
    CodeMarks,
    Mark,
    default_rule_id,
)
from thematic.models import Rule

if TYPE_CHECKING:  # pragma: no cover
    from thematic.codebook.parsed import ParsedSource

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def mark_of(node: Node) -> Mark:
    """The 1-based line and column where ``node`` starts."""
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class RuleReaderMixin:
    """Rule parsing for :class:`~thematic.codebook.yaml_read.YamlCodebookReader`.

    Relies on the reader's ``problem``, ``pairs``, ``text``, ``text_list``, ``plain`` and
    ``_type_error`` helpers and its rule defaults.
    """

    out: ParsedSource
    _default_roles: tuple[str, ...] | None
    _default_weight: float

    if TYPE_CHECKING:  # pragma: no cover - provided by the reader

        def problem(
            self,
            message: str,
            node: Node | Mark | None,
            *,
            code_id: str | None = None,
            hint: str | None = None,
            severity: str = "error",
        ) -> None: ...

        def pairs(
            self, node: MappingNode, known: tuple[str, ...], trail: str, code_id: str | None = None
        ) -> dict[str, Node]: ...

        def text(
            self, node: Node, trail: str, code_id: str | None = None, *, allow_null: bool = True
        ) -> str | None: ...

        def text_list(self, node: Node, trail: str, code_id: str | None) -> list[str] | None: ...

        def plain(self, node: Node, trail: str, code_id: str | None) -> Any: ...

        def _type_error(self, node: Node, trail: str, expected: str, code_id: str | None) -> None: ...

    def rules(self, node: Node, trail: str, code_id: str, marks: CodeMarks) -> tuple[Rule, ...]:
        if not isinstance(node, SequenceNode):
            if not (isinstance(node, ScalarNode) and node.tag == _NULL):
                self._type_error(node, trail, "a list of rules", code_id or None)
            return ()
        rules: list[Rule] = []
        for i, item in enumerate(node.value):
            rule = self.rule(item, f"{trail}[{i}]", code_id, i, marks)
            if rule is not None:
                rules.append(rule)
        return tuple(rules)

    def rule(self, node: Node, trail: str, code_id: str, index: int, marks: CodeMarks) -> Rule | None:
        cid = code_id or None
        marks.rules.append(mark_of(node))
        if not isinstance(node, MappingNode):
            self._type_error(node, trail, "a rule (keywords:, pattern: or regex:)", cid)
            return None
        fields = self.pairs(node, RULE_FIELDS, trail, cid)
        kinds = [k for k in RULE_KINDS if k in fields]
        if len(kinds) != 1:
            what = "none" if not kinds else " and ".join(kinds)
            self.problem(
                f"{trail}: a rule needs exactly one of keywords, pattern, regex (found {what})",
                node,
                code_id=cid,
                hint="Split it into one rule per kind." if kinds else None,
            )
            return None
        kind = kinds[0]
        value_node = fields[kind]
        marks.rules[-1] = mark_of(value_node)
        value: Any
        if kind == "keywords":
            value = self.text_list(value_node, f"{trail}.keywords", cid)
        elif kind == "regex":
            value = self.text(value_node, f"{trail}.regex", cid, allow_null=False)
        else:
            value = self.plain(value_node, f"{trail}.pattern", cid)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(t, dict) for t in value)
            ):
                self._type_error(value_node, f"{trail}.pattern", "a list of token mappings", cid)
                value = None
        rule_id = default_rule_id(code_id, index)
        if "id" in fields:
            rule_id = self.text(fields["id"], f"{trail}.id", cid, allow_null=False) or rule_id
            if not RULE_ID_RE.match(rule_id):
                self.problem(f"{trail}.id: '{rule_id}' is not a valid rule id", fields["id"], code_id=cid)
        exclude = False
        if "exclude" in fields:
            flag = fields["exclude"]
            if isinstance(flag, ScalarNode) and flag.tag == _BOOL:
                exclude = bool(self.plain(flag, f"{trail}.exclude", cid))
            else:
                self._type_error(flag, f"{trail}.exclude", "true or false", cid)
        roles = self._default_roles
        if "roles" in fields:
            found = self.roles(fields["roles"], f"{trail}.roles", cid)
            roles = None if found is False else found
        weight = self._default_weight
        if "weight" in fields:
            weight = self.weight(fields["weight"], f"{trail}.weight", cid)
        if value is None:
            return None
        return Rule(id=rule_id, kind=kind, value=value, exclude=exclude, roles=roles, weight=weight)

    def roles(self, node: Node, trail: str, code_id: str | None) -> tuple[str, ...] | None | Literal[False]:
        """A tuple of roles; None for ``null`` (any role); False after a type error."""
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            return None
        items = self.text_list(node, trail, code_id)
        return tuple(items) if items is not None else False

    def weight(self, node: Node, trail: str, code_id: str | None) -> float:
        if isinstance(node, ScalarNode) and node.tag in _NUMBERS:
            value = float(self.plain(node, trail, code_id) or 0.0)
            if value > 0:
                return value
            self.problem(f"{trail} must be greater than 0, got {node.value}", node, code_id=code_id)
        else:
            self._type_error(node, trail, "a number greater than 0", code_id)
        return 1.0

