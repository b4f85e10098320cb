"""Project.export / Project.report and the CLI on the sample study, read back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from typer.testing import CliRunner

from tests.conftest import CODEBOOK
from thematic import Project
from thematic.cli import app
from thematic.models import Code

runner = CliRunner()


@pytest.fixture(scope="session")
def coded_file(sample_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample study with the codebook's rule suggestions accepted by 'ana'."""
    path = tmp_path_factory.mktemp("coded") / "coded.thematic"
    shutil.copy(sample_project_file, path)
    with Project.open(path) as project:
        project.codebook.load(CODEBOOK, actor="ana")
        project.suggestions.run(engines=("rules",), actor="ana")
        project.review.bulk_decide("accepted", actor="ana")
    return path


@pytest.fixture
def coded(coded_file: Path, tmp_path: Path):
    target = tmp_path / "coded.thematic"
    shutil.copy(coded_file, target)
    with Project.open(target) as project:
        yield project


def _name_parts(project: Project) -> set[str]:
    return {part for name in project.participants.frame()["name"].dropna() for part in name.split()}


@pytest.mark.slow
def test_theme_table_on_the_sample_study(coded, tmp_path):
    done = coded.exports.write("theme-table", tmp_path / "themes.docx", attributes=["role"], ner=None)
    assert done["format"] == "docx" and done["pseudonymised"] is True
    (table,) = Document(str(tmp_path / "themes.docx")).tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Theme", "Subtheme", "Description", "Participants n (%)", "Illustrative quotes"]
    assert rows[1][0] == "Being heard" and re.fullmatch(r"\d+ \(\d+%\)", rows[1][3])
    quotes = [p.text for row in table.rows[1:] for p in row.cells[4].paragraphs if p.text]
    assert len(quotes) >= 10
    assert all(re.search(r"\((P\d\d|R\d{3}), [a-z -]+\)$", q) for q in quotes), quotes
    names = _name_parts(coded)
    leaked = [q for q in quotes for n in names if re.search(rf"\b{re.escape(n)}\b", q)]
    assert leaked == []


def test_pseudonym_list_is_audited_and_used(coded, tmp_path):
    assert coded.exports.set_pseudonym("St. Anne's", "[a church]", kind="place", actor="ana") is True
    assert coded.exports.set_pseudonym("Carol", "[a member]", actor="ana") is True
    assert coded.exports.pseudonyms().values.tolist() == [["Carol", "[a member]", "name"],
                                                  ["St. Anne's", "[a church]", "place"]]
    coded.exports.write("transcripts", tmp_path / "deid", ner=None)
    text = (tmp_path / "deid" / "P01.txt").read_text()
    assert "[a church]" in text and "[a member]" in text and "[P01]" in text
    assert not re.search(r"\b(Dana|Reyes|Carol|Anne's)\b", text)
    coded.review.undo(actor="ana")
    assert coded.exports.pseudonyms()["original"].tolist() == ["St. Anne's"]


def test_verbatim_transcripts_are_marked(coded, tmp_path):
    coded.exports.write("transcripts", tmp_path / "raw", pseudonymise=False)
    assert "Dana" in (tmp_path / "raw" / "P01.txt").read_text()
    assert "NOT pseudonymised" in (tmp_path / "raw" / "README.txt").read_text()


@pytest.mark.slow
def test_report_on_the_sample_study(coded, tmp_path):
    pytest.importorskip("thematic.analysis.intercoder", reason="analysis functions not merged yet")
    files, notes = coded.exports.report(tmp_path / "report", ner=None, n_boot=50)
    names = {f.path.name for f in files}
    assert {"theme-table.docx", "theme-table.tex", "matrix-code-participant.xlsx",
            "cooccurrence.png", "framework.xlsx", "saturation.svg", "methods.md",
            "thematic-map.svg", "codebook.docx", "transcripts", "index.md"} <= names
    assert any(n.startswith("Agreement left out") for n in notes)  # one coder only
    methods = (tmp_path / "report" / "methods.md").read_text()
    assert "The sample comprised" in methods and "were accepted" in methods


def _cli(*args: str) -> object:
    return runner.invoke(app, list(args))


def test_cli_pseudonym_and_exports(coded_file, tmp_path):
    proj = str(tmp_path / "p.thematic")
    shutil.copy(coded_file, proj)
    out = _cli("pseudonym", "add", "Carol", "[a member]", "-p", proj, "--coder", "ana")
    assert out.exit_code == 0 and out.output.strip() == "added: Carol -> [a member]"
    out = _cli("pseudonym", "list", "-p", proj)
    assert out.output.strip() == "Carol -> [a member] (name)"
    out = _cli("export", "transcripts", str(tmp_path / "deid"), "--pseudonymise", "--no-ner", "-p", proj)
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"wrote transcripts (txt, pseudonymised) to {tmp_path / 'deid'}")
    assert "Carol" not in (tmp_path / "deid" / "P01.txt").read_text()
    out = _cli("export", "theme-table", str(tmp_path / "t.md"), "--no-ner", "-a", "role", "-p", proj)
    assert out.exit_code == 0, out.output
    assert (tmp_path / "t.md").read_text().startswith("**Table 1.** *Themes, subthemes")
    out = _cli("export", "theme-table-long", str(tmp_path / "q.csv"), "--no-ner", "-p", proj)
    long = pd.read_csv(tmp_path / "q.csv", encoding="utf-8-sig")
    assert out.exit_code == 0 and long["pseudonymised"].all() and long["coding_id"].is_unique


def test_cli_errors_are_one_line_and_write_nothing(coded_file, tmp_path):
    proj = str(tmp_path / "p.thematic")
    shutil.copy(coded_file, proj)
    out = _cli("export", "theme-table", str(tmp_path / "missing" / "t.docx"), "-p", proj)
    assert out.exit_code == 1
    assert "the folder" in out.output and "does not exist" in out.output
    out = _cli("export", "theme-table", str(tmp_path / "t.pdf"), "-p", proj)
    assert out.exit_code == 1 and "Formats for theme-table: csv, docx, md, tex, xlsx" in out.output
    out = _cli("export", "theme-table", str(tmp_path / "t.docx"), "-a", "shoe_size", "-p", proj)
    assert out.exit_code == 1 and "no participant attribute named 'shoe_size'" in out.output
    assert not [p.name for p in tmp_path.iterdir() if not p.name.startswith("p.thematic")]


def test_theme_table_with_the_projects_themes(coded, tmp_path):
    coded.themes.add("Online circles", codes=["camera-use", "privacy-at-home"], actor="ana",
                    definition="Joining from home.")
    coded.codebook.add_code(Code("unused", "Unused"), actor="ana")
    coded.themes.add("Nothing yet", codes=["unused"], actor="ana", definition="Unused.")
    done = coded.exports.write("theme-table", tmp_path / "t.md", ner=None, quotes=1)
    lines = (tmp_path / "t.md").read_text().splitlines()
    assert done["rows"] == 2
    online = next(x for x in lines if x.startswith("| Online circles |"))
    assert re.search(r"\| \d+ \\\(\d+%\\\) \| \u201c.+\u201d \\\(P\d\d, ", online)  # Markdown-escaped
    empty = next(x for x in lines if x.startswith("| Nothing yet |"))
    assert empty.endswith("| 0 \\(0%\\) | No accepted codings yet for this theme's codes\\. |")
