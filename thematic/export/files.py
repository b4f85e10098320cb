"""File output for exporters: all of a file or none of it.

Writers render into memory (bytes) and hand the result to :func:`write_bytes`, which writes
through the project's one atomic write policy (:func:`thematic.fileio.write_atomic`: the
target checked first, one clear :class:`~thematic.errors.WriteError` when it cannot be
written, a temporary file beside the target renamed into place, a new file given the
permissions the umask allows).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from thematic.errors import WriteError
from thematic.fileio import write_atomic

Target = str | Path | IO[bytes]


def check_folder(path: str | Path, *, create: bool = True) -> Path:
    """Raise :class:`WriteError` unless ``path`` is (or can be made) a writable folder."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise WriteError("the output folder is a file", path=str(folder), hint="Give a folder.")
    if not folder.exists():
        parent = folder.parent
        if not create or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            raise WriteError("the output folder does not exist and cannot be created",
                              path=str(folder), hint="Create it first, or write somewhere else.")
        folder.mkdir()
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise WriteError("this folder cannot be written (permission denied)", path=str(folder),
                          hint="Choose a folder you can write to.")
    return folder


def write_bytes(target: Target, data: bytes) -> None:
    """Write ``data`` to a path atomically (:func:`thematic.fileio.write_atomic`, whose
    errors are the one set of messages for a file that cannot be written) or to a file-like."""
    if not isinstance(target, (str, Path)):
        target.write(data)
        return
    write_atomic(target, data)


def write_text(target: Target, text: str) -> None:
    """Write ``text`` as UTF-8 (see :func:`write_bytes`)."""
    write_bytes(target, text.encode("utf-8"))


def target_name(target: Target, default: str = "output") -> str:
    """The file name of a path or file-like (``default`` when it has none)."""
    if isinstance(target, (str, Path)):
        return str(target)
    return str(getattr(target, "name", default))
