"""Escaping of data text for each output: Markdown, LaTeX, HTML, Word/XML and spreadsheet
cells. The one implementation of each is in :mod:`thematic.text`; exporters import it from here.

Text from transcripts, surveys and codebooks is data: ``<script>`` must not become HTML in
rendered Markdown, ``![x](http://host/p.png)`` must not load an image, and ``&%$#_{}~^\\``
must not break a LaTeX table.
"""

from __future__ import annotations

from thematic.text import escape_cell, html_escape, latex_escape, markdown_escape, xml_safe

__all__ = ["escape_cell", "html_escape", "latex_escape", "markdown_escape", "xml_safe"]
