"""The codebook of a whole REFI-QDA project (``.qdpx`` or ``.qde``), for ``thematic codebook import``.

A team that starts from a codebook another tool holds rarely has it as a ``.qdc``: MAXQDA,
NVivo and ATLAS.ti hand over the whole project. Only the project file's ``<CodeBook>`` is
read (never the sources): codes with their hierarchy, colours and descriptions, ids made as
for a project import (:func:`thematic.refi.convert.codes_from_exchange`), so importing the
codebook and later the project agree. The project file is read as leniently as an import
(guids folded, reuse resolved by kind); what the reader had to change comes back as warnings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thematic.codebook.parsed import ParsedSource
from thematic.codebook.schema import CodeMarks, Mark
from thematic.errors import CodebookError, ExchangeError, Problem
from thematic.refi.archive import ArchiveLimits, QdpxArchive, parse_xml
from thematic.refi.model import ExCode, ExProject


def _root(path: Path, limits: ArchiveLimits) -> Any:
    from thematic.refi.qde_read import is_loose, project_entry

    if is_loose(path):
        if path.stat().st_size > limits.max_total_bytes:
            raise ExchangeError(f"the project file is larger than {limits.max_total_bytes} bytes", path=path)
        return parse_xml(path.read_bytes(), path=path)
    with QdpxArchive(path, limits=limits) as archive:
        entry = project_entry(archive)
        return parse_xml(archive.read(entry), path=path, entry=entry)


def _read_code(ex: ExProject, el: Any, parent: str | None, trail: str,
               lines: dict[str, tuple[int | None, str]]) -> None:
    """A ``<Code>`` and the codes under it, into ``ex`` (a nameless code is named, a colour
    that is not #RRGGBB left out, both said); ``lines`` gets each code's line and path."""
    from thematic.codebook.qdc import foreign_color
    from thematic.refi.offsets import shown
    from thematic.refi.qde_xml import kids, text_of

    guid = el.get("guid")
    name = (el.get("name") or "").strip()
    if not name:
        name = "unnamed code"
        ex.convert("code", name, f"the code at line {el.sourceline} has no name; named '{name}'")
    color = foreign_color(el.get("color") or "") if el.get("color") else None
    if el.get("color") and color is None:
        ex.convert("code", name, f"its colour {shown(el.get('color'))} is not #RRGGBB; left out")
    ex.codes.append(ExCode(guid, name, parent, color, text_of(el, "Description")))
    lines[guid] = (el.sourceline, trail)
    for i, child in enumerate(kids(el, "Code")):
        _read_code(ex, child, guid, f"{trail}/Code[{i + 1}]", lines)


def read_project_codebook(path: str | Path, *, limits: ArchiveLimits | None = None) -> ParsedSource:
    """The codes of a project file's ``<CodeBook>``, as a codebook reader gives them.

    Raises
    ------
    CodebookError
        The file is not a readable REFI-QDA project, or holds no codebook.
    """
    from thematic.refi.convert import codes_from_exchange
    from thematic.refi.qde_guids import GuidIndex
    from thematic.refi.qde_xml import kid as _kid
    from thematic.refi.qde_xml import kids as _kids
    from thematic.refi.qde_xml import strip_namespaces as _strip_namespaces

    path = Path(path)
    try:
        root = _root(path, limits or ArchiveLimits())
    except ExchangeError as e:
        raise CodebookError(e.message, path=e.path, line=e.line, column=e.column, hint=e.hint) from e
    _strip_namespaces(root)
    if root.tag != "Project":
        raise CodebookError(f"not a REFI-QDA project: the root element is <{root.tag}>", path=path,
                            hint="A REFI-QDA codebook is a .qdc file.")
    ex = ExProject(name=root.get("name") or path.stem, origin=root.get("origin", ""))
    GuidIndex(root, ex)
    book = _kid(root, "CodeBook")
    codes_el = _kid(book, "Codes") if book is not None else None
    if codes_el is None or not _kids(codes_el, "Code"):
        raise CodebookError("the project holds no codebook (no <CodeBook> with codes)", path=path,
                            hint="Export the project again with its codes.")
    lines: dict[str, tuple[int | None, str]] = {}
    for i, el in enumerate(_kids(codes_el, "Code")):
        _read_code(ex, el, None, f"CodeBook/Codes/Code[{i + 1}]", lines)
    codes, ids = codes_from_exchange(ex)
    guid_of = {code_id: guid for guid, code_id in ids.items()}
    out = ParsedSource(name=ex.name, source=str(path))
    for code in codes:
        line, trail = lines[guid_of[code.id]]
        out.codes.append(code)
        out.marks.append(CodeMarks(node=Mark(line, None), trail=trail))
    for o in ex.outcomes:
        out.problems.append(Problem(o.line(), path=str(path), severity="warning"))
    return out
