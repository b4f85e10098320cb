"""The export registry: formats from suffixes, clear errors, nothing written on failure."""

from __future__ import annotations

import os
import sys

import pandas as pd
import pytest

from thematic.errors import ParameterError, WriteError
from thematic.export import build_theme_table, export, format_for, formats, kinds


@pytest.fixture
def table(themes, theme_codes, codings, participants):
    return build_theme_table(themes, theme_codes, codings, participants)


def test_every_kind_of_the_issue_is_registered():
    assert set(kinds()) >= {"theme-table", "theme-table-long", "framework", "matrix", "cooccurrence",
                            "agreement", "codebook", "saturation", "methods", "transcripts",
                            "segments", "codings", "thematic-map"}
    assert formats("theme-table") == ["csv", "docx", "md", "tex", "xlsx"]


def test_every_declared_kind_and_format_has_its_writer_and_nothing_else_does():
    from thematic.export.registry import _REGISTRY, EXPORT_KINDS, get

    declared = {(k.name, f) for k in EXPORT_KINDS for f in k.formats}
    for name, fmt in sorted(declared):
        assert callable(get(name, fmt).writer), (name, fmt)
    assert set(_REGISTRY) == declared


def test_a_writer_for_an_undeclared_format_is_refused():
    from thematic.export.registry import register

    with pytest.raises(ValueError, match="declares no format pdf"):
        register("segments", "pdf")
    with pytest.raises(ParameterError, match="unknown export kind 'poster'"):
        formats("poster")


@pytest.mark.parametrize(("name", "fmt"), [("t.docx", "docx"), ("T.TEX", "tex"), ("t.latex", "tex"),
                                           ("t.markdown", "md"), ("out/t.xlsx", "xlsx")])
def test_format_from_suffix(name, fmt):
    assert format_for("theme-table", name) == fmt


def test_unknown_kind_lists_the_kinds(table, tmp_path):
    with pytest.raises(ParameterError, match="unknown export kind 'themes'.*Choose one of: theme-table, theme-table-long"):
        export("themes", table, tmp_path / "x.docx")


def test_unknown_format_lists_the_formats(table, tmp_path):
    with pytest.raises(ParameterError, match=r"cannot write 'theme-table' as 'pdf'.*Formats for theme-table: csv, docx, md, tex, xlsx"):
        export("theme-table", table, tmp_path / "x.pdf")
    with pytest.raises(ParameterError, match="the file name has no suffix"):
        export("theme-table", table, tmp_path / "table")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_clear_error_and_writes_nothing(table, tmp_path):
    with pytest.raises(WriteError, match="cannot write t.docx: the folder .*nowhere does not exist.*create this one first"):
        export("theme-table", table, tmp_path / "nowhere" / "t.docx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder(table, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="permission denied"):
            export("theme-table", table, folder / "t.xlsx")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_target_that_is_a_folder(table, tmp_path):
    (tmp_path / "t.docx").mkdir()
    with pytest.raises(WriteError, match="cannot write t.docx: it is a folder, not a file"):
        export("theme-table", table, tmp_path / "t.docx")


def test_failed_write_keeps_the_old_file(table, tmp_path, monkeypatch):
    path = tmp_path / "t.md"
    path.write_text("old table")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("thematic.fileio.os.replace", broken)
    with pytest.raises(WriteError, match="cannot write t.md: the disk is full"):
        export("theme-table", table, path)
    assert path.read_text() == "old table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.md"]


def test_file_like_targets(table):
    import io
    buffer = io.BytesIO()
    assert export("theme-table", table, buffer, fmt="md") == "md"
    assert buffer.getvalue().decode().startswith("**Table 1.**")


def test_segments_and_codings_kinds(codings, tmp_path):
    export("codings", codings[["coding_id", "code", "text"]], tmp_path / "c.csv")
    back = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    assert back.shape == (6, 3) and back.loc[4, "text"].startswith("'=HYPERLINK")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sysfs is Linux's")
def test_place_that_refuses_new_files(table):
    with pytest.raises(WriteError, match=r"^/sys/t\.docx: .*permission denied"):
        export("theme-table", table, "/sys/t.docx")


def test_files_get_ordinary_permissions(table, tmp_path):
    mask = os.umask(0o022)
    try:
        export("theme-table", table, tmp_path / "t.md")
    finally:
        os.umask(mask)
    assert (tmp_path / "t.md").stat().st_mode & 0o777 == 0o644
