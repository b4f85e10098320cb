"""A transcript the reader can select with the mouse: returns exact character offsets.

A Streamlit custom component (v1) served from ``index.html`` beside this file. It shows
the escaped HTML the views build (:func:`thematic.views.turn_html`): every ``.th-text``
block carries ``data-start``, the document offset of its first character, and code tags
carry ``data-skip`` so they are not counted. A mouse selection returns
``{"kind": "selection", "start", "end", "text", "nonce"}`` in code points of the document's
text (what the library's spans count); a click with no selection returns the sentence under
the pointer (``kind="sentence"``), a shift-click the whole turn (``kind="turn"``).

``stripes`` (:meth:`thematic.views.Stripe.as_arg`) are drawn as coding stripes in a right
margin, one column per code, each spanning its coding's text (measured from the marks that
carry its id): hovering one names the code and lights its text, clicking it returns
``{"kind": "coding", "coding_id"}``. ``chosen`` is the coding shown as chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

_component = components.declare_component("thematic_selectable",
                                          path=str(Path(__file__).resolve().parent))


def selectable_transcript(html: str, *, sentences: list[tuple[int, int]],
                          turns: list[tuple[int, int]], height: int = 900,
                          seekable: bool = False, stripes: list[dict[str, Any]] | None = None,
                          chosen: int | None = None,
                          key: str | None = None) -> dict[str, Any] | None:
    """Show ``html`` (already escaped) and return the newest selection, or None.

    ``seekable``: a click on a turn's timestamp returns ``{"kind": "seek", "time": seconds}``.
    """
    value = _component(html=html, sentences=[list(s) for s in sentences],
                       turns=[list(t) for t in turns], height=height, seekable=seekable,
                       stripes=stripes or [], chosen=chosen, key=key, default=None)
    return value if isinstance(value, dict) else None
