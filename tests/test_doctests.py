"""Every example in the library's docstrings runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import thematic


def _modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(thematic.__path__, "thematic."):
        if ".migrations" in info.name:
            continue
        spec = importlib.util.find_spec(info.name)
        if spec and spec.origin and spec.origin.endswith(".py"):
            with open(spec.origin, encoding="utf-8") as fh:
                lines = [ln for ln in fh if ">>> " in ln]
            if any("+SKIP" not in ln for ln in lines):
                names.append(info.name)
    return names


MODULES = _modules_with_examples()


def test_some_modules_have_examples() -> None:
    assert "thematic.project" in MODULES
    assert "thematic.suggest.registry" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
