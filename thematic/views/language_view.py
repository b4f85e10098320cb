"""The documents' language and the embedding model, as the app says it."""

from __future__ import annotations

from dataclasses import dataclass

from thematic.suggest.languages import LanguageFit
from thematic.views.common import plain

__all__ = ["LanguageNotice", "language_notice"]


@dataclass(frozen=True)
class LanguageNotice:
    """``level`` is "warning" when the model does not serve the documents' language, else
    "info"; ``text`` is the sentence to show, Markdown-escaped."""

    level: str
    text: str


def language_notice(fit: LanguageFit) -> LanguageNotice:
    """What the app shows of :meth:`thematic.Project.language`.

    Examples
    --------
    >>> from thematic.suggest.languages import LanguageGuess, language_fit
    >>> language_notice(language_fit("all-MiniLM-L6-v2", LanguageGuess("de", 1.0, 900))).level
    'warning'
    """
    return LanguageNotice("warning" if fit.served is False else "info", plain(fit.message))
