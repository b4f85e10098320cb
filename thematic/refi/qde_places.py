"""Where a REFI project's source files are: inside a ``.qdpx``, or beside a loose ``.qde``.

A source points to its file with ``internal://NAME`` (in the archive's ``sources`` folder),
``relative://PATH`` (against the project's ``basePath``, a folder on the machine that wrote
it) or ``absolute://PATH``. Only the first can be trusted to mean a file we were given:

- in a ``.qdpx``, ``internal://`` names an archive entry (``sources/``, ``Sources/`` or the
  root, letter case ignored);
- beside a loose ``.qde``, the files are looked up in ``sources/`` next to it (any letter
  case), in a zip of that folder (``sources.zip``), next to the ``.qde`` itself, or in the
  folder or zip given with ``--sources``;
- an external (``relative://``, ``absolute://``) file is never opened where it points: only
  its file name is looked up in those places, so a hostile project cannot make thematic read
  ``/etc/passwd``.

Nothing read here leaves the given folders: ``..`` and symbolic links are refused.
"""

from __future__ import annotations

import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thematic.errors import ArchiveLimitError, ExchangeError, UnsafeArchiveError
from thematic.refi.archive import ArchiveLimits, QdpxArchive, _unsafe_reason

SCHEMES = ("internal://", "relative://", "absolute://", "file://")
SOURCE_ZIPS = ("sources.zip",)


@dataclass(frozen=True)
class Reference:
    """A REFI path split into its scheme (``internal``, ``relative``, ``absolute``, ``""``) and path."""

    scheme: str
    path: str

    @property
    def name(self) -> str:
        """The file name the path ends with."""
        return PurePosixPath(self.path).name

    @property
    def external(self) -> bool:
        """Whether the path points outside the exchange (``relative://`` or ``absolute://``)."""
        return self.scheme in ("relative", "absolute", "file")


def parse_reference(reference: str) -> Reference:
    """``internal://a.txt`` -> ``Reference("internal", "a.txt")``; backslashes become slashes.

    Examples
    --------
    >>> parse_reference("relative:///AR/John Interview.mp4").name
    'John Interview.mp4'
    >>> parse_reference("sources\\\\b.txt")
    Reference(scheme='', path='sources/b.txt')
    """
    ref = reference.strip().replace("\\", "/")
    for scheme in SCHEMES:
        if ref.lower().startswith(scheme):
            return Reference(scheme[:-3], ref[len(scheme) :].lstrip("/"))
    return Reference("", ref.lstrip("./") if ref.startswith("./") else ref)


class Places(ABC):
    """Looks source files up; ``where`` says, for messages, where it looked."""

    where: str = "the archive"

    @abstractmethod
    def find(self, reference: Reference) -> bytes | None:
        """The bytes of the file ``reference`` names, or None when it is not here."""

    def fetch(self, reference: str) -> bytes | None:
        """The bytes of the file ``reference`` names, or None when it is in none of the places."""
        return self.find(parse_reference(reference))


class ArchivePlaces(Places):
    """Source files inside a ``.qdpx`` (an external file only by its name in ``sources/``),
    then in ``extra`` (the ``--sources`` folder or zip) when given."""

    def __init__(self, archive: QdpxArchive, extra: LoosePlaces | None = None) -> None:
        self.archive = archive
        self.extra = extra
        self.where = "the archive" + (f" or {extra.where}" if extra is not None else "")

    def find(self, reference: Reference) -> bytes | None:
        if reference.external:
            name = self.archive.find(f"sources/{reference.name}") if reference.name else None
        else:
            name = self.archive.find(reference.path)
        if name is not None:
            return self.archive.read(name)
        return self.extra.find(reference) if self.extra is not None else None


class _Folder:
    """One folder, its files looked up by name (letter case ignored), never outside it."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.root = folder.resolve()
        self.max_bytes = max_bytes
        self._names: dict[str, Path] | None = None

    def _listing(self) -> dict[str, Path]:
        if self._names is None:
            self._names = {}
            if self.root.is_dir():
                for entry in sorted(self.root.iterdir()):
                    self._names.setdefault(entry.name.lower(), entry)
        return self._names

    def read(self, relative: str) -> bytes | None:
        if _unsafe_reason(relative):
            raise UnsafeArchiveError(f"source path '{relative}' leaves the project folder", path=self.root)
        parts = [p for p in relative.split("/") if p not in ("", ".")]
        if not parts:
            return None
        here: Path | None = self.root
        for i, part in enumerate(parts):
            assert here is not None
            listing = self._listing() if i == 0 else _list(here)
            here = listing.get(part.lower())
            if here is None:
                return None
        assert here is not None
        if here.is_symlink() or not here.resolve().is_relative_to(self.root):
            raise UnsafeArchiveError(f"source '{relative}' is a link out of the project folder", path=here)
        if not here.is_file():
            return None
        if here.stat().st_size > self.max_bytes:
            raise ArchiveLimitError(
                f"source '{relative}' is larger than the limit of {self.max_bytes} bytes", path=here
            )
        return here.read_bytes()


def _list(folder: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    if folder.is_dir() and not folder.is_symlink():
        for entry in sorted(folder.iterdir()):
            out.setdefault(entry.name.lower(), entry)
    return out


class LoosePlaces(Places):
    """Source files beside a loose ``.qde``: ``sources/``, ``sources.zip``, the folder, ``--sources``.

    Parameters
    ----------
    qde
        The ``.qde`` file.
    sources
        A folder or a zip holding the sources (``--sources``); looked in first.
    limits
        Byte limits (a zip of sources is read like a ``.qdpx``).
    """

    def __init__(
        self, qde: Path | None, *, sources: Path | None = None, limits: ArchiveLimits | None = None
    ) -> None:
        self.limits = limits or ArchiveLimits()
        self._archives: list[QdpxArchive] = []
        self._folders: list[_Folder] = []
        wheres = []
        if sources is not None:
            self._add(sources, must_exist=True)
            wheres.append(f"'{sources.name}'")
        if qde is not None:
            beside = _list(qde.parent)
            for name in ("sources", *SOURCE_ZIPS):
                if name.lower() in beside:
                    self._add(beside[name.lower()], must_exist=False)
            self._folders.append(_Folder(qde.parent, self.limits.max_total_bytes))
            wheres.append(f"sources/ or sources.zip next to {qde.name}")
        self.where = " or ".join(wheres)

    def _add(self, place: Path, *, must_exist: bool) -> None:
        if place.is_dir():
            # the folder itself, and a sources/ folder inside it (a copy of an unzipped .qdpx)
            self._folders.append(_Folder(place, self.limits.max_total_bytes))
            inner = _list(place).get("sources")
            if inner is not None and inner.is_dir():
                self._folders.append(_Folder(inner, self.limits.max_total_bytes))
        elif place.is_file() and zipfile.is_zipfile(place):
            self._archives.append(QdpxArchive(place, limits=self.limits))
        elif must_exist:
            raise ExchangeError(
                "the sources given are neither a folder nor a zip file",
                path=place,
                hint="Pass --sources the folder (or the zip) that holds the project's source files.",
            )

    def close(self) -> None:
        """Close the zips opened."""
        for archive in self._archives:
            archive.close()

    def find(self, reference: Reference) -> bytes | None:
        wanted = reference.name if reference.external else reference.path
        if not wanted:
            return None
        for folder in self._folders:
            data = folder.read(wanted)
            if data is None and "/" in wanted:
                data = folder.read(PurePosixPath(wanted).name)
            if data is not None:
                return data
        for archive in self._archives:
            hit = archive.find(wanted)
            if hit is not None:
                return archive.read(hit)
        return None
