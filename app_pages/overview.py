"""Overview: the study in numbers, its documents, the unit of coding and the codebook."""

import streamlit as st

from app_pages import state
from thematic import views

project = state.project()
documents = views.documents_table(project)
o = views.overview(project, documents)

st.title(views.plain(o.name))
st.caption(f"Unit of coding: **{o.unit}** · codebook: **{views.plain(o.codebook_label)}**"
           f" · project file {views.plain(state.project_label())}")

notice = views.language_notice(state.cached_call(project, "documents.language"))
(st.warning if notice.level == "warning" else st.info)(notice.text, icon=":material/translate:")

cols = st.columns(4)
cols[0].metric("Interviews", o.interviews)
cols[1].metric("Survey responses", o.survey_responses)
cols[2].metric("Participants", o.participants)
cols[3].metric("Words", f"{o.words:,}")
cols = st.columns(4)
cols[0].metric("Turns", f"{o.turns:,}")
cols[1].metric("Sentences", f"{o.sentences:,}")
cols[2].metric("Codes", o.codes)
cols[3].metric("Suggestions to review", f"{o.suggested:,}",
               help=f"{o.accepted:,} accepted, {o.rejected:,} rejected so far")

st.subheader("Documents")
st.dataframe(documents.drop(columns=["id"]), hide_index=True,
             column_config={"imported_at": st.column_config.DatetimeColumn(
                 "imported", format="YYYY-MM-DD HH:mm")})
