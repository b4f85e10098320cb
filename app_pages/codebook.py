"""Codebook: the code tree with counts; edit every field of a code (problems located); add,
merge, split, move, recode and delete codes, each undoable; import and export the codebook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages import run_panel, state, uploads
from thematic import views
from thematic.codebook.csv_io import write_csv_text
from thematic.codebook.formats import write_qdc
from thematic.codebook.yaml_write import dump_codebook_yaml
from thematic.errors import ThematicError
from thematic.models import Code

project = state.project()
codebook = project.codebook.current()
codings = project.review.codings()
nodes = views.codebook_tree(codebook, codings)
choices = views.code_choices(codebook)


def _label(code: str) -> str:
    return choices.get(code, code)


coder = state.coder()
problem = views.coder_problem(coder)

st.title("Codebook")
state.show_notice()


def _run(action: Callable[..., Any], *args: Any, done: str, where: str = "",
         **kwargs: Any) -> None:
    if problem:
        state.notify("error", problem, where=where)
        return
    state.act(action, *args, actor=coder, done=done, where=where, **kwargs)


def _undo() -> None:
    try:
        done = project.review.undo(actor=coder, mine_only=True)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", "Undone: " + views.md("; ".join(done)))


if problem:
    st.warning(problem)
st.button("Undo my last change", icon=":material/undo:", key="undo", on_click=_undo,
          disabled=bool(problem), shortcut="u")
if codebook.codes:
    run_panel.draw(project, coder, problem=problem)
if nodes:
    st.caption(f"{views.md(codebook.label or codebook.name)} · {len(nodes)} codes")
    st.dataframe(views.codebook_table(nodes), hide_index=True, key="code_tree",
                 column_config={"definition": st.column_config.TextColumn(width="large")})
else:
    st.info("No codebook yet: import one below, or add codes one by one.")

TABS = ["Edit", "Add", "Merge", "Split", "Move", "Recode", "Delete", "Import / export"]
tabs = st.tabs(TABS, key=state.CODEBOOK_TAB, on_change="rerun")  # stays on its tab after an action
with tabs[0]:
    if choices:
        code_id = st.selectbox("Code to edit", list(choices), format_func=_label,
                               key=state.CODE_SELECTED)
        form = views.code_form(codebook, code_id)
        with st.form(f"edit-{code_id}"):
            name = st.text_input("Name", form.name)
            definition = st.text_area("Definition", form.definition)
            inclusion = st.text_area("Use when (inclusion)", form.inclusion)
            exclusion = st.text_area("Do not use when (exclusion)", form.exclusion)
            color = st.text_input("Colour (#rrggbb)", form.color)
            examples = st.text_area("Examples, one per line (prefix “atypical:” or “near miss:”)",
                                    form.examples, height=150)
            rules = st.text_area("Rules (YAML list: keywords, regex or pattern)", form.rules,
                                 height=200)
            saved = st.form_submit_button("Save the code", type="primary", disabled=bool(problem))
        if saved:
            edited = views.CodeForm(code_id, name, definition, inclusion, exclusion, color,
                                    examples, rules)
            code, problems = views.code_from_form(codebook, edited)
            if code is None:
                st.error("The code was not saved:\n\n" + "\n\n".join(
                    f"- {views.md(p)}" for p in problems))
            else:
                try:
                    project.codebook.edit_code(code, actor=coder)
                except ThematicError as error:
                    st.error(views.md(error))
                else:
                    for warning in problems:
                        st.warning(views.md(warning))
                    state.notify("success", f"Saved {views.md(code.name)}.")
                    st.rerun()
        affected = views.coding_rows_for_code(codings, code_id)
        st.caption(f"{len(codings[codings['code'] == code_id]) if len(codings) else 0:,} codings "
                   "use this code; a change affects these segments:")
        st.dataframe(affected, hide_index=True, key="affected")

with tabs[1], st.form("add_code", clear_on_submit=True):
    new_name = st.text_input("Name of the new code")
    new_id = st.text_input("Id (optional: made from the name)")
    parent = st.selectbox("Parent", list(choices), index=None, format_func=_label,
                          placeholder="top level")
    new_definition = st.text_area("Definition")
    if st.form_submit_button("Add the code", disabled=bool(problem)) and new_name.strip():
        cid = new_id.strip() or views.slug(new_name, set(choices))
        _run(project.codebook.add_code, Code(cid, new_name.strip(), parent_id=parent,
                                    definition=new_definition.strip()),
             done=f"Added {views.md(new_name.strip())}.", where="cb-add")
        st.rerun()
    state.show_notice("cb-add")

with tabs[2]:
    sources = st.multiselect("Merge these codes", list(choices), format_func=_label,
                             key="merge_sources")
    target = st.selectbox("into", [c for c in choices if c not in sources], index=None,
                          format_func=_label, key="merge_target")
    st.button("Merge", key="merge", disabled=bool(problem) or not sources or not target,
              on_click=_run, args=(project.codebook.merge_codes, sources, target),
              kwargs={"done": f"Merged {len(sources)} code(s) into "
                              f"{views.md(choices.get(target or '', ''))}.", "where": "cb-merge"})
    state.show_notice("cb-merge")

with tabs[3]:
    split_code = st.selectbox("Code to split", list(choices), index=None,
                              format_func=_label, key="split_code")
    if split_code:
        mine = views.coding_rows_for_code(codings, split_code, limit=10_000)
        labels = {int(r.coding_id): f"{r.document}: {r.text[:80]}" for r in mine.itertuples()}
        moved = st.multiselect("Codings that go to the new code", list(labels),
                               format_func=lambda c: labels.get(c, str(c)), key="split_codings")
        split_name = st.text_input("Name of the new code", key="split_name")
        st.button("Split", key="split", disabled=bool(problem) or not split_name.strip(),
                  on_click=_run,
                  args=(project.codebook.split_code, split_code,
                        {views.slug(split_name, set(choices)): moved}),
                  kwargs={"names": {views.slug(split_name, set(choices)): split_name.strip()},
                          "done": f"Split {views.md(choices[split_code])}.", "where": "cb-split"})
    state.show_notice("cb-split")

with tabs[4]:
    move = st.selectbox("Code to move", list(choices), index=None, format_func=_label,
                        key="move_code")
    under = st.selectbox("under", [c for c in choices if c != move], index=None,
                         format_func=_label, placeholder="top level", key="move_parent")
    st.button("Move", key="move", disabled=bool(problem) or not move, on_click=_run,
              args=(project.codebook.move_code, move, under),
              kwargs={"done": "Moved.", "where": "cb-move"})
    state.show_notice("cb-move")

with tabs[5]:
    source = st.selectbox("Codings of", list(choices), index=None, format_func=_label,
                          key="recode_source")
    if source:
        mine = views.coding_rows_for_code(codings, source, limit=10_000)
        labels = {int(r.coding_id): f"{r.document}: {r.text[:80]}" for r in mine.itertuples()}
        coding = st.selectbox("Coding", list(labels), index=None, format_func=lambda c: labels.get(c, str(c)),
                              key="recode_coding")
        to = st.selectbox("Recode as", [c for c in choices if c != source], index=None,
                          format_func=_label, key="recode_target")
        st.button("Recode", key="recode", disabled=bool(problem) or not coding or not to,
                  on_click=_run, args=(project.review.recode, coding, to),
                  kwargs={"done": "Recoded.", "where": "cb-recode"})
        state.show_notice("cb-recode")

with tabs[6]:
    doomed = st.selectbox("Code to delete", list(choices), index=None, format_func=_label,
                          key="delete_code")
    sure = st.checkbox("Delete it and its codings (undo brings them back)", key="delete_sure")
    st.button("Delete", key="delete", type="primary", disabled=bool(problem) or not doomed or not sure,
              on_click=_run, args=(project.codebook.delete_code, doomed),
              kwargs={"done": "Deleted.", "where": "cb-delete"})
    state.show_notice("cb-delete")

with tabs[7]:
    book = st.file_uploader("Import a codebook (yaml, csv or qdc)",
                            type=["yaml", "yml", "csv", "qdc"], key="codebook_upload")
    if book is not None and st.button("Load it", key="codebook_load"):
        try:
            report = project.codebook.load(uploads.save_upload_temp(book), actor=coder)
        except ThematicError as error:
            st.error(views.md(error))
            for item in getattr(error, "problems", []) or []:
                st.caption(views.md(item))
        else:
            state.notify("success", views.md(report.summary()))
            st.rerun()
    if codebook.codes:
        stem = views.slug(codebook.name or "codebook")
        cols = st.columns(3)
        cols[0].download_button("YAML", dump_codebook_yaml(codebook), f"{stem}.yaml",
                                mime="application/yaml", icon=":material/download:")
        cols[1].download_button("CSV", write_csv_text(codebook), f"{stem}.csv", mime="text/csv",
                                icon=":material/download:")
        cols[2].download_button("REFI-QDA codebook (.qdc)", write_qdc(codebook), f"{stem}.qdc",
                                mime="application/xml", icon=":material/download:")
