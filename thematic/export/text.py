"""Escaping of data text for each output: Markdown, LaTeX, Word/XML (spreadsheet cells:
:func:`thematic.text.escape_cell`).

Text from transcripts, surveys and codebooks is data: ``<script>`` must not become HTML in
rendered Markdown, and ``&%$#_{}~^\\`` must not break a LaTeX table.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["latex_escape", "markdown_escape", "xml_safe"]

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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


def latex_escape(text: Any) -> str:
    """``text`` escaped for LaTeX (the ten specials, ``< > |``, typographic quotes, dashes)."""
    cleaned = " ".join(xml_safe(text).split())
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], cleaned)


def markdown_escape(text: Any) -> str:
    """``text`` safe in a Markdown table cell: HTML escaped, ``\\ ` * _ | $ ~`` escaped, one line."""
    cleaned = " ".join(xml_safe(text).split())
    cleaned = cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD.sub(r"\\\1", cleaned)
