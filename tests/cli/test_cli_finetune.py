"""`thematic finetune`: refused in one line when there is nothing to learn from, nothing created."""

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


def test_finetune_without_decisions_says_what_to_do_and_creates_nothing(tmp_path: Path) -> None:
    proj = tmp_path / "s.thematic"
    _run("init", str(proj))
    _run("ingest", str(SAMPLES / "P10_kevin.txt"), "-p", str(proj), "--coder", "ana")
    _run("codebook", "import", str(CODEBOOK), "-p", str(proj), "--coder", "ana")
    result = runner.invoke(app, ["finetune", "-p", str(proj)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "no code has two accepted segments" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "s.thematic.finetune").exists()


def test_code_takes_the_finetuned_switch_both_ways(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.thematic")
    _run("init", proj)
    _run("ingest", str(SAMPLES / "P10_kevin.txt"), "-p", proj, "--coder", "ana")
    _run("codebook", "import", str(CODEBOOK), "-p", proj, "--coder", "ana")
    for switch in ("--finetuned", "--no-finetuned"):
        out = _run("code", "-e", "rules", switch, "-p", proj, "--coder", "ana", "--json")
        assert '"finetuned": null' in out  # no fine-tuned model (and no classifier) to use
