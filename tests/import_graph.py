"""The import graph of a package, read from its source (nothing is imported).

An edge ``a -> b`` is an import of ``b`` (or of a name of ``b``) anywhere in ``a``, inside
functions too, but not under ``if TYPE_CHECKING:``; importing ``p.q.r`` also runs ``p/__init__``
and ``p/q/__init__``, so those are edges too (except a package's own ancestors). A cycle is a
group of modules that import each other, directly or through others.

``python tests/import_graph.py thematic`` prints the number of modules and the cycles.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

__all__ = ["cycles", "import_graph"]


def _modules(package: Path) -> dict[str, Path]:
    root = package.parent
    out = {}
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(root).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".") if is_package else module.split(".")[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, *([base] if base else [])])
        return [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return []


def _walk(node: ast.AST):  # noqa: ANN202 - a generator of nodes
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (n for orelse in child.orelse for n in [orelse, *_walk(orelse)])
            continue
        yield child
        yield from _walk(child)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (see the module docstring)."""
    modules = _modules(package)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _walk(tree):
            for name in _imported(node, module, path.name == "__init__.py"):
                target = resolve(name) if name.startswith(package.name) else None
                while target and target != package.name:
                    if target != module and not module.startswith(target + "."):
                        graph[module].add(target)
                    target = target.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other (Tarjan's strongly connected components
    of more than one module), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "thematic").resolve()
    graph = import_graph(target)
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} imports between them")
    groups = cycles(graph)
    print(f"{len(groups)} import cycles")
    for group in groups:
        print("  " + " <-> ".join(group))
