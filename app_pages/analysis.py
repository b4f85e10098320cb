"""Analysis: frequencies, code/theme x participant and x attribute heatmaps, co-occurrence, the framework
matrix with editable summaries, agreement between coders with the disagreements, and the
saturation curve; every cell clicks through to its quotes. The study's approach switches
agreement and saturation on or off and sets the wording."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError
from thematic.views import analysis_view as av

TABS = ["Frequencies", "Matrix", "Co-occurrence", "Framework", "Agreement", "Saturation"]
project = state.project()
st.title("Analysis")
state.show_notice()

coder = state.coder()
profile = av.approach_profile(project.settings.current().approach)
codebook = project.codebook.current()
names = {c.id: c.name for c in codebook.codes}
codings = project.reads.codings(status="accepted", evidence=False)  # the analyses' own read
themes = state.cached_call(project, "themes.frame")
st.caption(f"Approach: {profile.approach}. Counts are of accepted codings only.")
if codings.empty:
    st.info("No accepted codings yet: accept suggestions on the Review page or code transcripts "
            "by hand, and the tables appear here.")
    st.stop()


def _show(call: str, /, **kwargs: Any) -> Any:
    """A cached read; a library error becomes a message (None)."""
    try:
        return state.cached_call(project, call, **kwargs)
    except ThematicError as error:
        st.warning(views.md(error))
        return None


def _pick_cell(grid: str, keys: list[str], row_key: str, col_key: str) -> None:
    """A clicked cell of a table becomes the drill-down's row and column."""
    event = st.session_state.get(grid)
    cells = event.get("selection", {}).get("cells") if event else None
    hit = av.selected_cell(cells, keys)
    if hit:
        st.session_state[row_key], st.session_state[col_key] = hit


def _grid(frame: pd.DataFrame, keys: list[str], grid: str, row_key: str, col_key: str) -> None:
    numeric = [c for c in frame.columns if c != "row"]
    styled = frame.style.background_gradient(cmap="Blues", subset=numeric, axis=None)
    st.dataframe(styled, key=grid, on_select=partial(_pick_cell, grid, keys, row_key, col_key),
                 selection_mode="single-cell", hide_index=True, width="stretch")



def _frequencies() -> None:
    """Counts per code or theme."""
    freq_rows = "theme" if not themes.empty else "code"
    counts = _show("analysis.frequencies", rows=freq_rows)
    if counts is not None:
        st.caption(f"Per {freq_rows}: codings, segments, documents and participants (% of the "
                   "participants who speak in a document).")
        st.dataframe(av.frequency_table(counts, names if freq_rows == "code" else {}),
                     hide_index=True, width="stretch")


def _matrix() -> None:
    """Codes or themes x participants or an attribute; a cell drills down to its quotes."""
    cols = st.columns(3)
    rows = cols[0].radio("Rows", ["code", "theme"], horizontal=True, key=state.AN_ROWS,
                         disabled=themes.empty,
                         help="Themes count the codings of their codes." if not themes.empty
                         else "Build themes on the Themes page first.")
    by = cols[1].selectbox("Columns", ["participant", *av.attribute_columns(project.participants.frame())],
                           key=state.AN_BY)
    value = cols[2].radio("Cells", ["segments", "codings", "presence"] if by == "participant"
                          else ["n", "%"], horizontal=True, key=state.AN_VALUE,
                          help="segments/codings per participant; n or % of each group")
    if by == "participant":
        matrix = _show("analysis.matrix", by="participant", rows=rows, value=value)
    else:
        wide = _show("analysis.matrix", by=by, rows=rows)
        matrix = None if wide is None else av.attribute_view(wide, value if value in ("n", "%") else "n")
    if matrix is not None and not matrix.empty:
        frame, keys = av.labelled_matrix(matrix, names if rows == "code" else {})
        st.caption("Click a cell to read its quotes.")
        _grid(frame, keys, state.AN_GRID, state.AN_DRILL_ROW, state.AN_DRILL_COL)
        columns = [c for c in frame.columns if c != "row"]
        label = dict(zip(keys, frame["row"]))
        dc = st.columns(2)
        row_key = dc[0].selectbox("Row", keys, format_func=lambda k: label.get(k, k), index=None,
                                  key=state.AN_DRILL_ROW, placeholder="a code or theme")
        col_key = dc[1].selectbox("Column", columns, index=None, key=state.AN_DRILL_COL,
                                  placeholder="a participant or value")
        if row_key and col_key:
            where = ({"participant": col_key} if by == "participant"
                     else {"attribute": by, "value": col_key})
            quotes = _show("analysis.drill_down", code=row_key, rows=rows, **where)
            if quotes is not None:
                st.markdown(f"**{len(quotes)} codings** in this cell")
                st.html(views.READER_CSS + av.drill_down_html(quotes, names))
    else:
        st.caption("Nothing to show for these rows and columns.")


def _cooccurrence() -> None:
    """Codes found together; a cell lists the segments."""
    method = st.radio("Together when", ["segment", "overlap", "window"], horizontal=True,
                      key=state.AN_COOC,
                      captions=["in the same segment", "spans overlap", "within 1 segment"])
    square = _show("analysis.cooccurrence", method=method, form="square")
    if square is not None and not square.empty:
        frame, keys = av.labelled_matrix(square, names)
        frame.columns = ["row", *[names.get(c, c) for c in frame.columns[1:]]]
        by_name = {names.get(k, k): k for k in keys}
        st.caption("Click a cell to read the segments where both codes are.")
        _grid(frame, keys, state.AN_COOC_GRID, "an_cooc_a", "an_cooc_b")
        a, b = st.session_state.get("an_cooc_a"), st.session_state.get("an_cooc_b")
        if a and b:
            b = by_name.get(b, b)
            both = av.cooccurrence_quotes(codings, a, b)
            st.markdown(f"**{both['segment_id'].nunique() if len(both) else 0} segments** with "
                        "both codes")
            st.html(views.READER_CSS + av.drill_down_html(both, names))


def _framework() -> None:
    """The framework matrix with editable summaries."""
    fw_rows = "theme" if not themes.empty else "code"
    st.caption(profile.framework_note + ("" if fw_rows == "theme" else
               " No themes yet, so the columns are codes."))
    framework = _show("analysis.framework", rows=fw_rows, form="long")
    if framework is not None and not framework.empty:
        overview = av.framework_overview(framework, fw_rows)
        people = list(overview["participant"])
        fw_cols = [c for c in overview.columns if c != "participant"]
        st.dataframe(overview, key="fw_grid", hide_index=True, width="stretch",
                     on_select=partial(_pick_cell, "fw_grid", people, state.FW_PARTICIPANT,
                                       state.FW_COLUMN), selection_mode="single-cell")
        fc = st.columns(2)
        person = fc[0].selectbox("Participant", people, index=None, key=state.FW_PARTICIPANT)
        column = fc[1].selectbox("Theme" if fw_rows == "theme" else "Code", fw_cols, index=None,
                                 key=state.FW_COLUMN,
                                 format_func=lambda c: names.get(c, c) if fw_rows == "code" else c)
        if person and column:
            cell = av.framework_cell(framework, person, column, fw_rows)
            key = f"{state.FW_SUMMARY}-{person}-{column}"
            own = cell["to_summarise"] or cell["quotes"]
            st.html(views.READER_CSS + f'<div class="th-head">{views.esc(cell["state"])} · '
                    f'{int(cell["n_codings"])} codings</div>' + av.quotes_html(own))

            def _save(person: str = person, column: str = column, key: str = key) -> None:
                target = {fw_rows: column}
                state.act(project.themes.set_summary, person,
                          str(st.session_state.get(f"{key}-text") or ""),
                          quote_ids=[int(i) for i in st.session_state.get(f"{key}-quotes") or []],
                          actor=coder, done="Summary saved.", where="fw-save", **target)

            st.text_area("Summary", value=cell["summary"], key=f"{key}-text",
                         placeholder="what this participant says about it, in your words")
            ids = [int(i) for i in cell["coding_ids"]]
            st.multiselect("Quotes it rests on", ids, default=[i for i in cell["quote_ids"] if i in ids],
                           key=f"{key}-quotes", format_func=lambda i: f"#{i}")
            problem = views.coder_problem(coder)
            if problem:
                st.warning(problem)
            st.button("Save summary", icon=":material/save:", on_click=_save, key=f"{key}-save",
                      disabled=bool(problem))
            state.show_notice("fw-save")


def _agreement() -> None:
    """Agreement between two coders and their disagreements."""
    st.caption(profile.agreement_note)
    if profile.agreement:
        choices = av.coder_choices(project.review.codings(), _show("review.decisions"))
        if len(choices) < 2:
            st.info("Agreement needs two coders (people, or an engine against a person): code "
                    "the same transcripts as a second coder first.")
        else:
            ac = st.columns(3)
            a = ac[0].selectbox("Coder A", choices, index=0, key=state.AGREE_A)
            b = ac[1].selectbox("Coder B", [c for c in choices if c != a], index=0,
                                key=state.AGREE_B)
            unit = ac[2].radio("Unit", ["sentence", "turn", "document"], horizontal=True,
                               key=state.AGREE_UNIT)
            report = _show("analysis.agreement", coders=(a, b), unit=unit, n_boot=200)
            if report is not None:
                st.dataframe(av.agreement_table(report.table, names), hide_index=True,
                             width="stretch")
                diffs = av.disagreement_table(report.disagreements, names, (str(a), str(b)))
                st.markdown(f"**{len(diffs)} disagreements**")
                st.dataframe(diffs, hide_index=True, width="stretch")


def _saturation() -> None:
    """The saturation curve (code accumulation)."""
    st.caption(profile.saturation_note)
    if profile.saturation:
        sc = st.columns(2)
        base = sc[0].number_input("Base size (interviews)", 1, 50, 4, key=state.SAT_BASE)
        run = sc[1].number_input("Run length (interviews)", 1, 20, 2, key=state.SAT_RUN)
        result = _show("analysis.saturation", base_size=int(base), run_length=int(run), n_boot=200)
        if result is not None:
            boot = result.bootstrap
            st.markdown(av.saturation_sentence(result.point, len(result.order), boot.median,
                                               boot.q25, boot.q75))
            try:
                from thematic.export.adapters import saturation_result
                from thematic.export.plots import figure_bytes, saturation_curve

                figure = saturation_curve(saturation_result(result.accumulation, boot,
                                                            result.point))
                st.image(figure_bytes(figure, "png"), caption="Codes by interview")
            except ImportError:
                st.line_chart(result.accumulation.set_index("position")["cumulative"])
            st.dataframe(result.accumulation, hide_index=True, width="stretch")


# keyed and lazy: the tab shown stays after an action, and only its analysis is computed
tabs = st.tabs(TABS, key=state.AN_TAB, on_change="rerun")
for tab, draw in zip(tabs, (_frequencies, _matrix, _cooccurrence, _framework, _agreement,
                            _saturation), strict=True):
    if tab.open:
        with tab:
            draw()
