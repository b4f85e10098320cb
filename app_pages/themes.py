"""Themes: group codes into themes and subthemes, write definitions, pick exemplar quotes,
read each theme's extracts across participants; the thematic map as a picture."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError
from thematic.views import themes_view as tv

NONE = "(top level)"

project = state.project()
st.title("Themes")
state.show_notice()  # messages of no control in particular

coder = state.coder()
problem = views.coder_problem(coder)
codebook = project.codebook.current()
names = {c.id: c.name for c in codebook.codes}
choices = views.code_choices(codebook)
themes = state.cached_call(project, "themes.frame")
links = state.cached_call(project, "themes.codes")
quotes = state.cached_call(project, "themes.quotes")
ordered = tv.theme_names(themes)


ADD, EDIT, QUOTE, UNDO = "th-add", "th-edit", "th-quote", "th-undo"  # where notices show


def _changed(done: str, where: str) -> None:
    state.notify("success", done + " Undo with the Undo button.", where=where)


def _add() -> None:
    key = state.THEME_NEW
    name = str(st.session_state.get(f"{key}-name") or "").strip()
    parent = st.session_state.get(f"{key}-parent")
    result = state.act(project.themes.add, name, codes=list(st.session_state.get(f"{key}-codes") or []),
                       parent=None if parent in (None, NONE) else parent,
                       definition=str(st.session_state.get(f"{key}-definition") or ""),
                       actor=coder, where=ADD)
    if result is not None:
        st.session_state[state.THEME] = name
        _changed(f"Added the theme {views.md(name)}.", ADD)


def _edit(theme: str) -> None:
    key = f"{state.THEME_EDIT}-{theme}"
    new_name = str(st.session_state.get(f"{key}-name") or "").strip()
    parent = st.session_state.get(f"{key}-parent")
    changes: dict[str, Any] = {
        "new_name": new_name if new_name and new_name != theme else None,
        "parent": None if parent in (None, NONE) else parent,
        "definition": str(st.session_state.get(f"{key}-definition") or ""),
        "codes": list(st.session_state.get(f"{key}-codes") or []),
    }
    try:
        project.themes.edit(theme, actor=coder, **changes)
    except ThematicError as error:
        state.notify("error", views.md(error), where=EDIT)
        return
    st.session_state[state.THEME] = changes["new_name"] or theme
    _changed(f"Saved the theme {views.md(changes['new_name'] or theme)}.", EDIT)


def _remove(theme: str) -> None:
    removed = state.act(project.themes.remove, theme, actor=coder, where=UNDO)
    if removed is not None:
        st.session_state.pop(state.THEME, None)
        _changed("Removed " + ", ".join(views.md(n) for n in removed) + ".", UNDO)


def _add_quote(theme: str) -> None:
    coding_id = st.session_state.get(state.THEME_QUOTE)
    if coding_id is None:
        state.notify("error", "Pick an extract first.", where=QUOTE)
        return
    if state.act(project.themes.add_quote, theme, int(coding_id), actor=coder,
                 where=QUOTE) is not None:
        st.session_state.pop(state.THEME_QUOTE, None)
        _changed(f"Extract #{int(coding_id)} is now an exemplar quote of {views.md(theme)}.", QUOTE)


def _remove_quote(theme: str, coding_id: int) -> None:
    if state.act(project.themes.remove_quote, theme, coding_id, actor=coder,
                 where=QUOTE) is not None:
        _changed(f"Extract #{coding_id} is no longer an exemplar quote of {views.md(theme)}.",
                 QUOTE)


def _undo() -> None:
    undone = state.act(project.review.undo, actor=coder, mine_only=True, where=UNDO)
    if undone is not None:
        state.notify("success", "Undid: " + (", ".join(views.md(u) for u in undone) or "nothing"),
                     where=UNDO)


if problem:
    st.warning(problem)
st.button("Undo", icon=":material/undo:", on_click=_undo, disabled=bool(problem), key="th-undo")
state.show_notice(UNDO)
# keyed and tracked: the tab shown stays after an action, whatever appears above it
tab_tree, tab_read, tab_map = st.tabs(["Themes", "Extracts and quotes", "Thematic map"],
                                      key=state.THEME_TAB, on_change="rerun")

with tab_tree:
    if themes.empty:
        st.caption("No themes yet: group codes into a theme below.")
    else:
        try:
            from thematic.analysis.themes import theme_tree

            tree = theme_tree(themes, links, state.cached_call(project, "analysis.frequencies", rows="theme"))
            st.dataframe(tv.theme_tree_table(tree, names), hide_index=True, width="stretch")
        except ImportError:
            st.dataframe(themes, hide_index=True, width="stretch")
    with st.form("th-new-form", clear_on_submit=True, border=True):
        st.markdown("**New theme or subtheme**")
        cols = st.columns([2, 1])
        cols[0].text_input("Name", key=f"{state.THEME_NEW}-name",
                           placeholder="the theme's central organising concept, in a few words")
        cols[1].selectbox("Subtheme of", [NONE, *ordered], key=f"{state.THEME_NEW}-parent")
        st.multiselect("Codes", list(choices), format_func=lambda c: choices.get(c, c),
                       key=f"{state.THEME_NEW}-codes")
        st.text_area("Definition", key=f"{state.THEME_NEW}-definition",
                     placeholder="what the theme is about; what is in and what is out")
        st.form_submit_button("Add theme", icon=":material/add:", on_click=_add,
                              disabled=bool(problem), key="th-add")
    state.show_notice(ADD)

with tab_read:
    if not ordered:
        st.caption("No themes yet.")
    else:
        if st.session_state.get(state.THEME) not in ordered:
            st.session_state[state.THEME] = ordered[0]
        theme = str(st.selectbox("Theme", ordered, key=state.THEME))
        node = next(n for n in tv.theme_nodes(themes, links) if n.name == theme)
        with st.expander("Edit this theme", icon=":material/edit:"):
            key = f"{state.THEME_EDIT}-{theme}"
            with st.form(f"{key}-form", border=False):
                st.text_input("Name", value=theme, key=f"{key}-name")
                parents = [NONE, *[n for n in ordered if n != theme]]
                st.selectbox("Subtheme of", parents,
                             index=parents.index(node.parent) if node.parent in parents else 0,
                             key=f"{key}-parent")
                st.multiselect("Codes", list(choices), default=[c for c in node.codes if c in choices],
                               format_func=lambda c: choices.get(c, c), key=f"{key}-codes")
                st.text_area("Definition", value=node.definition, key=f"{key}-definition")
                st.form_submit_button("Save", icon=":material/save:", on_click=_edit,
                                      args=(theme,), disabled=bool(problem), key=f"{key}-save")
            st.button("Remove this theme (its subthemes too; codes and codings stay)",
                      icon=":material/delete:", on_click=_remove, args=(theme,),
                      disabled=bool(problem), key=f"{key}-remove")
        state.show_notice(EDIT)
        st.html(f'<div class="th-head"><b>Definition:</b> {views.esc(node.definition or "none yet")}</div>')
        extracts = tv.theme_extracts(theme, themes, links,
                                     project.reads.codings(status="accepted", evidence=False),
                                     quotes=quotes)
        people = extracts["participant"].replace("", None).dropna().nunique()
        st.caption(f"{len(extracts)} extracts from {people} participants "
                   "(accepted codings of the theme's codes and its subthemes' codes).")
        chosen = tv.exemplar_ids(quotes, theme)
        st.markdown("**Exemplar quotes**")
        by_id = extracts.set_index("coding_id") if len(extracts) else None
        if not chosen:
            st.caption("None chosen yet: pick an extract below.")
        for coding_id in chosen:
            cols = st.columns([8, 1])
            text = (by_id.loc[coding_id, "text"] if by_id is not None and coding_id in by_id.index
                    else "(no longer an accepted coding of this theme)")
            cols[0].html(f'<div class="th-text">★ “{views.esc(text)}” '
                         f'<span class="th-id">#{coding_id}</span></div>')
            cols[1].button("Remove", key=f"th-unquote-{theme}-{coding_id}", on_click=_remove_quote,
                           args=(theme, coding_id), disabled=bool(problem))
        options = tv.quote_choices(extracts[~extracts["exemplar"]] if len(extracts) else extracts)
        cols = st.columns([6, 1])
        cols[0].selectbox("Extract to quote", list(options), index=None,
                          format_func=lambda i: options.get(i, str(i)), key=state.THEME_QUOTE,
                          placeholder="search the extracts")
        cols[1].button("Quote it", icon=":material/format_quote:", on_click=_add_quote,
                       args=(theme,), disabled=bool(problem) or not options, key="th-quote-it")
        state.show_notice(QUOTE)
        st.html(views.READER_CSS + tv.extracts_html(extracts, names))

with tab_map:
    if themes.empty:
        st.caption("The map appears once there are themes.")
    else:
        try:
            from thematic.export.plots import figure_bytes, thematic_map

            st.image(figure_bytes(thematic_map(tv.map_data(themes, links, codebook)), "png"),
                     caption="Themes, subthemes and their codes")
        except ImportError:
            st.graphviz_chart(views.thematic_map_dot(themes, links, codebook))
