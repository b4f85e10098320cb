"""OpenDocument Text (.odt) transcripts, via odfpy.

Paragraphs and headings, in document order (table rows read like Word's), are joined with
``\\n``; spans, links, ``text:s`` spaces, tabs and line breaks keep their text. Headings
are never turns. Footnote and annotation bodies are left out.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from thematic.errors import IngestError
from thematic.ingest.registry import Source, check_zip, register_reader
from thematic.ingest.text import Block, is_header_row, join_blocks, render_row, transcript_document
from thematic.models import Document

logger = logging.getLogger(__name__)

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_SKIP = frozenset({"note", "annotation", "tracked-changes", "sequence-decls", "bookmark-ref"})


def _qname(node: Any) -> str:
    return node.qname[1] if getattr(node, "qname", None) else ""


def _inline_text(node: Any) -> str:
    """Text of a paragraph element with spans, spaces, tabs and line breaks resolved."""
    out: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(str(child.data))
            continue
        name = _qname(child)
        if name == "s":
            out.append(" " * int(child.attributes.get((_TEXT_NS, "c"), 1) or 1))
        elif name == "tab":
            out.append("\t")
        elif name == "line-break":
            out.append("\n")
        elif name not in _SKIP:
            out.append(_inline_text(child))
    return "".join(out)


def _walk(node: Any, blocks: list[Block]) -> None:
    for child in node.childNodes:
        name = _qname(child)
        if name == "p":
            blocks.append(Block(_inline_text(child)))
        elif name == "h":
            blocks.append(Block(_inline_text(child), heading=True))
        elif name == "table":
            rows = [
                [" ".join(_cell_paragraphs(cell)) for cell in _children(row, "table-cell")]
                for row in _rows(child)
            ]
            if rows and is_header_row(rows[0]):
                rows = rows[1:]
            blocks.extend(Block(render_row(cells)) for cells in rows)
        elif name not in _SKIP and child.nodeType == child.ELEMENT_NODE:
            _walk(child, blocks)


def _children(node: Any, name: str) -> list[Any]:
    return [c for c in node.childNodes if _qname(c) == name]


def _rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    for child in table.childNodes:
        if _qname(child) == "table-row":
            rows.append(child)
        elif _qname(child) in ("table-header-rows", "table-rows", "table-row-group"):
            rows.extend(_rows(child))
    return rows


def _cell_paragraphs(cell: Any) -> list[str]:
    inner: list[Block] = []
    _walk(cell, inner)
    return [b.text for b in inner]


@register_reader(".odt")
def read_odt(source: Source) -> list[Document]:
    """Read an OpenDocument text transcript.

    Parameters
    ----------
    source
        The file, its bytes and the read options.

    Returns
    -------
    list[Document]
        One document whose text is the paragraphs joined with ``\\n``.

    Raises
    ------
    IngestError
        The file is not a zip archive, expands past the limit, or is not an ODF document.
    """
    package = check_zip(source, kind=".odt")
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(package))
    except Exception as e:  # odfpy raises several types for a broken package
        raise IngestError(
            f"the file is not a readable OpenDocument text ({type(e).__name__}: {e})",
            path=source.path,
            hint="Open it in LibreOffice and save it again as .odt.",
        ) from e
    blocks: list[Block] = []
    _walk(document.text, blocks)
    joined = join_blocks(blocks)
    return [transcript_document(source, joined.text, "odt", hints=joined.hints)]
