"""Analysis and themes as pictures: heatmap cells in long form, the thematic map as DOT."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from thematic.models import Codebook


def heatmap_cells(matrix: pd.DataFrame, *, row: str = "row", column: str = "column",
                  value: str = "value") -> pd.DataFrame:
    """A wide matrix (index: codes or themes, columns: participants or values) as one row per
    cell: ``row``, ``column``, ``value`` (numeric columns only; NaN counts as 0).

    >>> m = pd.DataFrame({"P01": [1, 0], "P02": [2, 3]}, index=pd.Index(["a", "b"], name="code"))
    >>> heatmap_cells(m, row="code", column="participant")["value"].tolist()
    [1, 2, 0, 3]
    """
    numeric = matrix.select_dtypes("number").fillna(0)
    long = numeric.rename_axis(index=row, columns=column).stack().rename(value).reset_index()
    long[row] = long[row].astype(str)
    long[column] = long[column].astype(str)
    return long


def dot_text(value: object) -> str:
    """Text for a double-quoted DOT string: backslashes, quotes and newlines escaped.

    >>> dot_text('say "hi" \\\\ bye')
    'say \\\\"hi\\\\" \\\\\\\\ bye'
    """
    text = "" if value is None else str(value)
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            .replace("\r", " "))


def thematic_map_dot(themes: pd.DataFrame, theme_codes: pd.DataFrame, codebook: Codebook,
                     *, max_codes: int = 12) -> str:
    """The thematic map as Graphviz DOT: themes (boxes) -> subthemes -> codes (ellipses).

    ``themes``: theme_id, name, parent (a theme name or None); ``theme_codes``: theme, code.
    ``theme_codes.theme`` may hold theme names or ids. Every label is escaped for DOT.
    """
    names = {c.id: c.name for c in codebook.codes}
    lines = ['digraph thematic_map {', '  rankdir=LR; node [fontname="Helvetica", fontsize=11];',
             '  edge [color="#888888"];']
    by_id = {}
    if not themes.empty:
        for t in themes.itertuples():
            key = f"t{t.theme_id}"
            by_id[str(t.theme_id)] = key
            by_id[str(t.name)] = key
            lines.append(f'  {key} [label="{dot_text(t.name)}", shape=box, style="rounded,filled",'
                         f' fillcolor="#e8f0fa"];')
        for t in themes.itertuples():
            parent = getattr(t, "parent", None)
            if parent is not None and not pd.isna(parent) and str(parent) in by_id:
                lines.append(f"  {by_id[str(parent)]} -> t{t.theme_id};")
    if not theme_codes.empty:
        shown: dict[str, int] = {}
        for n, link in enumerate(theme_codes.itertuples()):
            theme_key = by_id.get(str(link.theme))
            if theme_key is None:
                continue
            shown[theme_key] = shown.get(theme_key, 0) + 1
            if shown[theme_key] > max_codes:
                continue
            code_key = f"c{n}"
            label = names.get(str(link.code), str(link.code))
            lines.append(f'  {code_key} [label="{dot_text(label)}", shape=ellipse];')
            lines.append(f"  {theme_key} -> {code_key};")
    lines.append("}")
    return "\n".join(lines)


__all__ = ["heatmap_cells", "dot_text", "thematic_map_dot"]
