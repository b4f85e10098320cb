"""Analysis: frequencies; code/theme x participant and x attribute heatmaps; co-occurrence;
the framework matrix with editable summaries; agreement with the disagreements; saturation.
Every heatmap cell clicks through to its quotes."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

project = state.project()
st.title("Analysis")
state.show_notice()
if not hasattr(project, "frequencies"):
    st.info("This version of the library has no analysis methods yet (Project.frequencies, "
            "matrix, drill_down, cooccurrence, framework, agreement, saturation).")
    st.stop()

settings = project.settings()
approach = settings.get("approach", "reflexive")
codebook = project.codebook()
names = {c.id: c.name for c in codebook.codes}
coder = state.coder()
VIEWS = {"reflexive": ["Frequencies", "Matrix", "Co-occurrence", "Framework"],
         "codebook": ["Frequencies", "Matrix", "Co-occurrence", "Framework", "Saturation"],
         "coding-reliability": ["Frequencies", "Matrix", "Co-occurrence", "Framework",
                                "Agreement", "Saturation"]}[approach]
top = st.columns([3, 2])
view = top[0].segmented_control("Show", VIEWS, default=VIEWS[0], key="analysis_view") or VIEWS[0]
has_themes = hasattr(project, "themes") and not project.themes().empty
rows = top[1].segmented_control("Rows", ["code", "theme"] if has_themes else ["code"],
                                default="code", key="analysis_rows") or "code"
if approach == "reflexive":
    st.caption("Reflexive analysis: agreement between coders and saturation are not shown "
               "(change the approach on the Project page).")


def _call(method: str, **kwargs: Any) -> Any:
    """One analysis, cached; a ThematicError (too little data, say) is shown, not raised."""
    try:
        return state.analysis(project, method, **kwargs)
    except ThematicError as error:
        st.info(views.md(error))
        st.stop()


def _label(key: Any) -> str:
    return names.get(str(key), str(key))


def _heatmap(cells: pd.DataFrame, row: str, column: str, key: str) -> dict[str, Any] | None:
    """An Altair heatmap; returns the clicked cell ({row: ..., column: ...}) or None."""
    if cells.empty:
        st.info("Nothing to show yet: accept some codings first.")
        return None
    shown = cells.assign(label=[_label(r) for r in cells[row]])
    pick = alt.selection_point(name="cell", fields=[row, column], on="click")
    chart = (alt.Chart(shown).mark_rect()
             .encode(x=alt.X(f"{column}:N", title=column), y=alt.Y("label:N", title=row),
                     color=alt.Color("value:Q", scale=alt.Scale(scheme="blues")),
                     opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
                     tooltip=["label", column, "value"])
             .add_params(pick)
             .properties(height=max(200, 18 * shown["label"].nunique())))
    event: Any = st.altair_chart(chart, on_select="rerun", key=key, width="stretch")
    picked = ((event or {}).get("selection") or {}).get("cell") or []
    return picked[0] if picked else None


def _quotes(frame: pd.DataFrame, title: str) -> None:
    st.markdown(f"**{views.md(title)}: {len(frame):,} quotes**")
    st.html(views.READER_CSS + views.extracts_html(frame, codebook))


if view == "Frequencies":
    st.dataframe(views.named(_call("frequencies", rows=rows), codebook), hide_index=True,
                 key="frequencies")

elif view == "Matrix":
    attributes = list(project.attribute_types())
    by = st.selectbox("Columns", ["participant", *attributes], key="matrix_by")
    matrix = _call("matrix", by=by, rows=rows, form="wide")
    if by != "participant":
        matrix = matrix[[c for c in matrix.columns if not str(c).endswith("%")]]
        matrix.columns = [str(c).removesuffix(" n") for c in matrix.columns]
    cell = _heatmap(views.heatmap_cells(matrix, row=rows, column=by), rows, by, "matrix_chart")
    if cell:
        where = ({"participant": cell[by]} if by == "participant"
                 else {"attribute": by, "value": cell[by]})
        frame = _call("drill_down", **{"code": cell[rows]}, rows=rows, **where)
        _quotes(frame, f"{_label(cell[rows])} × {cell[by]}")

elif view == "Co-occurrence":
    square = _call("cooccurrence", rows=rows, form="square")
    cell = _heatmap(views.heatmap_cells(square, row=rows, column="with"), rows, "with",
                    "cooc_chart")
    if cell:
        frame = views.cooccurring(project.codings(status="accepted"), cell[rows], cell["with"])
        _quotes(frame, f"{_label(cell[rows])} with {_label(cell['with'])}")

elif view == "Framework":
    long = _call("framework", rows=rows, form="long")
    if long.empty:
        st.info("No framework yet: accept codings (and build themes) first.")
    else:
        st.dataframe(_call("framework", rows=rows, form="wide"), key="framework_wide")
        people = sorted(set(long["participant"].astype(str)))
        columns = sorted(set(long[rows].astype(str)))
        left, right = st.columns(2)
        who = left.selectbox("Participant", people, key="fw_participant")
        what = right.selectbox(rows.capitalize(), columns, format_func=_label, key="fw_column")
        cell_rows = long[(long["participant"].astype(str) == who) & (long[rows].astype(str) == what)]
        cell_row = cell_rows.iloc[0] if not cell_rows.empty else None
        ids = [int(i) for i in (cell_row["coding_ids"] if cell_row is not None else [])]
        frame = project.codings(status="accepted")
        frame = frame[frame["coding_id"].isin(ids)]
        _quotes(frame, f"{who} × {_label(what)}")
        with st.form(f"fw-{who}-{what}"):
            summary = st.text_area("Summary", str(cell_row["summary"]) if cell_row is not None else "")
            quoted = st.multiselect("Quotes it rests on", ids,
                                    default=[i for i in (cell_row["quote_ids"] if cell_row is not None else []) if i in ids])
            if st.form_submit_button("Save the summary", disabled=not coder):
                state.act(project.set_framework_summary, who, summary,
                          **{rows: what}, quote_ids=quoted, author=coder,
                          done="Summary saved.")
                st.rerun()

elif view == "Agreement":
    people = project.coders()
    engines = sorted({f"engine:{s}" for s in project.codings()["source"].dropna()} - {"engine:manual", "engine:import"})
    pair = st.multiselect("Two coders (people or engines)", [*people, *engines], max_selections=2,
                          key="agreement_coders")
    unit = st.segmented_control("Unit", ["sentence", "turn", "document"], default="sentence",
                                key="agreement_unit") or "sentence"
    if len(pair) == 2:
        report = _call("agreement", coders=tuple(pair), unit=unit)
        st.dataframe(report.table, key="agreement_table")
        st.markdown(f"**Disagreements: {len(report.disagreements):,}**")
        st.dataframe(report.disagreements, hide_index=True, key="disagreements")
    else:
        st.caption("Choose two coders to compare.")

elif view == "Saturation":
    report = _call("saturation")
    if report.point is None:
        st.caption(f"Saturation not reached over {len(report.order)} interviews.")
    else:
        st.caption(f"Saturation after {report.point} of {len(report.order)} interviews "
                   "(Guest, Namey & Chen 2020).")
    curve = report.accumulation.select_dtypes("number")
    st.line_chart(curve)
    st.dataframe(report.runs, hide_index=True, key="saturation_runs")
