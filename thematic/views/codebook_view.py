"""The codebook tree with coding counts per code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from thematic.models import Code, Codebook, Rule


from thematic.views.common import STATUSES, code_colors, esc, plain


# --------------------------------------------------------------------------- codebook
@dataclass(frozen=True)
class CodeNode:
    """A code in tree order, with its depth, its path and its codings counted by status."""

    code: Code
    depth: int
    path: str
    counts: dict[str, int]
    color: str

    @property
    def counts_label(self) -> str:
        return " · ".join(f"{self.counts[s]} {s}" for s in STATUSES)


def coding_counts(codings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Codings per code (index: code id, every code of the codebook) and status (columns)."""
    ids = [c.id for c in codebook.codes]
    if codings.empty:
        return pd.DataFrame(0, index=pd.Index(ids, name="code"), columns=list(STATUSES))
    table = pd.crosstab(codings["code"], codings["status"])
    return table.reindex(index=ids, columns=list(STATUSES), fill_value=0).fillna(0).astype(int)


def codebook_tree(codebook: Codebook, codings: pd.DataFrame) -> list[CodeNode]:
    """Every code in depth-first order (children after their parent, codebook order kept)."""
    counts = coding_counts(codings, codebook)
    colors = code_colors(codebook)
    known = {c.id for c in codebook.codes}
    out: list[CodeNode] = []
    seen: set[str] = set()

    def walk(code: Code, depth: int) -> None:
        if code.id in seen:
            return
        seen.add(code.id)
        row = counts.loc[code.id]
        out.append(CodeNode(code, depth, " / ".join(codebook.path(code.id)),
                            {s: int(row[s]) for s in STATUSES}, colors[code.id]))
        for child in codebook.children(code.id):
            walk(child, depth + 1)

    for code in codebook.codes:
        if code.parent_id is None or code.parent_id not in known:
            walk(code, 0)
    for code in codebook.codes:  # codes caught in a parent cycle
        walk(code, 0)
    return out


def codebook_table(nodes: Sequence[CodeNode]) -> pd.DataFrame:
    """The tree as a table: indented name, id, counts per status, definition."""
    return pd.DataFrame({
        "code": ["\u2003" * n.depth + n.code.name for n in nodes],
        "id": [n.code.id for n in nodes],
        **{s: [n.counts[s] for n in nodes] for s in STATUSES},
        "definition": [n.code.definition for n in nodes],
    })


def rule_text(rule: Rule) -> str:
    """A rule in one line: ``keywords: a, b`` / ``regex: ...`` / ``pattern: ...``."""
    value = rule.value
    is_list = rule.kind == "keywords" and isinstance(value, (list, tuple))
    shown = ", ".join(map(str, value)) if is_list else str(value)
    extra = []
    if rule.exclude:
        extra.append("excludes")
    if rule.roles:
        extra.append("roles " + ", ".join(rule.roles))
    if rule.weight != 1.0:
        extra.append(f"weight {rule.weight}")
    suffix = f" ({'; '.join(extra)})" if extra else ""
    return f"{rule.kind}: {shown}{suffix}"


def code_html(node: CodeNode) -> str:
    """One code's card: name, id, counts, definition, inclusion, exclusion, examples, rules."""
    c = node.code
    fields = [("Definition", esc(c.definition)), ("Use when", esc(c.inclusion)),
              ("Do not use when", esc(c.exclusion))]
    if c.examples:
        items = "".join(f"<li>{esc(e.text)} <em>({esc(e.kind.replace('_', ' '))})</em></li>"
                        for e in c.examples)
        fields.append(("Examples", f"<ul>{items}</ul>"))
    if c.rules:
        items = "".join(f"<li><code>{esc(r.id)}</code> {esc(rule_text(r))}</li>" for r in c.rules)
        fields.append(("Rules", f"<ul>{items}</ul>"))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in fields if v)
    style = f"margin-left: {node.depth * 1.5}rem; border-left-color: {node.color}"
    return (f'<div class="th-code" style="{style}">'
            f'<h4><span class="th-swatch" style="background: {node.color}"></span>{esc(c.name)} '
            f'<span class="th-id">{esc(c.id)}</span></h4>'
            f'<div class="th-head">{esc(node.counts_label)}</div><dl>{body}</dl></div>')


def code_group_label(node: CodeNode, nodes: Sequence[CodeNode]) -> str:
    """The label of a top-level code's expander: name, subcode count, codings counted below it."""
    members = subtree(node, nodes)
    totals = {s: sum(n.counts[s] for n in members) for s in STATUSES}
    subs = len(members) - 1
    sub_text = f"{subs} subcode{'s' if subs != 1 else ''} · " if subs else ""
    return (f"{plain(node.code.name)} — {sub_text}{totals['suggested']} suggested"
            f" · {totals['accepted']} accepted")


def subtree(node: CodeNode, nodes: Sequence[CodeNode]) -> list[CodeNode]:
    """``node`` and the nodes after it that are deeper (its descendants, in tree order)."""
    start = nodes.index(node)
    out = [node]
    for other in nodes[start + 1:]:
        if other.depth <= node.depth:
            break
        out.append(other)
    return out


__all__ = ['CodeNode', 'coding_counts', 'codebook_tree', 'codebook_table', 'rule_text', 'code_html', 'code_group_label', 'subtree']
