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
        return project.documents.segments("sentence")


@pytest.fixture(scope="session")
def sample_index(sample_sentences: pd.DataFrame) -> TokenIndex:
    return build_index(sample_sentences)

