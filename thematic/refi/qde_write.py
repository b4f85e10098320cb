"""Write an :class:`ExProject` as a REFI-QDA ``.qdpx`` archive (``project.qde`` + UTF-8 sources).

The ``target`` decides the line breaks of the source files and how offsets are counted:

===========  ====================  ==========================================
target       source line breaks    offsets
===========  ====================  ==========================================
standard     LF                    code points (REFI-QDA 1.5 as QualCoder reads it)
nvivo        CRLF                  UTF-16 code units, CRLF as two
atlasti      CRLF                  code points, CRLF as one
maxqda       CRLF                  code points, CRLF as one
===========  ====================  ==========================================

The ``origin`` attribute names the convention (``thematic 0.1.0; offsets utf16-crlf2``) so
that our own reader never has to guess. What REFI-QDA cannot hold goes to
``thematic/sidecar.json`` (namespace ``urn:thematic:qdpx-sidecar:1``) inside the archive.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from thematic.errors import ParameterError
from thematic.export.files import Target, write_bytes
from thematic.export.registry import register
from thematic.fileio import write_atomic
from thematic.refi.model import ExCoding, ExProject, ExSource
from thematic.refi.offsets import OffsetMap, to_foreign_text
from thematic.refi.qde_read import SIDECAR, SIDECAR_NS

NS = "urn:QDA-XML:project:1.0"
TARGETS: dict[str, tuple[str, bool]] = {
    "standard": ("codepoint-crlf1", False),
    "nvivo": ("utf16-crlf2", True),
    "atlasti": ("codepoint-crlf1", True),
    "maxqda": ("codepoint-crlf1", True),
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _dt(value: str | None) -> str | None:
    """An xsd:dateTime, or None when ``value`` is not a date and time."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    text = stamp.isoformat(timespec="seconds")
    return text if stamp.tzinfo else text + "Z"


def check_target(target: str) -> tuple[str, bool]:
    """The (offset convention, CRLF) of a target tool; a bad name is a :class:`ParameterError`."""
    if target not in TARGETS:
        raise ParameterError(f"target must be one of {', '.join(TARGETS)}. Got {target!r} instead.")
    return TARGETS[target]


def source_entry(source: ExSource) -> str:
    """The archive path of a source's plain text."""
    return f"sources/{source.guid}.txt"


class _Writer:
    def __init__(self, project: ExProject, target: str) -> None:
        from lxml import etree

        self.etree = etree
        self.p = project
        self.convention, self.crlf = check_target(target)
        self.note_refs: dict[str, list[str]] = defaultdict(list)  # target guid -> note guids
        for note in project.notes:
            for t in note.targets or ["project"]:
                self.note_refs[t].append(note.guid)

    def sub(self, parent: Any, tag: str, **attrs: str | None) -> Any:
        el = self.etree.SubElement(parent, _q(tag))
        for key, value in attrs.items():
            if value is not None:
                el.set(key, value)
        return el

    def text(self, parent: Any, tag: str, value: str) -> None:
        if value:
            self.sub(parent, tag).text = value

    def refs(self, parent: Any, owner: str) -> None:
        for guid in self.note_refs.get(owner, []):
            self.sub(parent, "NoteRef", targetGUID=guid)

    def build(self) -> bytes:
        from thematic import __version__

        p = self.p
        root = self.etree.Element(_q("Project"), nsmap={None: NS})
        root.set("name", p.name)
        root.set("origin", f"thematic {__version__}; offsets {self.convention}")
        if p.users:
            box = self.sub(root, "Users")
            for u in p.users:
                self.sub(box, "User", guid=u.guid, name=u.name)
        if p.codes:
            codes = self.sub(self.sub(root, "CodeBook"), "Codes")
            children: dict[str | None, list] = defaultdict(list)
            known = {c.guid for c in p.codes}
            for c in p.codes:
                children[c.parent if c.parent in known else None].append(c)

            def add(parent: Any, code: Any) -> None:
                el = self.sub(
                    parent,
                    "Code",
                    guid=code.guid,
                    name=code.name,
                    isCodable="true" if code.codable else "false",
                    color=code.color,
                )
                self.text(el, "Description", code.description)
                self.refs(el, code.guid)
                for child in children.get(code.guid, []):
                    add(el, child)

            for code in children[None]:
                add(codes, code)
        if p.variables:
            box = self.sub(root, "Variables")
            for v in p.variables:
                el = self.sub(box, "Variable", guid=v.guid, name=v.name, typeOfVariable=v.type)
                self.text(el, "Description", v.description)
        self.cases(root)
        self.sources(root)
        self.notes(root)
        if p.sets:
            box = self.sub(root, "Sets")
            for s in p.sets:
                el = self.sub(box, "Set", guid=s.guid, name=s.name)
                self.text(el, "Description", s.description)
                for g in s.codes:
                    self.sub(el, "MemberCode", targetGUID=g)
                for g in s.sources:
                    self.sub(el, "MemberSource", targetGUID=g)
        self.text(root, "Description", p.description)
        self.refs(root, "project")
        return self.etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def cases(self, root: Any) -> None:
        if not self.p.cases:
            return
        types = {v.guid: v.type for v in self.p.variables}
        box = self.sub(root, "Cases")
        for case in self.p.cases:
            el = self.sub(box, "Case", guid=case.guid, name=case.name)
            self.text(el, "Description", case.description)
            for var, value in case.values.items():
                if value is None or var not in types:
                    continue
                vv = self.sub(el, "VariableValue")
                self.sub(vv, "VariableRef", targetGUID=var)
                self.sub(vv, f"{types[var]}Value").text = _value_text(value)
            for g in case.sources:
                self.sub(el, "SourceRef", targetGUID=g)

    def sources(self, root: Any) -> None:
        if not self.p.sources:
            return
        by_selection: dict[str, list[ExCoding]] = defaultdict(list)
        for coding in self.p.codings:
            by_selection[coding.selection].append(coding)
        per_source: dict[str, list[str]] = defaultdict(list)
        for sel, group in by_selection.items():
            per_source[group[0].source].append(sel)
        spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for note in self.p.notes:
            if note.span is not None:
                spans[note.span[0]].append((note.guid, note.span[1], note.span[2]))
        box = self.sub(root, "Sources")
        for s in self.p.sources:
            el = self.sub(
                box,
                "TextSource",
                guid=s.guid,
                name=s.name,
                plainTextPath=f"internal://{s.guid}.txt",
                creatingUser=s.creator,
                creationDateTime=_dt(s.created),
                modifiedDateTime=_dt(s.modified),
            )
            self.text(el, "Description", s.description)
            omap = OffsetMap(to_foreign_text(s.text, crlf=self.crlf), self.convention)
            for sel in per_source.get(s.guid, []):
                self.coded_selection(el, s, omap, sel, by_selection[sel])
            for note_guid, start, end in spans.get(s.guid, []):
                import uuid

                se = self.sub(
                    el,
                    "PlainTextSelection",
                    guid=str(uuid.uuid5(uuid.UUID(note_guid), "span")),
                    startPosition=str(omap.from_normalised(start)),
                    endPosition=str(omap.from_normalised(end)),
                )
                self.sub(se, "NoteRef", targetGUID=note_guid)
            self.refs(el, s.guid)

    def coded_selection(self, el: Any, s: ExSource, omap: OffsetMap, sel: str,
                        group: list[ExCoding]) -> None:
        """A selection of ``s`` (foreign offsets) with the codings that share it."""
        first = group[0]
        quote = " ".join(s.text[first.start : first.end].split())[:80]
        se = self.sub(
            el,
            "PlainTextSelection",
            guid=sel,
            name=quote,
            startPosition=str(omap.from_normalised(first.start)),
            endPosition=str(omap.from_normalised(first.end)),
            creatingUser=first.coder,
            creationDateTime=_dt(first.created),
        )
        for c in group:
            ce = self.sub(
                se,
                "Coding",
                guid=c.guid,
                creatingUser=c.coder,
                creationDateTime=_dt(c.created),
            )
            self.sub(ce, "CodeRef", targetGUID=c.code)
        self.refs(se, sel)

    def notes(self, root: Any) -> None:
        if not self.p.notes:
            return
        box = self.sub(root, "Notes")
        for n in self.p.notes:
            el = self.sub(
                box,
                "Note",
                guid=n.guid,
                name=n.name,
                creatingUser=n.creator,
                creationDateTime=_dt(n.created),
            )
            self.sub(el, "PlainTextContent").text = n.text


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def qde_bytes(project: ExProject, *, target: str = "standard") -> bytes:
    """The ``project.qde`` document of ``project`` for ``target``, as UTF-8 bytes."""
    return _Writer(project, target).build()


def qdpx_bytes(project: ExProject, *, target: str = "standard") -> bytes:
    """The ``.qdpx`` archive of ``project`` for ``target``, built in memory.

    Its ``sidecar`` goes to ``thematic/sidecar.json``; ``target`` is ``standard``, ``nvivo``,
    ``atlasti`` or ``maxqda`` (see the module docstring).
    """
    _, crlf = check_target(target)
    qde = qde_bytes(project, target=target)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("project.qde", qde)
        for s in project.sources:
            z.writestr(source_entry(s), to_foreign_text(s.text, crlf=crlf).encode("utf-8"))
        if project.sidecar:
            side = {"namespace": SIDECAR_NS, **project.sidecar}
            z.writestr(SIDECAR, json.dumps(side, ensure_ascii=False, default=str).encode("utf-8"))
    return buffer.getvalue()


@register("qdpx", "qdpx", description="The whole project as REFI-QDA .qdpx")
def write_qdpx_export(project: ExProject, target: Target, *, fmt: str, tool: str = "standard",
                      **_: Any) -> None:
    """The export registry's writer of kind ``qdpx``: ``project`` for ``tool`` (standard,
    nvivo, atlasti, maxqda)."""
    write_bytes(target, qdpx_bytes(project, target=tool))


def write_qdpx(project: ExProject, path: str | Path, *, target: str = "standard") -> Path:
    """Write ``project`` as a ``.qdpx`` archive for ``target`` through
    :func:`thematic.fileio.write_atomic` (all of it or nothing; a folder that is missing or
    read-only, or a full disk, is one :class:`~thematic.errors.WriteError` line).

    Returns
    -------
    Path
        ``path``.
    """
    return write_atomic(path, qdpx_bytes(project, target=target))
