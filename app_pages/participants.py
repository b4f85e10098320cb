"""Participants: who took part, with their typed attributes; filter by one attribute, edit the
attributes in a grid (typed, audited, undoable), and edit the pseudonym list."""

import pandas as pd
import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError
from thematic.services.participants import ATTRIBUTE_TYPES, attribute_changes
from thematic.store.pseudonyms import KINDS

PARTS = {"table": "Table", "edit": "Edit attributes", "pseudonyms": "Pseudonym list"}

project = state.project()
frame = views.participants_table(project)
types = project.participants.attribute_types()
coder = state.coder()
problem = views.coder_problem(coder)

st.title("Participants")
part = st.segmented_control("Part", list(PARTS), format_func=PARTS.__getitem__,
                            key=state.PARTICIPANTS_PART, default="table",
                            label_visibility="collapsed") or "table"


def _undo() -> None:
    try:
        done = project.review.undo(actor=coder, mine_only=True)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", "Undone: " + views.md("; ".join(done)) if done else "Nothing to undo.")


def _add_attribute() -> None:
    name = str(st.session_state.get(state.NEW_ATTRIBUTE) or "")
    kind = str(st.session_state.get(state.NEW_ATTRIBUTE_TYPE) or "text")
    try:
        project.participants.add_attribute(name, kind, actor=coder)
    except ThematicError as error:
        state.notify("error", views.md(error))
        return
    state.notify("success", f"Added the attribute {views.md(name.strip())} ({kind}).")
    st.session_state[state.NEW_ATTRIBUTE] = ""


if part == "table":
    attribute = st.selectbox("Filter by attribute", list(types), index=None,
                             placeholder="no filter", format_func=lambda a: f"{a} ({types[a]})")
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
    st.stop()

state.show_notice()
if problem:
    st.warning(problem)

if part == "edit":
    grid = project.participants.frame()
    config = {"participant": st.column_config.TextColumn(disabled=True),
              "name": st.column_config.TextColumn(disabled=True)}
    for name, kind in types.items():
        config[name] = (st.column_config.NumberColumn(name, help="a number") if kind == "number"
                        else st.column_config.DateColumn(name, help="a date") if kind == "date"
                        else st.column_config.TextColumn(name, help=kind))
    st.caption("Change values in the grid, then save: every value is checked against its "
               "attribute's type, and the whole change is one step that undo takes back.")
    edited = st.data_editor(grid, hide_index=True, column_config=config,
                            key=f"{state.ATTRIBUTE_GRID}-{project.revision_read}",
                            disabled=bool(problem))
    changes = attribute_changes(grid, edited)
    cols = st.columns([2, 2, 3])
    if cols[0].button(f"Save {sum(len(c) for c in changes.values())} changes", type="primary",
                      icon=":material/save:", key="save_attributes",
                      disabled=bool(problem) or not changes):
        n = state.act(project.participants.set_attributes, changes, actor=coder)
        if n is not None:
            state.notify("success", f"Saved {n} attribute values. Undo takes them back.")
        st.rerun()
    cols[1].button("Undo my last change", icon=":material/undo:", on_click=_undo,
                   key="undo_attributes", disabled=bool(problem))
    with cols[2].popover("New attribute", icon=":material/add:"):
        st.text_input("Name", key=state.NEW_ATTRIBUTE, placeholder="e.g. sessions attended")
        st.selectbox("Type", ATTRIBUTE_TYPES, key=state.NEW_ATTRIBUTE_TYPE)
        st.button("Add the attribute", key="add_attribute", on_click=_add_attribute,
                  disabled=bool(problem))
    st.stop()

st.caption("Exports replace each original (whole words, any case) with its replacement; "
           "participants' names are replaced by their ids without an entry here. Add rows at "
           "the bottom of the grid, delete them with the row's checkbox, then save.")
pseudonyms = project.exports.pseudonyms()
table = st.data_editor(
    pseudonyms, hide_index=True, num_rows="dynamic", disabled=bool(problem),
    key=f"{state.PSEUDONYM_GRID}-{project.revision_read}",
    column_config={"original": st.column_config.TextColumn("original", required=True),
                   "replacement": st.column_config.TextColumn("replacement", required=True),
                   "kind": st.column_config.SelectboxColumn("kind", options=list(KINDS),
                                                            default="name")})
cols = st.columns([2, 2, 3])
if cols[0].button("Save the list", type="primary", icon=":material/save:", key="save_pseudonyms",
                  disabled=bool(problem)):
    counts = state.act(project.exports.save_pseudonym_list, pd.DataFrame(table), actor=coder)
    if counts is not None:
        state.notify("success", f"Pseudonym list saved: {counts['added']} added, "
                                f"{counts['changed']} changed, {counts['removed']} removed.")
    st.rerun()
cols[1].button("Undo my last change", icon=":material/undo:", on_click=_undo,
               key="undo_pseudonyms", disabled=bool(problem))
