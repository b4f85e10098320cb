"""REFI-QDA project exchange: ``.qdpx``/``.qde`` read and write, and peers' own projects.

:func:`read_exchange` reads any supported file into an :class:`~thematic.refi.model.ExProject`;
:func:`~thematic.refi.qde_write.write_qdpx` writes one. Offsets are converted at the
boundary (:mod:`thematic.refi.offsets`).
"""

from __future__ import annotations

from pathlib import Path

from thematic.errors import UnsupportedFormatError
from thematic.refi.archive import ArchiveLimits
from thematic.refi.model import ExProject

EXCHANGE_SUFFIXES: tuple[str, ...] = (".qdpx", ".qde", ".qda", ".sqlite3", ".sqlite")
#: the tools ``.qdpx`` exports are written for (see :mod:`thematic.refi.qde_write`)
EXPORT_TARGETS: tuple[str, ...] = ("standard", "nvivo", "atlasti", "maxqda")

__all__ = ["EXCHANGE_SUFFIXES", "EXPORT_TARGETS", "ArchiveLimits", "ExProject", "read_exchange"]


def read_exchange(
    path: str | Path, *, limits: ArchiveLimits | None = None, sources: str | Path | None = None
) -> ExProject:
    """Read a ``.qdpx``, a loose ``.qde``, a QualCoder ``.qda`` folder or a Taguette database.

    Parameters
    ----------
    path
        The file (or QualCoder folder).
    limits
        Archive limits (entry count, inflated bytes).
    sources
        A folder or zip holding a REFI project's source files, looked in before the archive's
        own ``sources`` (or the ``sources/`` folder beside a loose ``.qde``).

    Raises
    ------
    UnsupportedFormatError
        The suffix is none of :data:`EXCHANGE_SUFFIXES` (another program's own file is named,
        with the REFI-QDA export to make instead).
    ExchangeError
        The file cannot be read (see each reader).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".qdpx", ".qde"):
        from thematic.refi.qde_read import read_project

        return read_project(path, limits=limits, sources=sources)
    if suffix == ".qda" or (path.is_dir() and (path / "data.qda").is_file()):
        from thematic.store.foreign.qualcoder import read_qualcoder

        return read_qualcoder(path)
    if suffix in (".sqlite3", ".sqlite"):
        from thematic.store.foreign.taguette import read_taguette

        return read_taguette(path)
    raise _not_exchange(path)


def _not_exchange(path: Path) -> UnsupportedFormatError:
    from thematic.refi.identify import native_message

    native = native_message(path)
    if native is not None:
        return UnsupportedFormatError(native[0], path=path, hint=native[1])
    if path.suffix.lower() == ".qdc":
        return UnsupportedFormatError(
            f"'{path.name}' is a REFI-QDA codebook, not a project",
            path=path,
            hint="Load it with 'thematic codebook import'.",
        )
    return UnsupportedFormatError(
        f"cannot import '{path.name}': not a project exchange file",
        path=path,
        hint="Import a REFI-QDA .qdpx or .qde, a QualCoder .qda folder or a Taguette .sqlite3.",
    )
