"""GUIDs of a REFI project as the tools write them, made into one key per element.

REFI-QDA allows ``{...}`` braces and either letter case, and tools mix them between an
element and the references to it, so every guid and reference is folded (braces off, lower
case). Tools also reuse guids: ATLAS.ti 8 (macOS) gives a PDF selection and the plain-text
selection of the same quotation one guid; NVivo gives a case the guid of the code it was
made from. Elements of different kinds never meet in our model, so that is resolved by kind.
Two elements of one kind sharing a guid are kept apart by renaming the later ones
(``guid#2``); references to the guid go to the first, except for codes, where a coding's
``CodeRef`` cannot say which one it means (:attr:`GuidIndex.ambiguous_codes`). An element
without a guid gets one made from its place in the file.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from thematic.refi.model import OutcomeLog

KINDS: dict[str, str] = {
    "User": "user",
    "Code": "code",
    "Variable": "variable",
    "Case": "case",
    "TextSource": "source",
    "PictureSource": "source",
    "PDFSource": "source",
    "AudioSource": "source",
    "VideoSource": "source",
    "Representation": "representation",
    "Transcript": "transcript",
    "SyncPoint": "sync point",
    "PlainTextSelection": "text selection",
    "PDFSelection": "PDF selection",
    "PictureSelection": "picture selection",
    "AudioSelection": "audio selection",
    "VideoSelection": "video selection",
    "TranscriptSelection": "transcript selection",
    "Coding": "coding",
    "Note": "note",
    "Set": "set",
    "Graph": "graph",
    "Vertex": "vertex",
    "Edge": "edge",
    "Link": "link",
}
_REFERENCES = ("targetGUID", "originGUID", "creatingUser", "modifyingUser", "creatingUserGUID",
               "modifyingUserGUID", "sourceVertex", "targetVertex", "representedGUID")


def fold(guid: str) -> str:
    """A guid as a key: braces and surrounding space removed, lower case.

    Examples
    --------
    >>> fold(" {3C51EFBB-071F-43A7-9F32-228B89668E8D} ")
    '3c51efbb-071f-43a7-9f32-228b89668e8d'
    """
    return guid.strip().strip("{}").strip().lower()


class GuidIndex:
    """Fold the guids of ``root`` in place and resolve reuse by kind (see the module).

    ``ambiguous_codes`` maps a guid shared by several codes to their names.
    """

    def __init__(self, root: Any, log: OutcomeLog) -> None:
        self.ambiguous_codes: dict[str, list[str]] = {}
        seen: Counter[tuple[str, str]] = Counter()
        by_guid: dict[str, list[tuple[str, Any]]] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in _REFERENCES:
                if el.get(attr) is not None:
                    el.set(attr, fold(el.get(attr)))
            kind = KINDS.get(el.tag)
            if kind is None:  # a reference written as guid= (ATLAS.ti's MemberCode)
                if el.get("guid") is not None:
                    el.set("guid", fold(el.get("guid")))
                continue
            raw = el.get("guid")
            if raw is None or not fold(raw):
                if el.tag in ("Representation", "Transcript", "SyncPoint", "Link", "Vertex", "Edge"):
                    continue
                made = f"line-{el.sourceline}-{el.tag.lower()}"
                el.set("guid", made)
                log.convert(kind, el.get("name") or made, f"has no guid; given '{made}'")
                continue
            guid = fold(raw)
            seen[(kind, guid)] += 1
            n = seen[(kind, guid)]
            el.set("guid", guid if n == 1 else f"{guid}#{n}")
            by_guid.setdefault(guid, []).append((kind, el))
        for guid, items in by_guid.items():
            if len(items) > 1:
                self._report(guid, items, log)

    def _report(self, guid: str, items: list[tuple[str, Any]], log: OutcomeLog) -> None:
        kinds = Counter(kind for kind, _ in items)
        if len(kinds) > 1:
            log.convert(
                "guid", guid,
                "used by " + " and ".join(f"a {k}" if n == 1 else f"{n} {k}s" for k, n in kinds.items())
                + "; each is read as its own kind",
            )
        for kind, n in kinds.items():
            if n < 2:
                continue
            names = [el.get("name") or el.get("guid") for k, el in items if k == kind]
            shown = ", ".join(f"'{x}'" for x in names[:5])
            if kind == "code":
                self.ambiguous_codes[guid] = names
                log.convert(
                    "guid", guid,
                    f"{n} codes share it ({shown}); each is kept, and a coding that points to it "
                    "cannot say which code it means",
                )
            else:
                log.convert(
                    "guid", guid,
                    f"{n} {kind}s share it ({shown}); each is kept, and a reference to it goes to the first",
                )
