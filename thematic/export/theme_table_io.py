"""Writers of the theme table: docx (APA-style Word table), xlsx, csv, Markdown, LaTeX
(booktabs + longtable), and its long machine-readable form (csv, xlsx)."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from thematic.export import docx_util
from thematic.export.files import Target, write_bytes, write_text
from thematic.export.registry import register
from thematic.export.tables_io import write_frame
from thematic.export.tabular import put_cell
from thematic.export.text import latex_escape, markdown_escape
from thematic.export.theme_table import ThemeTable

__all__ = ["flat_frame", "theme_table_latex", "theme_table_markdown", "write_theme_table",
           "write_theme_table_long"]

HEADER = ["Theme", "Subtheme", "Description", "Participants n (%)", "Illustrative quotes"]


def flat_frame(table: ThemeTable) -> pd.DataFrame:
    """One row per theme/subtheme, the quotes in ``Quote 1..3`` (each with its attribution)."""
    records = []
    for row in table.rows.to_dict("records"):
        rec = {"Theme": row["theme"], "Subtheme": row["subtheme"], "Description": row["description"],
               "Participants n": row["participants_n"], "Participants %": row["participants_pct"],
               "N": table.n_total, "Codings": row["codings_n"]}
        for i in range(3):
            quotes = row["quotes"]
            rec[f"Quote {i + 1}"] = quotes[i].render() if i < len(quotes) else (
                "No accepted codings yet." if i == 0 and row["codings_n"] == 0 else "")
        records.append(rec)
    return pd.DataFrame(records, columns=["Theme", "Subtheme", "Description", "Participants n",
                                          "Participants %", "N", "Codings", "Quote 1", "Quote 2",
                                          "Quote 3"])


def _docx(table: ThemeTable, target: Target, number: int | str = 1) -> None:
    doc = docx_util.new_document(landscape=True, size=9.5)
    docx_util.add_title(doc, number, table.title)
    body: list[list[Any]] = []
    rules: list[int] = []
    bold: list[int] = []
    for i, row in enumerate(table.display_rows()):
        if row["theme"]:
            rules.append(i)
        if row["level"] == "theme":
            bold.append(i)
        body.append([row["theme"], row["subtheme"] or "\u2014", row["description"], row["n"],
                     row["quotes"] or [""]])
    docx_util.add_table(doc, HEADER, body, widths_cm=[3.0, 3.2, 5.5, 2.3, 11.7],
                        rule_before=rules, bold_cols=[0])
    docx_util.add_note(doc, table.footnotes)
    write_bytes(target, docx_util.docx_bytes(doc))


def _xlsx(table: ThemeTable, target: Target) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "theme table"
    frame = flat_frame(table)
    for j, col in enumerate(frame.columns, start=1):
        put_cell(ws.cell(row=1, column=j), col)
    for i, values in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(values, start=1):
            put_cell(ws.cell(row=i, column=j), v)
    thin = Side(style="thin")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.border = Border(top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    widths = [22, 22, 40, 10, 10, 6, 9, 60, 60, 60]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    start = ws.max_row + 2
    for k, note in enumerate(table.footnotes):
        put_cell(ws.cell(row=start + k, column=1), ("Note. " if k == 0 else "") + note)
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(target, buffer.getvalue())


def theme_table_markdown(table: ThemeTable) -> str:
    """The table as a GitHub/pandoc pipe table; quotes separated by ``<br>``; notes below."""
    lines = [f"**Table 1.** *{markdown_escape(table.title)}*", "",
             "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in table.display_rows():
        cells = [markdown_escape(row["theme"]), markdown_escape(row["subtheme"]),
                 markdown_escape(row["description"]), markdown_escape(row["n"]),
                 "<br>".join(markdown_escape(q) for q in row["quotes"])]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "*Note.* " + markdown_escape(" ".join(table.footnotes)), ""]
    return "\n".join(lines)


def theme_table_latex(table: ThemeTable, *, label: str = "tab:themes") -> str:
    """A ``longtable`` with booktabs rules (needs ``booktabs``, ``longtable``, ``array``)."""
    spec = r"p{2.4cm}p{2.6cm}p{4.2cm}r p{7.6cm}"
    head = " & ".join(latex_escape(h) for h in HEADER[:3]) + r" & \multicolumn{1}{c}{n (\%)} & " \
        + latex_escape(HEADER[4]) + r" \\"
    out = ["% Requires \\usepackage{booktabs,longtable,array} (landscape: pdflscape).",
           rf"\begin{{longtable}}{{{spec}}}",
           rf"\caption{{{latex_escape(table.title)}}}\label{{{latex_escape(label)}}}\\",
           r"\toprule", head, r"\midrule", r"\endfirsthead",
           r"\toprule", head, r"\midrule", r"\endhead",
           r"\bottomrule", r"\endfoot"]
    rows = table.display_rows()
    for i, row in enumerate(rows):
        if row["theme"] and i > 0:
            out.append(r"\addlinespace")
        quotes = r" \newline ".join(latex_escape(q) for q in row["quotes"])
        cells = [latex_escape(row["theme"]), latex_escape(row["subtheme"]),
                 latex_escape(row["description"]), latex_escape(row["n"]), quotes]
        out.append(" & ".join(cells) + r" \\")
    out += [r"\end{longtable}", "",
            r"\noindent\textit{Note.} " + latex_escape(" ".join(table.footnotes)), ""]
    return "\n".join(out)


@register("theme-table", "docx", "xlsx", "csv", "md", "tex",
          description="Themes, subthemes, participants n (%), illustrative quotes")
def write_theme_table(table: ThemeTable, target: Target, *, fmt: str, number: int | str = 1,
                      **_: Any) -> None:
    """Write a :class:`ThemeTable` as ``fmt`` (docx, xlsx, csv, md, tex)."""
    if fmt == "docx":
        _docx(table, target, number)
    elif fmt == "xlsx":
        _xlsx(table, target)
    elif fmt == "csv":
        frame = flat_frame(table)
        notes = pd.DataFrame({"Theme": [f"Note. {n}" for n in table.footnotes]})
        write_frame(pd.concat([frame, notes], ignore_index=True), target, "csv")
    elif fmt == "md":
        write_text(target, theme_table_markdown(table))
    else:
        write_text(target, theme_table_latex(table))


@register("theme-table-long", "csv", "xlsx",
          description="One row per quote: ids, offsets, timestamps, provenance")
def write_theme_table_long(table: ThemeTable, target: Target, *, fmt: str, **_: Any) -> None:
    """Write :attr:`ThemeTable.long` (see :data:`~thematic.export.theme_table.LONG_COLUMNS`)."""
    write_frame(table.long, target, fmt, sheet="quotes")
