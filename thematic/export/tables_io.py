"""Writers of tables: matrices, co-occurrence, the framework matrix, agreement, codebook,
saturation, segments and codings (xlsx, csv; docx and Markdown where a paper wants them).

Accepted data
-------------
matrix, cooccurrence
    A wide DataFrame: the index holds the rows (codes or themes, its name the header), the
    columns participants, attribute values or codes; cells are numbers
    (``thematic.analysis.participant_matrix``, ``attribute_matrix(form="wide")``, a
    co-occurrence matrix).
framework
    A long DataFrame, one row per cell: ``theme``, ``column`` (the code or subtheme),
    ``participant``, ``summary`` (may be empty), ``references`` (list of str: quotes or
    coding references; listed for the analyst to summarise when ``summary`` is empty).
agreement
    A mapping with ``summary`` (dict of label -> value), ``per_code`` (DataFrame, one row per
    code and a pooled row) and optional ``disagreements`` (DataFrame).
codebook
    :func:`codebook_frame` (a codebook with counts).
saturation
    A mapping with ``curve`` (DataFrame: ``order, document, new_codes, cumulative_codes,
    cumulative_share``), optional ``band`` (``order, median, low, high``) and ``summary``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.export import docx_util
from thematic.export.files import Target, write_bytes, write_text
from thematic.export.registry import register
from thematic.export.tabular import put_cell, write_table
from thematic.export.text import markdown_escape, xml_safe
from thematic.models import Codebook

__all__ = ["FRAMEWORK_COLUMNS", "codebook_frame", "markdown_table", "write_frame", "write_sheets"]

FRAMEWORK_COLUMNS = ["theme", "column", "participant", "summary", "references"]


def write_frame(frame: pd.DataFrame, target: Target, fmt: str, *, sheet: str = "data") -> None:
    """A flat table, escaped against formula injection and written atomically: CSV via
    :func:`~thematic.export.tabular.write_table` (OWASP apostrophe), XLSX via
    :func:`write_sheets` (text cells typed as text, never formulas)."""
    if fmt == "xlsx":
        write_sheets({sheet: frame}, target)
        return
    buffer = io.BytesIO()
    write_table(frame, buffer, fmt=fmt, sheet_name=sheet)  # write_table escapes formula cells
    write_bytes(target, buffer.getvalue())


def _sheet_name(name: Any, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in xml_safe(name)).strip("'")[:31] or "sheet"
    out, i = base, 2
    while out.lower() in used:
        out = f"{base[:28]}~{i}"
        i += 1
    used.add(out.lower())
    return out


def write_sheets(sheets: Mapping[str, pd.DataFrame], target: Target, *, wrap: bool = False,
                 widths: Mapping[str, float] | None = None, index: bool = False) -> None:
    """Several frames as the sheets of one workbook: bold frozen header, optional wrapping."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(name, used))
        data = frame.reset_index() if index else frame
        for j, col in enumerate(data.columns, start=1):
            put_cell(ws.cell(row=1, column=j), str(col))
        for i, values in enumerate(data.itertuples(index=False), start=2):
            for j, v in enumerate(values, start=1):
                put_cell(ws.cell(row=i, column=j), v)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "B2" if index else "A2"
        for j, col in enumerate(data.columns, start=1):
            width = (widths or {}).get(str(col))
            if width is None:
                longest = max([len(str(col))] + [len(str(v)) for v in data[col].head(200)])
                width = min(max(10, longest + 2), 60 if wrap else 40)
            ws.column_dimensions[get_column_letter(j)].width = width
        if wrap:
            align = Alignment(wrap_text=True, vertical="top")
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = align
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(target, buffer.getvalue())


def markdown_table(frame: pd.DataFrame, *, index: bool = False, digits: int = 2) -> str:
    """A pipe table with every cell escaped."""
    data = frame.reset_index() if index else frame

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else f"{v:.{digits}f}"
        return markdown_escape(v)
    lines = ["| " + " | ".join(markdown_escape(c) for c in data.columns) + " |",
             "|" + "---|" * len(data.columns)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in data.itertuples(index=False)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- matrices
@register("matrix", "xlsx", "csv", description="Code or theme x participant/attribute")
@register("cooccurrence", "xlsx", "csv", description="Code x code co-occurrence")
def write_matrix(matrix: pd.DataFrame, target: Target, *, fmt: str, sheet: str = "matrix",
                 **_: Any) -> None:
    """A wide matrix with its row labels in the first column."""
    frame = matrix.reset_index()
    if fmt == "csv":
        write_frame(frame, target, "csv")
    else:
        write_sheets({sheet: frame}, target)


# ---------------------------------------------------------------------------- framework
def _framework_cell(summary: Any, refs: Any) -> str:
    refs = [str(r) for r in refs] if isinstance(refs, (list, tuple)) else ([str(refs)] if
                                                                          isinstance(refs, str) and refs else [])
    if isinstance(summary, str) and summary.strip():
        return summary.strip() + ("\n\nQuotes: " + "; ".join(refs) if refs else "")
    if refs:
        return "[to summarise]\n" + "\n".join(f"- {r}" for r in refs)
    return ""


@register("framework", "xlsx", description="Framework matrix, one sheet per theme")
def write_framework(frame: pd.DataFrame, target: Target, *, fmt: str, **_: Any) -> None:
    """One sheet per theme: participants down, the theme's codes/subthemes across, wrapped."""
    missing = [c for c in FRAMEWORK_COLUMNS if c not in frame.columns]
    if missing:
        raise ParameterError(f"a framework matrix needs the columns {FRAMEWORK_COLUMNS}. "
                             f"Missing {missing}.")
    sheets: dict[str, pd.DataFrame] = {}
    for theme, part in frame.groupby("theme", sort=False):
        cells = part.assign(cell=[_framework_cell(s, r) for s, r in
                                  zip(part["summary"], part["references"])])
        wide = cells.pivot_table(index="participant", columns="column", values="cell",
                                 aggfunc="first", sort=False).fillna("")
        wide = wide.reindex(columns=list(dict.fromkeys(part["column"])))
        wide.columns.name = None
        sheets[str(theme)] = wide
    if not sheets:
        sheets["framework"] = pd.DataFrame({"participant": [], "note": []}).set_index("participant")
    write_sheets(sheets, target, wrap=True, index=True)


# ---------------------------------------------------------------------------- agreement
def _agreement_parts(report: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    summary = pd.DataFrame(list(dict(report.get("summary", {})).items()), columns=["measure", "value"])
    per_code = report.get("per_code")
    if not isinstance(per_code, pd.DataFrame):
        raise ParameterError("an agreement report needs a 'per_code' table (DataFrame).")
    disagreements = report.get("disagreements")
    if not isinstance(disagreements, pd.DataFrame):
        disagreements = pd.DataFrame()
    return summary, per_code, disagreements


@register("agreement", "xlsx", "docx", "md", description="Inter-coder agreement report")
def write_agreement(report: Mapping[str, Any], target: Target, *, fmt: str, **_: Any) -> None:
    """Summary, per-code coefficients and the disagreements with their text."""
    summary, per_code, disagreements = _agreement_parts(report)
    per_code_out = per_code.reset_index() if per_code.index.name else per_code
    if fmt == "xlsx":
        write_sheets({"summary": summary, "per code": per_code_out,
                      "disagreements": disagreements}, target, wrap=True)
        return
    if fmt == "md":
        parts = ["# Inter-coder agreement", "", markdown_table(summary), "", "## Per code", "",
                 markdown_table(per_code_out), ""]
        if not disagreements.empty:
            parts += ["## Disagreements", "", markdown_table(disagreements), ""]
        write_text(target, "\n".join(parts))
        return
    doc = docx_util.new_document(landscape=True)
    doc.add_heading("Inter-coder agreement", level=1)
    docx_util.add_table(doc, ["Measure", "Value"], [[k, _num(v)] for k, v in summary.values])
    doc.add_paragraph()
    docx_util.add_title(doc, 1, "Agreement per code")
    docx_util.add_table(doc, [str(c) for c in per_code_out.columns],
                        [[_num(v) for v in row] for row in per_code_out.itertuples(index=False)])
    if not disagreements.empty:
        doc.add_heading("Disagreements", level=2)
        docx_util.add_table(doc, [str(c) for c in disagreements.columns],
                            [[_num(v) for v in r] for r in disagreements.itertuples(index=False)])
    write_bytes(target, docx_util.docx_bytes(doc))


def _num(v: Any) -> str:
    if isinstance(v, float):
        return "" if pd.isna(v) else f"{v:.3f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:.0f}"
    return "" if v is None else str(v)


# ---------------------------------------------------------------------------- codebook
def codebook_frame(codebook: Codebook, counts: pd.DataFrame | None = None, *,
                   pseudonymiser: Callable[[str], str] | None = None) -> pd.DataFrame:
    """One row per code in tree order: code, name, parent, level, path, definition, inclusion,
    exclusion, example, then the columns of ``counts`` (``thematic.analysis.frequencies``:
    keyed by a ``code`` column or index). ``pseudonymiser`` replaces names in the definition,
    inclusion, exclusion and example (examples are often quotes)."""
    order: list[tuple[Any, int]] = []

    def walk(parent: str | None, level: int, seen: set[str]) -> None:
        for code in codebook.children(parent):
            if code.id not in seen:
                seen.add(code.id)
                order.append((code, level))
                walk(code.id, level + 1, seen)
    walk(None, 1, set())
    rows = [{"code": c.id, "name": c.name, "parent": c.parent_id or "", "level": level,
             "path": " > ".join(codebook.path(c.id)), "definition": c.definition,
             "inclusion": c.inclusion, "exclusion": c.exclusion,
             "example": c.examples[0].text if c.examples else ""} for c, level in order]
    frame = pd.DataFrame(rows, columns=["code", "name", "parent", "level", "path", "definition",
                                        "inclusion", "exclusion", "example"])
    if pseudonymiser is not None:
        for column in ("definition", "inclusion", "exclusion", "example"):
            frame[column] = frame[column].map(lambda t: pseudonymiser(t) if isinstance(t, str) else t)
    if counts is not None and not counts.empty:
        keyed = counts.reset_index() if "code" not in counts.columns else counts
        numeric = [c for c in keyed.columns if c != "code" and c not in frame.columns]
        frame = frame.merge(keyed[["code", *numeric]], on="code", how="left")
        frame[numeric] = frame[numeric].fillna(0)
    return frame


@register("codebook", "docx", "xlsx", description="The codebook with counts")
def write_codebook(frame: pd.DataFrame, target: Target, *, fmt: str, **_: Any) -> None:
    """A :func:`codebook_frame` as a Word table (indented by level) or a workbook."""
    if fmt == "xlsx":
        write_sheets({"codebook": frame}, target, wrap=True)
        return
    doc = docx_util.new_document(landscape=True)
    docx_util.add_title(doc, 1, "Codebook")
    has = {c for c in ("codings", "segments", "participants", "participants_pct") if c in frame}
    header = ["Code", "Definition", "Include / exclude", "Example"]
    header += [h for h, c in (("Segments", "segments"), ("Participants n (%)", "participants")) if c in has]
    body = []
    for r in frame.to_dict("records"):
        row: list[Any] = ["\u2003" * (int(r["level"]) - 1) + str(r["name"]), r["definition"],
                          [f"Include: {r['inclusion']}" if r["inclusion"] else "",
                           f"Exclude: {r['exclusion']}" if r["exclusion"] else ""], r["example"]]
        if "segments" in has:
            row.append(str(int(r["segments"])))
        if "participants" in has:
            pct = f" ({r['participants_pct']:.0f}%)" if "participants_pct" in has else ""
            row.append(f"{int(r['participants'])}{pct}")
        body.append(row)
    widths = [4.5, 7.0, 6.0, 5.0, 1.6, 2.2][:len(header)]
    docx_util.add_table(doc, header, body, widths_cm=widths)
    write_bytes(target, docx_util.docx_bytes(doc))


# ---------------------------------------------------------------------------- saturation
@register("saturation", "csv", "xlsx", description="Code accumulation in interview order")
def write_saturation(result: Mapping[str, Any], target: Target, *, fmt: str, **_: Any) -> None:
    """The accumulation curve (csv), or curve, bootstrap band and summary sheets (xlsx)."""
    curve = result.get("curve")
    if not isinstance(curve, pd.DataFrame):
        raise ParameterError("a saturation result needs a 'curve' table (DataFrame).")
    if fmt == "csv":
        write_frame(curve, target, "csv")
        return
    sheets = {"curve": curve}
    if isinstance(result.get("band"), pd.DataFrame):
        sheets["bootstrap"] = result["band"]
    if result.get("summary"):
        sheets["summary"] = pd.DataFrame(list(dict(result["summary"]).items()), columns=["measure", "value"])
    write_sheets(sheets, target)


# ---------------------------------------------------------------------------- segments, codings
@register("segments", "csv", "xlsx", description="One row per segment with attributes")
@register("codings", "csv", "xlsx", description="One row per coding with provenance")
@register("topics", "csv", "xlsx", description="One row per member segment of each topic")
def write_plain(frame: pd.DataFrame, target: Target, *, fmt: str, sheet: str = "data", **_: Any) -> None:
    """A table built by ``segments_table``, ``codings_table`` or ``topics_table``."""
    write_frame(frame, target, fmt, sheet=sheet)
