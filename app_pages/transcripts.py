"""Transcript reader: a document's turns, page by page, with codings highlighted and the
suggestions in view listed beside them to accept or reject."""

from collections.abc import Callable

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

project = state.project()
names = project.documents()["name"].tolist()

st.title("Transcript reader")
if not names:
    st.info("No documents yet. Import transcripts with `thematic ingest FOLDER -p PROJECT`.")
    st.stop()


def _first_page() -> None:
    st.session_state[state.READER_PAGE] = 1


def _decide(decide: Callable[..., int], coding_id: int, version: int, label: str,
            verb: str) -> None:
    coder = state.coder()
    problem = views.coder_problem(coder)
    if problem:
        state.notify("error", problem)
        return
    try:
        decide([coding_id], coder=coder, expected_versions={coding_id: version})
    except ThematicError as error:
        state.notify("error", str(error))
    else:
        state.notify("success", f"{verb} “{label}” (coding {coding_id}) as {coder}.")


def _undo() -> None:
    try:
        done = project.undo(actor=state.coder() or None, mine_only=bool(state.coder()))
    except ThematicError as error:
        state.notify("error", str(error))
    else:
        state.notify("success", "Undone: " + "; ".join(done) if done else "Nothing to undo.")


document = st.selectbox("Document", names, key=state.DOCUMENT, bind="query-params",
                        on_change=_first_page)
pages = views.page_count(len(project.turns(document)))
page = st.pagination(pages, key=state.READER_PAGE, bind="query-params", max_visible_pages=9)
view = views.reader_page(project, document, page)
state.show_notice()
st.caption(view.caption)

text_col, side_col = st.columns([5, 2], gap="large")
with text_col:
    st.html(views.READER_CSS)
    for turn in view.turns:
        st.html(turn.html)
with side_col:
    st.markdown(f"**Suggestions on this page: {len(view.suggestions)}**")
    problem = views.coder_problem(state.coder())
    if problem:
        st.caption(problem)
    st.button("Undo my last decision", icon=":material/undo:", on_click=_undo,
              disabled=bool(problem))
    with st.container(height=900, border=False):
        for row in view.suggestions.itertuples():
            with st.container(border=True):
                st.html(views.suggestion_html(row))
                accept, reject = st.columns(2)
                card = (row.coding_id, row.version, row.label)
                accept.button("Accept", key=f"accept-{row.coding_id}", icon=":material/check:",
                              on_click=_decide, args=(project.accept, *card, "Accepted"))
                reject.button("Reject", key=f"reject-{row.coding_id}", icon=":material/close:",
                              on_click=_decide, args=(project.reject, *card, "Rejected"))
