"""Topics: run topic suggestions with progress; candidates with label, keywords, quotes, size,
participants, stability (unstable marked) and nearest codes; adopt, map, merge, rename or
reject each, every step undoable."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from thematic import views
from thematic.errors import ThematicError
from thematic.views import topics_view as tv

PER_PAGE = 20
BACKENDS: dict[str, str] = {"": "chosen by the documents' language",
                            "minilm": "MiniLM (English)",
                            "use": "Universal Sentence Encoder (16 languages)",
                            "e5": "multilingual-e5-small (about 100 languages)",
                            "tfidf": "TF-IDF (fast, no model)"}

project = state.project()
st.title("Topics")
state.show_notice()

coder = state.coder()
problem = views.coder_problem(coder)
codebook = project.codebook.current()
names = {c.id: c.name for c in codebook.codes}
choices = views.code_choices(codebook)
if problem:
    st.warning(problem)


def _key(topic_id: int, what: str) -> str:
    return f"{state.TOPIC_ACTION}-{topic_id}-{what}"


def _adopt(topic_id: int) -> None:
    name = str(st.session_state.get(_key(topic_id, "name")) or "").strip() or None
    code = state.act(project.topics.adopt, topic_id, actor=coder, name=name)
    if code is not None:
        state.notify("success", f"Adopted as the code {views.md(names.get(code, name or code))}: "
                                "its segments are now suggestions on the Review page. Undo with "
                                "the Undo button.")


def _map(topic_id: int) -> None:
    code = st.session_state.get(_key(topic_id, "code"))
    if not code:
        state.notify("error", "Choose the code to map the topic to first.")
        return
    n = state.act(project.topics.map, topic_id, code, actor=coder)
    if n is not None:
        state.notify("success", f"Mapped to {views.md(choices.get(code, code))}: {n} segments "
                                "suggested. Undo with the Undo button.")


def _merge(topic_id: int) -> None:
    into = st.session_state.get(_key(topic_id, "into"))
    if into is None:
        state.notify("error", "Choose the topic to merge it into first.")
        return
    n = state.act(project.topics.merge, [topic_id], int(into), actor=coder)
    if n is not None:
        state.notify("success", f"Merged topic {topic_id} into topic {int(into)} ({n} segments "
                                "moved). Undo with the Undo button.")


def _rename(topic_id: int) -> None:
    label = str(st.session_state.get(_key(topic_id, "name")) or "").strip()
    try:
        project.topics.rename(topic_id, label, actor=coder)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", f"Renamed topic {topic_id} to {views.md(label)}.")


def _reject(topic_id: int) -> None:
    try:
        project.topics.reject(topic_id, actor=coder)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", f"Rejected topic {topic_id}. Undo with the Undo button.")


def _undo() -> None:
    undone = state.act(project.review.undo, actor=coder, mine_only=True)
    if undone is not None:
        state.notify("success", "Undid: " + (", ".join(views.md(u) for u in undone) or "nothing"))


with st.expander("Suggest topics", icon=":material/bubble_chart:",
                 expanded=state.cached_call(project, "topics.frame").empty):
    cols = st.columns(4)
    backend = cols[0].selectbox("Embeddings", list(BACKENDS),
                                format_func=lambda b: BACKENDS.get(b, b),
                                key="tp_backend")
    notice = views.language_notice(state.cached_call(project, "documents.language", backend=backend or None))
    (st.warning if notice.level == "warning" else st.caption)(notice.text)
    seed = cols[1].number_input("Seed", 0, 2**31 - 1, 0, key=state.TOPIC_SEED,
                                help="The same seed and inputs give the same topics.")
    uncovered = cols[2].checkbox("Only text no accepted coding covers", key="tp_uncovered")
    guided = cols[3].checkbox("Guided by the codebook", key="tp_guided")
    parents = st.radio("Broader topics", list(tv.PARENT_CHOICES), format_func=tv.PARENT_CHOICES.get,
                       horizontal=True, key=state.TOPIC_PARENTS,
                       help="Broader candidates above the topics, each joining several of them.")
    if st.button("Find topics", icon=":material/play_arrow:", key="tp_run", disabled=bool(problem)):
        with st.status("Finding topics…", expanded=True) as status:
            bar = st.progress(0.0, text="starting")

            def _progress(stage: str, done: int, total: int) -> None:
                bar.progress(tv.progress_fraction(done, total), text=tv.progress_text(stage, done, total))

            try:
                report = project.topics.run(backend=backend or None, random_state=int(seed),
                                            uncovered_only=uncovered, guided=guided,
                                            parent_level=parents, progress=_progress, actor=coder)
            except ThematicError as error:
                status.update(label="Topics could not be found", state="error")
                st.error(views.md(error))
            else:
                how = "the earlier run with the same inputs" if report.reused else "a new run"
                status.update(label=f"{report.topics} topics over {report.segments} segments "
                                    f"({report.not_grouped} not grouped), from {how}",
                              state="complete")
                if report.broader:
                    st.info(views.md(report.broader) + " For a tree of near topics, choose *Every merge "
                            "of near topics* under Broader topics.")
                project = state.project()  # read the new run

topics = state.cached_call(project, "topics.frame")
cards = tv.topic_cards(topics)
top = st.columns([3, 1])
shown = top[0].multiselect("Show", list(tv.TOPIC_STATUSES), default=["candidate", "adopted", "mapped"],
                           key=state.TOPIC_SHOW)
top[1].button("Undo", icon=":material/undo:", on_click=_undo, disabled=bool(problem), key="tp_undo")
visible = [c for c in cards if c.status in shown]
st.caption(f"{len(cards)} candidates in the latest run · {len(visible)} shown"
           + (f" (first {PER_PAGE})" if len(visible) > PER_PAGE else ""))
if not cards:
    st.caption("No topics yet: find them above.")
st.html(tv.TOPICS_CSS)
targets = tv.topic_options(cards)
for card in visible[:PER_PAGE]:
    with st.container(border=True):
        st.html(tv.topic_card_html(card, names))
        if not card.open:
            continue
        row = st.columns([3, 1, 1, 1])
        row[0].text_input("Name", value=card.label, key=_key(card.topic_id, "name"),
                          label_visibility="collapsed")
        row[1].button("Adopt as code", key=_key(card.topic_id, "adopt"), on_click=_adopt,
                      args=(card.topic_id,), disabled=bool(problem), icon=":material/add:")
        row[2].button("Rename", key=_key(card.topic_id, "rename"), on_click=_rename,
                      args=(card.topic_id,), disabled=bool(problem))
        row[3].button("Reject", key=_key(card.topic_id, "reject"), on_click=_reject,
                      args=(card.topic_id,), disabled=bool(problem), icon=":material/close:")
        row = st.columns([3, 1, 3, 1])
        nearest = [c for c, _ in card.nearest if c in choices]
        order = nearest + [c for c in choices if c not in nearest]
        row[0].selectbox("Map to code", order, index=None, key=_key(card.topic_id, "code"),
                         format_func=lambda c: choices.get(c, c), placeholder="map to a code",
                         label_visibility="collapsed")
        row[1].button("Map", key=_key(card.topic_id, "map"), on_click=_map,
                      args=(card.topic_id,), disabled=bool(problem))
        others = {k: v for k, v in targets.items() if k != card.topic_id}
        row[2].selectbox("Merge into", list(others), index=None, key=_key(card.topic_id, "into"),
                         format_func=lambda k: targets.get(k, str(k)),
                         placeholder="merge into a topic", label_visibility="collapsed")
        row[3].button("Merge", key=_key(card.topic_id, "merge"), on_click=_merge,
                      args=(card.topic_id,), disabled=bool(problem))
