"""Overview, documents and participants tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from thematic.project import Project


from thematic.views.common import DOCUMENT_COLUMNS, INTERVIEW, SURVEY


# --------------------------------------------------------------------------- overview
@dataclass(frozen=True)
class Overview:
    """The counts the Overview page and the sidebar show."""

    name: str
    documents: int
    interviews: int
    survey_responses: int
    participants: int
    turns: int
    sentences: int
    words: int
    unit: str
    codes: int
    codebook: str | None
    suggested: int
    accepted: int
    rejected: int

    @property
    def codebook_label(self) -> str:
        return self.codebook or "no codebook loaded"


def document_kind(metadata: dict[str, Any] | None) -> str:
    """"survey response" for a document made from a survey table's row, else "interview"."""
    return SURVEY if (metadata or {}).get("layout") else INTERVIEW


def documents_table(project: Project) -> pd.DataFrame:
    """One row per document (columns :data:`DOCUMENT_COLUMNS`): kind tells interviews from
    survey responses."""
    docs = project.documents.frame()
    kinds = [document_kind(meta) for meta in docs["metadata"]]
    table = docs.assign(kind=kinds)
    return table[DOCUMENT_COLUMNS].reset_index(drop=True)


def overview(project: Project, documents: pd.DataFrame | None = None) -> Overview:
    """Counts of the project (``documents``: a :func:`documents_table` already read)."""
    status = project.status()
    docs = documents_table(project) if documents is None else documents
    codings = status.get("codings", {})
    return Overview(
        name=project.name, documents=status["documents"],
        interviews=int((docs["kind"] == INTERVIEW).sum()),
        survey_responses=int((docs["kind"] == SURVEY).sum()),
        participants=status["participants"], turns=status["turns"], sentences=status["sentences"],
        words=status["words"], unit=status["unit"], codes=status["codes"],
        codebook=status["codebook"],
        suggested=codings.get("suggested", 0), accepted=codings.get("accepted", 0),
        rejected=codings.get("rejected", 0),
    )


def filter_documents(table: pd.DataFrame, kinds: Sequence[str] | None) -> pd.DataFrame:
    """Rows of ``table`` whose kind is in ``kinds`` (all rows when ``kinds`` is empty/None)."""
    if not kinds:
        return table
    return table[table["kind"].isin(list(kinds))].reset_index(drop=True)


# --------------------------------------------------------------------------- participants
@dataclass(frozen=True)
class AttributeFilter:
    """How to filter on one attribute: ``kind`` "options" (pick values) or "range"."""

    attribute: str
    kind: str
    options: tuple[Any, ...] = ()
    low: Any = None
    high: Any = None


def participants_table(project: Project) -> pd.DataFrame:
    """Participants with their typed attributes (one column per name) and their documents."""
    frame = project.participants.frame()
    frame = frame.loc[:, ~frame.columns.duplicated()].copy()
    docs = project.documents.frame()
    per_part: dict[str, list[str]] = {}
    for name, parts in zip(docs["name"], docs["participants"], strict=True):
        for key in filter(None, (p.strip() for p in str(parts or "").split(","))):
            per_part.setdefault(key, []).append(name)
    frame["documents"] = [", ".join(per_part.get(k, [])) for k in frame["participant"]]
    return frame.reset_index(drop=True)


def attribute_filter(frame: pd.DataFrame, types: dict[str, str], attribute: str) -> AttributeFilter:
    """The filter an attribute gets: a value range for numbers and dates, else a set of values."""
    column = frame[attribute]
    if types.get(attribute) in ("number", "date") and column.nunique() > 1:
        low, high = column.min(), column.max()
        if types[attribute] == "date":
            low, high = low.date(), high.date()
        else:
            low, high = float(low), float(high)
        return AttributeFilter(attribute, "range", low=low, high=high)
    values = sorted({str(v) for v in column.dropna()})
    return AttributeFilter(attribute, "options", options=tuple(values))


def columns_of_type(types: dict[str, str], kind: str) -> list[str]:
    """Attribute names of one type ("date", "number", "category", "text")."""
    return [name for name, t in types.items() if t == kind]


def filter_participants(frame: pd.DataFrame, spec: AttributeFilter | None,
                        selection: Any) -> pd.DataFrame:
    """Rows matching ``selection``: values (options) or a ``(low, high)`` pair (range).

    An empty selection, or a range spanning every value, keeps every row (missing values too).
    """
    if spec is None or selection is None or (spec.kind == "options" and not selection):
        return frame
    if spec.kind == "range" and tuple(selection) == (spec.low, spec.high):
        return frame
    column = frame[spec.attribute]
    if spec.kind == "options":
        keep = column.astype("string").isin([str(v) for v in selection])
    else:
        low, high = selection
        if isinstance(low, (pd.Timestamp,)) or hasattr(low, "isoformat"):
            # whole days: the last day counts up to its last instant
            low = pd.Timestamp(low)
            high = pd.Timestamp(high) + pd.Timedelta(days=1) - pd.Timedelta(1)
        keep = column.between(low, high)
    return frame[keep.fillna(False).astype(bool)].reset_index(drop=True)


__all__ = ['Overview', 'document_kind', 'documents_table', 'overview', 'filter_documents', 'AttributeFilter', 'participants_table', 'attribute_filter', 'columns_of_type', 'filter_participants']
