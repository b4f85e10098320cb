"""The app's test project (the sample, the codebook, a transcript of markup, suggestions)."""

from tests.app.conftest import app_project, app_project_file  # noqa: F401
