"""Project: open or create a study in the projects folder (nothing outside it); import
transcripts, participants and a codebook; settings."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import state, uploads
from thematic import views
from thematic.errors import ThematicError
from thematic.models import APPROACHES, REVIEW_MODES, UNITS
from thematic.views import md

st.title("Project")
state.show_notice()
path = state.project_path()
folder = state.projects_folder()


def _open(name: str) -> None:
    try:
        target = folder.existing(name)
        state.open_project(str(target))
    except ThematicError as error:
        state.notify("error", md(error), where="open")
        return
    state.use_project(target)
    state.notify("success", f"Opened {md(folder.name_of(target))}.")


def _open_picked() -> None:
    picked = st.session_state.get("open_pick")
    if not picked:
        state.notify("error", "Pick a project of the list first.", where="open")
        return
    _open(str(picked))


def _open_typed() -> None:
    _open(str(st.session_state.get("open_typed") or ""))


def _create() -> None:
    name = str(st.session_state.get("create_file") or "").strip()
    if not name:
        state.notify("error", "Give the project a file name.", where="create")
        return
    try:
        target = folder.create(name, study=str(st.session_state.get("create_name") or "").strip(),
                               unit=str(st.session_state.get("create_unit") or "sentence"))
    except ThematicError as error:
        state.notify("error", md(error), where="create")
        return
    state.use_project(target)
    state.notify("success", f"Created {md(folder.name_of(target))}.")


if state.project_fixed():  # a team server serves its one project, nothing else on its disk
    st.caption("Project")
    st.code(state.project_label(), language=None)
else:
    name_here = folder.name_of(path)
    st.caption(f"Open now: **{md(name_here or path.name)}** · projects folder {md(folder.root)}")
    entries = folder.entries()
    open_tab, create_tab = st.tabs(["Open a project", "Create a project"], key="project_tabs",
                                   on_change="rerun")
    with open_tab:
        if entries:
            labels = {e.name: views.project_entry_label(e) for e in entries}
            st.selectbox("Projects in the folder, recently opened first", list(labels), index=None,
                         format_func=labels.get, key="open_pick", placeholder="pick a project")
            st.button("Open", icon=":material/folder_open:", key="open_go", on_click=_open_picked)
        else:
            st.info(f"No projects in {md(folder.root)} yet: create one.")
        st.text_input("Or a project file's path inside the folder", key="open_typed",
                      placeholder="team/study.thematic")
        st.button("Open this file", key="open_typed_go", on_click=_open_typed)
        state.show_notice("open")
    with create_tab:
        st.text_input("File name", key="create_file", placeholder="listening-circles")
        st.text_input("Study name", key="create_name", placeholder="e.g. Listening Circles evaluation")
        st.radio("Unit of coding", UNITS, index=UNITS.index("sentence"), horizontal=True,
                 key="create_unit")
        st.button("Create", icon=":material/add:", key="create_go", on_click=_create)
        state.show_notice("create")

try:
    project = state.project()
    settings = project.settings.current()
except ThematicError:
    st.stop()

coder = state.coder()  # every change names its person; none chosen: the library says so
st.header("Import")
files_tab, folder_tab = st.tabs(["Upload files", "From a folder of the server"], key="import_tabs",
                               on_change="rerun")
with files_tab:
    uploaded = st.file_uploader(
        "Transcripts (txt, md, docx, odt, pdf, vtt, srt) or survey tables (csv, xlsx)",
        accept_multiple_files=True, key="upload_transcripts")
with folder_tab:
    typed_folder = st.text_input("A folder inside the projects folder", key="import_folder",
                                 placeholder="transcripts/")
participants = st.file_uploader("Participants file (csv or xlsx; optional)",
                                type=["csv", "xlsx"], key="upload_participants")
if st.button("Import", type="primary", icon=":material/upload:", key="import"):
    sources: list[Path | str] = []
    if typed_folder.strip():
        try:
            sources.append(folder.inside(typed_folder.strip()))
        except ThematicError as error:
            st.error(md(error))
            st.stop()
    keep = uploads.imports_folder(path)
    if uploaded:
        sources += uploads.save_uploads(uploaded, keep)
    people = uploads.save_uploads([participants], keep)[0] if participants else None
    if not sources and people is None:
        st.warning("Choose files to upload or a folder first.")
    else:
        with st.status("Importing…", expanded=True) as box:
            bar = st.progress(0.0, text="reading the files")

            def _progress(stage: str, done: int, total: int) -> None:
                bar.progress(min(1.0, done / total) if total else 0.0,
                             text=f"{stage}: {done:,} of {total:,}")

            try:
                report = project.documents.ingest(sources, participants=people, progress=_progress,
                                        actor=coder)
            except ThematicError as error:
                box.update(label="The import failed; nothing was changed.", state="error")
                st.error(md(error))
            else:
                box.update(label=f"Imported: {md(report.summary())}", state="complete")
                lines = [f"Imported: {md(report.summary())}."]
                lines += [f"- skipped {md(n)}: {md(why)}" for n, why in report.skipped]
                lines += [f"- failed {md(n)}: {md(why)}" for n, why in report.failed]
                state.notify("warning" if report.failed else "success", "\n".join(lines))
                st.rerun()  # the sidebar's counts include the new documents

st.subheader("Codebook")
book = st.file_uploader("Codebook (yaml, csv, qdc, or a qdpx project's codebook)", type=["yaml", "yml", "csv", "qdc", "qdpx"],
                        key="upload_codebook")
if book is not None and st.button("Load the codebook", icon=":material/account_tree:",
                                  key="load_codebook"):
    try:
        loaded = project.codebook.load(uploads.save_upload_temp(book), actor=coder)
    except ThematicError as error:
        st.error(md(error))
        for problem in getattr(error, "problems", []) or []:
            st.caption(md(problem))
    else:
        state.notify("success", md(loaded.summary()))
        st.rerun()

st.subheader("Another tool's project")
other = st.file_uploader("REFI-QDA (.qdpx), QualCoder (.qda) or Taguette (.sqlite3)",
                         type=["qdpx", "qda", "sqlite3"], key="upload_project")
if other is not None and st.button("Import the project", key="import_project"):
    with st.status("Importing the project…", expanded=True) as box:
        try:
            result = project.exchange.import_project(uploads.save_upload_temp(other), actor=coder)
        except ThematicError as error:
            box.update(label="The import failed; nothing was changed.", state="error")
            st.error(md(error))
        else:
            summary = md(result.summary())
            box.update(label=f"Imported: {summary}", state="complete")
            skipped = [f"- {md(line)}" for line in result.dropped[:20]]
            skipped += [f"- … and {len(result.dropped) - 20} more"] if len(result.dropped) > 20 else []
            state.notify("warning" if skipped else "success",
                         f"Imported: {summary}" + ("\n\nNot imported:\n" + "\n".join(skipped) if skipped else ""))
            st.rerun()

st.header("Settings")
with st.form("settings"):
    approach = st.radio(
        "Approach", APPROACHES, horizontal=True,
        index=APPROACHES.index(settings.approach), key="set_approach",
        help="Coding reliability compares coders (agreement); reflexive analysis does not.")
    unit = st.radio("Unit of coding", UNITS, horizontal=True, key="set_unit",
                    index=UNITS.index(settings.unit))
    interviewers = st.text_input("Interviewer labels (comma-separated)",
                                 value=", ".join(settings.interviewers))
    mode = st.radio("Coding mode", REVIEW_MODES, horizontal=True,
                    index=REVIEW_MODES.index(settings.review_mode), key="set_mode",
                    help="Shared: one decision per suggestion, anyone may change it. "
                         "Independent: each coder decides blind; agreement compares them.")
    if st.form_submit_button("Save settings", icon=":material/save:"):
        try:
            if approach != settings.approach:
                project.settings.set_approach(approach, actor=coder)
            if unit != settings.unit:
                project.settings.set_unit(unit, actor=coder)
            labels = [x.strip() for x in interviewers.split(",") if x.strip()]
            if labels != list(settings.interviewers):
                project.settings.set_interviewers(labels, actor=coder)
            if mode != settings.review_mode:
                project.settings.set_review_mode(mode, actor=coder)
        except ThematicError as error:
            st.error(md(error))
        else:
            state.notify("success", "Settings saved.")
            st.rerun()
