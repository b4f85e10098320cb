"""REFI-QDA codebook exchange files (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``).

Export: codes nest as ``<Code>`` elements; ``guid`` is a uuid5 of the code id (stable across
exports); ``<Description>`` is the readable block of :mod:`qdc_description`. Import accepts
files written by NVivo, ATLAS.ti, MAXQDA, QualCoder (names, hierarchy, colours,
descriptions); every file is validated against the REFI-QDA ``Codebook.xsd`` first. Tools
write the namespace in other spellings (NVivo 12 for Mac ``urn:QDA-XML:codebook:1:0``, ATLAS.ti
``urn:QDA-XML:codebook:0:4``, or none): those are read as ``urn:QDA-XML:codebook:1.0``, with a
warning.
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from thematic.codebook.parsed import ParsedSource
from thematic.codebook.qdc_description import format_description, parse_description
from thematic.codebook.schema import CodeMarks, Mark, normalize_color, slugify
from thematic.errors import CodebookError, Problem
from thematic.models import Code, Codebook

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

NS = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:thematic:codebook")
_XSD = "Codebook.xsd"


def code_guid(code_id: str) -> str:
    """The REFI guid of a code: uuid5 of its id, so repeated exports agree."""
    return str(uuid.uuid5(GUID_NAMESPACE, code_id))


@lru_cache(maxsize=1)
def codebook_schema() -> etree.XMLSchema:
    """The REFI-QDA 1.0 codebook schema shipped with thematic."""
    from lxml import etree

    with resources.files("thematic.codebook").joinpath("schemas", _XSD).open("rb") as fh:
        return etree.XMLSchema(etree.parse(fh))


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def qdc_bytes(codebook: Codebook, *, origin: str | None = None) -> bytes:
    """The ``.qdc`` document of ``codebook`` as UTF-8 bytes."""
    from lxml import etree

    from thematic import __version__

    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS})
    root.set("origin", origin or f"thematic {__version__}")
    codes_el = etree.SubElement(root, f"{{{NS}}}Codes")
    ids = {c.id for c in codebook.codes}

    def add(parent: etree._Element, code: Code) -> None:
        el = etree.SubElement(parent, f"{{{NS}}}Code")
        el.set("guid", code_guid(code.id))
        el.set("name", code.name)
        el.set("isCodable", "true")
        if code.color:
            el.set("color", code.color.upper())
        etree.SubElement(el, f"{{{NS}}}Description").text = format_description(code)
        for child in codebook.children(code.id):
            add(el, child)

    for root_code in (c for c in codebook.codes if c.parent_id is None or c.parent_id not in ids):
        add(codes_el, root_code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _problem(message: str, source: str | None, line: int | None, column: int | None = None) -> Problem:
    return Problem(message, path=source, line=line, column=column)


def parse_qdc_tree(data: bytes, *, source: str | None = None) -> etree._ElementTree:
    """Parse and schema-validate ``.qdc`` bytes (see :func:`_parse_qdc`)."""
    return _parse_qdc(data, source=source)[0]


def _parse_qdc(data: bytes, *, source: str | None = None) -> tuple[etree._ElementTree, list[str]]:
    """Parse and schema-validate ``.qdc`` bytes.

    Raises
    ------
    CodebookError
        When the data is not XML (with line and column) or breaks ``Codebook.xsd`` (every
        violation, with its line).
    """
    from lxml import etree

    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        raise CodebookError(
            f"not a REFI-QDA codebook: the file is not well-formed XML ({exc.msg})",
            path=source,
            line=line,
            column=column,
            problems=[_problem(f"XML syntax error: {exc.msg}", source, line, column)],
            hint="Export the codebook again as REFI-QDA (.qdc).",
        ) from exc
    old = _canonical_namespace(tree.getroot())
    mended = _repair(tree.getroot())
    schema = codebook_schema()
    if not schema.validate(tree):
        problems = [
            _problem(f"REFI-QDA schema: {err.message}", source, err.line, err.column or None)
            for err in schema.error_log
        ]
        raise CodebookError(
            f"not a valid REFI-QDA codebook: {len(problems)} schema violation(s)",
            path=source,
            line=problems[0].line if problems else None,
            problems=problems,
            hint="The file must follow Codebook.xsd (namespace urn:QDA-XML:codebook:1.0).",
        )
    if old is not None:
        mended.insert(0, f"the codebook's namespace is '{old}', not '{NS}' (REFI-QDA 1.0); read as 1.0")
    return tree, mended


_OTHER_NS = re.compile(r"^(urn:QDA-XML:codebook:[0-9]+[:.][0-9]+|)$", re.IGNORECASE)


def _namespace(el: etree._Element) -> str:
    from lxml import etree

    return etree.QName(el).namespace or ""


_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
_RGB = re.compile(r"^\s*rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,[^)]*)?\)\s*$", re.IGNORECASE)


def foreign_color(value: str) -> str | None:
    """``#RRGGBB`` of a colour a tool wrote (``#rgb``, ``rgb(r, g, b)``), or None when unknown."""
    value = value.strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return value
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:])
    m = _RGB.match(value)
    if m and all(int(x) <= 255 for x in m.groups()):
        return "#" + "".join(f"{int(x):02X}" for x in m.groups())
    return None


def _repair(root: etree._Element) -> list[str]:
    """Mend what tools write against ``Codebook.xsd`` but mean plainly; one line per kind of mend.

    Colours as ``#rgb`` or ``rgb(r, g, b)`` become ``#RRGGBB`` (others, such as ``#AARRGGBB``
    whose channel order no file says, are left out); ids that are not GUIDs (``"p"``) get a
    stable GUID, references to them too; a code without ``isCodable`` is codable.
    """
    made: dict[str, str] = {}
    colours = dropped = guids = codable = 0
    for el in root.iter(f"{{{NS}}}Code", f"{{{NS}}}Set", f"{{{NS}}}MemberCode"):
        guid = el.get("guid")
        if guid is not None and not _GUID.match(guid):
            made.setdefault(guid, str(uuid.uuid5(GUID_NAMESPACE, f"foreign:{guid}")))
            el.set("guid", made[guid])
            guids += 1
        if el.tag == f"{{{NS}}}Code":
            if el.get("isCodable") is None:
                el.set("isCodable", "true")
                codable += 1
            color = el.get("color")
            if color is not None and not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
                fixed = foreign_color(color)
                if fixed is None:
                    del el.attrib["color"]
                    dropped += 1
                else:
                    el.set("color", fixed)
                    colours += 1
    lines = []
    if colours:
        lines.append(f"{colours} colour(s) written as #rgb or rgb(r, g, b) were read as #RRGGBB")
    if dropped:
        lines.append(f"{dropped} colour(s) that are not #RRGGBB were left out")
    if guids:
        lines.append(f"{guids} id(s) that are not GUIDs were given GUIDs")
    if codable:
        lines.append(f"{codable} code(s) without isCodable were read as codable")
    return lines


def _canonical_namespace(root: etree._Element) -> str | None:
    """Move a codebook written in another spelling of the namespace into ``NS``; the old one, or None."""
    from lxml import etree

    old = _namespace(root)
    if old == NS or root.tag.rsplit("}", 1)[-1] != "CodeBook" or not _OTHER_NS.match(old):
        return None
    for el in root.iter():
        if isinstance(el.tag, str) and _namespace(el) == old:
            el.tag = f"{{{NS}}}{etree.QName(el).localname}"
    etree.cleanup_namespaces(root, top_nsmap={None: NS})
    return old or "(none)"


class _QdcReader:
    def __init__(self, source: str | None) -> None:
        self.out = ParsedSource(source=source)
        self.taken: set[str] = set()

    def read(self, tree: etree._ElementTree) -> ParsedSource:
        root = tree.getroot()
        codes_el = root.find(f"{{{NS}}}Codes")
        # ids written by thematic are reserved first, so imported names never steal them
        for desc in root.iter(f"{{{NS}}}Description"):
            own = parse_description(desc.text).code_id
            if own:
                self.taken.add(own)
        for i, el in enumerate(codes_el.findall(f"{{{NS}}}Code") if codes_el is not None else []):
            self.code(el, None, f"Codes/Code[{i + 1}]")
        return self.out

    def new_id(self, name: str, parent_id: str | None) -> str:
        base = slugify(name)
        candidate = f"{parent_id}-{base}" if base in self.taken and parent_id else base
        n = 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def code(self, el: etree._Element, parent_id: str | None, trail: str) -> None:
        name = el.get("name", "").strip()
        desc_el = el.find(f"{{{NS}}}Description")
        parts = parse_description(desc_el.text if desc_el is not None else "")
        code_id = parts.code_id or self.new_id(name or "code", parent_id)
        line = el.sourceline
        if not name:
            self.out.problems.append(_problem(f"{trail}: the code has an empty name", self.out.source, line))
        color = normalize_color(el.get("color", "")) if el.get("color") else None
        self.out.codes.append(
            Code(
                id=code_id,
                name=name,
                parent_id=parent_id,
                definition=parts.definition,
                inclusion=parts.inclusion,
                exclusion=parts.exclusion,
                examples=parts.examples,
                color=color,
            )
        )
        self.out.marks.append(CodeMarks(node=Mark(line, None), trail=trail))
        for i, child in enumerate(el.findall(f"{{{NS}}}Code")):
            self.code(child, code_id, f"{trail}/Code[{i + 1}]")


def read_qdc_source(data: bytes, *, source: str | None = None) -> ParsedSource:
    """Read ``.qdc`` bytes into codes; XML and schema errors raise :class:`CodebookError`."""
    tree, mended = _parse_qdc(data, source=source)
    parsed = _QdcReader(source).read(tree)
    parsed.problems += [Problem(line, path=source, line=1, severity="warning") for line in mended]
    return parsed
