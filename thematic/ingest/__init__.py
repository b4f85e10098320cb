"""Ingestion: files -> :class:`~thematic.models.Document` objects with speaker turns.

One reader per format, registered for file suffixes; :func:`read_file` dispatches on the
suffix. Readers import their heavy libraries (python-docx, pypdf, webvtt-py, openpyxl,
odfpy) only when called, so importing this package stays fast.

Examples
--------
>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "p01.txt"
>>> _ = p.write_bytes(b"Interviewer: How did it start?\\r\\nP01: Slowly.\\r\\n")
>>> doc, = read_file(p)
>>> [(t.speaker, doc.text[t.start:t.end]) for t in doc.turns]
[('Interviewer', 'How did it start?'), ('P01', 'Slowly.')]
"""

from __future__ import annotations

import logging
from pathlib import Path

from thematic.errors import EmptyDocumentError, IngestError, UnsupportedFormatError

# Importing the reader modules registers them (they import nothing heavy at module level).
from thematic.ingest import captions as _captions  # noqa: F401
from thematic.ingest import docx as _docx  # noqa: F401
from thematic.ingest import odt as _odt  # noqa: F401
from thematic.ingest import pdf as _pdf  # noqa: F401
from thematic.ingest import survey as _survey  # noqa: F401
from thematic.ingest import text as _text  # noqa: F401
from thematic.ingest.normalise import sha256_hex
from thematic.ingest.participants import ParticipantTable, read_participants
from thematic.ingest.registry import (
    Reader,
    ReadOptions,
    Source,
    check_size,
    get_reader,
    register_reader,
    supported_suffixes,
    unregister_reader,
)
from thematic.ingest.roles import apply_roles, detect_roles
from thematic.models import Document

logger = logging.getLogger(__name__)

__all__ = [
    "ParticipantTable",
    "ReadOptions",
    "Reader",
    "Source",
    "apply_roles",
    "detect_roles",
    "read_file",
    "read_participants",
    "register_reader",
    "supported_suffixes",
    "unregister_reader",
]


def read_file(path: str | Path, *, options: ReadOptions | None = None) -> list[Document]:
    """Read a transcript, caption, survey or document file into Documents.

    Parameters
    ----------
    path
        The file; its suffix (case-insensitive) chooses the reader, see
        :func:`supported_suffixes`.
    options
        Limits, survey columns and layout, encoding (see :class:`ReadOptions`).

    Returns
    -------
    list[Document]
        One document for most formats; one per respondent or per question for surveys.
        Each document's ``text`` is normalised (DESIGN invariant 1), its turns index that
        text, and ``sha256`` is the hash of the file's original bytes.

    Raises
    ------
    UnsupportedFormatError
        No reader for the suffix (the message lists the supported ones).
    FileTooLargeError
        The file is larger than ``options.max_bytes``, or an archive expands past
        ``options.max_unzipped_bytes``.
    EmptyDocumentError
        The file holds no text.
    DecodingError
        The file is not text in an encoding we detect.
    IngestError
        Any other problem of the file's content; the message says where.
    """
    path = Path(path)
    options = options or ReadOptions()
    reader = get_reader(path.suffix)
    if reader is None:
        raise UnsupportedFormatError(
            f"no reader for files ending in {path.suffix or '(no suffix)'!r}",
            path=path,
            hint="Supported: " + ", ".join(supported_suffixes()) + ". Convert the file "
            "(e.g. save a .doc as .docx) or rename it if its suffix is wrong.",
        )
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise IngestError(f"the file {what}", path=path, hint="Check the path.")
    check_size(path, path.stat().st_size, options)
    data = path.read_bytes()
    check_size(path, len(data), options)  # the file may have grown meanwhile
    if not data:
        raise EmptyDocumentError(
            "the file is empty (0 bytes)",
            path=path,
            hint="Check that you chose the right file and that it was saved with its content.",
        )
    documents = reader(Source(path, data, sha256_hex(data), options))
    logger.info("%s: %d document(s)", path, len(documents))
    return documents
