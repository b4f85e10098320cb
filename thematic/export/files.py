"""File output for exporters: all of a file or none of it.

Writers render into memory (bytes) and hand the result to :func:`write_bytes`, which checks the
target first (one clear :class:`~thematic.errors.WriteError` before anything is touched), then
writes through the project's one atomic write policy (:func:`thematic.fileio.write_atomic`:
temporary file beside the target, renamed into place), and gives a new file the permissions
the umask allows (not the temporary file's 0600).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from thematic.errors import WriteError
from thematic.fileio import write_atomic

Target = str | Path | IO[bytes]


def check_writable(path: str | Path) -> Path:
    """Raise :class:`WriteError` unless a file can be created or replaced at ``path``.

    Parameters
    ----------
    path
        The file to write.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise WriteError("the output is a folder, not a file", path=str(target),
                          hint="Give a file name with a suffix (.docx, .xlsx, .csv, ...).")
    if not folder.is_dir():
        raise WriteError(f"the folder '{folder}' does not exist", path=str(target),
                          hint="Create the folder first, or write somewhere else.")
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise WriteError("this place cannot be written (permission denied)", path=str(target),
                          hint="Choose a folder you can write to.")
    return target


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
    """Write ``data`` to a path atomically (see the module docstring) or to a file-like."""
    if not isinstance(target, (str, Path)):
        target.write(data)
        return
    write_atomic(check_writable(target), data)


def write_text(target: Target, text: str) -> None:
    """Write ``text`` as UTF-8 (see :func:`write_bytes`)."""
    write_bytes(target, text.encode("utf-8"))


def target_name(target: Target, default: str = "output") -> str:
    """The file name of a path or file-like (``default`` when it has none)."""
    if isinstance(target, (str, Path)):
        return str(target)
    return str(getattr(target, "name", default))
