"""The functions of a package longer than a limit, read from its source (nothing is imported).

A function's length is its lines from ``def`` (decorators left out) to its last line, less
its docstring (documentation is not length to follow; ``with_docstrings=True`` counts it
too); a nested function counts inside its parent and on its own.

``python tests/long_functions.py thematic [--with-docstrings]`` prints them, longest first.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

__all__ = ["LIMIT", "long_functions"]

#: The longest a function may be (DESIGN: "functions short (~60 lines)").
LIMIT = 60


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef, with_docstrings: bool) -> int:
    lines = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0]
    if (not with_docstrings and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        lines -= (first.end_lineno or first.lineno) - first.lineno + 1
    return lines


def long_functions(package: Path, limit: int = LIMIT, *, with_docstrings: bool = False) -> dict[str, int]:
    """``"path:Qualified.name"`` -> lines, for every function of ``package`` over ``limit``."""
    root = package.parent
    found: dict[str, int] = {}

    def visit(node: ast.AST, where: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                lines = _length(child, with_docstrings)
                if lines > limit:
                    found[f"{where}:{name}"] = lines
                visit(child, where, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, where, f"{prefix}{child.name}.")
            else:
                visit(child, where, prefix)

    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.parts:
            visit(ast.parse(path.read_text(encoding="utf-8")), path.relative_to(root).as_posix(), "")
    return found


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = Path(args[0] if args else "thematic").resolve()
    docs = "--with-docstrings" in sys.argv
    long = long_functions(target, with_docstrings=docs)
    print(f"{len(long)} functions over {LIMIT} lines ({'with' if docs else 'without'} docstrings)")
    for name, lines in sorted(long.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {lines:4d}  {name}")
