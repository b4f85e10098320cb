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
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from thematic.errors import ArchiveLimitError, ExchangeError, UnsafeArchiveError
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
from thematic.refi.offsets import OffsetMap, choose_convention, shown, whole_number
from thematic.refi.qde_guids import GuidIndex
from thematic.refi.qde_places import ArchivePlaces, LoosePlaces, Places
from thematic.refi.qde_sources import RawText, representation_text, source_text

SIDECAR = "thematic/sidecar.json"
SIDECAR_NS = "urn:thematic:qdpx-sidecar:1"
_LINE_NAME = re.compile(r"^line:\s*\d+$", re.IGNORECASE)
_OFFSETS_IN_ORIGIN = re.compile(r"offsets (\S+)")
_MEDIA = {"PictureSource": "a picture", "AudioSource": "an audio file", "VideoSource": "a video"}
_SELECTIONS = ("PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection",
               "VideoSelection", "TranscriptSelection")


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


class _Reader:
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
            raise ExchangeError(
                f"not a REFI-QDA project: the root element is <{root.tag}>", path=self.path,
                hint="A codebook (.qdc) is loaded with 'thematic codebook import'.",
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

    def _refs(self, el: Any, tag: str, owner: str | None) -> None:
        for ref in _kids(el, tag):
            if ref.get("targetGUID"):
                self.note_refs.setdefault(ref.get("targetGUID"), []).append(owner or "project")

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
    def _sources(self, root: Any) -> None:
        box = _kid(root, "Sources")
        if box is None:
            return
        kept: list[tuple[Any, Any, RawText, bool]] = []  # (source, holder of selections, text, trusted)
        for el in box:
            name = self._source_name(el)
            if el.tag in _MEDIA:
                self._skip_source(el, name, f"{_MEDIA[el.tag]} (thematic reads text only)")
            elif el.tag == "TextSource":
                text = self._try(lambda el=el, name=name: self._text(el, name), name)
                if isinstance(text, str):
                    self._skip_source(el, name, text)
                else:
                    kept.append((el, el, text, True))
            elif el.tag == "PDFSource":
                self._pdf(el, name, kept)
            else:
                self._skip_source(el, name, f"<{el.tag}> is not a kind of source REFI-QDA 1.5 defines")
        self._place(kept)

    def _source_name(self, el: Any) -> str:
        name = (el.get("name") or "").strip()
        transcript = _kid(el, "Transcript")
        if not name and transcript is not None:  # ATLAS.ti: a media source named by its transcript
            name = (transcript.get("name") or "").strip()
        return name or "source"

    def _try(self, read: Any, name: str) -> RawText | str:
        """The text ``read()`` returns, or why it cannot be had (unsafe archives still stop)."""
        try:
            text: RawText = read()
        except (UnsafeArchiveError, ArchiveLimitError):
            raise
        except ExchangeError as e:
            what = e.message
            for prefix in (f"source '{name}': ", f"source '{name}' "):
                what = what[len(prefix):] if what.startswith(prefix) else what
            return what + (f" ({e.hint.rstrip('.')})" if e.hint else "")
        if not text.text.strip():
            return "its text is empty"
        return text

    def _pdf(self, el: Any, name: str, kept: list[tuple[Any, Any, RawText, bool]]) -> None:
        pdf_selections = _kids(el, "PDFSelection")
        if pdf_selections:
            self._skip_codings(pdf_selections, name, "a PDF area selection (thematic reads text only)")
            self.out.skip("selection", name, f"{len(pdf_selections)} PDF area selection(s) (thematic reads text only)")
        rep = _kid(el, "Representation")
        pdf_path = el.get("path") or el.get("currentPath") or ""
        read_pdf = lambda: representation_text(places=self.places, name=name, path=pdf_path, where=self.path)  # noqa: E731
        if rep is None:
            text = self._try(read_pdf, name)
            if isinstance(text, str):
                self._skip_source(el, name, text)
            else:
                kept.append((el, el, text, True))
            return
        text = self._try(lambda: self._text(rep, name), name)
        if not isinstance(text, str):
            kept.append((el, rep, text, True))
            return
        from_pdf = self._try(read_pdf, name) if pdf_path else "it has no PDF file"
        if isinstance(from_pdf, str):
            self._skip_source(el, name, text)
            return
        self.out.convert("source", name, f"its plain-text representation cannot be read ({text}); its text is read from the PDF")
        self._skip_codings(_kids(rep, "PlainTextSelection"), name,
                           "its offsets count the tool's text of the PDF, which is not in the file")
        kept.append((el, rep, from_pdf, False))

    def _skip_source(self, el: Any, name: str, reason: str) -> None:
        selections = [s for tag in _SELECTIONS for s in el.iter(tag)]
        codings = [c for s in selections for c in _kids(s, "Coding")] + _kids(el, "Coding")
        comments = [s for s in selections if _text_of(s, "Description").strip()]
        lost = [f"{len(codings)} coding(s)"] if codings else []
        lost += [f"{len(comments)} comment(s)"] if comments else []
        more = f"; its {' and '.join(lost)} are not imported" if lost else ""
        self.out.skip("source", name, reason + more)
        for s in comments:
            self.out.skip("comment", name, f"{_text_of(s, 'Description').strip()[:60]!r} at {_where(s)}: "
                                           "its source is not imported")
        self._skip_codings(selections, name, "its source is not imported", whole=_kids(el, "Coding"))

    def _skip_codings(self, selections: list[Any], source: str, reason: str, whole: list[Any] | None = None) -> None:
        for sel in selections:
            where = _where(sel)
            for c in _kids(sel, "Coding"):
                self.out.skip("coding", c.get("guid") or "", f"{self._code_of(c)} on '{source}' at {where}: {reason}")
        for c in whole or []:
            self.out.skip("coding", c.get("guid") or "", f"{self._code_of(c)} on the whole of '{source}': {reason}")

    def _code_of(self, coding: Any) -> str:
        ref = _kid(coding, "CodeRef")
        guid = str(ref.get("targetGUID") or "") if ref is not None else ""
        return f"'{self.code_names.get(guid, guid or 'no code')}'"

    def _place(self, kept: list[tuple[Any, Any, RawText, bool]]) -> None:
        spans = [[_span(s) for s in _kids(h, "PlainTextSelection")] if ok else [] for _, h, _, ok in kept]
        origin = self.out.origin
        declared = _OFFSETS_IN_ORIGIN.search(origin)
        convention = declared.group(1) if declared else choose_convention(
            origin, [t.text for _, _, t, _ in kept],
            [[(a, b) for a, b in ss if a is not None and b is not None] for ss in spans])
        names: Counter[str] = Counter()
        for el, holder, text, trusted in kept:
            omap = OffsetMap(text.text, convention if text.kind == "text" else "codepoint-crlf1")
            name = self._source_name(el)
            names[name] += 1
            if names[name] > 1:
                self.out.convert("source", name, f"several sources are named '{name}'; this one is '{name} ({names[name]})'")
                name = f"{name} ({names[name]})"
            source = ExSource(
                guid=el.get("guid"), name=name, text=omap.text, kind=text.kind,  # type: ignore[arg-type]
                description=_text_of(el, "Description"), creator=el.get("creatingUser"),
                created=el.get("creationDateTime"), modified=el.get("modifiedDateTime"),
            )
            self.out.sources.append(source)
            self.out.conventions[source.guid] = omap.convention
            self._refs(el, "NoteRef", source.guid)
            for coding in _kids(el, "Coding"):  # a coding of the whole source
                self._coding(coding, source, source.guid, 0, len(source.text), None)
            if trusted:
                for sel in _kids(holder, "PlainTextSelection"):
                    self._selection(sel, source, omap)

    def _text(self, el: Any, name: str) -> RawText:
        inline = _kid(el, "PlainTextContent")
        return source_text(
            places=self.places,
            name=name,
            inline=(inline.text or "") if inline is not None else None,
            plain_path=el.get("plainTextPath"),
            rich_path=el.get("richTextPath"),
            where=self.path,
        )

    # ------------------------------------------------------------------ selections
    def _selection(self, sel: Any, source: ExSource, omap: OffsetMap) -> None:
        guid = sel.get("guid")
        raw_s, raw_e = sel.get("startPosition"), sel.get("endPosition")
        s, e = whole_number(raw_s), whole_number(raw_e)
        codings = _kids(sel, "Coding")
        start = omap.to_normalised(s) if s is not None else None
        end = omap.to_normalised(e) if e is not None else None
        reason, wrong = None, True
        if s is None or e is None:
            reason = f"offsets [{shown(raw_s)}, {shown(raw_e)}) are not whole numbers"
        elif start is None or end is None:
            reason = (f"offsets [{s}, {e}) fall outside the source or inside a character "
                      f"(its length is {omap.foreign_length} in {omap.convention})")
        elif s == e or start == end:
            reason, wrong = f"offsets [{s}, {e}) select no text", False
        elif start > end:
            reason = f"offsets [{s}, {e}) end before they start"
        else:
            reason = _quote_mismatch(sel.get("name"), source.text, start, end)
        if reason is not None:
            self._unplaced(sel, source, reason, s, e, wrong=wrong)
            return
        assert start is not None and end is not None
        self.spans[guid] = (source.guid, start, end)
        for coding in codings:
            self._coding(coding, source, guid, start, end, sel)
        if codings:  # a note on a coded selection is a memo on those codings
            self._refs(sel, "NoteRef", guid)
        for ref in _kids(sel, "NoteRef"):
            self.note_spans[ref.get("targetGUID")] = (source.guid, start, end)
        desc = _text_of(sel, "Description").strip()
        if desc:  # MAXQDA, ATLAS.ti: a commented selection, with or without codes
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

    def _unplaced(self, sel: Any, source: ExSource, reason: str, s: int | None, e: int | None, *, wrong: bool) -> None:
        codings = _kids(sel, "Coding")
        for c in codings:
            if wrong:
                self.out.unplaced.append(
                    Unplaced(source.name, sel.get("guid"), reason, s, e, self._code_of(c).strip("'"), c.get("guid") or "")
                )
            else:
                self.out.skip("coding", c.get("guid") or "", f"{self._code_of(c)} on '{source.name}': {reason}")
        if not codings and (_text_of(sel, "Description").strip() or _kids(sel, "NoteRef")):
            self.out.skip("comment", source.name, f"a comment at [{s}, {e}): {reason}")

    def _coding(self, el: Any, source: ExSource, selection: str, start: int, end: int, sel: Any) -> None:
        ref = _kid(el, "CodeRef")
        code = ref.get("targetGUID") if ref is not None else None
        if code is None:
            self.out.skip("coding", el.get("guid") or "", f"on '{source.name}': it has no CodeRef")
            return
        if code in self.ambiguous:
            names = ", ".join(f"'{n}'" for n in self.ambiguous[code][:5])
            self.out.unplaced.append(Unplaced(
                source.name, selection, f"its code guid {code} names several codes ({names})",
                start, end, names, el.get("guid") or ""))
            return
        user = el.get("creatingUser") or (sel.get("creatingUser") if sel is not None else None)
        created = el.get("creationDateTime") or (sel.get("creationDateTime") if sel is not None else None)
        self.out.codings.append(ExCoding(el.get("guid"), selection, source.guid, code, start, end, user, created))

    # ------------------------------------------------------------------ links, notes, sets
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


def _where(sel: Any) -> str:
    """Where a selection is, as its tool counts: ``[start, end)``, ``page 2``, or ``[2274, 7000) ms``."""
    if sel.tag == "PDFSelection":
        return f"page {_pos(sel.get('page'))}"
    if sel.tag == "PictureSelection":
        return f"({shown(sel.get('firstX'))}, {shown(sel.get('firstY'))})"
    if sel.tag in ("AudioSelection", "VideoSelection"):
        return f"[{_pos(sel.get('begin'))}, {_pos(sel.get('end'))}) ms"
    return f"[{_pos(sel.get('startPosition'))}, {_pos(sel.get('endPosition'))})"


def _pos(value: Any) -> str:
    number = whole_number(value)
    return str(number) if number is not None else shown(value)


def _span(sel: Any) -> tuple[int | None, int | None]:
    return whole_number(sel.get("startPosition")), whole_number(sel.get("endPosition"))


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
