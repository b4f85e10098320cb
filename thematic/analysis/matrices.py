"""Code or theme matrices: by participant, by participant attribute, and the codings of a cell.

A theme's codings are its codes' codings (see :mod:`thematic.analysis.frequencies`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from thematic.analysis._frames import (
    attach_segments,
    check_choice,
    filter_status,
    population,
    require_columns,
    unit_frame,
)
from thematic.errors import ParameterError

__all__ = ["ATTRIBUTE_COLUMNS", "MISSING_VALUE", "attribute_matrix", "drill_down",
           "participant_matrix"]

#: Columns of :func:`attribute_matrix` (long form) after the code or theme column.
ATTRIBUTE_COLUMNS = ["attribute", "value", "group_size", "participants", "participants_pct",
                     "segments"]
#: The group of participants without a value for the attribute.
MISSING_VALUE = "(missing)"
_VALUES = ("segments", "codings", "presence")


def participant_matrix(codings: pd.DataFrame, *, by: str = "code", value: str = "segments",
                       theme_codes: pd.DataFrame | None = None,
                       themes: pd.DataFrame | None = None,
                       code_parents: Mapping[str, str | None] | None = None,
                       subthemes: bool = False, segments: pd.DataFrame | None = None,
                       participants: Sequence[str] | pd.DataFrame | None = None,
                       status: str | None = "accepted") -> pd.DataFrame:
    """A code (or theme) x participant matrix.

    Parameters
    ----------
    codings : DataFrame
        ``project.review.codings()``: ``code``, ``participant``, ``document`` (+ ``segment_id``).
    by : {"code", "theme"}
        Rows are codes or themes (see :func:`~thematic.analysis.frequencies.frequencies`
        for ``theme_codes``, ``themes``, ``code_parents``, ``subthemes``).
    value : {"segments", "codings", "presence"}
        What a cell counts: distinct segments, codings, or 1 when the participant has any.
    segments : DataFrame, optional
        Used to place codings without ``segment_id``.
    participants : list or DataFrame, optional
        The columns, in order (default: the participants of ``segments``, else ``codings``).
    status : str or None, default "accepted"
        Use only codings with this status (None: all).

    Returns
    -------
    DataFrame
        Index ``code`` or ``theme`` (every code with codings, or every theme), one ``int``
        column per participant id.

    Examples
    --------
    >>> codings = pd.DataFrame({"code": ["a", "a", "b"], "document": ["d1", "d2", "d2"],
    ...                         "participant": ["P1", "P2", "P2"], "segment_id": [1, 7, 7]})
    >>> participant_matrix(codings, status=None).to_dict("index")
    {'a': {'P1': 1, 'P2': 1}, 'b': {'P1': 0, 'P2': 1}}
    """
    check_choice(value, _VALUES, "value")
    require_columns(codings, ("code", "participant", "document"), "codings")
    frame = attach_segments(filter_status(codings, status), segments)
    frame, labels = unit_frame(frame, by, theme_codes=theme_codes, themes=themes,
                               code_parents=code_parents, subthemes=subthemes)
    people = population(participants, segments, codings)
    frame = frame.assign(code=frame["code"].astype(str),
                         participant=frame["participant"].astype(str))
    grouped = frame.groupby(["code", "participant"])
    cells = grouped["segment_id"].nunique() if value == "segments" else grouped.size()
    matrix = cells.unstack("participant").reindex(index=labels, columns=people).fillna(0)
    matrix = matrix.astype(int)
    if value == "presence":
        matrix = (matrix > 0).astype(int)
    matrix.index.name = by
    matrix.columns.name = "participant"
    return matrix


def attribute_values(participants: pd.DataFrame, attribute: str) -> pd.Series:
    """Each participant's value of ``attribute`` as text (``MISSING_VALUE`` when empty).

    ``attribute`` is a column of ``participants`` (``project.participants.frame()``), with or
    without the ``attr:`` prefix of ``project.documents.segments()``.

    Raises
    ------
    ParameterError
        If the attribute does not exist; the message lists the attributes there are.
    """
    require_columns(participants, ("participant",), "participants")
    name = attribute.removeprefix("attr:")
    column = next((c for c in (name, f"attr:{name}") if c in participants.columns), None)
    if column is None or name in ("participant", "name"):
        known = sorted(c.removeprefix("attr:") for c in participants.columns
                       if c not in ("participant", "name"))
        raise ParameterError(f"attribute {attribute!r} does not exist. The participants have "
                             f"the attributes {known}.")
    raw = participants.set_index(participants["participant"].astype(str))[column]
    text = raw.map(lambda v: MISSING_VALUE if pd.isna(v) or str(v).strip() == "" else
                   (v.date().isoformat() if isinstance(v, pd.Timestamp) else str(v)))
    return text.rename(name)


def attribute_matrix(codings: pd.DataFrame, participants: pd.DataFrame, attribute: str, *,
                     by: str = "code", form: str = "long",
                     theme_codes: pd.DataFrame | None = None,
                     themes: pd.DataFrame | None = None,
                     code_parents: Mapping[str, str | None] | None = None,
                     subthemes: bool = False, segments: pd.DataFrame | None = None,
                     status: str | None = "accepted") -> pd.DataFrame:
    """A code (or theme) x attribute value matrix: participants n and % in each group.

    Parameters
    ----------
    codings : DataFrame
        ``project.review.codings()``: ``code``, ``participant``, ``document`` (+ ``segment_id``).
    participants : DataFrame
        The population: ``project.participants.frame()`` restricted to the participants studied;
        each row is one participant of a group (the group sizes are counted here).
    attribute : str
        A column of ``participants`` (``role``, ``site``...; ``attr:`` prefix optional).
    by, theme_codes, themes, code_parents, subthemes, segments, status
        As in :func:`participant_matrix`.
    form : {"long", "wide"}
        Long: one row per (code or theme, value). Wide: one row per code or theme, two
        columns per value, ``"<value> n"`` (participants) and ``"<value> %"``.

    Returns
    -------
    DataFrame
        Long form columns: ``code`` or ``theme``, then ``attribute`` (its name), ``value``
        (the group; ``"(missing)"`` for no value), ``group_size`` (participants in the group),
        ``participants`` (of them, those with the code), ``participants_pct`` (0-100 of
        ``group_size``), ``segments`` (distinct segments coded in the group).

    Raises
    ------
    ParameterError
        If the attribute does not exist.
    """
    check_choice(form, ("long", "wide"), "form")
    groups = attribute_values(participants, attribute)
    require_columns(codings, ("code", "participant", "document"), "codings")
    frame = attach_segments(filter_status(codings, status), segments)
    frame, labels = unit_frame(frame, by, theme_codes=theme_codes, themes=themes,
                               code_parents=code_parents, subthemes=subthemes)
    frame = frame.assign(code=frame["code"].astype(str),
                         value=frame["participant"].astype(str).map(groups))
    frame = frame[frame["value"].notna()]
    values = sorted(groups.unique(), key=lambda v: (v == MISSING_VALUE, v))
    sizes = groups.value_counts()
    grouped = frame.groupby(["code", "value"])
    index = pd.MultiIndex.from_product([labels, values], names=[by, "value"])
    table = pd.DataFrame({"participants": grouped["participant"].nunique(),
                          "segments": grouped["segment_id"].nunique()}).reindex(index)
    table = table.fillna(0).astype(int).reset_index()
    table.insert(1, "attribute", groups.name)
    table.insert(3, "group_size", table["value"].map(sizes).astype(int))
    table.insert(5, "participants_pct", np.where(
        table["group_size"] > 0, 100.0 * table["participants"] / table["group_size"].clip(1),
        np.nan))
    table = table[[by, *ATTRIBUTE_COLUMNS]]
    if form == "long":
        return table
    wide = pd.DataFrame(index=pd.Index(labels, name=by))
    for value in values:
        part = table[table["value"] == value].set_index(by)
        wide[f"{value} n"] = part["participants"]
        wide[f"{value} %"] = part["participants_pct"]
    return wide


def drill_down(codings: pd.DataFrame, *, code: str | None = None,
               participant: str | None = None, attribute: str | None = None,
               value: str | None = None, participants: pd.DataFrame | None = None,
               by: str = "code", theme_codes: pd.DataFrame | None = None,
               themes: pd.DataFrame | None = None,
               code_parents: Mapping[str, str | None] | None = None, subthemes: bool = False,
               segments: pd.DataFrame | None = None,
               status: str | None = "accepted") -> pd.DataFrame:
    """The codings behind one cell of a matrix (or one row, or one column).

    Parameters
    ----------
    code : str, optional
        The row: a code id (``by="code"``) or a theme name (``by="theme"``).
    participant : str, optional
        The column of :func:`participant_matrix`.
    attribute, value : str, optional
        The column of :func:`attribute_matrix` (needs ``participants``).
    by, theme_codes, themes, code_parents, subthemes, segments, status
        As in :func:`participant_matrix`; with ``segments`` each row gets the text of its
        segment in ``segment_text``.

    Returns
    -------
    DataFrame
        The matching rows of ``codings`` (all their columns, ``code`` holding the theme when
        ``by="theme"`` and the coding's own code in ``source_code``), plus ``segment_id`` and,
        with ``segments``, ``segment_text``; sorted by ``document`` and ``start``.

    Raises
    ------
    ParameterError
        If the theme does not exist, the attribute does not exist, or ``attribute`` and
        ``value`` are not given together.
    """
    frame = attach_segments(filter_status(codings, status), segments)
    frame, labels = unit_frame(frame, by, theme_codes=theme_codes, themes=themes,
                               code_parents=code_parents, subthemes=subthemes)
    if code is not None:
        if by == "theme" and code not in labels:
            raise ParameterError(f"theme {code!r} does not exist. The themes are {labels}.")
        frame = frame[frame["code"].astype(str) == str(code)]
    if participant is not None:
        frame = frame[frame["participant"].astype(str) == str(participant)]
    if (attribute is None) != (value is None):
        raise ParameterError("attribute and value must be given together. Got attribute="
                             f"{attribute!r}, value={value!r} instead.")
    if attribute is not None:
        if participants is None:
            raise ParameterError("drill_down by attribute needs participants. Got None instead.")
        groups = attribute_values(participants, attribute)
        frame = frame[frame["participant"].astype(str).map(groups) == str(value)]
    if segments is not None:
        texts = segments.drop_duplicates("segment_id").set_index("segment_id")["text"]
        frame = frame.assign(segment_text=frame["segment_id"].map(texts))
    order = [c for c in ("document", "start") if c in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True) if order else frame
