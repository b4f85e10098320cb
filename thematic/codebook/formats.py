"""Public entry points per file format, and dispatch by suffix (``load_any`` / ``save_any``)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from thematic.codebook.checks import check_parsed
from thematic.codebook.csv_io import read_csv_source, write_csv_text
from thematic.codebook.loader import (
    emit_warnings,
    finish,
    load_codebook,
    load_codebook_with_warnings,
    raise_or_return,
    read_text,
    validate_yaml_text,
)
from thematic.codebook.parsed import ParsedSource
from thematic.codebook.qdc import qdc_bytes, read_qdc_source
from thematic.codebook.yaml_write import dump_codebook_yaml
from thematic.errors import CodebookError, Problem
from thematic.fileio import write_atomic
from thematic.models import Codebook

YAML_SUFFIXES = (".yaml", ".yml")
SUFFIXES = (*YAML_SUFFIXES, ".csv", ".qdc")
#: whole REFI-QDA projects, whose CodeBook is read (never written)
PROJECT_SUFFIXES = (".qdpx", ".qde")

Source = str | Path | IO[bytes] | IO[str]


def _read_input(source: Source) -> tuple[bytes | str, str | None]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return path.read_bytes(), str(path)
        except FileNotFoundError as exc:
            raise CodebookError(f"codebook file not found: {path}", path=path) from exc
    return source.read(), getattr(source, "name", None)


def _stem(source: str | None) -> str:
    return Path(source).stem if source else "codebook"


def _finish_and_raise(parsed: ParsedSource) -> Codebook:
    codebook, problems = finish(parsed, default_name=_stem(parsed.source))
    codebook, found = raise_or_return(codebook, problems, parsed.source)
    emit_warnings(found, stacklevel=4)
    return codebook


def read_codebook_csv(source: Source, *, separator: str | None = None) -> Codebook:
    """Read a codebook from CSV (Taguette's columns and thematic's richer ones).

    Parameters
    ----------
    source
        A path or an open file (bytes or text).
    separator
        Hierarchy separator inside ``tag``/``path``; detected (`` > ``, ``/``, ``.``) when None.

    Returns
    -------
    Codebook
        Codes in file order; ids come from the ``id`` column or are made from names.

    Raises
    ------
    CodebookError
        Without a ``tag``/``name``/``path`` column (the message lists the columns found), or
        listing every row problem (``line`` is the row's line in the file).
    """
    data, name = _read_input(source)
    return _finish_and_raise(read_csv_source(data, source=name, separator=separator))


def write_codebook_csv(
    codebook: Codebook, dest: str | Path | IO[str] | None = None, *, separator: str = " > "
) -> str:
    """Write ``codebook`` as CSV to ``dest`` (a path or text stream) and return the text.

    Columns: ``tag`` (path joined by ``separator``), ``description`` (the definition), ``id``,
    ``parent_id``, ``inclusion``, ``exclusion``, ``color``, ``examples``. Rules are not written.
    """
    text = write_csv_text(codebook, separator=separator)
    if isinstance(dest, (str, Path)):
        write_atomic(dest, text)
    elif dest is not None:
        dest.write(text)
    return text


def read_qdc(source: str | Path | IO[bytes]) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) written by thematic or another QDA tool.

    Raises
    ------
    CodebookError
        When the file is not XML, breaks ``Codebook.xsd`` or holds invalid codes; each problem
        carries its line.
    """
    data, name = _read_input(source)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _finish_and_raise(read_qdc_source(raw, source=name))


def write_qdc(codebook: Codebook, dest: str | Path | IO[bytes] | None = None) -> bytes:
    """Write ``codebook`` as a REFI-QDA ``.qdc`` to ``dest`` (path or binary stream); return the bytes.

    Each code's guid is a uuid5 of its id, so exporting twice gives the same file.
    """
    data = qdc_bytes(codebook)
    if isinstance(dest, (str, Path)):
        write_atomic(dest, data)
    elif dest is not None:
        dest.write(data)
    return data


def _suffix(path: str | Path, *, reading: bool = True) -> str:
    suffix = Path(path).suffix.lower()
    if reading and suffix in PROJECT_SUFFIXES:
        return suffix
    if suffix not in SUFFIXES:
        from thematic.refi.identify import native_message

        native = native_message(path, want="codebook") if reading else None
        if native is not None:
            raise CodebookError(native[0], path=path, hint=native[1])
        known = (*SUFFIXES, *PROJECT_SUFFIXES) if reading else SUFFIXES
        raise CodebookError(
            f"unsupported codebook format '{suffix or Path(path).name}'",
            path=path,
            hint="Use one of: " + ", ".join(known) + ".",
        )
    return suffix


def _project_codebook(path: str | Path) -> ParsedSource:
    from thematic.refi.project_codebook import read_project_codebook

    return read_project_codebook(path)


def load_any(path: str | Path) -> Codebook:
    """Load a codebook from ``.yaml``/``.yml``, ``.csv``, ``.qdc`` or a REFI-QDA project's
    ``.qdpx``/``.qde`` (its CodeBook) by its suffix.

    Examples
    --------
    >>> cb = load_any("codebooks/peer_listening.yaml")  # doctest: +SKIP
    """
    suffix = _suffix(path)
    if suffix in YAML_SUFFIXES:
        return load_codebook(path)
    if suffix == ".csv":
        return read_codebook_csv(path)
    if suffix in PROJECT_SUFFIXES:
        return _finish_and_raise(_project_codebook(path))
    return read_qdc(path)


def load_any_with_warnings(path: str | Path) -> tuple[Codebook, list[Problem]]:
    """Like :func:`load_any` (one parse), but return the warnings instead of issuing them.

    Raises
    ------
    CodebookError
        Listing every error, with its location.
    """
    suffix = _suffix(path)
    if suffix in YAML_SUFFIXES:
        return load_codebook_with_warnings(path)
    if suffix in PROJECT_SUFFIXES:
        parsed = _project_codebook(path)
        codebook, problems = finish(parsed, default_name=_stem(parsed.source))
        return raise_or_return(codebook, problems, parsed.source)
    data, name = _read_input(path)
    if suffix == ".csv":
        parsed = read_csv_source(data, source=name)
    else:
        parsed = read_qdc_source(data.encode("utf-8") if isinstance(data, str) else data, source=name)
    codebook, problems = finish(parsed, default_name=_stem(parsed.source))
    return raise_or_return(codebook, problems, parsed.source)


def save_any(codebook: Codebook, path: str | Path) -> Path:
    """Write ``codebook`` to ``path`` in the format its suffix names; return the path."""
    path = Path(path)
    suffix = _suffix(path, reading=False)
    if suffix in YAML_SUFFIXES:
        write_atomic(path, dump_codebook_yaml(codebook))
    elif suffix == ".csv":
        write_codebook_csv(codebook, path)
    else:
        write_qdc(codebook, path)
    return path


def validate_codebook(source: str | Path | Codebook) -> list[Problem]:
    """Every problem of a codebook file or object, errors and warnings, without raising.

    Parameters
    ----------
    source
        A ``.yaml``/``.yml``/``.csv``/``.qdc`` path, or an in-memory :class:`Codebook`
        (checked for ids, hierarchy and rules; no locations).

    Returns
    -------
    list[Problem]
        Sorted by line; ``severity`` is ``"error"`` or ``"warning"``. Empty when all is well.
    """
    if isinstance(source, Codebook):
        return check_parsed(ParsedSource(codes=list(source.codes), source=source.source_path))
    suffix = _suffix(source)
    try:
        if suffix in YAML_SUFFIXES:
            text = read_text(Path(source))
            return validate_yaml_text(text, source=str(source))
        if suffix in PROJECT_SUFFIXES:
            parsed = _project_codebook(source)
            return finish(parsed, default_name=_stem(parsed.source))[1]
        data, name = _read_input(source)
        if suffix == ".csv":
            parsed = read_csv_source(data, source=name)
        else:
            parsed = read_qdc_source(data if isinstance(data, bytes) else data.encode(), source=name)
    except CodebookError as exc:
        return exc.problems or [Problem(exc.message, path=exc.path, line=exc.line, column=exc.column)]
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(f"cannot read the codebook: {exc}", path=str(source))]
    return finish(parsed, default_name=_stem(parsed.source))[1]
