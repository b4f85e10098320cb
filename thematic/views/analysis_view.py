"""What the Analysis page shows: heatmap cells, the thematic map as DOT, the approach's
switches and wording, matrices labelled for reading, the codings behind a cell, agreement
and framework cells, saturation in a sentence.

Pure functions over the frames of :mod:`thematic.analysis` (through ``Project``); every piece
of project text in HTML is escaped, every label meant for a table stays plain text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.views.common import esc

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


def named(frame: pd.DataFrame, codebook: Codebook, column: str = "code") -> pd.DataFrame:
    """``frame`` with each code's name beside its id (column ``name``, after ``column``)."""
    if column not in frame.columns or "name" in frame.columns:
        return frame
    names = {c.id: c.name for c in codebook.codes}
    out = frame.copy()
    out.insert(list(out.columns).index(column) + 1, "name",
               [names.get(str(v), str(v)) for v in out[column]])
    return out


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




# --------------------------------------------------------------------------- the approach
@dataclass(frozen=True)
class ApproachProfile:
    """What the study's approach turns on, and how the page words it."""

    approach: str
    agreement: bool
    saturation: bool
    agreement_note: str
    saturation_note: str
    framework_note: str


_PROFILES = {
    "reflexive": ApproachProfile(
        "reflexive", agreement=False, saturation=False,
        agreement_note=("Reflexive thematic analysis treats coding as the researcher's "
                        "interpretation, so agreement between coders is not a quality measure "
                        "here. Switch the approach to codebook or coding-reliability on the "
                        "Project page to compute it."),
        saturation_note=("In reflexive thematic analysis themes are generated, not found, so "
                         "saturation is not used to decide sample size. Switch the approach on "
                         "the Project page to chart code accumulation."),
        framework_note="Summarise what each participant says to each theme, in your own words."),
    "codebook": ApproachProfile(
        "codebook", agreement=True, saturation=True,
        agreement_note=("Codebook approaches may compare coders to refine the codebook: read "
                        "the disagreements as prompts for discussion, not as a score to pass."),
        saturation_note="How many new codes each interview added, in interview order.",
        framework_note=("Chart each participant against each theme (the framework method, "
                        "Gale et al. 2013): a short summary with references to its quotes.")),
    "coding-reliability": ApproachProfile(
        "coding-reliability", agreement=True, saturation=True,
        agreement_note=("Coding reliability: coders apply the codebook independently; agreement "
                        "(kappa, AC1, alpha) with bootstrap intervals shows how reliably."),
        saturation_note=("Code saturation (Guest, Namey & Chen 2020): new codes per interview, "
                         "the saturation point and its spread over random orders."),
        framework_note="Chart each participant against each theme: a summary and its quotes."),
}


def approach_profile(approach: str | None) -> ApproachProfile:
    """The switches and wording of ``approach`` (reflexive when unknown or unset).

    >>> approach_profile("reflexive").agreement, approach_profile("coding-reliability").agreement
    (False, True)
    """
    return _PROFILES.get(str(approach or "reflexive"), _PROFILES["reflexive"])


# --------------------------------------------------------------------------- matrices
def labelled_matrix(matrix: pd.DataFrame, names: Mapping[str, str]) -> tuple[pd.DataFrame,
                                                                           list[str]]:
    """A wide matrix with a leading ``row`` column of names (plain text) and its row keys.

    The frame the page shows: numeric cells as they are, the row's name in the first column
    (``names``: code id -> name; themes are their own names), so a clicked cell maps back to
    ``(keys[row], column)``.

    >>> m = pd.DataFrame({"P01": [1]}, index=pd.Index(["c1"], name="code"))
    >>> frame, keys = labelled_matrix(m, {"c1": "Camera"})
    >>> frame.columns.tolist(), frame["row"].tolist(), keys
    (['row', 'P01'], ['Camera'], ['c1'])
    """
    numeric = matrix.select_dtypes("number")
    keys = [str(k) for k in numeric.index]
    frame = numeric.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    frame.insert(0, "row", [names.get(k, k) for k in keys])
    return frame, keys


def selected_cell(cells: Sequence[Any] | None, keys: Sequence[str]) -> tuple[str, str] | None:
    """``(row key, column)`` of the clicked cell of a :func:`labelled_matrix` frame, or None
    (nothing clicked, or the name column).

    >>> selected_cell([(0, "P01")], ["c1"]), selected_cell([(0, "row")], ["c1"])
    (('c1', 'P01'), None)
    """
    if not cells:
        return None
    row, column = cells[0][0], str(cells[0][1])
    if column in ("row", "participant") or not 0 <= int(row) < len(keys):
        return None
    return keys[int(row)], column


def drill_down_html(codings: pd.DataFrame, names: Mapping[str, str] | None = None, *,
                    limit: int = 200) -> str:
    """The codings behind a cell as escaped quotes, each with participant, code and document."""
    if codings is None or codings.empty:
        return '<div class="th-head">No accepted codings in this cell.</div>'
    names = dict(names or {})
    parts = []
    for row in codings.head(limit).to_dict("records"):
        where = " · ".join(esc(x) for x in (row.get("participant"),
                                             names.get(str(row.get("code")), row.get("code")),
                                             row.get("document")) if x is not None and x == x)
        parts.append(f'<div class="th-code"><div class="th-text">“{esc(row.get("text"))}”</div>'
                     f'<div class="th-head">{where} · #{esc(row.get("coding_id"))}</div></div>')
    more = len(codings) - limit
    if more > 0:
        parts.append(f'<div class="th-head">… and {more} more.</div>')
    return "".join(parts)


def attribute_columns(participants: pd.DataFrame) -> list[str]:
    """The participant attributes a matrix can be broken down by (not the id or name)."""
    return [c for c in participants.columns if c not in ("participant", "name")]


# --------------------------------------------------------------------------- agreement
COEFFICIENTS = {"percent_agreement": "% agreement", "positive_agreement": "positive agreement",
                "cohen_kappa": "Cohen's kappa", "brennan_prediger": "Brennan-Prediger",
                "gwet_ac1": "Gwet's AC1", "krippendorff_alpha": "Krippendorff's alpha"}


def _interval(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None or pd.isna(value):
        return "n/a"
    text = f"{float(value):.2f}"
    low, high = row.get(f"{name}_low"), row.get(f"{name}_high")
    if low is not None and high is not None and not (pd.isna(low) or pd.isna(high)):
        text += f" [{float(low):.2f}, {float(high):.2f}]"
    return text


def agreement_table(table: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``intercoder_agreement`` for reading: code name, units, double-coded %, the 2x2 counts,
    each coefficient with its bootstrap interval as text (``0.61 [0.40, 0.78]``)."""
    names = dict(names or {})
    rows = []
    for row in table.to_dict("records"):
        out: dict[str, Any] = {"code": names.get(str(row["code"]), str(row["code"])),
                               "units": row.get("units"),
                               "double coded %": (None if pd.isna(row.get("double_coded_share"))
                                                  else round(100 * row["double_coded_share"], 1)),
                               "both": row.get("both"), "only A": row.get("a_only"),
                               "only B": row.get("b_only"), "neither": row.get("neither")}
        for key, label in COEFFICIENTS.items():
            if key in row:
                out[label] = _interval(row, key)
        rows.append(out)
    return pd.DataFrame(rows)


def disagreement_table(diffs: pd.DataFrame, names: Mapping[str, str] | None = None,
                       coders: Sequence[str] = ("A", "B")) -> pd.DataFrame:
    """The disagreements for reading: code name, each coder's yes/no, the unit's text."""
    names = dict(names or {})
    if diffs is None or diffs.empty:
        return pd.DataFrame(columns=["code", coders[0], coders[1], "document", "text"])
    out = pd.DataFrame({
        "code": [names.get(str(c), str(c)) for c in diffs["code"]],
        coders[0]: ["yes" if v else "no" for v in diffs["value_a"]],
        coders[1]: ["yes" if v else "no" for v in diffs["value_b"]],
    })
    for column in ("document", "participant", "text"):
        if column in diffs:
            out[column] = diffs[column].astype(str).to_numpy()
    return out


def coder_choices(codings: pd.DataFrame, decisions: pd.DataFrame | None = None) -> list[str]:
    """People who coded or decided, then engines as ``engine:<source>``, for the pair picker."""
    people: set[str] = set()
    engines: set[str] = set()
    if codings is not None and not codings.empty:
        manual = codings["source"].isin(["manual", "import"])
        people |= set(codings.loc[manual, "coder"].dropna().astype(str))
        people |= set(codings["decided_by"].dropna().astype(str))
        engines |= set(codings.loc[~manual, "source"].dropna().astype(str))
    if decisions is not None and not decisions.empty:
        people |= set(decisions["coder"].dropna().astype(str))
    people.discard("")
    return sorted(people) + [f"engine:{e}" for e in sorted(engines)]


# --------------------------------------------------------------------------- framework
def framework_cell(framework: pd.DataFrame, participant: str, column: str,
                   by: str = "theme") -> dict[str, Any]:
    """One cell of ``project.analysis.framework()`` (long form): state, summary, quote ids, quotes,
    codings to summarise; an empty "no data" cell when it is not there."""
    if framework is not None and not framework.empty:
        hit = framework[(framework["participant"].astype(str) == str(participant))
                        & (framework[by].astype(str) == str(column))]
        if len(hit):
            return dict(hit.iloc[0])
    return {"participant": participant, by: column, "state": "no data", "summary": "",
            "quote_ids": [], "quotes": [], "n_codings": 0, "coding_ids": [], "to_summarise": []}


def framework_overview(framework: pd.DataFrame, by: str = "theme") -> pd.DataFrame:
    """Participants x themes of short plain text: the summary's start, "to summarise (n)", or ""."""
    if framework is None or framework.empty:
        return pd.DataFrame()

    def short(row: pd.Series) -> str:
        if row["state"] == "summarised":
            text = " ".join(str(row["summary"]).split())
            return text if len(text) <= 80 else text[:79] + "…"
        if row["state"] == "to summarise":
            return f"to summarise ({row['n_codings']})"
        return ""

    cells = framework.assign(cell=framework.apply(short, axis=1))
    wide = cells.pivot(index="participant", columns=by, values="cell")
    order_rows = list(dict.fromkeys(framework["participant"]))
    order_cols = list(dict.fromkeys(framework[by]))
    wide = wide.reindex(index=order_rows, columns=order_cols)
    wide.columns = [str(c) for c in wide.columns]
    return wide.rename_axis(index="participant").reset_index()


def quotes_html(quotes: Sequence[Mapping[str, Any]]) -> str:
    """Quote dicts (``coding_id``, ``document``, ``text``) as escaped HTML."""
    return "".join(f'<div class="th-text">“{esc(q.get("text"))}” <span class="th-id">'
                   f'{esc(q.get("document"))} #{esc(q.get("coding_id"))}</span></div>'
                   for q in quotes)


# --------------------------------------------------------------------------- saturation
def saturation_sentence(point: int | None, documents: int, median: float | None = None,
                        q25: float | None = None, q75: float | None = None) -> str:
    """The saturation result in one sentence.

    >>> saturation_sentence(6, 12, 7.0, 5.0, 9.0)
    'Saturation after 6 of 12 interviews in interview order; over random orders, median 7 (IQR 5–9).'
    >>> saturation_sentence(None, 3)
    'Saturation not reached in 3 interviews.'
    """
    def num(x: float) -> str:
        return f"{x:g}"

    head = (f"Saturation after {point} of {documents} interviews in interview order" if point
            is not None else f"Saturation not reached in {documents} interviews")
    if median is not None and not pd.isna(median):
        spread = (f" (IQR {num(q25)}–{num(q75)})" if q25 is not None and q75 is not None
                  and not (pd.isna(q25) or pd.isna(q75)) else "")
        return f"{head}; over random orders, median {num(median)}{spread}."
    return head + "."


__all__ = ["named", "heatmap_cells", "dot_text", "thematic_map_dot", "ApproachProfile",
           "approach_profile", "labelled_matrix", "selected_cell", "drill_down_html",
           "attribute_columns", "COEFFICIENTS", "agreement_table", "disagreement_table",
           "coder_choices", "framework_cell", "framework_overview", "quotes_html",
           "saturation_sentence"]


def attribute_view(matrix: pd.DataFrame, show: str = "n") -> pd.DataFrame:
    """An attribute matrix (wide: ``<value> n`` and ``<value> %`` columns) with one of the
    two, its columns named by the value alone.

    >>> m = pd.DataFrame({"peer n": [2], "peer %": [50.0]}, index=["c1"])
    >>> attribute_view(m, "%").columns.tolist()
    ['peer']
    """
    suffix = f" {show}"
    keep = [c for c in matrix.columns if str(c).endswith(suffix)]
    out = matrix[keep].copy()
    out.columns = [str(c)[: -len(suffix)] for c in keep]
    return out


def cooccurrence_quotes(codings: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """The accepted codings of ``a`` and ``b`` in the segments both are in (``segment_id``),
    for the co-occurrence drill-down; by document and place."""
    if codings is None or codings.empty or "segment_id" not in codings:
        return pd.DataFrame(columns=list(codings.columns) if codings is not None else [])
    rows = codings[(codings["status"] == "accepted") & codings["code"].isin([a, b])
                   & codings["segment_id"].notna()]
    both = rows.groupby("segment_id")["code"].nunique()
    wanted = set(both[both == (1 if a == b else 2)].index)
    return rows[rows["segment_id"].isin(wanted)].sort_values(["document", "start"],
                                                              kind="stable")


def frequency_table(frequencies: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``project.analysis.frequencies()`` for reading: the code's name (themes keep theme names) and
    participants as ``n (%)``.

    >>> f = pd.DataFrame({"code": ["c1"], "codings": [3], "segments": [2], "documents": [1],
    ...                   "participants": [1], "participants_pct": [12.5]})
    >>> row = frequency_table(f, {"c1": "Camera"}).iloc[0]
    >>> row["code"], row["participants"]
    ('Camera', '1 (12%)')
    """
    key = "theme" if "theme" in frequencies.columns else "code"
    out = frequencies[[key, "codings", "segments", "documents"]].copy()
    out[key] = [names.get(str(k), str(k)) for k in out[key]]
    out["participants"] = [f"{int(n)} ({float(p):.0f}%)" for n, p in
                           zip(frequencies["participants"], frequencies["participants_pct"].fillna(0))]
    return out.reset_index(drop=True)


__all__ += ["attribute_view", "cooccurrence_quotes", "frequency_table"]
