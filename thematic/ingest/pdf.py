"""PDF transcripts, via pypdf's text layer.

Pages are joined with a blank line; ``Document.metadata["page_starts"]`` holds the offset
where each page's text starts (for citing page numbers). Speaker turns are parsed as in
plain text. A PDF without a text layer (a scan) is refused with the advice to run OCR.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from thematic.errors import IngestError
from thematic.ingest.normalise import normalise_block, normalise_text
from thematic.ingest.registry import Source, register_reader
from thematic.ingest.text import transcript_document
from thematic.models import Document

logger = logging.getLogger(__name__)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _pypdf_logs() -> Iterator[list[str]]:
    """Collect what pypdf logs while reading (instead of Python printing it on stderr).

    Without a configured handler Python prints pypdf's warnings ("incorrect startxref
    pointer", ...) before our own clear message; they are collected here and passed on to
    thematic's logger at debug level.
    """
    pypdf_logger = logging.getLogger("pypdf")
    handler = _Collect()
    propagate = pypdf_logger.propagate
    pypdf_logger.addHandler(handler)
    pypdf_logger.propagate = False
    try:
        yield handler.messages
    finally:
        pypdf_logger.removeHandler(handler)
        pypdf_logger.propagate = propagate
        for message in handler.messages:
            logger.debug("pypdf: %s", message)


@register_reader(".pdf")
def read_pdf(source: Source) -> list[Document]:
    """Read the text layer of a PDF.

    Parameters
    ----------
    source
        The file, its bytes and the read options.

    Returns
    -------
    list[Document]
        One document, pages separated by a blank line.

    Raises
    ------
    IngestError
        The file is not a readable PDF, is encrypted, or has no text layer.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with _pypdf_logs():
        return _read(source, PdfReader, PdfReadError)


def _read(source: Source, PdfReader: Any, PdfReadError: type[Exception]) -> list[Document]:  # noqa: N803
    try:
        reader = PdfReader(io.BytesIO(source.data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(
                "the PDF is encrypted with a password",
                path=source.path,
                hint="Save an unprotected copy of it and read that.",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        if isinstance(e, IngestError):
            raise
        raise IngestError(
            f"the file is not a readable PDF ({type(e).__name__}: {e})",
            path=source.path,
            hint="Open it in a PDF viewer and save (or print to PDF) a new copy.",
        ) from e
    if not any(p.strip() for p in pages):
        raise IngestError(
            f"the PDF has {len(pages)} page(s) but no text layer; run OCR first",
            path=source.path,
            hint="For example `ocrmypdf in.pdf out.pdf`, then read out.pdf.",
        )
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for page in pages:
        piece = normalise_block(page).strip("\n")
        starts.append(pos)
        parts.append(piece)
        pos += len(piece) + 2
    text = normalise_text("\n\n".join(parts))
    return [
        transcript_document(
            source, text, "pdf", metadata={"page_count": len(pages), "page_starts": starts}
        )
    ]
