"""Export: every exporter the library has, as downloads (theme table, matrices, framework,
agreement, codebook, .qdpx, segments, codings, pseudonymised transcripts, the whole report)."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

project = state.project()
st.title("Export")
state.show_notice()
pseudonymise = st.toggle("Pseudonymise names in quotes and transcripts", value=True,
                         key="export_pseudonymise")


def _prepare(kind: str, fmt: str, key: str) -> None:
    """Write one export to a private temporary file and keep its bytes for the download."""
    folder = Path(tempfile.mkdtemp(prefix="thematic_export_"))
    target = folder / f"{kind}.{fmt}"
    try:
        if kind == "qdpx":
            project.export_qdpx(target)
        else:
            project.export(kind, target, fmt=fmt, pseudonymise=pseudonymise)
        st.session_state[key] = (target.name, target.read_bytes())
    except ThematicError as error:
        state.notify("error", views.md(error))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _report(key: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="thematic_report_"))
    try:
        files, notes = project.report(folder / "report", pseudonymise=pseudonymise)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted((folder / "report").rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder))
        st.session_state[key] = ("report.zip", buffer.getvalue())
        if notes:
            state.notify("warning", "Left out: " + views.md(" ".join(notes)))
    except ThematicError as error:
        state.notify("error", views.md(error))
    except Exception as error:  # noqa: BLE001 - a library bug: say so, keep the page alive
        state.notify("error", f"The report could not be written (a bug in thematic, please "
                              f"report it): {views.md(type(error).__name__)}: {views.md(error)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _download(key: str) -> None:
    ready = st.session_state.get(key)
    if ready:
        name, data = ready
        st.download_button(f"Download {views.md(name)}", data, name, key=f"{key}-dl",
                           icon=":material/download:", type="primary")


rows = views.export_choices(project)
for kind, formats, help_ in rows:
    with st.container(border=True):
        cols = st.columns([3, 2, 2, 3])
        cols[0].markdown(f"**{views.md(kind)}**")
        cols[0].caption(views.md(help_))
        fmt = cols[1].selectbox("Format", formats, key=f"fmt-{kind}", label_visibility="collapsed")
        key = f"export-{kind}"
        cols[2].button("Prepare", key=f"prepare-{kind}", on_click=_prepare,
                       args=(kind, fmt, key), icon=":material/build:")
        with cols[3]:
            _download(key)

with st.container(border=True):
    st.markdown("**The whole report**")
    st.caption("Every table, figure and transcript in one folder, zipped.")
    st.button("Prepare the report", key="prepare-report", on_click=_report,
              args=("export-report",), icon=":material/folder_zip:")
    _download("export-report")
