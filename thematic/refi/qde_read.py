"""Read a REFI-QDA project (``.qdpx`` archive or loose ``project.qde``) into :class:`ExProject`.

Quirks of the tools that write it are handled here: ``Sources/`` or ``sources/`` and odd
entries (``sources/.root``); NVivo for Mac's empty plain text with a docx representation;
``plainTextPath`` with or without ``internal://``; selections named ``line:N``; MAXQDA's loose
``.qde``, selections with a ``Description`` and no ``Coding`` (read as notes on that span),
several sources of one name (renamed ``name (2)``), cases without a name; UTF-8 with a BOM
and CRLF. Offsets are converted with :mod:`thematic.refi.offsets` and every coding is
checked against its source's text; one that cannot be placed goes to ``unplaced``.
Duplicate guids are an error.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from thematic.errors import ExchangeError
from thematic.refi.archive import ArchiveLimits, QdpxArchive, parse_xml
from thematic.refi.model import (
    VARIABLE_TYPES,
    ExCase,
    ExCode,
    ExCoding,
    ExNote,
    ExProject,
    ExSet,
    ExSource,
    ExUser,
    ExVariable,
    Unplaced,
)
from thematic.refi.offsets import OffsetMap, choose_convention
from thematic.refi.qde_sources import (
    Fetch,
    RawText,
    archive_fetch,
    folder_fetch,
    representation_text,
    source_text,
)

SIDECAR = "thematic/sidecar.json"
SIDECAR_NS = "urn:thematic:qdpx-sidecar:1"
_LINE_NAME = re.compile(r"^line:\s*\d+$", re.IGNORECASE)
_OFFSETS_IN_ORIGIN = re.compile(r"offsets (\S+)")
_DROPPED_SOURCES = ("PictureSource", "AudioSource", "VideoSource")


def _strip_namespaces(root: Any) -> None:
    from lxml import etree

    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname


def _kids(el: Any, name: str) -> list[Any]:
    return [c for c in el if c.tag == name]


def _kid(el: Any, name: str) -> Any | None:
    for c in el:
        if c.tag == name:
            return c
    return None


def _text_of(el: Any, name: str) -> str:
    child = _kid(el, name)
    return (child.text or "") if child is not None else ""


def read_project(path: str | Path, *, limits: ArchiveLimits | None = None) -> ExProject:
    """Read a ``.qdpx`` archive or a loose ``.qde`` project file.

    Parameters
    ----------
    path
        The ``.qdpx`` (zip) or ``.qde`` (XML, sources in the same folder).
    limits
        Archive limits (entry count, inflated bytes).

    Returns
    -------
    ExProject
        Every element read, offsets in code points of normalised text; ``unplaced`` and
        ``dropped`` say what could not be kept.

    Raises
    ------
    ExchangeError
        Malformed XML, duplicate guids, a source missing from the archive; its subclasses
        for an unsafe or oversized archive.
    """
    path = Path(path)
    limits = limits or ArchiveLimits()
    if path.suffix.lower() == ".qde" or (path.is_file() and not _is_zip(path)):
        size = path.stat().st_size
        if size > limits.max_total_bytes:
            from thematic.errors import ArchiveLimitError

            raise ArchiveLimitError(
                f"the project file is larger than {limits.max_total_bytes} bytes", path=path
            )
        root = parse_xml(path.read_bytes(), path=path)
        fetch = folder_fetch(path.parent, max_bytes=limits.max_total_bytes)
        return _Reader(path, fetch).read(root)
    with QdpxArchive(path, limits=limits) as archive:
        qde = [n for n in archive.names() if n.lower().endswith(".qde")]
        if not qde:
            raise ExchangeError(
                "the archive holds no project.qde",
                path=path,
                hint="Is this a REFI-QDA project (.qdpx)?",
            )
        entry = min(qde, key=lambda n: (n.count("/"), n.lower() != "project.qde"))
        root = parse_xml(archive.read(entry), path=path, entry=entry)
        project = _Reader(path, archive_fetch(archive)).read(root)
        side = archive.find(SIDECAR)
        if side is not None:
            project.sidecar = _read_sidecar(archive.read(side), path)
        return project


def _is_zip(path: Path) -> bool:
    import zipfile

    return zipfile.is_zipfile(path)


def _read_sidecar(data: bytes, path: Path) -> dict[str, Any]:
    try:
        side = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ExchangeError(f"entry '{SIDECAR}' is not valid JSON ({e})", path=path) from e
    if not isinstance(side, dict) or side.get("namespace") != SIDECAR_NS:
        return {}
    return side


class _Reader:
    def __init__(self, path: Path, fetch: Fetch) -> None:
        self.path = path
        self.fetch = fetch
        self.out: ExProject = ExProject(name=path.stem)
        self.note_refs: dict[str, list[str]] = {}  # note guid -> guids it is attached to
        self.note_spans: dict[str, tuple[str, int, int]] = {}
        self.selection_notes: list[ExNote] = []

    def read(self, root: Any) -> ExProject:
        _strip_namespaces(root)
        if root.tag != "Project":
            raise ExchangeError(
                f"not a REFI-QDA project: the root element is <{root.tag}>", path=self.path
            )
        self._check_guids(root)
        out = self.out
        out.name = root.get("name") or self.path.stem
        out.origin = root.get("origin", "")
        out.description = _text_of(root, "Description")
        for el in root.iter("User"):
            out.users.append(ExUser(el.get("guid"), el.get("name") or el.get("id") or "unknown"))
        book = _kid(root, "CodeBook")
        codes = _kid(book, "Codes") if book is not None else None
        for el in _kids(codes, "Code") if codes is not None else []:
            self._code(el, None)
        self._variables(root)
        self._sources(root)
        self._cases(root)
        self._refs(root, "NoteRef", None)
        self._notes(root)
        self._sets(root)
        for name in ("Links", "Graphs"):
            el = _kid(root, name)
            if el is not None and len(el):
                out.dropped.append(f"{len(el)} {name.lower()} (thematic keeps no {name.lower()})")
        return out

    def _check_guids(self, root: Any) -> None:
        seen = Counter(el.get("guid").strip("{}").lower() for el in root.iter() if el.get("guid"))
        dupes = sorted(g for g, n in seen.items() if n > 1)
        if dupes:
            lines = [
                str(el.sourceline)
                for el in root.iter()
                if el.get("guid", "").strip("{}").lower() in dupes
            ]
            raise ExchangeError(
                f"{len(dupes)} guid(s) used by more than one element: {', '.join(dupes[:5])} "
                f"(lines {', '.join(lines[:10])})",
                path=self.path,
                hint="Every element of a REFI-QDA project needs its own guid; export the project again.",
            )

    def _refs(self, el: Any, tag: str, owner: str | None) -> None:
        for ref in _kids(el, tag):
            self.note_refs.setdefault(ref.get("targetGUID"), []).append(owner or "project")

    def _code(self, el: Any, parent: str | None) -> None:
        color = el.get("color")
        if color and len(color) == 4:
            color = "#" + "".join(c * 2 for c in color[1:])
        guid = el.get("guid")
        self.out.codes.append(
            ExCode(
                guid=guid,
                name=(el.get("name") or "").strip() or "unnamed code",
                parent=parent,
                color=color.upper() if color else None,
                description=_text_of(el, "Description"),
                codable=el.get("isCodable", "true").lower() != "false",
            )
        )
        self._refs(el, "NoteRef", guid)
        for child in _kids(el, "Code"):
            self._code(child, guid)

    def _variables(self, root: Any) -> None:
        box = _kid(root, "Variables")
        for el in _kids(box, "Variable") if box is not None else []:
            kind = el.get("typeOfVariable", "Text")
            self.out.variables.append(
                ExVariable(
                    guid=el.get("guid"),
                    name=el.get("name") or "variable",
                    type=kind if kind in VARIABLE_TYPES else "Text",  # type: ignore[arg-type]
                    description=_text_of(el, "Description"),
                )
            )

    def _cases(self, root: Any) -> None:
        box = _kid(root, "Cases")
        sources = self.out.source_by_guid()
        for i, el in enumerate(_kids(box, "Case") if box is not None else []):
            linked = [r.get("targetGUID") for r in _kids(el, "SourceRef")]
            name = (el.get("name") or "").strip()
            if not name:  # MAXQDA: no name attribute; name it after its source, else by number
                first = next((sources[g].name for g in linked if g in sources), None)
                name = first or f"Case {i + 1}"
                self.out.notices.append(f"case {el.get('guid')} has no name; named '{name}'")
            values = {}
            for vv in _kids(el, "VariableValue"):
                ref = _kid(vv, "VariableRef")
                if ref is not None:
                    values[ref.get("targetGUID")] = _typed_value(vv)
            if _kids(el, "CodeRef") or _kids(el, "SelectionRef"):
                self.out.dropped.append(f"case '{name}': its code and selection links")
            self.out.cases.append(
                ExCase(el.get("guid"), name, _text_of(el, "Description"), values, linked)
            )

    def _sources(self, root: Any) -> None:
        box = _kid(root, "Sources")
        if box is None:
            return
        raw: list[RawText] = []
        elements: list[tuple[Any, Any]] = []  # (source element, element holding selections)
        for el in box:
            if el.tag in _DROPPED_SOURCES:
                self.out.dropped.append(
                    f"{el.tag} '{el.get('name', el.get('guid'))}' (thematic reads text only)"
                )
                continue
            if el.tag == "TextSource":
                raw.append(self._text(el))
                elements.append((el, el))
            elif el.tag == "PDFSource":
                rep = _kid(el, "Representation")
                if rep is not None:
                    raw.append(self._text(rep))
                    elements.append((el, rep))
                else:
                    raw.append(
                        representation_text(
                            fetch=self.fetch,
                            name=el.get("name", ""),
                            path=el.get("path") or el.get("currentPath") or "",
                            where=self.path,
                        )
                    )
                    elements.append((el, el))
                if _kids(el, "PDFSelection"):
                    self.out.dropped.append(
                        f"PDF source '{el.get('name')}': {len(_kids(el, 'PDFSelection'))} area selection(s)"
                    )
        spans = [[_span(s) for s in _kids(holder, "PlainTextSelection")] for _, holder in elements]
        origin = self.out.origin
        declared = _OFFSETS_IN_ORIGIN.search(origin)
        convention = (
            declared.group(1)
            if declared
            else choose_convention(origin, [r.text for r in raw], spans)
        )
        names: Counter[str] = Counter()
        for (el, holder), text in zip(elements, raw):
            omap = OffsetMap(text.text, convention if text.kind == "text" else "codepoint-crlf1")
            name = (el.get("name") or "").strip() or "source"
            names[name] += 1
            if names[name] > 1:
                self.out.notices.append(
                    f"several sources are named '{name}'; this one is '{name} ({names[name]})'"
                )
                name = f"{name} ({names[name]})"
            source = ExSource(
                guid=el.get("guid"),
                name=name,
                text=omap.text,
                kind=text.kind,  # type: ignore[arg-type]
                description=_text_of(el, "Description"),
                creator=el.get("creatingUser"),
                created=el.get("creationDateTime"),
                modified=el.get("modifiedDateTime"),
            )
            self.out.sources.append(source)
            self.out.conventions[source.guid] = omap.convention
            self._refs(el, "NoteRef", source.guid)
            for coding in _kids(el, "Coding"):  # a coding of the whole source
                self._coding(coding, source, source.guid, 0, len(source.text), None)
            for sel in _kids(holder, "PlainTextSelection"):
                self._selection(sel, source, omap)

    def _text(self, el: Any) -> RawText:
        inline = _kid(el, "PlainTextContent")
        return source_text(
            fetch=self.fetch,
            name=el.get("name", el.get("guid")),
            inline=(inline.text or "") if inline is not None else None,
            plain_path=el.get("plainTextPath"),
            rich_path=el.get("richTextPath"),
            where=self.path,
        )

    def _selection(self, sel: Any, source: ExSource, omap: OffsetMap) -> None:
        guid = sel.get("guid")
        s, e = _span(sel)
        start, end = omap.to_normalised(s), omap.to_normalised(e)
        codings = _kids(sel, "Coding")
        reason = None
        if start is None or end is None:
            reason = f"offsets [{s}, {e}) fall outside the source or inside a character (its length is {omap.foreign_length} in {omap.convention})"
        elif start >= end:
            reason = f"offsets [{s}, {e}) select no text"
        else:
            reason = _quote_mismatch(sel.get("name"), source.text, start, end)
        if reason is not None:
            if codings:
                self.out.unplaced.append(Unplaced(source.name, guid, reason, s, e))
            elif _text_of(sel, "Description").strip() or _kids(sel, "NoteRef"):
                self.out.dropped.append(f"comment on '{source.name}' [{s}, {e}): {reason}")
            return
        assert start is not None and end is not None
        for coding in codings:
            self._coding(coding, source, guid, start, end, sel)
        if codings:  # a note on a coded selection is a memo on those codings
            self._refs(sel, "NoteRef", guid)
        for ref in _kids(sel, "NoteRef"):
            self.note_spans[ref.get("targetGUID")] = (source.guid, start, end)
        desc = _text_of(sel, "Description").strip()
        if desc:  # MAXQDA: a commented selection, with or without codes
            self.out.notes.append(
                ExNote(
                    guid=guid,
                    name=sel.get("name") or f"Comment on {source.name}",
                    text=desc,
                    creator=sel.get("creatingUser"),
                    created=sel.get("creationDateTime"),
                    targets=[source.guid],
                    span=(source.guid, start, end),
                )
            )

    def _coding(
        self, el: Any, source: ExSource, selection: str, start: int, end: int, sel: Any
    ) -> None:
        ref = _kid(el, "CodeRef")
        code = ref.get("targetGUID") if ref is not None else None
        if code is None:
            self.out.dropped.append(f"coding {el.get('guid')} in '{source.name}': no CodeRef")
            return
        user = el.get("creatingUser") or (sel.get("creatingUser") if sel is not None else None)
        created = el.get("creationDateTime") or (
            sel.get("creationDateTime") if sel is not None else None
        )
        self.out.codings.append(
            ExCoding(el.get("guid"), selection, source.guid, code, start, end, user, created)
        )

    def _notes(self, root: Any) -> None:
        box = _kid(root, "Notes")
        for el in _kids(box, "Note") if box is not None else []:
            guid = el.get("guid")
            inline = _kid(el, "PlainTextContent")
            text = (
                source_text(
                    fetch=self.fetch,
                    name=el.get("name", guid),
                    inline=(inline.text or "") if inline is not None else None,
                    plain_path=el.get("plainTextPath"),
                    rich_path=el.get("richTextPath"),
                    where=self.path,
                )
                if (inline is not None or el.get("plainTextPath") or el.get("richTextPath"))
                else RawText("", "text")
            )
            from thematic.ingest.normalise import normalise_text

            self.out.notes.append(
                ExNote(
                    guid=guid,
                    name=el.get("name") or "note",
                    text=normalise_text(text.text),
                    creator=el.get("creatingUser"),
                    created=el.get("creationDateTime"),
                    targets=self.note_refs.get(guid, []),
                    span=self.note_spans.get(guid),
                )
            )

    def _sets(self, root: Any) -> None:
        box = _kid(root, "Sets")
        for el in _kids(box, "Set") if box is not None else []:
            self.out.sets.append(
                ExSet(
                    el.get("guid"),
                    el.get("name") or "set",
                    _text_of(el, "Description"),
                    [m.get("targetGUID") for m in _kids(el, "MemberCode")],
                    [m.get("targetGUID") for m in _kids(el, "MemberSource")],
                )
            )


def _span(sel: Any) -> tuple[int, int]:
    try:
        return int(sel.get("startPosition", "-1")), int(sel.get("endPosition", "-1"))
    except ValueError:
        return -1, -1


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return " ".join(text.split())


def _quote_mismatch(name: str | None, text: str, start: int, end: int) -> str | None:
    """Why the selection's name (when it is a quote of the source) does not match its span."""
    if not name or _LINE_NAME.match(name.strip()):
        return None
    quote = _squash(name).rstrip(".…").strip()
    if len(quote) < 4:
        return None
    covered = _squash(text[start:end])
    if covered.startswith(quote) or quote.startswith(covered):
        return None
    if quote in _squash(text):  # the quote is in the source, but not where the offsets point
        return f"the selection's text '{quote[:40]}' is not at its offsets (found '{covered[:40]}')"
    return None  # the name is a label, not a quote


def _typed_value(vv: Any) -> Any:
    for tag, cast in (
        ("TextValue", str),
        ("BooleanValue", _bool),
        ("IntegerValue", int),
        ("FloatValue", float),
        ("DateValue", str),
        ("DateTimeValue", str),
    ):
        el = _kid(vv, tag)
        if el is not None:
            try:
                return cast((el.text or "").strip()) if tag != "TextValue" else (el.text or "")
            except ValueError:
                return (el.text or "").strip()
    return None


def _bool(value: str) -> bool:
    return value.lower() in ("true", "1")
