"""Tables for spreadsheets: segments and codings as CSV or XLSX.

Pure functions build DataFrames with documented columns; :func:`write_table` writes one to a
path or file-like by format (``csv`` or ``xlsx``) and knows nothing of the project.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Any

import pandas as pd

from thematic.errors import ThematicError
from thematic.fileio import write_atomic
from thematic.models import Codebook
from thematic.text import escape_cell, needs_escape, unescape_cell, xml_safe

TABLE_FORMATS = ("csv", "xlsx")
__all__ = ["TABLE_FORMATS", "codings_table", "escape_cell", "escape_frame", "format_for",
           "put_cell", "segments_table", "unescape_cell", "write_table"]

def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) passed through :func:`escape_cell`."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(escape_cell)
    out.columns = [escape_cell(str(c)) for c in out.columns]
    return out


def format_for(path: str | Path, fmt: str | None = None) -> str:
    fmt = (fmt or Path(str(path)).suffix.lstrip(".") or "csv").lower()
    if fmt not in TABLE_FORMATS:
        raise ThematicError(f"cannot write a table as '{fmt}'", path=str(path),
                            hint=f"Use one of: {', '.join(TABLE_FORMATS)}.")
    return fmt


def _jsonable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (dict, list))).any():
            out[col] = out[col].map(
                lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else v
            )
    return out


def put_cell(cell: Any, value: object) -> None:
    """Put ``value`` in an openpyxl cell (the one rule of every workbook thematic writes):
    text stays text even when it begins like a formula (typed as a string, with Excel's quote
    prefix, so it is shown and never run), without the characters XML cannot hold; NaN and
    None are empty; numpy scalars and timestamps become Python values; lists and dicts text."""
    if isinstance(value, (list, dict)):
        value = str(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        cell.value = None
        return
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        value = xml_safe(value)
        cell.value = value
        cell.data_type = "s"  # text, even when it begins with "=" (no <f> element)
        if needs_escape(value):
            cell.quotePrefix = True  # Excel shows the text and never re-reads it as a formula
        return
    cell.value = value


def _xlsx_bytes(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """The frame as a workbook where every text cell is text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    for col in frame.select_dtypes(include=["datetimetz"]).columns:
        frame[col] = frame[col].dt.tz_localize(None)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31])

    def cell(value: object) -> WriteOnlyCell:
        out = WriteOnlyCell(sheet, value=None)
        put_cell(out, value)
        return out

    sheet.append([cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_table(frame: pd.DataFrame, target: str | Path | IO[bytes], *, fmt: str | None = None,
                sheet_name: str = "data") -> None:
    """Write ``frame`` as CSV (UTF-8 with BOM, so Excel opens it right) or XLSX.

    The one table writer of thematic: text from transcripts, surveys and codebooks is data,
    so no cell is ever a formula. In ``.xlsx`` every text cell is stored as text (with
    Excel's quote prefix when it begins like a formula), keeping the exact original. In
    ``.csv`` such a cell gets an apostrophe in front (:func:`escape_cell`, the OWASP rule);
    :func:`unescape_cell` gives the original back. A path target is written atomically by
    :func:`thematic.fileio.write_atomic`.

    Raises
    ------
    WriteError
        The file cannot be written (read-only or missing folder, a folder as target, a full
        disk); nothing is left behind.
    """
    name = target if isinstance(target, (str, Path)) else getattr(target, "name", "table.csv")
    fmt = format_for(name, fmt)
    out = _jsonable(frame)
    if fmt == "csv":
        # RFC 4180 line ends: a cell holding a lone CR is quoted too (with "\n" it is not)
        data = escape_frame(out).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    else:
        data = _xlsx_bytes(out, sheet_name)
    if isinstance(target, (str, Path)):
        write_atomic(target, data)
    else:
        target.write(data)


def segments_table(segments: pd.DataFrame) -> pd.DataFrame:
    """Columns: document, participant, speaker, role, attributes (``attr:NAME``...), turn,
    segment, start, end, time_start, time_end, text."""
    first = ["document", "participant", "speaker", "role"]
    attrs = [c for c in segments.columns if c.startswith("attr:")]
    rest = ["turn", "segment", "start", "end", "time_start", "time_end", "text"]
    return segments[first + attrs + rest].reset_index(drop=True)


def code_levels(codebook: Codebook) -> dict[str, list[str]]:
    """Code id -> names from the root (``path`` per level)."""
    return {c.id: codebook.path(c.id) for c in codebook.codes}


def codings_table(codings: pd.DataFrame, codebook: Codebook, participants: pd.DataFrame) -> pd.DataFrame:
    """Codings with participant attributes and the code path one column per level.

    Columns: document, participant, ``attr:NAME``..., code, code_level_1..N, text, start, end,
    time_start, time_end, context_before, context_after, source, status, confidence,
    evidence, coder, decided_by, decided_at, coding_id.
    """
    levels = code_levels(codebook)
    depth = max((len(v) for v in levels.values()), default=1)
    frame = codings.copy()
    for i in range(depth):
        frame[f"code_level_{i + 1}"] = frame["code"].map(
            lambda k, i=i: levels.get(k, [k])[i] if i < len(levels.get(k, [k])) else ""
        )
    attr_cols: list[str] = []
    if not participants.empty:
        extra = participants.drop(columns=["name"], errors="ignore")
        extra = extra.rename(columns={c: f"attr:{c}" for c in extra.columns if c != "participant"})
        attr_cols = [c for c in extra.columns if c != "participant"]
        frame = frame.merge(extra, on="participant", how="left")
    cols = (["document", "participant", *attr_cols, "speaker", "role", "code"]
            + [f"code_level_{i + 1}" for i in range(depth)]
            + ["text", "start", "end", "time_start", "time_end", "context_before", "context_after",
               "source", "status", "confidence", "evidence", "coder", "decided_by", "decided_at",
               "coding_id"])
    return frame[cols].reset_index(drop=True)
