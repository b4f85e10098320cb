"""Escaping of data text for each output: spreadsheets, Markdown, LaTeX, Word/XML.

Text from transcripts, surveys and codebooks is data: a quote that starts with ``=`` must not
become a spreadsheet formula, ``<script>`` must not become HTML in rendered Markdown, and
``&%$#_{}~^\\`` must not break a LaTeX table.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["latex_escape", "markdown_escape", "spreadsheet_safe", "spreadsheet_safe_frame",
           "xml_safe"]

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")
_LATEX = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
          "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
          "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
          "\u2026": r"\ldots{}", "\u201c": "``", "\u201d": "''", "\u2018": "`", "\u2019": "'",
          "\u2013": "--", "\u2014": "---", "\u00a0": "~"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))
_MD = re.compile(r"([\\`*_|$~])")


def xml_safe(text: Any) -> str:
    """``text`` as a string without the control characters XML (docx, xlsx) cannot hold."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def spreadsheet_safe(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text, never runs as a formula.

    Strings starting with ``= + - @`` (or a tab/CR, or their full-width forms) get a leading
    apostrophe (OWASP's advice), except plain numbers such as ``-3``; other values pass through.
    """
    if not isinstance(value, str):
        return value
    value = xml_safe(value)
    if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) made :func:`spreadsheet_safe`."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(str(c)) for c in out.columns]
    return out


def latex_escape(text: Any) -> str:
    """``text`` escaped for LaTeX (the ten specials, ``< > |``, typographic quotes, dashes)."""
    cleaned = " ".join(xml_safe(text).split())
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], cleaned)


def markdown_escape(text: Any) -> str:
    """``text`` safe in a Markdown table cell: HTML escaped, ``\\ ` * _ | $ ~`` escaped, one line."""
    cleaned = " ".join(xml_safe(text).split())
    cleaned = cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD.sub(r"\\\1", cleaned)
