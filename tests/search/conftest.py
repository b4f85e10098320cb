"""The sample study's sentences, once per session (searching never changes a project)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic import Project
from thematic.search import TokenIndex, build_index


@pytest.fixture(scope="session")
def sample_sentences(sample_project_file: Path) -> pd.DataFrame:
    with Project.open(sample_project_file) as project:
        return project.segments("sentence")


@pytest.fixture(scope="session")
def sample_index(sample_sentences: pd.DataFrame) -> TokenIndex:
    return build_index(sample_sentences)


CODE_BY_SEARCH = {"active-listening": "listen*", "non-judgmental-space": "judge",
                  "reach-and-access": '"waiting list" OR wait', "isolation": "alone OR lonely"}


@pytest.fixture(scope="session")
def coded_sample_file(sample_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the codebook; every sentence a search finds is coded by hand
    (accepted) with the code of :data:`CODE_BY_SEARCH`; one more is only suggested."""
    import shutil

    from tests.app.conftest import CODEBOOK, suggest
    from thematic.search import text_search

    path = tmp_path_factory.mktemp("coded") / "coded.thematic"
    shutil.copy(sample_project_file, path)
    with Project.open(path) as project:
        project.load_codebook(CODEBOOK)
        sentences = project.segments("sentence")
        index = build_index(sentences)
        for code, query in CODE_BY_SEARCH.items():
            for row in text_search(sentences, query, index=index).itertuples():
                project.code_span(int(row.document_id), code, coder="ana", start=int(row.start),
                                  end=int(row.end))
        suggest(project, "P01_dana", "I was standing in the shop looking at the wine", "relapse")
    return path
