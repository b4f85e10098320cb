"""A codebook is parsed once per import and each of its warnings reaches the person once."""

from __future__ import annotations

import warnings
from pathlib import Path

from typer.testing import CliRunner

from thematic import Project
from thematic.cli import app
from thematic.codebook.loader import CodebookWarning

CODEBOOK = """\
codebook: {name: tiny, version: "1"}
codes:
  - id: hope
    name: Hope
    rules:
      - {id: hope-kw, keywords: [hope, hopeful]}
"""


def test_each_warning_is_printed_once(tmp_path: Path) -> None:
    book = tmp_path / "tiny.yaml"
    book.write_text(CODEBOOK)
    target = tmp_path / "p.thematic"
    Project.create(target).close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(app, ["codebook", "import", str(book), "-p", str(target)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("warning:")]
    assert len(lines) == 1
    assert "definition" in lines[0]
    assert not [w for w in caught if issubclass(w.category, CodebookWarning)]
