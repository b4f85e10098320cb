"""`thematic code` prints, per code, its suggestions, the model it uses and why."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import CODEBOOK, SAMPLES
from thematic.cli import app

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_code_prints_each_code_its_model_and_why(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.thematic")
    _run("init", proj)
    _run("ingest", str(SAMPLES / "P10_kevin.txt"), "-p", proj, "--coder", "ana")
    _run("codebook", "import", str(CODEBOOK), "-p", proj, "--coder", "ana")
    out = _run("code", "-e", "rules", "-p", proj, "--coder", "ana").splitlines()
    header = next(i for i, line in enumerate(out) if line.startswith("code "))
    assert out[header].split() == ["code", "suggestions", "model", "why"]
    rows = out[header + 1 : header + 35]
    assert len(rows) == 34 and all(" codebook " in r for r in rows)
    relapse = next(r for r in rows if r.startswith("relapse "))
    n = int(relapse.split()[1])
    assert n > 0 and f"{n} suggestion" in relapse and "from the codebook's rules" in relapse
