"""The code is type-checked and linted: mypy and ruff pass on every run of the tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.slow
def test_mypy_finds_no_type_errors_in_the_library() -> None:
    pytest.importorskip("mypy")
    result = _run("mypy", "--no-error-summary")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_no_lint_errors() -> None:
    pytest.importorskip("ruff")
    result = _run("ruff", "check", "thematic", "app.py", "app_pages", "tests", "benchmarks", "tools")
    assert result.returncode == 0, result.stdout + result.stderr
