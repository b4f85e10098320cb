"""Load and validate YAML codebooks: every problem at once, with its location."""

from __future__ import annotations

import warnings
from pathlib import Path

from thematic.codebook.canonical import build_codebook
from thematic.codebook.checks import check_parsed
from thematic.codebook.parsed import ParsedSource
from thematic.codebook.yaml_read import read_yaml_source
from thematic.errors import CodebookError, Problem
from thematic.models import Codebook


class CodebookWarning(UserWarning):
    """A codebook problem that does not stop loading (a greedy rule, a code without definition)."""


def _sort_key(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def finish(parsed: ParsedSource, *, default_name: str = "codebook") -> tuple[Codebook | None, list[Problem]]:
    """Run the whole-codebook checks; return the codebook (None if any error) and all problems."""
    problems = sorted(parsed.problems + check_parsed(parsed), key=_sort_key)
    if any(p.severity == "error" for p in problems):
        return None, problems
    codebook = build_codebook(
        parsed.codes,
        name=parsed.name or default_name,
        version=parsed.version,
        source_path=parsed.source,
    )
    return codebook, problems


def raise_or_return(
    codebook: Codebook | None, problems: list[Problem], source: str | None
) -> tuple[Codebook, list[Problem]]:
    """Raise one :class:`CodebookError` listing every error, or return codebook and warnings."""
    errors = [p for p in problems if p.severity == "error"]
    if codebook is None or errors:
        where = f" in {source}" if source else ""
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        raise CodebookError(
            f"invalid codebook: {count}{where}",
            problems=errors,
            path=source,
            hint="Fix them all and load again.",
        )
    return codebook, [p for p in problems if p.severity != "error"]


MAX_SEPARATE_WARNINGS = 3


def emit_warnings(problems: list[Problem], *, stacklevel: int = 3) -> None:
    """Issue a :class:`CodebookWarning` per warning problem (one summary when there are many)."""
    if len(problems) > MAX_SEPARATE_WARNINGS:
        listing = "\n".join(f"  - {p}" for p in problems)
        message = f"{len(problems)} codebook warnings:\n{listing}"
        warnings.warn(message, CodebookWarning, stacklevel=stacklevel)
        return
    for problem in problems:
        warnings.warn(str(problem), CodebookWarning, stacklevel=stacklevel)


def read_text(path: Path) -> str:
    """The text of a codebook file, by the one byte decoder of thematic (BOMs, UTF-16, legacy)."""
    from thematic.errors import DecodingError
    from thematic.ingest.normalise import decode_bytes

    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CodebookError(f"codebook file not found: {path}", path=path) from exc
    except OSError as exc:
        raise CodebookError(f"cannot read the codebook ({exc.strerror})", path=path) from exc
    try:
        return decode_bytes(data, path=path).text
    except DecodingError as exc:
        raise CodebookError(exc.message, path=path, hint=exc.hint) from exc


_read_text = read_text


def parse_codebook_with_warnings(text: str, *, source: str | None = None) -> tuple[Codebook, list[Problem]]:
    """Like :func:`parse_codebook` but return the warnings instead of issuing them."""
    default = Path(source).stem if source else "codebook"
    codebook, problems = finish(read_yaml_source(text, source=source), default_name=default)
    return raise_or_return(codebook, problems, source)


def parse_codebook(text: str, *, source: str | None = None) -> Codebook:
    """Parse and validate codebook YAML ``text``.

    Parameters
    ----------
    text
        The YAML document (format: ``codebooks/README.md``).
    source
        A name for locations in messages (usually the file path).

    Returns
    -------
    Codebook
        With ``label`` (``name@version``) and ``content_hash`` set. Warnings are issued as
        :class:`CodebookWarning`.

    Raises
    ------
    CodebookError
        With every error in ``problems`` (line, column, code id), when there is any.

    Examples
    --------
    >>> cb = parse_codebook("codes: [{id: hope, name: Hope, definition: Hope.,"
    ...                     " examples: [It gets better.]}]")
    >>> [c.id for c in cb.codes], cb.label[:9]
    (['hope'], 'codebook@')
    """
    codebook, found = parse_codebook_with_warnings(text, source=source)
    emit_warnings(found)
    return codebook


def load_codebook_with_warnings(path: str | Path) -> tuple[Codebook, list[Problem]]:
    """Load a YAML codebook; return it with its warnings (severity ``"warning"``).

    Raises
    ------
    CodebookError
        When the file is missing, unreadable or has any error.
    """
    path = Path(path)
    return parse_codebook_with_warnings(_read_text(path), source=str(path))


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a YAML codebook file.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml`` file. For CSV and ``.qdc`` use :func:`load_any`.

    Returns
    -------
    Codebook
        The validated codebook; warnings are issued as :class:`CodebookWarning`.

    Raises
    ------
    CodebookError
        Listing every problem with ``file:line:column``.
    """
    codebook, found = load_codebook_with_warnings(path)
    emit_warnings(found)
    return codebook


def validate_yaml_text(text: str, *, source: str | None = None) -> list[Problem]:
    """Every problem (errors and warnings) of codebook YAML ``text``; never raises."""
    return finish(read_yaml_source(text, source=source))[1]
