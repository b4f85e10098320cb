"""Topics: run topic suggestions with progress; candidates with label, keywords, quotes, size,
participants, stability and nearest codes; adopt, map, merge, rename, reject."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError

project = state.project()
st.title("Topics")
state.show_notice()
if not hasattr(project, "topics_run"):
    st.info("This version of the library has no topic suggestions yet (Project.topics_run, "
            "topics, adopt_topic, map_topic, merge_topics, rename_topic, reject_topic).")
    st.stop()

codebook = project.codebook()
choices = views.code_choices(codebook)
coder = state.coder()
problem = views.coder_problem(coder)
if problem:
    st.warning(problem)


def _label(code: str) -> str:
    return choices.get(code, code)


with st.form("topics_run"):
    cols = st.columns(3)
    unit = cols[0].segmented_control("Unit", ["turn", "sentence"], default="turn")
    uncovered = cols[1].toggle("Only text no accepted coding covers")
    guided = cols[2].toggle("Guided by the codebook's definitions")
    if st.form_submit_button("Find topics", type="primary", icon=":material/bubble_chart:",
                             disabled=bool(problem)):
        with st.status("Finding topics…", expanded=True) as box:
            bar = st.progress(0.0, text="embedding the segments")

            def _progress(stage: str, done: int, total: int) -> None:
                bar.progress(min(1.0, done / total) if total else 0.0,
                             text=f"{stage}: {done:,} of {total:,}")

            try:
                report = project.topics_run(unit=unit or "turn", uncovered_only=uncovered,
                                            guided=guided, progress=_progress, actor=coder)
            except ThematicError as error:
                box.update(label="Topic suggestions failed; nothing was stored.", state="error")
                st.error(views.md(error))
            else:
                box.update(label=f"{report.topics} topics over {report.segments:,} segments "
                                 f"({report.not_grouped:,} not grouped).", state="complete")

topics = project.topics()
if topics.empty:
    st.info("No topic candidates yet: find topics above.")
    st.stop()
cards = views.topic_cards(topics, codebook)
st.caption(f"{len(cards)} candidates from run {int(topics['run_id'].max())}")
ids = [int(t) for t in cards["topic_id"]]
labels = dict(zip(ids, cards["label"].astype(str), strict=True))

with st.expander("Merge topics", icon=":material/merge:"):
    sources = st.multiselect("Merge these", ids, format_func=lambda t: labels.get(t, str(t)),
                             key="topic_merge_sources")
    into = st.selectbox("into", [t for t in ids if t not in sources], index=None,
                        format_func=lambda t: labels.get(t, str(t)), key="topic_merge_into")
    if st.button("Merge", key="topic_merge", disabled=bool(problem) or not sources or into is None):
        state.act(project.merge_topics, sources, int(into or 0), coder=coder, done="Merged.")
        st.rerun()

st.html(views.READER_CSS)
for card in cards.itertuples():
    tid = int(card.topic_id)
    with st.container(border=True, key=f"topic-{tid}"):
        st.html(views.topic_card_html(card))
        if card.status != "candidate":
            continue
        act = st.columns([3, 3, 3, 2])
        name = act[0].text_input("Label", str(card.label), key=f"topic-name-{tid}",
                                 label_visibility="collapsed")
        if act[0].button("Adopt as a new code", key=f"adopt-{tid}", disabled=bool(problem)):
            state.act(project.adopt_topic, tid, coder=coder, name=name.strip() or None,
                      done=f"Adopted as the code {views.md(name)}; its members are suggestions to review.")
            st.rerun()
        code = act[1].selectbox("Map to", list(choices), index=None, format_func=_label,
                                key=f"map-code-{tid}", placeholder="map to a code",
                                label_visibility="collapsed")
        if act[1].button("Map", key=f"map-{tid}", disabled=bool(problem) or code is None):
            state.act(project.map_topic, tid, str(code), coder=coder,
                      done=f"Mapped to {views.md(_label(str(code)))}.")
            st.rerun()
        if act[2].button("Rename", key=f"rename-{tid}", disabled=bool(problem)):
            state.act(project.rename_topic, tid, name.strip(), coder=coder, done="Renamed.")
            st.rerun()
        if act[3].button("Reject", key=f"reject-topic-{tid}", disabled=bool(problem)):
            state.act(project.reject_topic, tid, coder=coder, done="Rejected.")
            st.rerun()
