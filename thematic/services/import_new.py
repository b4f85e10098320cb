"""``thematic import FILE --new PROJECT``: a new project made by an import, all or nothing.

The project is built at a hidden staging file beside the target (``.PROJECT.part``) and renamed
into place only when the import succeeded; a failed or interrupted import leaves no project
file (a staging file left by a killed process is replaced by the next attempt), so the same
command can simply be run again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from thematic.errors import ProjectError
from thematic.fileio import write_error
from thematic.progress import Progress
from thematic.store import ProjectStore, check_actor

if TYPE_CHECKING:
    from thematic.services.exchange import ExchangeReport

__all__ = ["import_new"]

_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _remove(staging: Path) -> None:
    for suffix in _SQLITE_SIDE_FILES:
        staging.with_name(staging.name + suffix).unlink(missing_ok=True)


def import_new(target: str | Path, source: str | Path, *, name: str | None = None,
               actor: str, allow_unplaced: bool = False,
               progress: Progress | None = None,
               sources: str | Path | None = None) -> ExchangeReport:
    """Create the project file ``target`` from the foreign project ``source``.

    Raises
    ------
    ProjectError
        ``target`` exists already (nothing is changed).
    """
    from thematic.services.exchange import import_project

    check_actor(actor, "import")
    if "://" in str(target):  # a database URL: never a path (its password is no folder name)
        return _import_into_database(str(target), source, name=name, actor=actor,
                                     allow_unplaced=allow_unplaced, progress=progress,
                                     sources=sources)
    target = Path(target)
    if target.exists():
        raise ProjectError("a project file exists here already", path=str(target),
                           hint="Import into it without --new, or choose another path.")
    staging = target.with_name(f".{target.name}.part")
    try:
        _remove(staging)
    except OSError as exc:
        raise write_error(staging, exc) from exc
    try:
        store = ProjectStore(str(staging), create=True, name=name or target.stem)
        try:
            report = import_project(store, source, actor=actor, allow_unplaced=allow_unplaced,
                                    progress=progress, sources=sources)
        finally:
            store.close()
        for suffix in _SQLITE_SIDE_FILES[1:]:  # closed: the journal is merged into the file
            _check_merged(staging.with_name(staging.name + suffix))
        os.replace(staging, target)
    except OSError as exc:
        _remove(staging)
        raise write_error(target, exc) from exc
    except BaseException:
        _remove(staging)
        raise
    return report


def _import_into_database(url: str, source: str | Path, *, name: str | None, actor: str,
                          allow_unplaced: bool, progress: Progress | None,
                          sources: str | Path | None) -> ExchangeReport:
    """A new project in the database at ``url`` made by the import; a failed import removes
    the project it had just created (the import itself is one transaction)."""
    from thematic.services.exchange import import_project

    store = ProjectStore(url, create=True, name=name or Path(source).stem, new=True)
    try:
        return import_project(store, source, actor=actor, allow_unplaced=allow_unplaced,
                              progress=progress, sources=sources)
    except BaseException:
        store.remove_project()
        raise
    finally:
        store.close()


def _check_merged(side: Path) -> None:
    if side.exists() and side.stat().st_size > 0 and side.name.endswith("-wal"):
        raise ProjectError("the new project could not be closed cleanly", path=str(side),
                           hint="Run the import again.")
    side.unlink(missing_ok=True)


