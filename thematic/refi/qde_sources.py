"""Where a REFI source's text lives: inline, a plain-text entry, or a docx/PDF representation.

The text returned is *raw* (decoded, BOM removed, line breaks as stored) so that the
selections' foreign offsets can be mapped (:mod:`thematic.refi.offsets`); a docx or PDF
representation is read through our own readers (:mod:`thematic.ingest`), whose text is
already normalised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thematic.errors import ExchangeError, IngestError, UnsafeArchiveError
from thematic.ingest.normalise import decode_bytes, sha256_hex
from thematic.refi.archive import QdpxArchive, _unsafe_reason

Fetch = Callable[[str], bytes | None]


@dataclass(frozen=True)
class RawText:
    """A source's raw text and the kind of representation it came from."""

    text: str
    kind: str  # "text" | "docx" | "pdf" | "odt"


def archive_fetch(archive: QdpxArchive) -> Fetch:
    """A fetcher reading REFI paths from an archive (None when the entry is missing)."""

    def fetch(reference: str) -> bytes | None:
        name = archive.find(reference)
        return archive.read(name) if name is not None else None

    return fetch


def folder_fetch(folder: Path, *, max_bytes: int) -> Fetch:
    """A fetcher reading REFI paths next to a loose ``.qde`` file, never outside ``folder``."""
    root = folder.resolve()

    def fetch(reference: str) -> bytes | None:
        ref = reference.strip()
        if ref.lower().startswith("internal://"):
            ref = ref[len("internal://") :]
        ref = ref.replace("\\", "/")
        if _unsafe_reason(ref):
            raise UnsafeArchiveError(
                f"source path '{reference}' leaves the project folder", path=folder
            )
        for candidate in (
            ref,
            f"sources/{ref}",
            f"Sources/{ref}",
            f"sources/{PurePosixPath(ref).name}",
        ):
            path = (root / candidate).resolve()
            if not path.is_relative_to(root) or path.is_symlink():
                raise UnsafeArchiveError(
                    f"source path '{reference}' leaves the project folder", path=folder
                )
            if path.is_file():
                if path.stat().st_size > max_bytes:
                    from thematic.errors import ArchiveLimitError

                    raise ArchiveLimitError(
                        f"source '{reference}' is larger than the limit of {max_bytes} bytes",
                        path=path,
                    )
                return path.read_bytes()
        return None

    return fetch


def _read_with(reader_suffix: str, name: str, data: bytes) -> str:
    import thematic.ingest  # noqa: F401  (registers the readers)
    from thematic.ingest.registry import Source, get_reader

    reader = get_reader(reader_suffix)
    assert reader is not None
    source = Source(path=Path(name + reader_suffix), data=data, sha256=sha256_hex(data))
    docs = reader(source)
    return "\n".join(d.text for d in docs)


def source_text(
    *,
    fetch: Fetch,
    name: str,
    inline: str | None,
    plain_path: str | None,
    rich_path: str | None,
    where: str | Path,
) -> RawText:
    """The raw text of a TextSource, trying inline content, the plain text, then the docx.

    Raises
    ------
    ExchangeError
        A referenced file is missing from the archive, or no representation holds text.
    """
    if inline is not None and inline.strip():
        return RawText(inline, "text")
    if plain_path:
        data = fetch(plain_path)
        if data is None:
            raise ExchangeError(
                f"source '{name}' points to '{plain_path}', which is not in the archive",
                path=where,
                hint="Export the project again with its sources included.",
            )
        try:
            text = decode_bytes(data, path=plain_path).text
        except IngestError as e:
            raise ExchangeError(f"source '{name}': {e.message}", path=where) from e
        if text.strip():
            return RawText(text, "text")
    if rich_path:
        return representation_text(fetch=fetch, name=name, path=rich_path, where=where)
    if plain_path or inline is not None:
        return RawText("", "text")
    raise ExchangeError(
        f"source '{name}' has no text (no content, no plain or rich text path)", path=where
    )


def representation_text(*, fetch: Fetch, name: str, path: str, where: str | Path) -> RawText:
    """Text of a docx/odt/PDF representation, read through thematic's readers."""
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix not in (".docx", ".pdf", ".odt", ".txt"):
        raise ExchangeError(
            f"source '{name}': its representation '{path}' is not a format thematic reads",
            path=where,
        )
    data = fetch(path)
    if data is None:
        raise ExchangeError(
            f"source '{name}' points to '{path}', which is not in the archive",
            path=where,
            hint="Export the project again with its sources included.",
        )
    try:
        text = _read_with(suffix, name, data)
    except IngestError as e:
        raise ExchangeError(f"source '{name}' ({path}): {e.message}", path=where) from e
    return RawText(text, suffix.lstrip("."))
