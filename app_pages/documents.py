"""Documents: what was imported; pick one to read it."""

import streamlit as st

from app_pages import state
from thematic import views

project = state.project()
table = views.documents_table(project)

st.title("Documents")
kinds = st.segmented_control("Show", [views.INTERVIEW, views.SURVEY], selection_mode="multi",
                             default=[views.INTERVIEW, views.SURVEY], key=state.DOCUMENT_KINDS,
                             format_func=lambda k: f"{k}s")
shown = views.filter_documents(table, kinds)
st.caption(f"{len(shown)} of {len(table)} documents. Select a row to open it in Transcripts.")
event = st.dataframe(
    shown.drop(columns=["id"]), hide_index=True, on_select="rerun", selection_mode="single-row",
    key="documents_table",
    column_config={"imported_at": st.column_config.DatetimeColumn("imported",
                                                                  format="YYYY-MM-DD HH:mm")},
)
rows = event.selection.rows
if rows:
    name = shown.iloc[rows[0]]["name"]
    if st.button(f"Open {views.plain(name)} in Transcripts", type="primary",
                 icon=":material/chrome_reader_mode:"):
        st.switch_page("app_pages/transcripts.py", query_params={state.DOCUMENT: name})
