"""Codebook: the tree of codes with their definitions, rules, and codings per status (read-only)."""

import streamlit as st

from app_pages import state
from thematic import views

project = state.project()
codebook = project.codebook()
nodes = views.codebook_tree(codebook, project.codings())

st.title("Codebook")
if not nodes:
    st.info("No codebook yet. Load one with "
            "`thematic codebook import codebooks/peer_listening.yaml -p PROJECT`.")
    st.stop()
st.caption(f"{views.plain(codebook.label or codebook.name)} · {len(nodes)} codes")
st.dataframe(views.codebook_table(nodes), hide_index=True,
             column_config={"definition": st.column_config.TextColumn(width="large")})

st.subheader("Definitions")
st.html(views.READER_CSS)
for node in (n for n in nodes if n.depth == 0):
    with st.expander(views.code_group_label(node, nodes)):
        st.html("".join(views.code_html(n) for n in views.subtree(node, nodes)))
