"""``thematic import`` and ``thematic export qdpx`` end to end, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.refi.conftest import DATA


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thematic.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parents[2])})


@pytest.mark.slow
def test_import_new_then_export_for_nvivo(tmp_path: Path) -> None:
    out = run("import", str(DATA / "qualcoder_study.qda"), "--new", "q.thematic", "--coder", "ana", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("imported ") and "1 documents, 3 new codes, 2 codings, 1 participants" in out.stdout
    assert "warning: qualcoder_study.qda: 3 element(s) not imported:" in out.stderr
    out = run("export", "qdpx", "q.qdpx", "--for", "nvivo", "-p", "q.thematic", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("wrote q.qdpx for nvivo: 1 documents, 3 codes, 2 codings")
    with zipfile.ZipFile(tmp_path / "q.qdpx") as z:
        assert "utf16-crlf2" in z.read("project.qde").decode("utf-8")


@pytest.mark.slow
def test_bad_import_is_one_error_line_and_changes_nothing(tmp_path: Path) -> None:
    assert run("import", str(DATA / "atlasti.qdpx"), "--new", "p.thematic", cwd=tmp_path).returncode == 0
    before = (tmp_path / "p.thematic").read_bytes()
    out = run("import", str(DATA / "bad" / "outside.qdpx"), "-p", "p.thematic", cwd=tmp_path)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "cannot be placed" in lines[0]
    assert "--skip-unplaced" in lines[0]
    assert (tmp_path / "p.thematic").read_bytes() == before


@pytest.mark.slow
def test_skip_unplaced_lists_them(tmp_path: Path) -> None:
    out = run("import", str(DATA / "bad" / "outside.qdpx"), "--new", "p.thematic", "--skip-unplaced", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "('Informal spaces') on 'P03 cafe' [900, 950): offsets [900, 950) fall outside" in out.stderr
    assert "warning: not placed: coding " in out.stderr


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    out = run("export", "qdpx", "x.qdpx", "--for", "dedoose", cwd=tmp_path)
    assert out.returncode == 2 and "must be one of standard, nvivo, atlasti, maxqda" in out.stderr
    assert not (tmp_path / "x.qdpx").exists()
