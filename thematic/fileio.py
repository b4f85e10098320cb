"""One policy for writing files: atomic, and every failure is one clear :class:`WriteError`.

Every file thematic writes for a person (table exports, codebooks, reports) goes through
:func:`write_atomic`: the bytes go to a temporary file in the target's own folder, are
flushed to disk, and the temporary file is renamed over the target. A failure (read-only or
missing folder, a directory as the target, a full disk, ...) leaves the target as it was, no
temporary file behind, and raises a :class:`~thematic.errors.WriteError` naming the file and
the cause, never the data being written.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from thematic.errors import WriteError

_CAUSES = {
    errno.EACCES: "permission denied (the folder or file is read-only)",
    errno.EPERM: "permission denied (the folder or file is read-only)",
    errno.EROFS: "the folder is on a read-only file system",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENAMETOOLONG: "the file name is too long",
}


def describe_os_error(exc: OSError) -> str:
    """A short cause for an ``OSError``, in words (no paths, no data)."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or type(exc).__name__


def write_error(target: str | Path, exc: OSError) -> WriteError:
    """The :class:`WriteError` for ``exc`` raised while writing ``target``."""
    return WriteError(
        f"cannot write {Path(target).name}: {describe_os_error(exc)}",
        path=target,
        hint="Choose another folder (or free some space) and try again.",
    )


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise WriteError(
            f"cannot write {target.name}: it is a folder, not a file",
            path=target,
            hint="Choose another folder or give a file name.",
        )
    if not target.parent.is_dir():
        raise WriteError(
            f"cannot write {target.name}: the folder {target.parent} does not exist",
            path=target,
            hint="Choose another folder, or create this one first.",
        )


Opener = Callable[[int, str], IO[bytes]]
_fdopen: Opener = os.fdopen  # the default opener; a test may replace it to simulate a full disk


def write_atomic(target: str | Path, data: bytes | str, *, encoding: str = "utf-8",
                 opener: Opener | None = None) -> Path:
    """Write ``data`` to ``target`` atomically; return the target path.

    Parameters
    ----------
    target
        The file to (over)write.
    data
        Bytes, or text encoded with ``encoding``.
    encoding
        Used when ``data`` is text.
    opener
        ``opener(fd, mode)`` returning a binary stream for the temporary file's descriptor
        (default :func:`os.fdopen`); tests pass a faulty one to simulate a full disk.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    WriteError
        The file cannot be written; the target is unchanged and no temporary file is left.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "table.csv"
    >>> write_atomic(out, "a,b\\n1,2\\n").read_text()
    'a,b\\n1,2\\n'
    """
    target = Path(target)
    payload = data.encode(encoding) if isinstance(data, str) else data
    _check_target(target)
    # mkstemp makes 0600 files: keep an existing file's mode, else what the umask allows
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with (opener or _fdopen)(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise write_error(target, exc) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def keep_file(folder: str | Path, name: str, data: bytes, *, taken: set[Path] | None = None) -> Path:
    """Store an uploaded file's ``data`` in ``folder`` under its base ``name``, never over
    another file: the same bytes already there are reused; a different file of the same
    name (or one already ``taken`` in this batch) goes to a numbered subfolder (``2/P01.txt``),
    so two uploads called ``P01.txt`` are both kept (ingest tells them apart by folder).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> a, b = keep_file(folder, "P01.txt", b"one"), keep_file(folder, "P01.txt", b"two")
    >>> a.relative_to(folder).as_posix(), b.relative_to(folder).as_posix(), b.read_bytes()
    ('P01.txt', '2/P01.txt', b'two')
    """
    folder = Path(folder)
    base = Path(name).name or "upload"
    used = taken if taken is not None else set()
    k = 1
    while True:
        target = folder / base if k == 1 else folder / str(k) / base
        if target not in used:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, data)
                break
            if target.is_file() and target.read_bytes() == data:
                break
        k += 1
    used.add(target)
    return target
