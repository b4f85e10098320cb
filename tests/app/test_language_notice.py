"""The Overview page says the documents' language and whether the embedding model serves it."""

from __future__ import annotations

from pathlib import Path

from pytest import MonkeyPatch

from tests.app.apptest_utils import run_app

GERMAN = (
    "Interviewer: Wie war die Gruppe für Sie?\n\n"
    "P01: Die Sprechstundenhilfe hat laut gesagt, dass ich der Methadon-Patient bin. "
    "Das war sehr unangenehm, alle im Wartezimmer haben es gehört.\n\n"
    "Interviewer: Und danach?\n\n"
    "P01: Nach dem Verlust meiner Arbeit hätte ich fast wieder angefangen zu konsumieren. "
    "Die Selbsthilfegruppe hat mir geholfen, mit meiner Familie über die Behandlung zu reden.\n"
)


def test_overview_warns_when_the_model_does_not_serve_the_language(tmp_path: Path,
                                                                   monkeypatch: MonkeyPatch) -> None:
    from thematic import Project

    (tmp_path / "P01.txt").write_text(GERMAN, encoding="utf-8")
    path = tmp_path / "de.thematic"
    with Project.create(path) as project:
        project.documents.ingest([tmp_path / "P01.txt"], actor="ana")
    monkeypatch.setattr("thematic.suggest.languages.use_installed", lambda: False)
    monkeypatch.setattr("thematic.suggest.languages.e5_installed", lambda: False)
    at = run_app(path, monkeypatch, "app_pages/overview.py")
    warnings = [w.value for w in at.warning]
    assert any("The documents are in German" in w and "does not serve" in w for w in warnings), warnings
