"""Safe reading of ``.qdpx`` archives and of REFI-QDA XML.

A ``.qdpx`` is a zip holding ``project.qde`` and the sources. Nothing in it is trusted:

- entry names may not escape the archive (``../``, absolute paths, drive letters) and
  symlink entries are refused (:class:`~thematic.errors.UnsafeArchiveError`);
- the number of entries and the bytes actually inflated are limited; sizes are counted
  while streaming, never taken from the zip headers (:class:`~thematic.errors.ArchiveLimitError`);
- XML is parsed without DTDs, entities or network access; a document with a DOCTYPE is
  refused.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from thematic.errors import ArchiveLimitError, ExchangeError, UnsafeArchiveError

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

MB = 1024 * 1024
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits of :class:`QdpxArchive`.

    Parameters
    ----------
    max_entries
        Most entries an archive may hold (default 20,000).
    max_total_bytes
        Most bytes all entries read together may inflate to (default 1 GB).
    """

    max_entries: int = 20_000
    max_total_bytes: int = 1024 * MB


def _unsafe_reason(name: str) -> str | None:
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "an absolute path"
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        return "a '../' path that leaves the archive"
    return None


class QdpxArchive:
    """A ``.qdpx`` (zip) opened for safe reading.

    Parameters
    ----------
    path
        The archive.
    limits
        Entry count and inflated size limits.

    Raises
    ------
    ExchangeError
        The file is not a zip archive.
    UnsafeArchiveError
        An entry name escapes the archive or is a symlink.
    ArchiveLimitError
        Too many entries.
    """

    def __init__(self, path: str | Path, *, limits: ArchiveLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ArchiveLimits()
        self._read_bytes = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError) as e:
            raise ExchangeError(
                f"not a REFI-QDA project archive: the file is not a readable zip ({e})",
                path=self.path,
                hint="Export the project again as REFI-QDA (.qdpx).",
            ) from e
        if len(infos) > self.limits.max_entries:
            raise ArchiveLimitError(
                f"the archive holds {len(infos)} entries, more than the limit of "
                f"{self.limits.max_entries}",
                path=self.path,
                hint="Raise ArchiveLimits(max_entries=...) if the archive is genuine.",
            )
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            reason = _unsafe_reason(info.filename)
            if reason is None and stat.S_ISLNK(info.external_attr >> 16):
                reason = "a symbolic link"
            if reason is not None:
                raise UnsafeArchiveError(
                    f"entry '{info.filename}' is {reason}; refusing to read the archive",
                    path=self.path,
                    hint="Only open archives from a source you trust; export the project again.",
                )
            if not info.is_dir():
                self._infos[info.filename] = info
        self._folded = {_fold(n): n for n in self._infos}

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        """The file entries' names (directories left out)."""
        return list(self._infos)

    def find(self, reference: str) -> str | None:
        """The entry a REFI path points to, or None.

        ``internal://`` is stripped; ``Sources/`` and ``sources/``, back and forward slashes
        and letter case are treated alike; a bare file name is looked up under the sources
        folder too.
        """
        ref = reference.strip()
        if ref.lower().startswith("internal://"):
            ref = ref[len("internal://") :]
        ref = ref.replace("\\", "/").lstrip("./")
        for candidate in (ref, f"sources/{ref}", f"sources/{posixpath.basename(ref)}"):
            hit = self._folded.get(_fold(candidate))
            if hit is not None:
                return hit
        return None

    def read(self, name: str) -> bytes:
        """The bytes of entry ``name``, streamed against the archive's byte budget.

        Raises
        ------
        ArchiveLimitError
            Reading it takes the archive past ``max_total_bytes``.
        """
        info = self._infos[name]
        budget = self.limits.max_total_bytes - self._read_bytes
        out = io.BytesIO()
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise ArchiveLimitError(
                            f"entry '{name}' takes the archive past the limit of "
                            f"{self.limits.max_total_bytes} inflated bytes",
                            path=self.path,
                            hint="Do not open it if you do not trust it (it may be a zip "
                            "bomb); otherwise raise ArchiveLimits(max_total_bytes=...).",
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise ExchangeError(
                f"entry '{name}' of the archive is damaged ({e})", path=self.path
            ) from e
        data = out.getvalue()
        self._read_bytes += len(data)
        return data


def _fold(name: str) -> str:
    return name.replace("\\", "/").lower()


def parse_xml(data: bytes, *, path: str | Path, entry: str | None = None) -> etree._Element:
    """Parse REFI-QDA XML without DTDs, entities or network access.

    Parameters
    ----------
    data
        The document's bytes (a UTF-8 BOM is allowed).
    path
        The file (archive) it came from, for messages.
    entry
        The archive entry, for messages.

    Raises
    ------
    UnsafeArchiveError
        The document declares a DOCTYPE (entities are refused outright).
    ExchangeError
        The XML is not well formed (with line and column).
    """
    from lxml import etree

    where = f"entry '{entry}'" if entry else "the file"
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line, column = e.position if e.position else (e.lineno, None)
        raise ExchangeError(
            f"{where} is not well-formed XML ({e.msg})",
            path=path,
            line=line,
            column=column,
            hint="Export the project again from its tool.",
        ) from e
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeArchiveError(
            f"{where} declares a DOCTYPE (DTDs and entities are not allowed in REFI-QDA XML)",
            path=path,
            hint="Export the project again from its tool; do not open files from an untrusted source.",
        )
    return root
