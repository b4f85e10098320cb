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


def test_code_reads_turns_in_context_when_asked_and_records_it(tmp_path: Path) -> None:
    import json

    proj = str(tmp_path / "s.thematic")
    _run("init", proj)
    _run("ingest", str(SAMPLES / "P10_kevin.txt"), "-p", proj, "--coder", "ana")
    _run("codebook", "import", str(CODEBOOK), "-p", proj, "--coder", "ana")
    bad = runner.invoke(app, ["code", "-e", "semantic", "--turn-vectors", "average", "-p", proj, "--coder", "ana"])
    assert bad.exit_code != 0 and "average" in bad.output and "in_context" in bad.output
    from thematic import Project

    with Project.open(proj) as p:
        assert len(p.suggestions.runs()) == 0  # nothing ran
    report = json.loads(_run("code", "-e", "semantic", "--backend", "tfidf", "--turn-vectors", "in_context",
                             "--json", "-p", proj, "--coder", "ana"))
    assert report["params"]["engine"]["turn_vectors"] == "in_context"
    assert report["params"]["engine"]["turn_vectors_in_use"] == "embedded"  # TF-IDF reads no tokens
    assert report["suggestions"] > 0


def test_a_run_refuses_an_unknown_way_of_making_turn_vectors(tmp_path: Path) -> None:
    import pytest

    from thematic import Project
    from thematic.errors import ParameterError

    with Project.create(tmp_path / "s.thematic") as p:
        p.documents.ingest([SAMPLES / "P10_kevin.txt"], actor="ana")
        p.codebook.load(CODEBOOK, actor="ana")
        with pytest.raises(ParameterError, match="turn_vectors must be one of embedded, pooled, in_context"):
            p.suggestions.run(["semantic"], backend="tfidf", turn_vectors="mean", actor="ana")
        assert len(p.suggestions.runs()) == 0
