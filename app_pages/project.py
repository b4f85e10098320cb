"""Project: open or create a study; import transcripts, participants and a codebook; settings."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import state, uploads
from thematic import Project
from thematic.errors import ThematicError
from thematic.models import APPROACHES, REVIEW_MODES, UNITS
from thematic.views import md

st.title("Project")
state.show_notice()
path = state.project_path()


def _use(target: str, *, create: bool, name: str = "", unit: str = "sentence") -> None:
    target_path = Path(target).expanduser().resolve()
    try:
        if create:
            Project.create(target_path, name=name or None, unit=unit).close()
        elif not target_path.exists():
            state.notify("error", f"No project file at {md(target_path)}.")
            return
        state.open_project(str(target_path))
    except ThematicError as error:
        state.notify("error", md(error))
        return
    st.session_state[state.PROJECT_PATH] = str(target_path)
    state.notify("success", f"{'Created' if create else 'Opened'} {md(target_path)}.")


st.caption("Project file")
st.code(state.project_label(), language=None)
if not state.project_fixed():  # a team server serves its one project, nothing else on its disk
    open_tab, create_tab = st.tabs(["Open another project", "Create a project"])
    with open_tab, st.form("open_project"):
        target = st.text_input("Project file", placeholder="/path/to/study.thematic")
        if st.form_submit_button("Open", icon=":material/folder_open:") and target.strip():
            _use(target.strip(), create=False)
            st.rerun()
    with create_tab, st.form("create_project"):
        target = st.text_input("New project file", placeholder="/path/to/new-study.thematic")
        name = st.text_input("Study name", placeholder="e.g. Listening Circles evaluation")
        unit = st.radio("Unit of coding", UNITS, index=UNITS.index("sentence"), horizontal=True)
        if st.form_submit_button("Create", icon=":material/add:") and target.strip():
            _use(target.strip(), create=True, name=name.strip(), unit=unit)
            st.rerun()

try:
    project = state.project()
    settings = project.settings.current()
except ThematicError:
    st.stop()

coder = state.coder()  # every change names its person; none chosen: the library says so
st.header("Import")
files_tab, folder_tab = st.tabs(["Upload files", "From a folder on this computer"])
with files_tab:
    uploaded = st.file_uploader(
        "Transcripts (txt, md, docx, odt, pdf, vtt, srt) or survey tables (csv, xlsx)",
        accept_multiple_files=True, key="upload_transcripts")
with folder_tab:
    folder = st.text_input("Folder or glob pattern", key="import_folder",
                           placeholder="/path/to/transcripts")
participants = st.file_uploader("Participants file (csv or xlsx; optional)",
                                type=["csv", "xlsx"], key="upload_participants")
if st.button("Import", type="primary", icon=":material/upload:", key="import"):
    sources: list[Path | str] = []
    keep = uploads.imports_folder(path)
    if uploaded:
        sources += uploads.save_uploads(uploaded, keep)
    if folder.strip():
        sources.append(folder.strip())
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
