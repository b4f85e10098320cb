"""Memos: every memo of the project (on the project, a document, a code, a theme or a
coding), searchable, each with a way to what it is about; write, edit and delete them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

NEW_KIND, NEW_TARGET, NEW_TITLE, NEW_BODY = "mm_new_kind", "mm_new_target", "mm_new_title", "mm_new_body"

project = state.project()
coder = state.coder()
problem = views.coder_problem(coder)
codebook = project.codebook.current()
documents = project.documents.frame()
themes = state.cached_call(project, "themes.frame")

st.title("Memos")
rows = views.memo_rows(project.memos.frame(), documents=documents, codebook=codebook, themes=themes,
                       codings=project.review.codings())


def _targets(kind: str) -> dict[str, str]:
    """What a new memo of ``kind`` can be about: target id -> label."""
    if kind == "document":
        return dict(zip(documents["id"].astype(str), documents["name"], strict=True))
    if kind == "code":
        return views.code_choices(codebook)
    if kind == "theme" and not themes.empty:
        return dict(zip(themes["theme_id"].astype(str), themes["name"], strict=True))
    return {}


def _add() -> None:
    kind = str(st.session_state.get(NEW_KIND) or "project")
    target = st.session_state.get(NEW_TARGET) if kind != "project" else None
    body = str(st.session_state.get(NEW_BODY) or "").strip()
    if not body or (kind != "project" and not target):
        state.notify("error", "Write the memo and choose what it is about first.")
        return
    if state.act(project.memos.add, body, actor=coder, target=kind, target_id=target,
                 title=str(st.session_state.get(NEW_TITLE) or "").strip(),
                 done="Memo saved.") is not None:
        st.session_state[NEW_BODY] = st.session_state[NEW_TITLE] = ""


def _edit(memo_id: int) -> None:
    state.act(project.memos.edit, memo_id, actor=coder,
              title=str(st.session_state.get(f"mm-title-{memo_id}") or ""),
              body=str(st.session_state.get(f"mm-body-{memo_id}") or ""), done="Memo changed.")


def _delete(memo_id: int) -> None:
    state.act(project.memos.delete, memo_id, actor=coder,
              done="Memo deleted. Undo brings it back.")


def _undo() -> None:
    try:
        done = project.review.undo(actor=coder, mine_only=True)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", "Undone: " + views.md("; ".join(done)) if done else "Nothing to undo.")


def _open(row: Any) -> None:
    """Go to what the memo is about (the page, with it chosen)."""
    if row.kind in ("document", "coding") and row.document_id is not None:
        st.session_state[state.DOCUMENT] = row.document
        st.session_state[state.READER_PAGE] = views.page_of(project.documents.turns(int(row.document_id)),
                                                            int(row.start or 0))
        st.session_state[state.CHOSEN_CODING] = int(row.coding_id) if row.kind == "coding" else None
        st.switch_page("app_pages/transcripts.py")
    if row.kind == "code" and row.code:
        st.session_state[state.CODE_SELECTED] = row.code
        st.switch_page("app_pages/codebook.py")
    if row.kind == "theme" and row.theme:
        st.session_state[state.THEME] = row.theme
        st.switch_page("app_pages/themes.py")


top = st.columns([3, 3, 2])
text = top[0].text_input("Search the memos", key=state.MEMO_FILTER,
                         placeholder="words in a memo, its title, author or target")
kinds = top[1].multiselect("About", list(views.MEMO_KINDS), key=state.MEMO_KINDS,
                           placeholder="anything")
with top[2].popover("New memo", icon=":material/edit_note:", width="stretch"):
    kind = st.selectbox("About", ["project", "document", "code", "theme"], key=NEW_KIND)
    targets = _targets(kind)
    if kind != "project":
        st.selectbox(kind.capitalize(), list(targets), format_func=targets.get, index=None,
                     key=NEW_TARGET, placeholder=f"choose the {kind}")
    st.text_input("Title", key=NEW_TITLE)
    st.text_area("Memo", key=NEW_BODY)
    st.button("Save the memo", key="mm_add", type="primary", on_click=_add,
              disabled=bool(problem))
state.show_notice()
if problem:
    st.warning(problem)
shown = views.filter_memos(rows, text, kinds)
st.caption(f"{len(shown):,} of {len(rows):,} memos")
st.button("Undo my last change", key="mm_undo", icon=":material/undo:", on_click=_undo,
          disabled=bool(problem))
st.html(views.CARD_CSS)
if rows.empty:
    st.info("No memos yet. Write one here, beside a transcript, or on a coding.")
for row in shown.itertuples():
    with st.container(border=True):
        left, right = st.columns([6, 1])
        left.html(views.memo_html(row))
        if row.kind != "project" and (row.document_id is not None or row.code or row.theme):
            if right.button("Open", key=f"mm-open-{row.memo_id}", icon=":material/open_in_new:",
                            help="Go to what this memo is about."):
                _open(row)
        with right.popover("Edit", icon=":material/edit:"):
            st.text_input("Title", value=row.title, key=f"mm-title-{row.memo_id}")
            st.text_area("Memo", value=row.body, key=f"mm-body-{row.memo_id}")
            st.button("Save", key=f"mm-save-{row.memo_id}", on_click=_edit, args=(row.memo_id,),
                      disabled=bool(problem))
        right.button("Delete", key=f"mm-delete-{row.memo_id}", icon=":material/delete:",
                     on_click=_delete, args=(row.memo_id,), disabled=bool(problem))
