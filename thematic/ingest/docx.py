"""Microsoft Word (.docx) transcripts, via python-docx.

Paragraphs and table rows, in document order, are joined with ``\\n`` into the stored
text. Speaker labels are recognised as written in the text (``Name: text``), as a bold
leading run (**Name** text), and in Word's "Transcribe" export, where a paragraph
``00:00:03 Speaker 1`` or ``Speaker 1  0:03`` precedes the speech. Paragraphs styled as
headings or title are never turns. A table row ``[speaker, text]`` or
``[time, speaker, text]`` reads as a labelled line (see :func:`~thematic.ingest.text.render_row`).
"""

from __future__ import annotations

import io
import logging
from typing import Any

from thematic.errors import IngestError
from thematic.ingest.registry import Source, check_zip, register_reader
from thematic.ingest.speakers import is_name_like
from thematic.ingest.text import Block, is_header_row, join_blocks, render_row, transcript_document
from thematic.models import Document

logger = logging.getLogger(__name__)


def _bold_label(paragraph: Any) -> str | None:
    """The leading bold run text if it looks like a speaker label, else None."""
    label = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if run.bold is not True:
            break
        label += run.text
    if not label.strip():
        return None
    full = paragraph.text
    if not full.startswith(label):
        return None
    rest = full[len(label) :].strip()
    name = label.strip().rstrip(":").strip()
    ends_with_colon = label.strip().endswith(":") or rest.startswith(":")
    if not rest and not ends_with_colon:
        return None  # a whole bold paragraph is a heading-ish line, not a label
    return label if is_name_like(name) else None


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.style
    name = (style.name if style is not None else "") or ""
    return name.startswith("Heading") or name in ("Title", "Subtitle")


def _row_cells(row: Any) -> list[str]:
    seen: set[int] = set()
    cells: list[str] = []
    for cell in row.cells:
        if id(cell._tc) in seen:  # a merged cell repeats
            continue
        seen.add(id(cell._tc))
        cells.append(cell.text)
    return cells


@register_reader(".docx")
def read_docx(source: Source) -> list[Document]:
    """Read a Word transcript.

    Parameters
    ----------
    source
        The file, its bytes and the read options.

    Returns
    -------
    list[Document]
        One document whose text is the paragraphs (and table rows) joined with ``\\n``.

    Raises
    ------
    IngestError
        The file is not a zip archive, expands past the limit, or is not a Word document.
    EmptyDocumentError
        The document has no text.
    """
    package = check_zip(source, kind=".docx")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(package))
    except Exception as e:  # python-docx raises several types for a broken package
        raise IngestError(
            f"the file is not a readable Word document ({type(e).__name__}: {e})",
            path=source.path,
            hint="Open it in Word and save it again as .docx.",
        ) from e
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [_row_cells(row) for row in item.rows]
            if rows and is_header_row(rows[0]):
                rows = rows[1:]
            blocks.extend(Block(render_row(cells)) for cells in rows)
        else:
            heading = _is_heading(item)
            blocks.append(
                Block(item.text, heading=heading, label=None if heading else _bold_label(item))
            )
    joined = join_blocks(blocks)
    props = document.core_properties
    metadata: dict[str, Any] = {}
    if props.title:
        metadata["title"] = props.title
    if props.author:
        metadata["author"] = props.author
    if props.created:
        metadata["created"] = props.created.isoformat()
    return [transcript_document(source, joined.text, "docx", hints=joined.hints, metadata=metadata)]
