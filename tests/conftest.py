"""Shared fixtures: the sample study, built once per test session, and fresh projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"

# A script CI runs (`make app-smoke`), not a test module.
collect_ignore = ["smoke_app.py"]


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the whole sample study ingested (read-only: copy before changing)."""
    from thematic import Project

    path = tmp_path_factory.mktemp("sample") / "sample.thematic"
    with Project.create(path) as project:
        project.documents.ingest([SAMPLES], participants=SAMPLES / "participants.csv", actor="ana")
    return path


@pytest.fixture
def sample_project(sample_project_file: Path, tmp_path: Path):
    """A private copy of the sample project, open."""
    from thematic import Project

    target = tmp_path / "copy.thematic"
    shutil.copy(sample_project_file, target)
    project = Project.open(target)
    yield project
    project.close()


@pytest.fixture
def project(tmp_path: Path):
    """An empty project."""
    from thematic import Project

    p = Project.create(tmp_path / "empty.thematic")
    yield p
    p.close()


@pytest.fixture
def small_codebook():
    """A two-group codebook built from the models (independent of the YAML loader)."""
    from thematic.models import Code, Codebook, Example, Rule

    codes = [
        Code("support", "Support"),
        Code("heard", "Feeling heard", parent_id="support",
             definition="The participant describes being listened to without judgment.",
             examples=(Example("She really listened to me."), Example("I felt heard for once.")),
             rules=(Rule("heard/r1", "keywords", ["really listened", "felt heard", "listened to me"]),)),
        Code("stigma", "Stigma", definition="Shame or discrimination because of addiction.",
             rules=(Rule("stigma/r1", "keywords", ["stigma", "ashamed", "judged"]),)),
    ]
    return Codebook(codes=codes, name="small", label="small@1", content_hash="h1")


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the smallest cost, so that tests adding accounts and signing in stay fast
    (the project's hashes use argon2-cffi's defaults)."""
    from argon2 import PasswordHasher

    from thematic.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


CODE_BY_SEARCH = {"active-listening": "listen*", "non-judgmental-space": "judge",
                  "reach-and-access": '"waiting list" OR wait', "isolation": "alone OR lonely"}


@pytest.fixture(scope="session")
def coded_sample_file(sample_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the codebook; every sentence a search finds is coded by hand
    (accepted) with the code of :data:`CODE_BY_SEARCH`; one more is only suggested."""
    from tests.app.conftest import suggest
    from thematic import Project
    from thematic.search import build_index, text_search

    path = tmp_path_factory.mktemp("coded") / "coded.thematic"
    shutil.copy(sample_project_file, path)
    with Project.open(path) as project:
        project.codebook.load(CODEBOOK, actor="ana")
        sentences = project.documents.segments("sentence")
        index = build_index(sentences)
        for code, query in CODE_BY_SEARCH.items():
            found = text_search(sentences, query, index=index)
            assert project.queries.code_found(found, code, actor="ana") == len(found)
        suggest(project, "P01_dana", "I was standing in the shop looking at the wine", "relapse")
    return path


@pytest.fixture
def scorings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every time a semantic engine computes the codebook's scores (not given them kept or
    shared), the number of segments it scored."""
    from thematic.suggest.semantic import SemanticEngine

    calls: list[int] = []
    score = SemanticEngine._score

    def counting(self, segments, codebook, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(segments))
        return score(self, segments, codebook, **kw)

    monkeypatch.setattr(SemanticEngine, "_score", counting)
    return calls
