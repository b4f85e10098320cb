"""DESIGN invariant 5: only ``thematic/store/`` speaks SQL or touches the ORM."""

from __future__ import annotations

import ast
import re
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


def _sources(root: Path, folders: list[str]) -> list[tuple[str, str]]:
    return [(path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
            for folder in folders for path in sorted((root / folder).rglob("*.py"))]


def test_no_module_is_an_alias_of_another() -> None:
    """A module that replaces itself in ``sys.modules`` (an old path kept working) is gone."""
    aliases = [rel for rel, text in _sources(ROOT, ["thematic"])
               if "sys.modules[__name__]" in text or "Deprecated alias" in text]
    assert aliases == []
    for old in ("autocode", "codebook_sync", "pipeline", "review", "reanchor", "speakers_map",
                "store/engine"):
        assert not (ROOT / "thematic" / f"{old}.py").exists(), old


def _project_parameters(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            found += [(node.lineno, node.name) for a in args if a.arg == "project"]
    return found


def test_services_take_the_store_never_the_project() -> None:
    """Services take the store (or the reads over it); nothing there knows ``Project``."""
    bad = []
    for rel, text in _sources(ROOT, ["thematic/services"]):
        tree = ast.parse(text)
        bad += [f"{rel}:{line} {name}(project)" for line, name in _project_parameters(tree)]
        bad += [f"{rel}:{line} imports {module}" for line, module in _imports(ROOT / rel)
                if module == "thematic.project" or module.startswith("thematic.project.")]
    assert bad == []


def test_no_caller_asks_the_project_what_it_has() -> None:
    """``Project`` has every method it documents: no ``hasattr``/``getattr`` guards on it."""
    guard = re.compile(r"\b(?:hasattr|getattr)\((?:project|Project|proj|self\._project)\b")
    found = [f"{rel}:{n}" for rel, text in _sources(ROOT, ["thematic", "app_pages"])
             for n, line in enumerate(text.splitlines(), 1) if guard.search(line)]
    assert found == []


def test_no_name_or_comment_tells_how_the_code_was_written() -> None:
    words = re.compile(r"\bapp2\b|helper (?:app|topics|analysis)|the (?:analysis|export) helper|"
                       r"seams change|\bagent\b", re.IGNORECASE)
    found = [f"{rel}:{n}" for rel, text in _sources(ROOT, ["thematic", "app_pages", "tests"])
             for n, line in enumerate(text.splitlines(), 1)
             if words.search(line) and rel != "tests/test_architecture.py"]
    assert found == []


def test_no_import_circle() -> None:
    """No two modules of thematic import each other, directly or through others (imports
    inside functions count; importing ``a.b`` runs ``a/__init__`` too)."""
    from tests.import_graph import cycles, import_graph

    assert cycles(import_graph(ROOT / "thematic")) == []


#: Functions still over :data:`tests.long_functions.LIMIT` lines counting their docstrings
#: (each under it without). Split one where a stage has a name, then take it off this list;
#: nothing is added to it.
LONG_FUNCTIONS_LEFT = frozenset({
    "thematic/analysis/agreement.py:agreement_table",
    "thematic/analysis/agreement.py:segment_labels",
    "thematic/analysis/cooccurrence.py:cooccurrence",
    "thematic/analysis/framework.py:framework_matrix",
    "thematic/analysis/frequencies.py:frequencies",
    "thematic/analysis/intercoder.py:intercoder_agreement",
    "thematic/analysis/matrices.py:attribute_matrix",
    "thematic/export/theme_table.py:build_theme_table",
    "thematic/suggest/classifier.py:DecisionClassifier.fit",
    "thematic/suggest/decision_labels.py:decision_labels",
})


def test_no_function_has_over_sixty_lines_of_code() -> None:
    """DESIGN: functions short (~60 lines). Docstrings aside, none is longer."""
    from tests.long_functions import long_functions

    assert long_functions(ROOT / "thematic") == {}


def test_no_new_function_over_sixty_lines_with_its_docstring() -> None:
    """Counting docstrings, only the listed functions are longer, and each listed one still
    is (a function split below the limit leaves the list)."""
    from tests.long_functions import long_functions

    long = long_functions(ROOT / "thematic", with_docstrings=True)
    assert sorted(set(long) - LONG_FUNCTIONS_LEFT) == []
    assert sorted(LONG_FUNCTIONS_LEFT - set(long)) == []


def test_the_length_check_counts_code_and_docstrings_apart(tmp_path: Path) -> None:
    from tests.long_functions import long_functions

    def function(name: str, indent: str) -> list[str]:  # 1 + 10 docstring + 55 code lines
        return ([f"{indent}def {name}():", f'{indent}    """Doc.'] + [f"{indent}    more"] * 8
                + [f'{indent}    """'] + [f"{indent}    x{i} = {i}" for i in range(55)])

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text("\n".join(["class A:", *function("f", "    "), *function("g", "")]))
    assert long_functions(package) == {}
    assert long_functions(package, with_docstrings=True) == {"pkg/m.py:A.f": 66, "pkg/m.py:g": 66}


def test_test_modules_have_unique_names() -> None:
    # the test folders are not packages: two test files of one name stop the whole collection
    names: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {n: p for n, p in names.items() if len(p) > 1} == {}
