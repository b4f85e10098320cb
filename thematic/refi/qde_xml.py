"""Small helpers over REFI-QDA XML parsed with lxml (namespaces stripped, children by tag)."""

from __future__ import annotations

from typing import Any


def strip_namespaces(root: Any) -> None:
    """Every element's tag without its namespace (tools write 1.0, other spellings or none)."""
    from lxml import etree

    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname


def kids(el: Any, name: str) -> list[Any]:
    """The children of ``el`` named ``name``."""
    return [c for c in el if c.tag == name]


def kid(el: Any, name: str) -> Any | None:
    """The first child of ``el`` named ``name``, or None."""
    for c in el:
        if c.tag == name:
            return c
    return None


def text_of(el: Any, name: str) -> str:
    """The text of the first child named ``name`` (empty when there is none)."""
    child = kid(el, name)
    return (child.text or "") if child is not None else ""
