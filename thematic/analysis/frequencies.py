"""How often each code or theme occurs: codings, segments, documents and participants.

A theme's codings are the accepted codings of its codes (``theme_codes``), optionally with
each code's descendant codes (``code_parents``) and each theme's subthemes (``subthemes``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from thematic.analysis._frames import (
    attach_segments,
    filter_status,
    population,
    require_columns,
    unit_frame,
)

__all__ = ["FREQUENCY_COLUMNS", "frequencies"]

#: Columns of :func:`frequencies` after the code or theme column.
FREQUENCY_COLUMNS = ["codings", "segments", "documents", "participants", "participants_pct"]


def frequencies(codings: pd.DataFrame, *, by: str = "code",
                theme_codes: pd.DataFrame | None = None, themes: pd.DataFrame | None = None,
                code_parents: Mapping[str, str | None] | None = None, subthemes: bool = False,
                segments: pd.DataFrame | None = None,
                participants: Sequence[str] | pd.DataFrame | None = None,
                codes: Sequence[str] | None = None,
                status: str | None = "accepted") -> pd.DataFrame:
    """Count the codings, segments, documents and participants of each code or theme.

    Parameters
    ----------
    codings : DataFrame
        ``project.review.codings()``: at least ``code``, ``document`` and ``participant``; with
        ``segment_id`` (or ``start`` and ``segments``) to count segments, and ``status``.
    by : {"code", "theme"}
        Count per code or per theme.
    theme_codes : DataFrame, optional
        Columns ``theme``, ``code``: the codes of each theme (needed for ``by="theme"``).
    themes : DataFrame, optional
        Columns ``name`` (and ``parent`` for ``subthemes``): every theme gets a row, in this
        order, even one without codings (all counts 0).
    code_parents : mapping, optional
        Code id -> parent code id: a code then also counts its descendant codes' codings.
    subthemes : bool, default False
        A theme also counts its subthemes' codings (needs ``themes`` with ``parent``).
    segments : DataFrame, optional
        ``project.documents.segments(unit)``, used to place codings without ``segment_id``.
    participants : list or DataFrame, optional
        The participants of the denominator of ``participants_pct`` (default: every
        participant of ``segments``, else of ``codings``).
    codes : list of str, optional
        For ``by="code"``: the codes to list, in this order (codes without codings get 0).
    status : str or None, default "accepted"
        Count only codings with this status (None: all).

    Returns
    -------
    DataFrame
        One row per code or theme, columns:

        - ``code`` or ``theme``: the id of the code, or the theme's name;
        - ``codings``: number of codings (a coding counts once per theme it serves);
        - ``segments``: distinct segments coded (each coding is its own segment when no
          segment can be found);
        - ``documents``: distinct documents;
        - ``participants``: distinct participants;
        - ``participants_pct``: ``participants`` as a percentage (0-100) of the population.

    Examples
    --------
    >>> codings = pd.DataFrame({"code": ["a", "a", "b"], "document": ["d1", "d2", "d2"],
    ...                         "participant": ["P1", "P2", "P2"], "segment_id": [1, 7, 7]})
    >>> frequencies(codings, status=None).to_dict("records")[0]
    {'code': 'a', 'codings': 2, 'segments': 2, 'documents': 2, 'participants': 2, 'participants_pct': 100.0}
    """
    require_columns(codings, ("code", "document", "participant"), "codings")
    frame = attach_segments(filter_status(codings, status), segments)
    frame, labels = unit_frame(frame, by, theme_codes=theme_codes, themes=themes,
                               code_parents=code_parents, subthemes=subthemes)
    if by == "code" and codes is not None:
        labels = [str(c) for c in codes]
    people = population(participants, segments, codings)
    grouped = frame.assign(code=frame["code"].astype(str)).groupby("code")
    table = pd.DataFrame({
        "codings": grouped.size(),
        "segments": grouped["segment_id"].nunique(),
        "documents": grouped["document"].nunique(),
        "participants": grouped["participant"].nunique(),
    }).reindex(labels, fill_value=0).astype(int)
    table["participants_pct"] = (100.0 * table["participants"] / len(people)) if people \
        else float("nan")
    table.index.name = by
    return table.reset_index()[[by, *FREQUENCY_COLUMNS]]
