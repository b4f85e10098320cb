"""The reader registry and the lazy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from thematic.ingest import (
    ReadOptions,
    Source,
    read_file,
    register_reader,
    supported_suffixes,
    unregister_reader,
)
from thematic.models import Document, Turn


def test_supported_suffixes() -> None:
    assert supported_suffixes() == [
        ".csv",
        ".docx",
        ".md",
        ".odt",
        ".pdf",
        ".srt",
        ".txt",
        ".vtt",
        ".xlsx",
    ]


def test_a_registered_reader_receives_bytes_hash_and_options(tmp_path: Path) -> None:
    seen: list[Source] = []

    @register_reader(".notes")
    def read_notes(source: Source) -> list[Document]:
        seen.append(source)
        text = source.data.decode()
        return [Document(source.name, text, [Turn(0, len(text))], "notes", source.sha256)]

    try:
        path = tmp_path / "field.NOTES"
        path.write_text("rain")
        (doc,) = read_file(path, options=ReadOptions(max_bytes=100))
        assert (doc.text, seen[0].options.max_bytes, len(doc.sha256)) == ("rain", 100, 64)
    finally:
        unregister_reader(".notes")
    assert ".notes" not in supported_suffixes()


def test_importing_ingest_loads_no_heavy_library() -> None:
    code = (
        "import sys, thematic.ingest; "
        "print([m for m in ('pandas', 'docx', 'pypdf', 'webvtt', 'openpyxl', 'odf', "
        "'charset_normalizer') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"
