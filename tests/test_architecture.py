"""DESIGN invariant 5: only ``thematic/store/`` speaks SQL or touches the ORM."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("sqlalchemy", "alembic", "thematic.store.orm")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def offending(root: Path, folders: list[str]) -> list[str]:
    """``file:line module`` for every import of SQL machinery outside ``thematic/store``."""
    bad = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith("thematic/store/"):
                continue
            for line, module in _imports(path):
                if any(module == f or module.startswith(f + ".") for f in FORBIDDEN):
                    bad.append(f"{rel}:{line} imports {module}")
    return bad


def test_nothing_outside_the_store_imports_sqlalchemy_or_the_orm() -> None:
    assert offending(ROOT, ["thematic", "app_pages"]) == []


def test_the_check_catches_an_offender(tmp_path: Path) -> None:
    (tmp_path / "thematic" / "services").mkdir(parents=True)
    (tmp_path / "thematic" / "store").mkdir()
    (tmp_path / "thematic" / "services" / "bad.py").write_text(
        "from thematic.store.orm import CodingRow\n\ndef f() -> None:\n    import sqlalchemy as sa\n")
    (tmp_path / "thematic" / "store" / "fine.py").write_text("import sqlalchemy\n")
    assert offending(tmp_path, ["thematic"]) == [
        "thematic/services/bad.py:1 imports thematic.store.orm",
        "thematic/services/bad.py:1 imports thematic.store.orm.CodingRow",
        "thematic/services/bad.py:4 imports sqlalchemy",
    ]


def test_old_module_paths_still_work_with_a_deprecation_warning() -> None:
    import subprocess
    import sys

    code = ("import warnings; warnings.simplefilter('error')\n"
            "moved = {'pipeline': 'services.ingest', 'autocode': 'services.suggest',\n"
            "         'codebook_sync': 'services.codebook', 'review': 'services.review',\n"
            "         'speakers_map': 'ingest.speakers_map', 'reanchor': 'ingest.reanchor',\n"
            "         'store.engine': 'store.database'}\n"
            "import importlib\n"
            "for old, new in moved.items():\n"
            "    try:\n"
            "        importlib.import_module('thematic.' + old)\n"
            "    except DeprecationWarning as w:\n"
            "        assert new in str(w), w\n"
            "    else:\n"
            "        raise SystemExit(old + ' did not warn')\n"
            "warnings.simplefilter('ignore')\n"
            "from thematic.pipeline import ingest\n"
            "from thematic.services.ingest import ingest as new\n"
            "assert ingest is new\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "ok", out.stderr
