"""Reader registry, read options and the size limits every reader shares."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from thematic.errors import FileTooLargeError, IngestError, ParameterError
from thematic.models import (
    SURVEY_LAYOUTS,  # noqa: F401  (re-exported)
    Document,
)

logger = logging.getLogger(__name__)

MB = 1024 * 1024


@dataclass
class ReadOptions:
    """Options of :func:`thematic.ingest.read_file`.

    Parameters
    ----------
    max_bytes
        Largest file read, in bytes (default 20 MB).
    max_unzipped_bytes
        Largest total size the members of a .docx/.odt/.xlsx archive may expand to
        (default 200 MB); guards against zip bombs.
    id_column
        Survey files: the respondent id column (default: detected).
    text_columns
        Survey files: the columns holding free-text answers (default: detected).
    survey_layout
        ``"respondent"``: one document per respondent, one turn per question;
        ``"question"``: one document per question, one turn per respondent.
    encoding
        Text files: decode with this encoding instead of detecting one.
    na_values
        Participants and survey files: the strings that mean "missing" in attribute columns.
        By default only empty cells are missing, and ``NA``, ``N/A``, ``null``, ``None`` ...
        are values ("NA" may be Narcotics Anonymous), except in a numeric or date column.
    """

    max_bytes: int = 20 * MB
    max_unzipped_bytes: int = 200 * MB
    id_column: str | None = None
    text_columns: list[str] | None = None
    survey_layout: Literal["respondent", "question"] = "respondent"
    encoding: str | None = None
    na_values: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.survey_layout not in SURVEY_LAYOUTS:
            raise IngestError(
                f"survey_layout must be one of {', '.join(SURVEY_LAYOUTS)}. "
                f"Got {self.survey_layout!r} instead."
            )
        for name in ("max_bytes", "max_unzipped_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise IngestError(f"{name} must be a positive integer. Got {value!r} instead.")


@dataclass(frozen=True)
class Source:
    """A file as a reader receives it: its path, its bytes and their hash."""

    path: Path
    data: bytes
    sha256: str
    options: ReadOptions = field(default_factory=ReadOptions)

    @property
    def name(self) -> str:
        """Document name: the file name without its suffix."""
        return self.path.stem


Reader = Callable[[Source], list[Document]]
_READERS: dict[str, Reader] = {}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader function for file suffixes (a decorator).

    Parameters
    ----------
    *suffixes
        Suffixes with their dot, e.g. ``".vtt"``; matched case-insensitively.

    Examples
    --------
    >>> @register_reader(".example")
    ... def read_example(source):
    ...     return []
    >>> ".example" in supported_suffixes()
    True
    >>> unregister_reader(".example")
    """

    def decorate(func: Reader) -> Reader:
        for suffix in suffixes:
            if not suffix.startswith("."):
                raise ParameterError(f"suffix must start with a dot. Got {suffix!r} instead.")
            _READERS[suffix.lower()] = func
        return func

    return decorate


def unregister_reader(suffix: str) -> None:
    """Remove the reader of ``suffix`` (for plugins and tests)."""
    _READERS.pop(suffix.lower(), None)


def get_reader(suffix: str) -> Reader | None:
    """The reader registered for ``suffix``, or None."""
    return _READERS.get(suffix.lower())


def supported_suffixes() -> list[str]:
    """Sorted suffixes that have a reader, e.g. ``['.csv', '.docx', ...]``."""
    return sorted(_READERS)


def human_size(n: int) -> str:
    """``20971520`` -> ``'20.0 MB'``."""
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def check_size(path: Path, size: int, options: ReadOptions) -> None:
    """Raise :class:`FileTooLargeError` if ``size`` exceeds ``options.max_bytes``."""
    if size > options.max_bytes:
        raise FileTooLargeError(
            f"the file is {human_size(size)} ({size} bytes), larger than the limit of "
            f"{human_size(options.max_bytes)} ({options.max_bytes} bytes)",
            path=path,
            hint="Raise the limit with --max-mb N (in Python: max_bytes=...) if the file is genuine, "
            "or split it into smaller files.",
        )


_CHUNK = 1024 * 1024


def check_zip(source: Source, *, kind: str) -> bytes:
    """Unpack a zip-based file (docx, odt, xlsx) within a byte budget; return a safe copy.

    The members are decompressed as a stream, counting the bytes actually produced, never
    trusting the sizes the archive's headers claim (a zip bomb forges them). The members are
    then stored again, uncompressed, in a new archive that the format's library reads: its
    sizes are the ones counted, so nothing can expand past the budget afterwards.

    Returns
    -------
    bytes
        An equivalent archive (members stored uncompressed) to hand to the format's library.

    Raises
    ------
    IngestError
        The file is not a zip archive (or a damaged one: a bad CRC, a forged size).
    FileTooLargeError
        Its members together expand past ``options.max_unzipped_bytes``.
    """
    limit = source.options.max_unzipped_bytes
    buffer = io.BytesIO(source.data)
    if not zipfile.is_zipfile(buffer):
        raise IngestError(
            f"the file is not a valid {kind} file (it is not a zip archive)",
            path=source.path,
            hint=f"Open it in its application and save it again as {kind}; an old binary "
            "format (.doc, .xls) saved under a new suffix must be converted.",
        )
    out = io.BytesIO()
    total = 0
    try:
        with zipfile.ZipFile(buffer) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            claimed = sum(info.file_size for info in archive.infolist())
            if claimed > limit:  # an honest header already says too much: stop before unpacking
                raise _too_large(source, kind, limit, claimed)
            for info in archive.infolist():
                if info.is_dir():
                    continue
                parts: list[bytes] = []
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise _too_large(source, kind, limit)
                        parts.append(chunk)
                copy.writestr(info.filename, b"".join(parts))
    except FileTooLargeError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError,
            RuntimeError, ValueError) as e:
        raise IngestError(
            f"the {kind} file is damaged ({e})",
            path=source.path,
            hint="Open it in its application and save it again.",
        ) from e
    return out.getvalue()


def _too_large(source: Source, kind: str, limit: int, total: int | None = None) -> FileTooLargeError:
    size = f" to {human_size(total)} ({total} bytes)," if total is not None else ""
    return FileTooLargeError(
        f"the {kind} archive expands{size} past the limit of {human_size(limit)} ({limit} bytes)",
        path=source.path,
        hint="Raise the limit with --max-unzipped-mb N (in Python: max_unzipped_bytes=...) if the file is "
        "genuine; otherwise do not open it (it may be a zip bomb).",
    )
