"""Word documents for journals: APA-style tables (horizontal rules only, header row repeated
on each page, a bold header, a "Note." paragraph below) built with python-docx."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from thematic.export.text import xml_safe

__all__ = ["add_note", "add_table", "add_title", "docx_bytes", "new_document"]

FONT = "Times New Roman"


def new_document(*, landscape: bool = False, size: float = 10.0) -> Any:
    """A blank document: Times New Roman, single spacing, A4 margins of 2 cm."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.paragraph_format.space_after = Pt(2)
    style.paragraph_format.line_spacing = 1.0
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    return doc


def add_title(doc: Any, number: int | str, title: str) -> None:
    """APA 7 table title: "Table N" in bold, the title in italics on the next line."""
    head = doc.add_paragraph()
    head.add_run(f"Table {number}").bold = True
    doc.add_paragraph().add_run(xml_safe(title)).italic = True


def _border(cell: Any, edge: str, size: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), "000000")
    borders.append(el)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    tr_pr.append(cant)


def _keep_together(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(cant)


def _fill(cell: Any, value: Any, *, bold: bool = False, italic: bool = False) -> None:
    from docx.shared import Pt

    lines = value if isinstance(value, (list, tuple)) else [value]
    lines = [xml_safe(v) for v in lines] or [""]
    for run in cell.paragraphs[0].runs:
        run._r.getparent().remove(run._r)
    for i, line in enumerate(lines):
        para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if len(lines) > 1 and i < len(lines) - 1:
            para.paragraph_format.space_after = Pt(4)
        run = para.add_run(line)
        run.bold, run.italic = bold, italic


def add_table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
              widths_cm: Sequence[float] | None = None, rule_before: Sequence[int] = (),
              bold_rows: Sequence[int] = (), bold_cols: Sequence[int] = ()) -> Any:
    """A table with a header row: rules above and below the header and at the bottom.

    Parameters
    ----------
    header
        Column titles.
    rows
        Cell values; a list value becomes one paragraph per item.
    widths_cm
        Column widths.
    rule_before
        Row indices (0-based, body rows) that get a thin rule above (group separators).
    bold_rows, bold_cols
        Body rows and columns printed in bold.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = widths_cm is None
    for j, title in enumerate(header):
        cell = table.rows[0].cells[j]
        _fill(cell, title, bold=True)
        _border(cell, "top", 12)
        _border(cell, "bottom", 8)
    _repeat_header(table.rows[0])
    for i, values in enumerate(rows):
        _keep_together(table.rows[i + 1])
        cells = table.rows[i + 1].cells
        for j, value in enumerate(values):
            _fill(cells[j], value, bold=i in bold_rows or j in bold_cols)
            if i in rule_before and i > 0:
                _border(cells[j], "top", 4)
            if i == len(rows) - 1:
                _border(cells[j], "bottom", 12)
    if widths_cm:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        for j, width in enumerate(widths_cm):
            table.columns[j].width = Cm(width)
        for row in table.rows:
            for j, width in enumerate(widths_cm):
                row.cells[j].width = Cm(width)
    return table


def add_note(doc: Any, notes: Sequence[str]) -> None:
    """APA "Note." paragraph(s) under a table."""
    para = doc.add_paragraph()
    para.add_run("Note. ").italic = True
    para.add_run(xml_safe(" ".join(notes)))


def docx_bytes(doc: Any) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
