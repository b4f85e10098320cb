"""Read a REFI-QDA project (``.qdpx`` archive or loose ``project.qde``) into :class:`ExProject`.

The reader keeps what it can and reports the rest (REFI-QDA 1.5, section 7): a quirk that
touches only what thematic does not keep (PDF, picture, audio and video selections, graphs,
links) is reported; a guid reused by elements of different kinds is resolved by kind
(:mod:`thematic.refi.qde_guids`); a source whose text is missing or empty is skipped with its
codings reported, while the codebook, users, cases, variables, sets and notes come in
regardless. Only a coding that would land on the wrong words goes to ``unplaced`` (offsets
outside the text, inside a character, not whole numbers, or away from the quote the selection
names), which the import refuses unless told to skip them.

Quirks of the tools that write it are handled here: ``Sources/`` or ``sources/`` and odd
entries (``sources/.root``); a project file not named ``project.qde`` (ATLAS.ti names it after
the project); NVivo for Mac's empty plain text with a docx representation; ``plainTextPath``
with or without ``internal://``; selections named ``line:N``; MAXQDA's loose ``.qde`` with its
sources in ``sources/`` or ``sources.zip`` beside it, selections with a ``Description`` and no
``Coding`` (read as notes on that span), several sources of one name (renamed ``name (2)``),
cases without a name; NVivo's annotations (a ``Note`` joined to a selection by a ``Link``);
UTF-8 with a BOM and CRLF. Offsets are converted with :mod:`thematic.refi.offsets`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from thematic.errors import ArchiveLimitError, ExchangeError
from thematic.refi.archive import ArchiveLimits, QdpxArchive, parse_xml
from thematic.refi.model import (
    VARIABLE_TYPES,
    ExCase,
    ExCode,
    ExNote,
    ExProject,
    ExSet,
    ExUser,
    ExVariable,
)
from thematic.refi.offsets import shown
from thematic.refi.qde_guids import GuidIndex
from thematic.refi.qde_places import ArchivePlaces, LoosePlaces, Places
from thematic.refi.qde_selections import SourceReader
from thematic.refi.qde_xml import kid as _kid
from thematic.refi.qde_xml import kids as _kids
from thematic.refi.qde_xml import strip_namespaces as _strip_namespaces
from thematic.refi.qde_xml import text_of as _text_of

SIDECAR = "thematic/sidecar.json"
SIDECAR_NS = "urn:thematic:qdpx-sidecar:1"


def read_project(
    path: str | Path, *, limits: ArchiveLimits | None = None, sources: str | Path | None = None
) -> ExProject:
    """Read a ``.qdpx`` archive or a loose ``.qde`` project file.

    Parameters
    ----------
    path
        The ``.qdpx`` (zip) or ``.qde`` (XML; its sources in ``sources/`` or ``sources.zip``
        next to it).
    limits
        Archive limits (entry count, inflated bytes).
    sources
        Another folder (or zip) holding the source files, looked in first.

    Returns
    -------
    ExProject
        Every element read, offsets in code points of normalised text; ``unplaced`` and
        ``outcomes`` say what could not be kept, or was kept in another shape.

    Raises
    ------
    ExchangeError
        The file is not a readable REFI-QDA project (malformed XML, no project file); its
        subclasses for an unsafe or oversized archive.
    """
    path = Path(path)
    limits = limits or ArchiveLimits()
    extra = Path(sources) if sources is not None else None
    if is_loose(path):
        if path.stat().st_size > limits.max_total_bytes:
            raise ArchiveLimitError(f"the project file is larger than {limits.max_total_bytes} bytes", path=path)
        root = parse_xml(path.read_bytes(), path=path)
        places = LoosePlaces(path, sources=extra, limits=limits)
        try:
            return _Reader(path, places).read(root)
        finally:
            places.close()
    with QdpxArchive(path, limits=limits) as archive:
        entry = project_entry(archive)
        root = parse_xml(archive.read(entry), path=path, entry=entry)
        loose = LoosePlaces(None, sources=extra, limits=limits) if extra is not None else None
        try:
            project = _Reader(path, ArchivePlaces(archive, loose)).read(root)
        finally:
            if loose is not None:
                loose.close()
        if entry.lower() != "project.qde":
            project.convert("file", entry, "the project file is not named project.qde (as REFI-QDA asks); read it")
        side = archive.find(SIDECAR)
        if side is not None:
            from thematic.refi.sidecar import check_sidecar

            raw = _read_sidecar(archive.read(side), project)
            project.sidecar = check_sidecar(raw, project) if raw else {}
        return project


def project_entry(archive: QdpxArchive) -> str:
    """The archive's project file: ``project.qde``, else the shallowest ``.qde`` (ATLAS.ti
    names it after the project).

    Raises
    ------
    ExchangeError
        The archive holds no ``.qde``.
    """
    qde = [n for n in archive.names() if n.lower().endswith(".qde")]
    if not qde:
        raise ExchangeError(
            "the archive holds no project file (.qde)",
            path=archive.path,
            hint="Is this a REFI-QDA project (.qdpx)? Export the project again as REFI-QDA.",
        )
    return min(qde, key=lambda n: (n.count("/"), n.lower() != "project.qde", n))


def is_loose(path: Path) -> bool:
    """Whether ``path`` is a loose project file (``.qde``, or XML under another suffix)."""
    return path.suffix.lower() == ".qde" or (path.is_file() and not _is_zip(path))


def _is_zip(path: Path) -> bool:
    import zipfile

    return zipfile.is_zipfile(path)


def _read_sidecar(data: bytes, project: ExProject) -> dict[str, Any]:
    """Our sidecar as a dict, or ``{}`` (reported) when it is not ours or not JSON."""
    try:
        side = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        project.skip("sidecar", SIDECAR, f"not valid JSON ({str(e)[:80]}); read as a plain REFI-QDA project")
        return {}
    if not isinstance(side, dict) or side.get("namespace") != SIDECAR_NS:
        project.skip("sidecar", SIDECAR, "not thematic's sidecar; read as a plain REFI-QDA project")
        return {}
    return side


class _Reader(SourceReader):
    def __init__(self, path: Path, places: Places) -> None:
        self.path = path
        self.places = places
        self.out: ExProject = ExProject(name=path.stem)
        self.note_refs: dict[str, list[str]] = {}  # note guid -> guids it is attached to
        self.note_spans: dict[str, tuple[str, int, int]] = {}
        self.spans: dict[str, tuple[str, int, int]] = {}  # placed selection guid -> span
        self.code_names: dict[str, str] = {}
        self.ambiguous: dict[str, list[str]] = {}

    def read(self, root: Any) -> ExProject:
        _strip_namespaces(root)
        if root.tag != "Project":
            codebook = root.tag == "CodeBook"
            raise ExchangeError(
                f"not a REFI-QDA project: the root element is <{root.tag}>", path=self.path,
                remedy="load-as-codebook" if codebook else None,
                hint=None if codebook else "Check that this is the project file you meant.",
            )
        out = self.out
        self.ambiguous = GuidIndex(root, out).ambiguous_codes
        out.name = root.get("name") or self.path.stem
        out.origin = root.get("origin", "")
        out.description = _text_of(root, "Description")
        users = _kid(root, "Users")
        for el in _kids(users, "User") if users is not None else []:
            out.users.append(ExUser(el.get("guid"), el.get("name") or el.get("id") or "unknown"))
        book = _kid(root, "CodeBook")
        codes = _kid(book, "Codes") if book is not None else None
        for el in _kids(codes, "Code") if codes is not None else []:
            self._code(el, None)
        self._variables(root)
        self._sources(root)
        self._cases(root)
        self._refs(root, "NoteRef", None)
        self._links(root)
        self._notes(root)
        self._sets(root)
        graphs = _kid(root, "Graphs")
        if graphs is not None and len(graphs):
            out.skip("graph", "", f"{len(graphs)} graph(s) (thematic keeps no graphs)")
        return out

    def _code(self, el: Any, parent: str | None) -> None:
        from thematic.codebook.qdc import foreign_color

        color = foreign_color(el.get("color") or "") if el.get("color") else None
        if el.get("color") and color is None:
            self.out.convert("code", el.get("name") or "", f"its colour {shown(el.get('color'))} is not #RRGGBB; left out")
        guid = el.get("guid")
        name = (el.get("name") or "").strip() or "unnamed code"
        self.code_names[guid] = name
        self.out.codes.append(
            ExCode(
                guid=guid,
                name=name,
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
            name = el.get("name") or "variable"
            if kind not in VARIABLE_TYPES:
                self.out.convert("variable", name, f"its type '{kind[:20]}' is not a REFI-QDA type; read as Text")
            self.out.variables.append(
                ExVariable(
                    guid=el.get("guid"),
                    name=name,
                    type=kind if kind in VARIABLE_TYPES else "Text",  # type: ignore[arg-type]
                    description=_text_of(el, "Description"),
                )
            )

    def _cases(self, root: Any) -> None:
        box = _kid(root, "Cases")
        sources = self.out.source_by_guid()
        for i, el in enumerate(_kids(box, "Case") if box is not None else []):
            linked = [r.get("targetGUID") for r in _kids(el, "SourceRef") if r.get("targetGUID")]
            name = (el.get("name") or "").strip()
            if not name:  # MAXQDA, Quirkos: no name attribute; name it after its source, else by number
                first = next((sources[g].name for g in linked if g in sources), None)
                name = first or f"Case {i + 1}"
                self.out.convert("case", name, f"case {el.get('guid')} has no name; named '{name}'")
            values = {}
            for vv in _kids(el, "VariableValue"):
                ref = _kid(vv, "VariableRef")
                if ref is not None:
                    values[ref.get("targetGUID")] = _typed_value(vv)
            if _kids(el, "CodeRef") or _kids(el, "SelectionRef"):
                self.out.skip("case", name, "its code and selection links (a participant is linked to documents)")
            kept = [g for g in linked if g in sources]
            if len(kept) < len(linked):
                self.out.convert("case", name, f"{len(linked) - len(kept)} of its sources were not imported")
            self.out.cases.append(ExCase(el.get("guid"), name, _text_of(el, "Description"), values, kept))
    # ------------------------------------------------------------------ sources
    def _links(self, root: Any) -> None:
        box = _kid(root, "Links")
        if box is None or not len(box):
            return
        notes_box = _kid(root, "Notes")
        notes = {n.get("guid") for n in _kids(notes_box, "Note")} if notes_box is not None else set()
        joined = other = 0
        for el in _kids(box, "Link"):
            a, b = el.get("originGUID"), el.get("targetGUID")
            note, target = (a, b) if a in notes else (b, a) if b in notes else (None, None)
            if note is None or target is None or target in notes:
                other += 1
                continue
            joined += 1  # NVivo: an annotation is a note linked to its selection
            self.note_refs.setdefault(note, []).append(target)
            if target in self.spans:
                self.note_spans.setdefault(note, self.spans[target])
        if joined:
            self.out.convert("link", "", f"{joined} link(s) of a note to a selection, source or code: kept as memos on them")
        if other:
            self.out.skip("link", "", f"{other} link(s) between other elements (thematic keeps no links)")

    def _notes(self, root: Any) -> None:
        from thematic.ingest.normalise import normalise_text

        box = _kid(root, "Notes")
        for el in _kids(box, "Note") if box is not None else []:
            guid = el.get("guid")
            name = el.get("name") or "note"
            inline = _kid(el, "PlainTextContent")
            if inline is not None or el.get("plainTextPath") or el.get("richTextPath"):
                text = self._try(lambda el=el, name=name: self._text(el, name), name)
                if isinstance(text, str) and not text.startswith("its text is empty"):
                    self.out.skip("note", name, text)
                    continue
                body = "" if isinstance(text, str) else text.text
            else:
                body = ""
            self.out.notes.append(
                ExNote(
                    guid=guid,
                    name=name,
                    text=normalise_text(body),
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
                    [m.get("targetGUID") or m.get("guid") for m in _kids(el, "MemberCode")
                     if m.get("targetGUID") or m.get("guid")],
                    [m.get("targetGUID") or m.get("guid") for m in _kids(el, "MemberSource")
                     if m.get("targetGUID") or m.get("guid")],
                )
            )


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
