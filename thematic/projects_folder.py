"""The folder a server keeps its projects in: list them (recently opened first), create and open
them by a name relative to the folder, and refuse anything outside it.

A web app must not open whatever file of the server someone types: every name or path a
person gives goes through :meth:`ProjectsFolder.resolve`, which accepts only a ``.thematic``
file inside the folder (symbolic links resolved before the check). Names are what the app puts
in its URL (``?project=team/study.thematic``).

Examples
--------
>>> import tempfile
>>> folder = ProjectsFolder(tempfile.mkdtemp())
>>> path = folder.create("pilot study", study="Pilot")
>>> folder.name_of(path), [entry.name for entry in folder.entries()]
('pilot study.thematic', ['pilot study.thematic'])
>>> folder.resolve("../etc/passwd")
Traceback (most recent call last):
...
thematic.errors.ParameterError: '../etc/passwd' is outside the projects folder. Open a project of the list, or create one there.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from thematic.errors import NotFoundError, ParameterError

log = logging.getLogger(__name__)
SUFFIX = ".thematic"
RECENT_FILE = ".thematic-recent.json"  # {name: when it was last opened (epoch seconds)}
MAX_DEPTH = 2  # projects in the folder and in its subfolders, not deeper


@dataclass(frozen=True)
class ProjectEntry:
    """A project file of the folder: its name (relative path), path, size and times."""

    name: str
    path: Path
    modified: float
    opened: float | None
    size: int


class ProjectsFolder:
    """The projects of one folder (see the module docstring)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()

    # ------------------------------------------------------------------ names and paths
    def resolve(self, name: str | Path) -> Path:
        """The project file of ``name`` (relative to the folder, or a path inside it).

        Raises
        ------
        ParameterError
            ``name`` is empty, not a ``.thematic`` file, or lies outside the folder.
        """
        text = str(name).strip()
        if not text:
            raise ParameterError("name a project file", hint="Pick one of the list.")
        path = self.inside(text, hint="Open a project of the list, or create one there.")
        if path.suffix != SUFFIX:
            raise ParameterError(f"{text!r} is not a project file (*{SUFFIX})",
                                 hint="Open a project of the list, or create one there.")
        return path

    def inside(self, name: str | Path, *, hint: str = "") -> Path:
        """``name`` (relative to the folder, or a path) resolved; ParameterError when it lies
        outside the folder (a symbolic link out of it too)."""
        candidate = Path(str(name).strip()).expanduser()
        path = (candidate if candidate.is_absolute() else self.root / candidate).resolve()
        if not path.is_relative_to(self.root):
            raise ParameterError(f"{str(name).strip()!r} is outside the projects folder",
                                 hint=hint or f"Use a path inside {self.root}.")
        return path

    def name_of(self, path: str | Path) -> str | None:
        """The name of ``path`` in the folder (for the URL), or None when it lies outside."""
        resolved = Path(path).expanduser().resolve()
        if not resolved.is_relative_to(self.root):
            return None
        return resolved.relative_to(self.root).as_posix()

    def existing(self, name: str | Path) -> Path:
        """:meth:`resolve`, and the file must exist (NotFoundError otherwise)."""
        path = self.resolve(name)
        if not path.is_file():
            raise NotFoundError(f"no project {self.name_of(path)!r} in the projects folder",
                                hint="Pick one of the list, or create it.")
        return path

    # ------------------------------------------------------------------ listing
    def entries(self) -> list[ProjectEntry]:
        """Every project file of the folder, the most recently opened first, then the most
        recently changed."""
        if not self.root.is_dir():
            return []
        recent = self._recent()
        found = []
        for path in self._files():
            name = path.relative_to(self.root).as_posix()
            info = path.stat()
            found.append(ProjectEntry(name, path, info.st_mtime, recent.get(name), info.st_size))
        found.sort(key=lambda e: (-(e.opened or 0.0), -e.modified, e.name))
        return found

    def _files(self) -> list[Path]:
        out = []
        for depth in range(MAX_DEPTH):
            pattern = "/".join(["*"] * depth + [f"*{SUFFIX}"])
            out += [p for p in self.root.glob(pattern)
                    if p.is_file() and not p.name.startswith(".")
                    and p.resolve().is_relative_to(self.root)]
        return out

    # ------------------------------------------------------------------ create, open
    def create(self, name: str, *, study: str | None = None, unit: str = "sentence") -> Path:
        """Create a project ``name`` (``.thematic`` added when missing) in the folder.

        ``study`` is the study's name (default: the file's); ``unit`` the unit of coding.
        Raises ParameterError for a name outside the folder, ProjectError when the file
        exists; nothing is created then.
        """
        text = str(name).strip()
        if text and not text.endswith(SUFFIX):
            text += SUFFIX
        path = self.resolve(text)
        from thematic.models import UNITS
        from thematic.project import Project

        if unit not in UNITS:
            raise ParameterError(f"unit must be one of {', '.join(UNITS)}. Got {unit!r} instead.")
        path.parent.mkdir(parents=True, exist_ok=True)
        Project.create(path, name=study or None, unit=unit).close()
        self.mark_opened(path)
        return path

    def mark_opened(self, path: str | Path) -> None:
        """Record that ``path`` was opened now (its place at the top of :meth:`entries`)."""
        name = self.name_of(path)
        if name is None:
            return
        recent = self._recent()
        recent[name] = time.time()
        target = self.root / RECENT_FILE
        part = target.with_name(target.name + ".part")
        try:
            part.write_text(json.dumps(recent, sort_keys=True), encoding="utf-8")
            os.replace(part, target)
        except OSError as error:  # a read-only folder: the list is ordered by changes only
            log.info("cannot record recently opened projects in %s: %s", self.root, error)

    def _recent(self) -> dict[str, float]:
        try:
            data = json.loads((self.root / RECENT_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float))}


__all__ = ["ProjectEntry", "ProjectsFolder", "RECENT_FILE", "SUFFIX"]
