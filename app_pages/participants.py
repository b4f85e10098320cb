"""Participants: who took part, with their typed attributes; filter by one attribute."""

import streamlit as st

from app_pages import state
from thematic import views

project = state.project()
frame = views.participants_table(project)
types = project.participants.attribute_types()

st.title("Participants")
attribute = st.selectbox("Filter by attribute", list(types), index=None, placeholder="no filter",
                         format_func=lambda a: f"{a} ({types[a]})")
spec = views.attribute_filter(frame, types, attribute) if attribute else None
selection = None
if spec is not None and spec.kind == "range":
    selection = st.slider(spec.attribute, min_value=spec.low, max_value=spec.high,
                          value=(spec.low, spec.high))
elif spec is not None:
    selection = st.multiselect(spec.attribute, spec.options, placeholder="any value")
shown = views.filter_participants(frame, spec, selection)
st.caption(f"{len(shown)} of {len(frame)} participants")
st.dataframe(shown, hide_index=True,
             column_config={c: st.column_config.DateColumn()
                            for c in views.columns_of_type(types, "date")})
