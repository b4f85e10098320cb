"""The framework matrix (Gale et al. 2013): participants x themes (or codes), summarised.

In the framework method the analyst charts the data: each cell of the participant x theme
matrix holds a short summary of what that participant said about that theme, with references
to the passages it rests on. This module builds the matrix from the stored summaries and the
codings; a cell without a summary lists the participant's codings that are left to summarise.

Gale, N. K., Heath, G., Cameron, E., Rashid, S. and Redwood, S. (2013). Using the framework
method for the analysis of qualitative data in multi-disciplinary health research. *BMC Medical
Research Methodology* 13, 117.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from thematic.analysis._frames import (
    check_choice,
    filter_status,
    population,
    require_columns,
    unit_frame,
)

__all__ = ["FRAMEWORK_COLUMNS", "framework_matrix", "parse_quote_ids"]

#: Columns of the long form of :func:`framework_matrix` after ``participant`` and the theme.
FRAMEWORK_COLUMNS = ["state", "summary", "quote_ids", "quotes", "missing_quote_ids",
                     "n_codings", "coding_ids", "to_summarise"]
#: The states of a cell.
STATES = ("summarised", "to summarise", "no data")


def parse_quote_ids(value: Any) -> list[int]:
    """Coding ids from a list, a comma/semicolon-separated string, a number, or nothing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",")]
        return [int(p) for p in parts if p]
    if isinstance(value, (int,)):
        return [int(value)]
    return [int(v) for v in value]


def _quote(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: row.get(key) for key in ("coding_id", "document", "start", "end", "text")}


def framework_matrix(codings: pd.DataFrame, summaries: pd.DataFrame | None = None, *,
                     by: str = "theme", form: str = "long",
                     theme_codes: pd.DataFrame | None = None,
                     themes: pd.DataFrame | None = None,
                     code_parents: Mapping[str, str | None] | None = None,
                     subthemes: bool = False,
                     participants: Sequence[str] | pd.DataFrame | None = None,
                     status: str | None = "accepted") -> pd.DataFrame:
    """Chart each participant x theme (or code) cell: summary, quotes, or codings to summarise.

    Parameters
    ----------
    codings : DataFrame
        ``project.review.codings()``: ``coding_id``, ``code``, ``participant``, ``document``,
        ``start``, ``end``, ``text``.
    summaries : DataFrame, optional
        The analyst's summaries, one row per cell: ``participant``, ``theme`` (or ``code``
        for ``by="code"``), ``summary``, ``quote_ids`` (coding ids: a list or ``"12,15"``).
    by : {"theme", "code"}
        Columns of the matrix (see :func:`~thematic.analysis.frequencies.frequencies` for
        ``theme_codes``, ``themes``, ``code_parents`` and ``subthemes``).
    form : {"long", "wide"}
        Long: one row per cell. Wide: participants x themes of display text (a summary with
        its quote references, or "To summarise:" and the codings' ids and text).
    participants : list or DataFrame, optional
        The rows, in order (default: every participant of ``codings``).
    status : str or None, default "accepted"
        The codings that count (None: all).

    Returns
    -------
    DataFrame
        Long form columns: ``participant``, ``theme`` (or ``code``), then ``state``
        (``"summarised"``, ``"to summarise"``: codings but no summary, ``"no data"``),
        ``summary`` (str, ``""`` when none), ``quote_ids`` (list of int), ``quotes`` (list of
        dicts with ``coding_id``, ``document``, ``start``, ``end``, ``text``),
        ``missing_quote_ids`` (quoted ids no longer among the codings), ``n_codings``,
        ``coding_ids`` (list of int) and ``to_summarise`` (the cell's codings as quote dicts
        when it has no summary, else ``[]``).
    """
    check_choice(by, ("theme", "code"), "by")
    check_choice(form, ("long", "wide"), "form")
    require_columns(codings, ("coding_id", "code", "participant"), "codings")
    all_codings = codings
    frame, labels = unit_frame(filter_status(codings, status), by, theme_codes=theme_codes,
                               themes=themes, code_parents=code_parents, subthemes=subthemes)
    frame = frame.assign(code=frame["code"].astype(str),
                         participant=frame["participant"].astype(str))
    people = population(participants, codings)
    notes = _cell_summaries(summaries, by)
    quoted = {q for _, ids in notes.values() for q in ids}
    by_id = {int(r["coding_id"]): r for r in
             all_codings[all_codings["coding_id"].isin(quoted)].to_dict("records")}
    keep = [c for c in ("coding_id", "document", "start", "end", "text", "participant",
                        "code") if c in frame.columns]
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in frame[keep].to_dict("records"):
        cells.setdefault((record["participant"], record["code"]), []).append(record)
    rows = []
    for person in people:
        for label in labels:
            own = cells.get((person, label), [])
            summary, quote_ids = notes.get((person, label), ("", []))
            state = "summarised" if summary.strip() else ("to summarise" if own else "no data")
            rows.append({
                "participant": person, by: label, "state": state, "summary": summary,
                "quote_ids": [q for q in quote_ids if q in by_id],
                "quotes": [_quote(by_id[q]) for q in quote_ids if q in by_id],
                "missing_quote_ids": [q for q in quote_ids if q not in by_id],
                "n_codings": len(own), "coding_ids": [int(r["coding_id"]) for r in own],
                "to_summarise": [] if state == "summarised" else [_quote(r) for r in own],
            })
    long = pd.DataFrame(rows, columns=["participant", by, *FRAMEWORK_COLUMNS])
    if form == "long":
        return long
    long["cell"] = long.apply(_cell_text, axis=1)
    wide = long.pivot(index="participant", columns=by, values="cell")
    return wide.reindex(index=people, columns=labels)


def _cell_summaries(summaries: pd.DataFrame | None, by: str) -> dict[tuple[str, str], tuple[str, list[int]]]:
    """``(participant, theme or code)`` -> the summary written for that cell and the coding
    ids it quotes."""
    notes: dict[tuple[str, str], tuple[str, list[int]]] = {}
    if summaries is not None and len(summaries):
        require_columns(summaries, ("participant", by, "summary"), "summaries")
        for row in summaries.to_dict("records"):
            text = "" if pd.isna(row["summary"]) else str(row["summary"])
            notes[(str(row["participant"]), str(row[by]))] = (
                text, parse_quote_ids(row.get("quote_ids")))
    return notes


def _cell_text(row: pd.Series) -> str:
    """The display text of one cell of the wide framework matrix."""
    def ref(quote: Mapping[str, Any]) -> str:
        return f"[{quote['document']} #{quote['coding_id']}] \u201c{quote['text']}\u201d"
    if row["state"] == "summarised":
        return "\n".join([row["summary"], *(ref(q) for q in row["quotes"])])
    if row["state"] == "to summarise":
        return "\n".join(["To summarise:", *(ref(q) for q in row["to_summarise"])])
    return ""
