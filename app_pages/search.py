"""Search: words and phrases across the documents, coding queries (A and B, A not B, A near
B), restricted by participant attribute; code what was found, open it in the transcript, or
keep it as a named set to code or export later."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError
from thematic.search import TokenIndex, build_index

PER_PAGE = 20
PARTS = {"search": "Text search", "query": "Coding query", "sets": "Saved sets"}
PART = "sr_part"

project = state.project()
st.title("Search")
st.html(views.SEARCH_CSS)
codebook = project.codebook.current()
choices = views.code_choices(codebook)
names = {c.id: c.name for c in codebook.codes}
coder = state.coder()
problem = views.coder_problem(coder)
unit = project.settings.current().unit


@st.cache_resource(max_entries=4, show_spinner="Reading every word once…")
def _index(path: str, unit: str, documents: tuple[tuple[int, int], ...]) -> TokenIndex:
    """The words of every segment, read once per set of documents (not per decision)."""
    return build_index(state.open_project(path).documents.segments(unit))


def _segments_and_index() -> tuple[pd.DataFrame, TokenIndex]:
    segments = project.documents.segments(unit)
    docs = project.documents.frame()
    key = tuple(zip(docs["id"].astype(int), docs["revision"].astype(int), strict=True))
    index = _index(project._path, unit, key)
    if index.rows != len(segments):  # documents changed between the two reads: read again
        index = build_index(segments)
    return segments, index


def _find(definition: dict[str, Any]) -> pd.DataFrame:
    segments, index = _segments_and_index()
    if definition["kind"] == "search":
        return project.queries.search(definition["text"], match=definition["match"],
                                      where=definition["where"], segments=segments, index=index)
    return project.queries.query(definition["text"], where=definition["where"],
                                 statuses=tuple(definition["statuses"]), segments=segments,
                                 codings=project.review.codings())


def _run(kind: str) -> None:
    if kind == "search":
        definition = {"kind": "search", "text": str(st.session_state.get(state.SEARCH_TEXT) or ""),
                      "match": "exact" if st.session_state.get(state.SEARCH_EXACT) else "lemma"}
    else:
        suggested = bool(st.session_state.get(state.QUERY_SUGGESTED))
        definition = {"kind": "query", "text": str(st.session_state.get(state.QUERY_TEXT) or ""),
                      "statuses": ["accepted", "suggested"] if suggested else ["accepted"]}
    definition["where"] = views.conditions_of(st.session_state.get(state.SEARCH_WHERE))
    try:
        _find(definition)
    except ThematicError as error:
        state.notify("error", views.md(error))
        return
    st.session_state[state.SEARCH_RESULT] = definition
    st.session_state[RESULT_PAGE] = 1


def _code(found: pd.DataFrame, what: str) -> None:
    code = st.session_state.get(state.SEARCH_CODE)
    if not code:
        state.notify("error", "Choose the code to apply first.")
        return
    extent = str(st.session_state.get(f"{state.SEARCH_EXTENT}-{part}") or "segment")
    added = state.act(project.queries.code_found, found, code, actor=coder, extent=extent)
    if added is not None:
        state.notify("success", f"Coded {added} {what} as {views.md(choices.get(code, code))} "
                                f"({len(found) - added if extent != 'hit' else 0} already were). "
                                "Undo with the Transcripts page's undo.")


def _save(found: pd.DataFrame, definition: dict[str, Any]) -> None:
    name = str(st.session_state.get(SAVE_NAME) or "").strip()
    options = {k: v for k, v in definition.items() if k not in ("kind", "text")}
    if state.act(project.queries.save, name, found, kind=definition["kind"],
                 query=definition["text"], actor=coder, options=options,
                 replace=bool(st.session_state.get(SAVE_REPLACE))) is not None:
        state.notify("success", f"Saved {len(found)} results as the set “{views.md(name)}”.")
        st.session_state[SAVE_NAME] = ""


def _open(document: str, document_id: int, start: int, end: int) -> None:
    st.session_state[state.DOCUMENT] = document
    st.session_state[state.READER_PAGE] = views.page_of(project.documents.turns(document_id), start)
    st.session_state[state.SELECTION] = views.span_from_selection(
        {"start": start, "end": end}, project.documents.get(document_id).text)
    st.session_state[state.CHOSEN_CODING] = None
    st.session_state[OPEN_TRANSCRIPT] = True


RESULT_PAGE, SAVE_NAME, SAVE_REPLACE = "sr_page", "sr_save_name", "sr_save_replace"
OPEN_TRANSCRIPT = "sr_open"
if st.session_state.pop(OPEN_TRANSCRIPT, False):
    st.switch_page("app_pages/transcripts.py")

part = st.segmented_control("Part", list(PARTS), format_func=PARTS.__getitem__, key=PART,
                            default="search", label_visibility="collapsed") or "search"
types = project.participants.attribute_types()
if part == "search":
    with st.form("search_form", border=False):
        st.text_input("Words or a phrase", key=state.SEARCH_TEXT,
                      placeholder='waiting list · "waiting list" · listen* · judge -meeting · '
                                  "shame OR stigma")
        cols = st.columns([1, 3])
        cols[0].toggle("Exact words only", key=state.SEARCH_EXACT,
                       help="Off: every form of a word is found (waited finds waiting, waits).")
        cols[1].text_input("Only where", key=state.SEARCH_WHERE,
                           placeholder="speaker_role=participant; role=newcomer",
                           help=views.conditions_help(types))
        st.form_submit_button("Search", type="primary", icon=":material/search:",
                              on_click=_run, args=("search",))
elif part == "query":
    with st.form("query_form", border=False):
        st.text_input("Query", key=state.QUERY_TEXT,
                      placeholder='stigma AND family-stigma · relapse NOT accountability · '
                                  '"Feeling heard" NEAR/2 isolation',
                      help="Codes by id or name (in quotes) joined by AND, NOT, OR, NEAR/N "
                           "(N segments apart in the same document); group with ( ). A code "
                           "also stands for its sub-codes.")
        cols = st.columns([1, 3])
        cols[0].toggle("Count suggestions too", key=state.QUERY_SUGGESTED,
                       help="Off: only accepted codings (decided by a person) count.")
        cols[1].text_input("Only where", key=state.SEARCH_WHERE,
                           placeholder="speaker_role=participant; role=newcomer",
                           help=views.conditions_help(types))
        st.form_submit_button("Run the query", type="primary", icon=":material/join_inner:",
                              on_click=_run, args=("query",))
        with st.expander("Codes of the codebook", icon=":material/account_tree:"):
            st.dataframe(pd.DataFrame({"id": list(choices), "code": list(choices.values())}),
                         hide_index=True)
state.show_notice()
if problem:
    st.warning(problem)

if part in ("search", "query"):
    definition = st.session_state.get(state.SEARCH_RESULT)
    if not definition or definition.get("kind") != part:
        st.stop()
    try:
        found = _find(definition)
    except ThematicError as error:
        st.error(views.md(error))
        st.stop()
    st.caption(f"{views.md(definition['text'])} — {views.result_caption(found)}")
    if found.empty:
        st.stop()
    act = st.columns([3, 2, 2])
    act[0].selectbox("Code with", list(choices), index=None, format_func=choices.get,
                     key=state.SEARCH_CODE, placeholder="type to search the codebook")
    extents = ["segment", "hit", "turn"] if part == "search" else ["segment", "turn"]
    act[1].radio("What to code", extents, key=f"{state.SEARCH_EXTENT}-{part}", horizontal=True,
                 format_func={"segment": unit, "hit": "words found", "turn": "turn"}.get)
    act[2].button(f"Code all {len(found):,}", key="code_all", icon=":material/sell:",
                  on_click=_code, args=(found, "results"), disabled=bool(problem),
                  type="primary")
    with st.popover("Save as a set", icon=":material/bookmark_add:"):
        st.text_input("Name of the set", key=SAVE_NAME)
        st.checkbox("Replace a set of that name", key=SAVE_REPLACE)
        st.button("Save", key="save_set", on_click=_save, args=(found, definition),
                  disabled=bool(problem))
    pages = views.page_count(len(found), PER_PAGE)
    page = st.pagination(pages, key=RESULT_PAGE, max_visible_pages=7) if pages > 1 else 1
    for i, row in enumerate(found.iloc[(page - 1) * PER_PAGE: page * PER_PAGE].itertuples()):
        with st.container(border=True):
            left, right = st.columns([6, 1])
            left.html(views.hit_html(row, code_names=names))
            one = found.iloc[[(page - 1) * PER_PAGE + i]]
            span = (int(row.match_start), int(row.match_end)) if part == "search" else \
                (int(row.start), int(row.end))
            right.button("Open", key=f"open-{i}", icon=":material/open_in_new:",
                         help="Open the transcript here, with the words found selected.",
                         on_click=_open, args=(row.document, int(row.document_id), *span))
            right.button("Code", key=f"code-{i}", icon=":material/sell:", on_click=_code,
                         args=(one, "result"), disabled=bool(problem))
    st.stop()

# ---------------------------------------------------------------------------- saved sets
sets = project.queries.sets()
if sets.empty:
    st.info("No saved sets yet: run a search or a query, then “Save as a set”.")
    st.stop()
st.dataframe(sets.drop(columns=["set_id"]), hide_index=True)
chosen = st.selectbox("Set", list(sets["name"]), key=state.SET_CHOSEN)
items = project.queries.items(chosen)
st.caption(views.result_caption(items, "spans"))


def _code_set(name: str) -> None:
    code = st.session_state.get(state.SEARCH_CODE)
    if not code:
        state.notify("error", "Choose the code to apply first.")
        return
    extent = str(st.session_state.get(f"{state.SEARCH_EXTENT}-sets") or "segment")
    added = state.act(project.queries.code_set, name, code, actor=coder, extent=extent)
    if added is not None:
        state.notify("success", f"Coded {added} spans of “{views.md(name)}” as "
                                f"{views.md(choices.get(code, code))}.")


def _remove(name: str) -> None:
    state.act(project.queries.remove_set, name, actor=coder,
              done=f"Removed the set “{views.md(name)}”. Undo brings it back.")


def _table(name: str, fmt: str) -> bytes:
    buffer = io.BytesIO()
    project.queries.export_set(name, buffer, fmt=fmt)
    return buffer.getvalue()


act = st.columns([3, 2, 2])
act[0].selectbox("Code with", list(choices), index=None, format_func=choices.get,
                 key=state.SEARCH_CODE, placeholder="type to search the codebook")
act[1].radio("What to code", ["segment", "hit", "turn"], key=f"{state.SEARCH_EXTENT}-sets",
             horizontal=True, format_func={"segment": unit, "hit": "words found",
                                           "turn": "turn"}.get)
act[2].button(f"Code the {len(items):,} spans", key="code_set", icon=":material/sell:",
              on_click=_code_set, args=(chosen,), disabled=bool(problem), type="primary")
down = st.columns(3)
down[0].download_button("Download .xlsx", _table(chosen, "xlsx"), file_name=f"{views.slug(chosen)}.xlsx",
                        key="set_xlsx", icon=":material/download:")
down[1].download_button("Download .csv", _table(chosen, "csv"), file_name=f"{views.slug(chosen)}.csv",
                        key="set_csv", icon=":material/download:")
down[2].button("Remove the set", key="remove_set", icon=":material/delete:", on_click=_remove,
               args=(chosen,), disabled=bool(problem))
for i, row in enumerate(items.head(200).itertuples()):
    with st.container(border=True):
        left, right = st.columns([6, 1])
        left.html(views.hit_html(row, code_names=names))
        right.button("Open", key=f"set-open-{i}", icon=":material/open_in_new:",
                     help="Open the transcript here, with the span selected.", on_click=_open,
                     args=(row.document, int(row.document_id), int(row.start), int(row.end)))
if len(items) > 200:
    st.caption(f"The first 200 of {len(items):,} spans; download the set for all of them.")
