"""Tables for spreadsheets: segments and codings as CSV or XLSX.

Pure functions build DataFrames with documented columns; :func:`write_table` writes one to a
path or file-like by format (``csv`` or ``xlsx``) and knows nothing of the project.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO

import pandas as pd

from thematic.errors import ThematicError
from thematic.models import Codebook

TABLE_FORMATS = ("csv", "xlsx")


def format_for(path: str | Path, fmt: str | None = None) -> str:
    fmt = (fmt or Path(str(path)).suffix.lstrip(".") or "csv").lower()
    if fmt not in TABLE_FORMATS:
        raise ThematicError(f"cannot write a table as '{fmt}'", path=str(path),
                            hint=f"Use one of: {', '.join(TABLE_FORMATS)}.")
    return fmt


def write_table(frame: pd.DataFrame, target: str | Path | IO[bytes], *, fmt: str | None = None,
                sheet_name: str = "data") -> None:
    """Write ``frame`` as CSV (UTF-8 with BOM, so Excel opens it right) or XLSX."""
    name = target if isinstance(target, (str, Path)) else getattr(target, "name", "table.csv")
    fmt = format_for(name, fmt)
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (dict, list))).any():
            out[col] = out[col].map(
                lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else v
            )
    if fmt == "csv":
        data = out.to_csv(index=False).encode("utf-8-sig")
        if isinstance(target, (str, Path)):
            tmp = Path(str(target) + ".part")
            tmp.write_bytes(data)
            tmp.replace(target)
        else:
            target.write(data)
        return
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for col in out.select_dtypes(include=["datetimetz"]).columns:
            out[col] = out[col].dt.tz_localize(None)
        out.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    if isinstance(target, (str, Path)):
        tmp = Path(str(target) + ".part")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(target)
    else:
        target.write(buffer.getvalue())


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
