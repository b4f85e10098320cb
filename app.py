"""thematic in the browser: ``THEMATIC_PROJECT=study.thematic streamlit run app.py``.

This file routes (``st.navigation``, :data:`SECTIONS`), opens the session's project (from the
URL on a reload: ``?project=NAME&coder=NAME``, names inside ``$THEMATIC_PROJECTS_DIR``), and
draws the sidebar (the project, its counts, and who is coding). Pages live in ``app_pages/``; what they
show comes from ``thematic.views``; what they do is one ``Project`` method each.
"""

from __future__ import annotations

import streamlit as st

from app_pages import signin, state
from thematic import views
from thematic.errors import ThematicError

st.set_page_config(page_title="thematic", page_icon=":material/forum:", layout="wide")

PROJECT_PAGE = st.Page("app_pages/project.py", title="Project", icon=":material/folder_open:",
                       url_path="project")
STUDY = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/documents.py", title="Documents", icon=":material/description:"),
    st.Page("app_pages/participants.py", title="Participants", icon=":material/group:"),
]
CODING = [
    st.Page("app_pages/transcripts.py", title="Transcripts", icon=":material/chrome_reader_mode:",
            url_path="transcripts"),
    st.Page("app_pages/review.py", title="Review", icon=":material/fact_check:", url_path="review"),
    st.Page("app_pages/codebook.py", title="Codebook", icon=":material/account_tree:",
            url_path="codebook"),
    st.Page("app_pages/search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page("app_pages/history.py", title="History", icon=":material/history:",
            url_path="history"),
]
ANALYSIS = [
    st.Page("app_pages/topics.py", title="Topics", icon=":material/bubble_chart:", url_path="topics"),
    st.Page("app_pages/themes.py", title="Themes", icon=":material/hub:", url_path="themes"),
    st.Page("app_pages/analysis.py", title="Analysis", icon=":material/grid_on:",
            url_path="analysis"),
    st.Page("app_pages/memos.py", title="Memos", icon=":material/sticky_note_2:", url_path="memos"),
    st.Page("app_pages/export.py", title="Export", icon=":material/download:", url_path="export"),
]


#: The navigation: section -> pages. A new page is one ``st.Page`` line in its section.
SECTIONS: dict[str, list[st.Page]] = {"Study": [PROJECT_PAGE, *STUDY], "Coding": CODING,
                                      "Analysis": ANALYSIS}

state.take_from_url()
try:
    project = state.project()
    account = signin.gate(project)  # a project with accounts: nothing shows before sign-in
    status = project.status()
except ThematicError as error:
    state.notify("error", f"Cannot open the project {views.md(state.project_label())}: "
                          f"{views.md(error)}")
    st.navigation([PROJECT_PAGE]).run()
    st.stop()

state.keep_in_url()
with st.sidebar:
    st.html(f'<div style="font-weight:600;font-size:1.1rem">{views.esc(project.name)}</div>')
    st.caption("\n\n".join(views.status_lines(status)))
    if not signin.sidebar(project, account):  # with accounts, the signed-in account codes
        state.coder_sidebar(project)

st.navigation(SECTIONS, expanded=True).run()  # every page in view, none behind "View more"
