"""Bad input: every error says what is wrong, where, and what to do."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from thematic.errors import (
    DecodingError,
    EmptyDocumentError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from thematic.ingest import ReadOptions, read_file

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.txt", b" \r\n\t\n  "),
        ("bom_only.md", b"\xef\xbb\xbf\n"),
        ("empty.vtt", b"\n\n"),
        ("empty.docx", None),
    ],
)
def test_empty_file(name: str, content: bytes | None, tmp_path: Path) -> None:
    path = tmp_path / name
    if content is None:
        import docx

        docx.Document().save(str(path))
    else:
        path.write_bytes(content)
    with pytest.raises(EmptyDocumentError, match=r"(empty|holds no text)") as e:
        read_file(path)
    assert e.value.path == str(path) and e.value.hint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not text.*NUL bytes"),
        (bytes(range(0x80, 0x100)) * 8, "not text"),
    ],
    ids=["binary-with-nul", "undecodable-bytes"],
)
def test_binary_data_with_a_txt_suffix(content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(content)
    with pytest.raises(DecodingError, match=message):
        read_file(path)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "interview.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError, match=r"no reader for files ending in '\.doc'") as e:
        read_file(path)
    assert ".docx, .md, .odt, .pdf, .srt, .txt, .vtt, .xlsx" in str(e.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="does not exist"):
        read_file(tmp_path / "nope.txt")


def test_file_over_a_small_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ana: " + "word " * 300)
    with pytest.raises(
        FileTooLargeError,
        match=r"the file is 1\.5 KB \(1505 bytes\), larger than the limit of 1\.0 KB "
        r"\(1024 bytes\).*--max-mb N \(in Python: max_bytes=",
    ):
        read_file(path, options=ReadOptions(max_bytes=1024))


def test_a_real_50_mb_file_with_the_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Interviewer: and then?\n" * (50 * MB // 23 + 1))
    with pytest.raises(FileTooLargeError, match=r"larger than the limit of 20\.0 MB"):
        read_file(path)


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".xlsx"])
def test_office_file_that_is_not_a_zip(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"transcript{suffix}"
    path.write_text("Interviewer: this was saved as plain text\n")
    with pytest.raises(IngestError, match=rf"not a valid \{suffix} file \(it is not a zip"):
        read_file(path)


def test_zip_that_expands_past_the_limit(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (3 * MB))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 10_000
    with pytest.raises(
        FileTooLargeError, match=r"expands to 3\.0 MB .*past the limit of 1\.0 MB.*zip bomb"
    ):
        read_file(path, options=ReadOptions(max_unzipped_bytes=MB))


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        (
            "bad.vtt",
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: Hi.\n\n2\n"
            "00:00:0x.000 --> 00:00:03.000\nBen: Hello.\n",
            8,
        ),
        (
            "bad.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nAna: Hi.\n\n2\n00:00:02,000 --> 3\nBen\n",
            6,
        ),
        ("backwards.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nAna: Hi.\n", 3),
        ("noheader.vtt", "1\n00:00:01.000 --> 00:00:02.000\nAna: Hi.\n", 1),
    ],
    ids=["vtt-timestamp", "srt-timestamp", "vtt-ends-before-start", "vtt-no-header"],
)
def test_malformed_captions_name_the_line(
    name: str, content: str, line: int, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(IngestError, match=rf"{name}:{line}: ") as e:
        read_file(path)
    assert e.value.line == line


def test_csv_without_the_named_column(data_dir: Path) -> None:
    with pytest.raises(
        IngestError, match=r"there is no text column 'comments'; the columns are: 'respondent_id'"
    ):
        read_file(data_dir / "survey.csv", options=ReadOptions(text_columns=["comments"]))


def test_pdf_without_a_text_layer(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(IngestError, match=r"no text layer; run OCR first.*ocrmypdf"):
        read_file(path)


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(IngestError, match="not a readable PDF"):
        read_file(path)


def test_bad_read_options() -> None:
    with pytest.raises(
        IngestError,
        match=r"survey_layout must be one of respondent, question\. "
        r"Got 'rows' instead",
    ):
        ReadOptions(survey_layout="rows")  # type: ignore[arg-type]
