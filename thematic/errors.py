"""One error hierarchy for thematic.

Every error a researcher can cause is a :class:`ThematicError`. It carries structured
fields (``path``, ``line``, ``column``, ``code_id``) and a ``hint`` saying what to do, so
that the CLI and the app can format one clear line without a traceback. Below the shells
(the store, the services) a hint names no command: it is said in a researcher's words, or
the error names a ``remedy`` (:data:`REMEDIES`) that each shell words its own way (the CLI
with its command, ``thematic.cli.common.REMEDY_COMMANDS``). Each subclass also subclasses the
matching builtin (``ValueError``, ``LookupError`` ...) so callers that catch builtins keep
working.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What a person can do about an error, in the library's own words. An error names one with
#: ``remedy=`` (the store knows no command line); the CLI says the same with its command for it
#: (``thematic.cli.common.REMEDY_COMMANDS``).
REMEDIES: dict[str, str] = {
    "create-project": "Create the project first (Project.create).",
    "migrate": "Back the database up, then upgrade it to this version's schema (Project.migrate).",
    "list-codes": "project.codebook.current() lists the project's codes.",
    "list-documents": "project.documents.frame() lists the documents.",
    "list-codings": "project.review.codings() lists the codings and their ids.",
    "list-participants": "project.participants.frame() lists the participants.",
    "list-topics": "project.topics.frame() lists the topics and their ids.",
    "list-changes": "project.review.history() lists the changes.",
    "list-pseudonyms": "project.exports.pseudonyms() lists the pseudonym list.",
    "list-memos": "project.memos.frame() lists the memos and their ids.",
    "list-accounts": "project.accounts.list() lists the accounts and their roles.",
    "add-owner": "Add an owner first (project.accounts.add(NAME, 'owner', PASSWORD, actor=NAME)).",
    "load-codebook": "Load a codebook into the project first (project.codebook.load(PATH)).",
    "load-as-codebook": "Load it as the project's codebook (project.codebook.load(PATH)).",
    "list-name-candidates": "project.exports.name_candidates() lists the names to confirm.",
}


class ThematicError(Exception):
    """Base class of every error thematic raises on purpose.

    Parameters
    ----------
    message
        What is wrong, in words a researcher understands.
    path
        The file concerned, if any.
    line, column
        1-based location inside ``path``, if known.
    code_id
        The codebook code concerned, if any.
    hint
        What to do about it.
    remedy
        A key of :data:`REMEDIES`: what to do, said by each shell in its own words (the hint
        when ``hint`` is not given).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        code_id: str | None = None,
        hint: str | None = None,
        remedy: str | None = None,
    ) -> None:
        super().__init__(message)
        if remedy is not None and remedy not in REMEDIES:
            raise ValueError(f"remedy must be one of {', '.join(REMEDIES)}. Got {remedy!r} instead.")
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.code_id = code_id
        self.remedy = remedy
        self.hint = hint if hint is not None or remedy is None else REMEDIES[remedy]

    @property
    def location(self) -> str:
        """``path:line:column`` (as much of it as is known), or an empty string."""
        if not self.path:
            return f"line {self.line}" if self.line else ""
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        parts = []
        if self.location:
            parts.append(f"{self.location}: ")
        if self.code_id:
            parts.append(f"code '{self.code_id}': ")
        parts.append(self.message)
        text = "".join(parts)
        if self.hint:
            text = text.rstrip(".") + ". " + self.hint
        return text


class IngestError(ThematicError, ValueError):
    """A file could not be read as a transcript."""


class UnsupportedFormatError(IngestError):
    """No reader is registered for the file's suffix."""


class EmptyDocumentError(IngestError):
    """The file holds no text."""


class DecodingError(IngestError):
    """The file's bytes are not text in any encoding we detect."""


class FileTooLargeError(IngestError):
    """The file (or an archive member) is larger than the configured limit."""


class NoTextColumnsError(IngestError):
    """A table (csv/xlsx) has no free-text columns: not a survey (perhaps a participants file)."""


class ParticipantsError(IngestError):
    """A participants file is malformed (duplicate ids, missing id column, ...)."""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating a whole file (a codebook, say)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    code_id: str | None = None
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        return str(
            ThematicError(
                self.message,
                path=self.path,
                line=self.line,
                column=self.column,
                code_id=self.code_id,
                hint=self.hint,
            )
        )


class CodebookError(ThematicError, ValueError):
    """A codebook is invalid. ``problems`` lists every error found, with locations."""

    def __init__(self, message: str, *, problems: list[Problem] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class ProjectError(ThematicError, RuntimeError):
    """The project file cannot be opened, created or migrated."""


class NotFoundError(ThematicError, LookupError):
    """A document, code, coding, participant ... does not exist in the project."""


class ConflictError(ThematicError, RuntimeError):
    """Someone else changed the same thing since it was read; reload and decide again."""


class ContentionError(ConflictError):
    """Another change to the same rows happened at the same moment (a stale row, a deadlock,
    a lock wait that timed out); nothing was written and the change can simply be retried."""


class AccessError(ThematicError, PermissionError):
    """Sign-in failed, a session ended, or the acting account's role does not allow the action."""


class ReviewError(ThematicError, ValueError):
    """A review operation is not allowed (e.g. an undo with nothing to undo)."""


class ParameterError(ThematicError, ValueError):
    """A bad parameter value: says what was expected and what was given."""


class MissingDependencyError(ThematicError, ImportError):
    """An optional dependency (or model) is not installed; the hint gives the install command."""


class WriteError(ThematicError, OSError):
    """A file cannot be written (read-only or missing folder, a directory, a full disk)."""


#: Exports raise the one write error (the same class under the name the exporters use)
ExportError = WriteError


class ExchangeError(ThematicError, ValueError):
    """A project exchange file (.qdpx, .qde, QualCoder, Taguette) cannot be read or written."""


class UnsafeArchiveError(ExchangeError):
    """An archive entry escapes the archive (``../``, an absolute path, a symlink) or the XML holds a DTD."""


class ArchiveLimitError(ExchangeError):
    """An archive has too many entries or expands past the size limit (perhaps a zip bomb)."""


