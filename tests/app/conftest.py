"""Projects for the app tests: the sample study with the codebook and a few suggestions."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.smoke_app import AppNotServing, serve_app
from thematic import Project
from thematic.models import Code, Suggestion

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"
XSS_TEXT = ("Interviewer: Did you type anything odd into the form?\n\n"
            "P99: Yes, I typed <script>alert(1)</script> & <b>bold</b> to see what happens.\n\n"
            "Interviewer: And then?\n\n"
            "P99: Then <img src=x onerror=alert(2)> and ![pic](http://127.0.0.1:9/p.png) too.\n")
# a code whose name is markup: it must show as text on every page
EVIL_CODE = Code("evil-name", "![pic](http://127.0.0.1:9/c.png) <img src=x onerror=alert(3)>",
                 definition="<script>alert(4)</script>")
# (document, quote, code) suggestions stored the way an engine run stores them
SUGGESTIONS = [
    ("P05_alex_teams", "Sorry, my camera's off, is that okay?", "camera-use"),
    ("P05_alex_teams", "Sorry, my camera's off", "virtual-vs-in-person"),  # overlaps the first
    ("P99_xss", "I typed <script>alert(1)</script>", "programme-critique"),
    ("P99_xss", "Then <img src=x onerror=alert(2)>", "evil-name"),
]


def suggest(project: Project, document: str, quote: str, code: str, confidence: float = 0.7) -> int:
    """Store one suggestion through the store, with a run (no engine needed)."""
    doc = project.documents.get(document)
    start = doc.text.index(quote)
    store = project.store
    with store.unit("engine", "suggest") as uow:
        run = store.runs.start(uow, engine="rule", params={}, versions={}, codebook_version_id=None,
                              input_hash="x", seed=0)
        store.runs.add_suggestions(uow, run, [Suggestion(doc.id, start, start + len(quote), code, "rule",
                                                    confidence, {"rules": [f"{code}/r1"],
                                                                 "matched": [{"text": quote}]})])
    codings = project.review.codings(document=document)
    mine = codings[(codings["start"] == start) & (codings["code"] == code)]
    return int(mine["coding_id"].iloc[0])


@pytest.fixture(scope="session")
def app_project_file(sample_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample study + codebook + a transcript holding HTML + 3 suggestions (read-only)."""
    folder = tmp_path_factory.mktemp("app")
    path = folder / "app.thematic"
    shutil.copy(sample_project_file, path)
    (folder / "P99_xss.txt").write_text(XSS_TEXT)
    with Project.open(path) as project:
        project.documents.ingest([folder / "P99_xss.txt"], actor="ana")
        project.codebook.load(CODEBOOK, actor="ana")
        project.codebook.add_code(EVIL_CODE, actor="fixture")
        for document, quote, code in SUGGESTIONS:
            suggest(project, document, quote, code)
    return path


@pytest.fixture
def app_project(app_project_file: Path, tmp_path: Path) -> Path:
    """A private copy of :func:`app_project_file` (each test may change it)."""
    target = tmp_path / "app.thematic"
    shutil.copy(app_project_file, target)
    return target


# --------------------------------------------------------------------------- a real server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def app_server(app_project: Path, tmp_path: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a copy of the sample study; yields its base URL."""
    try:
        with serve_app(app_project, free_port(), tmp_path / "streamlit.log") as base:
            yield base
    except AppNotServing as error:
        pytest.fail(str(error))


# --------------------------------------------------------------------------- topics
@pytest.fixture(scope="session")
def topics_project_file(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("topics") / "topics.thematic"
    shutil.copy(app_project_file, path)
    with Project.open(path) as project:
        project.topics.run(backend="tfidf", random_state=0, actor="ana")
    return path


@pytest.fixture
def topics_project(topics_project_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "topics.thematic"
    shutil.copy(topics_project_file, target)
    return target
