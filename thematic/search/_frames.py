"""What the search modules share: column checks (private to :mod:`thematic.search`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from thematic.errors import ParameterError


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise :class:`ParameterError` naming the columns ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{name} must have the columns {list(columns)}. "
                             f"Got {list(frame.columns)} instead (missing {missing}).")


def in_reading_order(segments: pd.DataFrame) -> pd.DataFrame:
    """``segments`` sorted by document then start, with a fresh 0..n-1 index."""
    keys = ["document_id" if "document_id" in segments.columns else "document", "start"]
    return segments.sort_values(keys, kind="stable").reset_index(drop=True)
