"""Text from transcripts, surveys and codebooks is data: render it so that nothing runs.

Three small rules used everywhere thematic shows or writes such text:

- :func:`plain` renders a name (project, codebook, code, document, speaker) as literal text
  inside Markdown (Streamlit titles, captions, labels): every ASCII punctuation character is
  backslash-escaped (CommonMark allows it for all of them), line breaks become spaces, so
  ``![x](http://host/p.png)`` shows those characters instead of fetching an image.
- :func:`escape_cell` / :func:`unescape_cell`: spreadsheet cells never start a formula
  (OWASP CSV injection), reversibly.
- :func:`strip_bidi`: bidirectional control characters (U+202A-U+202E, U+2066-U+2069,
  U+200E/U+200F, U+061C) are removed from labels, so a label cannot look like another.
"""

from __future__ import annotations

import re
import string

_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile("[" + BIDI_CONTROLS + "]")

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def plain(value: object) -> str:
    """``value`` as Markdown that displays exactly its characters (None -> "").

    Examples
    --------
    >>> plain("![x](http://host/p.png)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\:\\\\/\\\\/host\\\\/p\\\\.png\\\\)'
    >>> plain("Ana *and* Ben\\nnotes")
    'Ana \\\\*and\\\\* Ben notes'
    """
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _MD_SPECIAL.sub(r"\\\1", text)


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters.

    Examples
    --------
    >>> strip_bidi("P01\\u202e")
    'P01'
    """
    return _BIDI.sub("", text)


def has_bidi(text: str) -> bool:
    """Whether ``text`` holds a bidirectional control character."""
    return _BIDI.search(text) is not None


def _needs_escape(text: str) -> bool:
    return text.lstrip(ESCAPE).startswith(FORMULA_TRIGGERS)


def escape_cell(value: object) -> object:
    """Escape a text cell a spreadsheet would run as a formula; other values pass unchanged.

    The rule (OWASP): a text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, after any leading apostrophes, gets one more apostrophe in front. It is reversible
    with :func:`unescape_cell`, so the original text is always recoverable. Numbers are never
    escaped.

    Examples
    --------
    >>> escape_cell('=HYPERLINK("http://evil/")'), escape_cell("-5 stars"), escape_cell(-5)
    ('\\'=HYPERLINK("http://evil/")', "'-5 stars", -5)
    >>> unescape_cell(escape_cell("'=1+1")) == "'=1+1"
    True
    """
    if isinstance(value, str) and _needs_escape(value):
        return ESCAPE + value
    return value


def unescape_cell(value: object) -> object:
    """Undo :func:`escape_cell`: the original text of an exported CSV cell."""
    if isinstance(value, str) and value.startswith(ESCAPE) and _needs_escape(value):
        return value[1:]
    return value


def needs_escape(value: object) -> bool:
    """Whether :func:`escape_cell` would change ``value``."""
    return isinstance(value, str) and _needs_escape(value)
