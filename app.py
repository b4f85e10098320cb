"""thematic in the browser: ``THEMATIC_PROJECT=study.thematic streamlit run app.py``.

This file routes (``st.navigation``), opens the project once per project file, and draws the
sidebar. Pages live in ``app_pages/``; what they show comes from ``thematic.views``.
"""

from __future__ import annotations

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

st.set_page_config(page_title="thematic", page_icon=":material/forum:", layout="wide")

path = state.project_path()
try:
    project = state.project()
    status = project.status()
except ThematicError as error:
    st.title("thematic")
    st.error(f"Cannot open the project {views.plain(path)}: {views.plain(error)}")
    st.markdown("Create a project, or point `THEMATIC_PROJECT` at an existing one:")
    st.code(views.missing_project_help(str(path)), language="bash")
    st.stop()

with st.sidebar:
    st.markdown(f"**{views.plain(project.name)}**")
    st.caption("\n\n".join(views.status_lines(status)))
    st.text_input("Coder", key=state.CODER, placeholder="your name",
                  help="Recorded with every accept / reject you make.")

pages = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/documents.py", title="Documents", icon=":material/description:"),
    st.Page("app_pages/participants.py", title="Participants", icon=":material/group:"),
    st.Page("app_pages/reader.py", title="Transcript reader", icon=":material/chrome_reader_mode:",
            url_path="reader"),
    st.Page("app_pages/codebook.py", title="Codebook", icon=":material/account_tree:"),
]
st.navigation(pages).run()
