"""Every pseudonymised export of the sample study, grepped for every name it must not hold.

The sample is built as the Makefile's ``sample`` target builds it (transcripts, participants,
codebook, two coders' hand codings; the suggestion run is left out for speed), with two third
parties confirmed into the pseudonym list. Then every ``thematic export KIND`` in every format
and ``thematic report`` are written with the default (pseudonymised), and each file (and its
name) is searched for the participants' names and their parts, the transcripts' file names, the
speaker labels that are names, and the listed originals.
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import CODEBOOK, SAMPLES
from thematic import Project
from thematic.cli import app
from thematic.pseudonymise import speaker_entries

LISTED = {"Carol": "[a member]", "St. Anne's": "[a church]", "Kev": "[a listener]"}
EXPORTS = {
    "theme-table": ("docx", "xlsx", "csv", "md", "tex"),
    "theme-table-long": ("csv", "xlsx"),
    "framework": ("xlsx",),
    "matrix": ("xlsx", "csv"),
    "cooccurrence": ("xlsx", "csv"),
    "agreement": ("xlsx", "docx", "md"),
    "codebook": ("docx", "xlsx"),
    "saturation": ("csv", "xlsx"),
    "methods": ("md", "docx", "txt"),
}


@pytest.fixture(scope="module")
def study(sample_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deid") / "sample.thematic"
    shutil.copy(sample_project_file, path)
    with Project.open(path) as project:
        project.codebook.load(CODEBOOK, actor="ana")
        project.coders.import_codings(SAMPLES / "gold" / "gold_codings.csv", actor="coder1")
        project.coders.import_codings(SAMPLES / "gold" / "gold_codings_coder2.csv", actor="coder2")
        for original, replacement in LISTED.items():
            project.exports.set_pseudonym(original, replacement, actor="ana")
    return path


def forbidden(project: Project) -> set[str]:
    """Participants' names and parts, file names, speaker labels that are names, listed names."""
    names = {n for n in project.participants.frame()["name"].dropna()}
    parts = {p for n in names for p in re.split(r"[\s\-']+", n) if len(p) > 1}
    files = {p.stem for p in SAMPLES.iterdir() if p.is_file() and re.match(r"P\d\d_", p.name)}
    speakers = {e.original for e in speaker_entries(project.documents.segments("turn"))}
    return names | parts | files | speakers | set(LISTED)


def text_of(path: Path) -> str:
    """What a reader of ``path`` sees: cell and paragraph text of Office files, else the text."""
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as archive:
            xml = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                   if n.endswith(".xml")]
        return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", x) for x in xml))
    if path.suffix == ".png":
        return ""
    return path.read_text(encoding="utf-8", errors="replace")


def leaks(folder: Path, names: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        seen = text_of(path) + " " + str(path.relative_to(folder))
        hits = [n for n in sorted(names) if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", seen)]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


@pytest.mark.slow
def test_every_pseudonymised_export_of_the_sample_is_free_of_names(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with Project.open(study) as project:
        names = forbidden(project)
        assert {"Dana Reyes", "Okafor", "P01_dana", "P07_helen_okafor", "Maya", "Carol"} <= names
        for kind, formats in EXPORTS.items():
            for fmt in formats:
                done = project.exports.write(kind, out / f"{kind}.{fmt}", n_boot=20)
                assert done["pseudonymised"] is True
        project.exports.write("transcripts", out / "transcripts")
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(tmp_path / "report"), "-p", str(study)])
    assert result.exit_code == 0, result.output
    assert leaks(out, names) == {}
    assert leaks(tmp_path / "report", names) == {}
    written = sorted(p.name for p in (out / "transcripts").iterdir())
    assert written[:3] == ["P01.txt", "P02.txt", "P03.txt"] and "README.txt" in written
    replaced = pd.read_csv(out / "transcripts" / "replacements.csv")
    assert set(replaced["document"]) <= {p.removesuffix(".txt") for p in written}


@pytest.mark.slow
def test_every_output_says_what_was_and_was_not_checked(study: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(tmp_path / "r"), "-p", str(study)])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "r" / "index.md").read_text().replace("\\", "")  # Markdown escapes
    readme = (tmp_path / "r" / "transcripts" / "README.txt").read_text()
    methods = (tmp_path / "r" / "methods.txt").read_text()
    for said in (index, readme, methods):
        assert "3 entries of the project's pseudonym list" in said
        assert "Not checked: names of other people and places" in said
        assert re.search(r"\d+ capitalised words that may be names are not in the pseudonym list",
                         said)
