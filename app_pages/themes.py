"""Themes: group codes into themes and subthemes, define them, pick exemplar quotes, read each
theme's extracts across participants, and see the thematic map."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

project = state.project()
st.title("Themes")
state.show_notice()
if not hasattr(project, "add_theme"):
    st.info("This version of the library has no themes yet (Project.add_theme, themes, "
            "theme_codes, add_theme_quote).")
    st.stop()

codebook = project.codebook()
choices = views.code_choices(codebook)
coder = state.coder()
problem = views.coder_problem(coder)
themes = project.themes()
links = project.theme_codes()
quotes = project.theme_quotes()
codings = project.codings(status="accepted")
names = [str(n) for n in themes["name"]] if not themes.empty else []


def _label(code: str) -> str:
    return choices.get(code, code)


def _undo() -> None:
    try:
        done = project.undo(actor=coder, mine_only=True)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", "Undone: " + views.md("; ".join(done)))


if problem:
    st.warning(problem)
st.button("Undo my last change", icon=":material/undo:", key="undo", on_click=_undo,
          disabled=bool(problem), shortcut="u")

map_tab, build_tab, read_tab = st.tabs(["Thematic map", "Build themes", "Extracts"])
with map_tab:
    if themes.empty:
        st.info("No themes yet: group codes into a theme under “Build themes”.")
    else:
        st.graphviz_chart(views.thematic_map_dot(themes, links, codebook), width="stretch")
        st.dataframe(views.theme_table(themes, links, quotes, codebook), hide_index=True,
                     key="theme_table")

with build_tab:
    with st.form("add_theme", clear_on_submit=True):
        st.markdown("**New theme**")
        name = st.text_input("Name", key="theme_name")
        parent = st.selectbox("Inside theme (a subtheme)", names, index=None,
                              placeholder="top level", key="theme_parent")
        definition = st.text_area("Definition", key="theme_definition")
        codes = st.multiselect("Codes", list(choices), format_func=_label, key="theme_codes")
        if st.form_submit_button("Add the theme", disabled=bool(problem)) and name.strip():
            state.act(project.add_theme, name.strip(), codes=codes, parent=parent,
                      definition=definition.strip(), actor=coder,
                      done=f"Added the theme {views.md(name.strip())}.")
            st.rerun()
    if names:
        st.markdown("**Edit a theme**")
        chosen = st.selectbox("Theme", names, key="edit_theme")
        row = themes[themes["name"] == chosen].iloc[0]
        mine = [str(c) for c in links.loc[links["theme"] == chosen, "code"]] if not links.empty else []
        with st.form(f"edit-theme-{row['theme_id']}"):
            new_name = st.text_input("Name", chosen)
            new_definition = st.text_area("Definition", str(row.get("definition") or ""))
            new_codes = st.multiselect("Codes", list(choices), default=[c for c in mine if c in choices],
                                       format_func=_label)
            if st.form_submit_button("Save the theme", disabled=bool(problem)):
                state.act(project.edit_theme, chosen, new_name=new_name.strip() or None,
                          definition=new_definition, codes=new_codes, actor=coder,
                          done=f"Saved {views.md(new_name.strip() or chosen)}.")
                st.rerun()
        extracts = views.theme_extracts(codings, links, chosen)
        picks = {int(r.coding_id): f"{r.participant or r.document}: {r.text[:90]}"
                 for r in extracts.itertuples()}
        quote = st.selectbox("Exemplar quote", list(picks), index=None,
                             format_func=lambda c: picks.get(c, str(c)), key="theme_quote",
                             placeholder="choose among the theme's accepted codings")
        cols = st.columns(2)
        if cols[0].button("Add as exemplar", key="add_quote", disabled=bool(problem) or quote is None):
            state.act(project.add_theme_quote, chosen, int(quote or 0), actor=coder,
                      done="Exemplar added.")
            st.rerun()
        if cols[1].button("Remove the theme", key="remove_theme", disabled=bool(problem)):
            state.act(project.remove_theme, chosen, actor=coder,
                      done=f"Removed {views.md(chosen)} (undo brings it back).")
            st.rerun()

with read_tab:
    if names:
        which = st.selectbox("Theme", names, key="read_theme")
        extracts = views.theme_extracts(codings, links, which)
        st.caption(f"{len(extracts):,} accepted extracts from "
                   f"{extracts['participant'].nunique() if len(extracts) else 0} participants")
        st.html(views.READER_CSS + views.extracts_html(extracts, codebook))
