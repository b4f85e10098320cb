"""Where a REFI source's text lives: inline, a plain-text entry, or a docx/PDF representation.

The text returned is *raw* (decoded, BOM removed, line breaks as stored) so that the
selections' foreign offsets can be mapped (:mod:`thematic.refi.offsets`); a docx or PDF
representation is read through our own readers (:mod:`thematic.ingest`), whose text is
already normalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thematic.errors import EmptyDocumentError, ExchangeError, IngestError
from thematic.ingest.normalise import decode_bytes, sha256_hex
from thematic.refi.qde_places import Places, parse_reference


@dataclass(frozen=True)
class RawText:
    """A source's raw text and the kind of representation it came from."""

    text: str
    kind: str  # "text" | "docx" | "pdf" | "odt"


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
    places: Places,
    name: str,
    inline: str | None,
    plain_path: str | None,
    rich_path: str | None,
    where: str | Path,
) -> RawText:
    """The raw text of a TextSource, trying inline content, the plain text, then the docx.

    A missing plain text is not fatal when a rich text (docx) holds the text.

    Raises
    ------
    ExchangeError
        A referenced file is missing (and no other representation holds the text), or a
        representation cannot be read.
    """
    if inline is not None and inline.strip():
        return RawText(inline, "text")
    if plain_path:
        data = places.fetch(plain_path)
        if data is None:
            if rich_path:
                return representation_text(places=places, name=name, path=rich_path, where=where)
            raise _missing(name, plain_path, places, where)
        try:
            text = decode_bytes(data, path=plain_path).text
        except IngestError as e:
            raise ExchangeError(f"source '{name}': {e.message}", path=where) from e
        if text.strip():
            return RawText(text, "text")
    if rich_path:
        return representation_text(places=places, name=name, path=rich_path, where=where)
    if plain_path or inline is not None:
        return RawText("", "text")
    raise ExchangeError(
        f"source '{name}' has no text (no content, no plain or rich text path)", path=where
    )


def _missing(name: str, path: str, places: Places, where: str | Path) -> ExchangeError:
    if parse_reference(path).external:
        return ExchangeError(
            f"source '{name}' points to the external file '{path}', which is not in {places.where}",
            path=where,
            hint="Put the file there (thematic never opens a path a project file points to).",
        )
    return ExchangeError(
        f"source '{name}' points to '{path}', which is not in {places.where}",
        path=where,
        hint="Export the project again with its sources included, or pass --sources DIR.",
    )


def representation_text(*, places: Places, name: str, path: str, where: str | Path) -> RawText:
    """Text of a docx/odt/PDF representation, read through thematic's readers."""
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix not in (".docx", ".pdf", ".odt", ".txt"):
        raise ExchangeError(
            f"source '{name}': its representation '{path}' is not a format thematic reads",
            path=where,
        )
    data = places.fetch(path)
    if data is None:
        raise _missing(name, path, places, where)
    try:
        text = _read_with(suffix, name, data)
    except EmptyDocumentError as e:
        raise ExchangeError(f"source '{name}': its text is empty ('{path}' holds no text)", path=where) from e
    except IngestError as e:
        raise ExchangeError(f"source '{name}': '{path}' cannot be read ({e.message})", path=where) from e
    return RawText(text, suffix.lstrip("."))
