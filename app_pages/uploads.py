"""Uploaded files to disk (the library reads paths): beside the project, never outside it."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from thematic.fileio import keep_file


def imports_folder(project_file: Path) -> Path:
    """``<project>-imports/`` beside the project file: where uploaded sources are kept."""
    folder = project_file.with_name(project_file.stem + "-imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_uploads(files: Iterable[Any], folder: Path) -> list[Path]:
    """Write Streamlit ``UploadedFile`` objects into ``folder`` (:func:`thematic.fileio.keep_file`:
    two uploads with the same name are both kept)."""
    taken: set[Path] = set()
    return [keep_file(folder, upload.name, upload.getvalue(), taken=taken) for upload in files]


def save_upload_temp(upload: Any) -> Path:
    """One upload to a private temporary file with the same suffix (a codebook, say)."""
    suffix = Path(upload.name).suffix
    handle = tempfile.NamedTemporaryFile(delete=False, suffix=suffix, prefix="thematic_")
    with handle:
        handle.write(upload.getvalue())
    return Path(handle.name)
