"""Plain text (.txt) and Markdown (.md) transcripts, and the helpers other readers share."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from thematic.errors import EmptyDocumentError
from thematic.ingest.normalise import decode_bytes, normalise_block, normalise_text
from thematic.ingest.registry import Source, register_reader
from thematic.ingest.speakers import TIME, LineHint, is_name_like, parse_turns
from thematic.models import Document

logger = logging.getLogger(__name__)


def empty_error(source: Source, what: str = "no text") -> EmptyDocumentError:
    """The error for a file that holds nothing to analyse."""
    return EmptyDocumentError(
        f"the file holds {what}",
        path=source.path,
        hint="Check that you chose the right file and that it was saved with its content.",
    )


def transcript_document(
    source: Source,
    text: str,
    fmt: str,
    *,
    hints: Mapping[int, LineHint] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Document:
    """Build a Document from normalised text, parsing speaker turns.

    Raises
    ------
    EmptyDocumentError
        ``text`` is empty or only whitespace.
    """
    if not text.strip():
        raise empty_error(source)
    parsed = parse_turns(text, hints=hints)
    meta: dict[str, Any] = {"convention": parsed.convention}
    if parsed.rejected_labels:
        meta["rejected_labels"] = parsed.rejected_labels
    meta.update(metadata or {})
    logger.debug("%s: %d turns (%s)", source.path, len(parsed.turns), parsed.convention)
    return Document(
        name=source.name,
        text=text,
        turns=parsed.turns,
        format=fmt,
        sha256=source.sha256,
        source_path=str(source.path),
        metadata=meta,
    )


@dataclass
class Block:
    """A paragraph of a structured document (docx, odt) before the blocks are joined."""

    text: str
    heading: bool = False
    label: str | None = None  # a speaker label at the start of ``text``, as written


@dataclass
class Joined:
    """Blocks joined with ``\\n``: the normalised text and the hints for the parser."""

    text: str
    hints: dict[int, LineHint] = field(default_factory=dict)


def join_blocks(blocks: list[Block]) -> Joined:
    """Join paragraphs with ``\\n`` into normalised text, keeping per-line hints.

    A block holding line breaks gives several lines; its hint goes on its first line.
    """
    parts: list[str] = []
    hints: dict[int, LineHint] = {}
    pos = 0
    for block in blocks:
        piece = normalise_block(block.text)
        if block.heading or block.label:
            label = normalise_block(block.label) if block.label else None
            hints[pos] = LineHint(heading=block.heading, label=label)
        parts.append(piece)
        pos += len(piece) + 1
    text = normalise_text("\n".join(parts))
    return Joined(text, {k: v for k, v in hints.items() if k < len(text)})


def render_row(cells: list[str]) -> str:
    """One table row as a transcript line.

    ``[speaker, text]`` -> ``speaker: text``; ``[time, speaker, text]`` ->
    ``[time] speaker: text``; other shapes -> cells joined with a tab.
    """
    cells = [c.strip() for c in cells]
    if len(cells) == 2 and is_name_like(cells[0]) and cells[1]:
        return f"{cells[0]}: {cells[1]}"
    if (
        len(cells) == 3
        and re.fullmatch(r"[\[(]?" + TIME + r"[\])]?", cells[0])
        and is_name_like(cells[1])
    ):
        return f"[{cells[0].strip('[]()')}] {cells[1]}: {cells[2]}"
    return "\t".join(c for c in cells if c)


_HEADER_CELLS = frozenset(
    "speaker name text time timestamp utterance transcript start end content".split()
)


def is_header_row(cells: list[str]) -> bool:
    """Whether a table row is a header such as ``Speaker | Text``."""
    words = {c.strip().lower() for c in cells if c.strip()}
    return bool(words) and words <= _HEADER_CELLS


@register_reader(".txt", ".md")
def read_text(source: Source) -> list[Document]:
    """Read a plain-text or Markdown transcript.

    Parameters
    ----------
    source
        The file, its bytes and the read options.

    Returns
    -------
    list[Document]
        One document; its text is the whole normalised file, turns parsed by
        :func:`thematic.ingest.speakers.parse_turns`.
    """
    decoded = decode_bytes(source.data, path=source.path, encoding=source.options.encoding)
    text = normalise_text(decoded.text)
    fmt = source.path.suffix.lower().lstrip(".")
    metadata: dict[str, Any] = {"encoding": decoded.encoding}
    if decoded.note:
        metadata["encoding_note"] = decoded.note  # the import report shows it as a warning
    return [transcript_document(source, text, fmt, metadata=metadata)]
