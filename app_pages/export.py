"""Export: every exporter of the library as a download: the theme table (docx, xlsx, LaTeX,
Markdown, csv), matrices, framework, agreement, codebook, saturation, methods, the thematic
map, segments, codings, pseudonymised transcripts, the .qdpx project and the whole report."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError
from thematic.views import analysis_view as av
from thematic.views import export_view as ev

project = state.project()
st.title("Export")
state.show_notice()
items = ev.export_items()
kinds: dict[str, list[ev.ExportItem]] = {}
for item in items:
    kinds.setdefault(item.kind, []).append(item)

pseudonymise = st.toggle("Pseudonymise names in quotes and transcripts", value=True,
                         key=state.EXPORT_PSEUDONYMISE,
                         help="Participants' and speakers' names and the project's pseudonym list "
                              "are replaced; every replacement is recorded.")
if not pseudonymise:
    st.warning("Quotes and transcripts will be exported verbatim, names included.")
people = [c for c in av.coder_choices(project.review.codings(), project.review.decisions())
          if not c.startswith("engine:")]
with st.expander("Options", icon=":material/tune:"):
    cols = st.columns(3)
    by = cols[0].selectbox("Matrix columns", ["participant", "theme",
                                              *av.attribute_columns(project.participants.frame())],
                           key="ex_by")
    quotes = cols[1].number_input("Quotes per theme", 1, 3, 2, key="ex_quotes")
    pair = cols[2].multiselect("Agreement between", people, default=people[:2],
                               max_selections=2, key="ex_coders")


def _options(item: ev.ExportItem) -> dict[str, Any]:
    if item.kind == "matrix":
        return {"by": by}
    if item.kind.startswith("theme-table"):
        return {"quotes": int(quotes)}
    if item.kind == "agreement" and len(pair) == 2:
        return {"coders": list(pair)}
    return {}


def _prepare(kind: str) -> None:
    fmt = st.session_state.get(f"ex_fmt-{kind}") or kinds[kind][0].fmt
    item = next(i for i in kinds[kind] if i.fmt == fmt)
    st.session_state.pop(f"{state.EXPORT_READY}-{kind}", None)
    try:
        result = ev.export_bytes(project, item, project_name=project.name,
                                 pseudonymise=pseudonymise,
                                 options={**_options(item), "account": state.coder() or None})
    except ThematicError as error:
        state.notify("error", views.md(error), where=f"export-{kind}")
        return
    except Exception as error:  # noqa: BLE001 - a library bug: say so, keep the page alive
        state.notify("error", f"{views.md(item.label)} could not be written (a bug in thematic: "
                              f"please report it): {views.md(type(error).__name__)}",
                     where=f"export-{kind}")
        return
    st.session_state[f"{state.EXPORT_READY}-{kind}"] = result
    if result.notes:
        state.notify("warning", "Notes: " + views.md(" ".join(result.notes)),
                     where=f"export-{kind}")


for group in ev.EXPORT_GROUPS:
    group_kinds = [k for k, its in kinds.items() if its[0].group == group]
    if not group_kinds:
        continue
    st.subheader(group)
    for kind in group_kinds:
        first = kinds[kind][0]
        with st.container(border=True):
            row = st.columns([4, 2, 2, 3])
            row[0].markdown(f"**{first.label}**" + ("  \npseudonymised" if pseudonymise and
                                                     first.pseudonymisable else ""))
            formats = [i.fmt for i in kinds[kind]]
            row[1].selectbox("Format", formats, key=f"ex_fmt-{kind}",
                              label_visibility="collapsed", disabled=len(formats) == 1)
            row[2].button("Prepare", key=f"ex_prepare-{kind}", on_click=_prepare, args=(kind,),
                           icon=":material/build:")
            ready: ev.ExportResult | None = st.session_state.get(f"{state.EXPORT_READY}-{kind}")
            if ready is not None:
                row[3].download_button(f"Download {ready.name}", ready.data, ready.name,
                                        mime=ready.mime, key=f"ex_dl-{kind}",
                                        icon=":material/download:", type="primary")
            state.show_notice(f"export-{kind}")  # beside the Prepare button that asked
