"""Text from transcripts, surveys and codebooks is data: render it so that nothing runs.

One escaper per output format, used everywhere thematic shows or writes such text:

- :func:`markdown_escape` (also :func:`plain`) renders any text (a quote, a code or theme name,
  a memo, a coder's name) as literal text inside Markdown (``.md`` exports, ``methods.md``,
  Streamlit titles, captions, labels): one line, every ASCII punctuation character that can
  start markup backslash-escaped (CommonMark allows it for all of them, ``<`` and ``&``
  included; ``, ' " ; ? %`` stay as they are),
  so no image, link, autolink, heading, list, table cell, emphasis or HTML can start:
  ``![x](http://host/p.png)`` shows those characters instead of fetching an image;
- :func:`latex_escape` for LaTeX, :func:`html_escape` for HTML text and attributes,
  :func:`xml_safe` for what XML (docx, xlsx) cannot hold;
- :func:`escape_cell` / :func:`unescape_cell`: spreadsheet cells never start a formula
  (OWASP CSV injection), reversibly.
- :func:`strip_bidi`: bidirectional control characters (U+202A-U+202E, U+2066-U+2069,
  U+200E/U+200F, U+061C) are removed from labels, so a label cannot look like another.
"""

from __future__ import annotations

import html
import re
import string

#: Characters that never start Markdown (or Streamlit's ``:red[...]``) markup stay as they are.
_MD_INERT = ",'\";?%"
_MD_SPECIAL = re.compile("([" + re.escape("".join(c for c in string.punctuation
                                                if c not in _MD_INERT)) + "])")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LATEX = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
          "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
          "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
          "\u2026": r"\ldots{}", "\u201c": "``", "\u201d": "''", "\u2018": "`", "\u2019": "'",
          "\u2013": "--", "\u2014": "---", "\u00a0": "~"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile("[" + BIDI_CONTROLS + "]")

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def xml_safe(text: object) -> str:
    """``text`` as a string without the control characters XML (docx, xlsx) cannot hold."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def markdown_escape(value: object) -> str:
    """``value`` as Markdown that displays exactly its characters, on one line (None -> "").

    Examples
    --------
    >>> print(markdown_escape("![x](http://host/p.png)"))
    \\!\\[x\\]\\(http\\:\\/\\/host\\/p\\.png\\)
    >>> print(markdown_escape("# Ana *and* <b>Ben</b>\\n- notes"))
    \\# Ana \\*and\\* \\<b\\>Ben\\<\\/b\\> \\- notes
    """
    text = " ".join(xml_safe(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


#: Names shown in Streamlit's Markdown (titles, captions, labels) use the same escaper.
plain = markdown_escape


def latex_escape(text: object) -> str:
    """``text`` escaped for LaTeX (the ten specials, ``< > |``, typographic quotes, dashes)."""
    cleaned = " ".join(xml_safe(text).split())
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], cleaned)


def html_escape(value: object) -> str:
    """``value`` for HTML text or a double-quoted attribute (None -> "")."""
    return "" if value is None else html.escape(xml_safe(value), quote=True)


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
