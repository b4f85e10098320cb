"""A transcript the reader can select with the mouse: returns exact character offsets.

A Streamlit custom component (v1) served from ``index.html`` beside this file. It shows
the escaped HTML the views build (:func:`thematic.views.turn_html`): every ``.th-text``
block carries ``data-start``, the document offset of its first character, and code tags
carry ``data-skip`` so they are not counted. A mouse selection returns
``{"kind": "selection", "start", "end", "text", "nonce"}`` in code points of the document's
text (what the library's spans count); a click with no selection returns the sentence under
the pointer (``kind="sentence"``), a shift-click the whole turn (``kind="turn"``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

_component = components.declare_component("thematic_selectable",
                                          path=str(Path(__file__).resolve().parent))


def selectable_transcript(html: str, *, sentences: list[tuple[int, int]],
                          turns: list[tuple[int, int]], height: int = 900,
                          seekable: bool = False, key: str | None = None) -> dict[str, Any] | None:
    """Show ``html`` (already escaped) and return the newest selection, or None.

    ``seekable``: a click on a turn's timestamp returns ``{"kind": "seek", "time": seconds}``.
    """
    value = _component(html=html, sentences=[list(s) for s in sentences],
                       turns=[list(t) for t in turns], height=height, seekable=seekable,
                       key=key, default=None)
    return value if isinstance(value, dict) else None
