"""The "Run the suggestions" panel of the Review and Codebook pages: choose the engines (the
registry's), run them in the background with a progress bar and a Cancel button, then read the
run's report per code (how many, found by which engine, what the code needs; on a re-run, what
changed). The run is a job of the server (``state.jobs()``): the page only polls it, so other
people keep working, and everyone on the project sees the run under way."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import state
from thematic import views
from thematic.views import run_view as rv

WHERE = "run"  # notices of the Run button are shown beside it
POLL_SECONDS = 1.0


def _start(project: Any, coder: str) -> None:
    engines = list(st.session_state.get(state.RUN_ENGINES) or [])
    backend = st.session_state.get(state.RUN_BACKEND) or None
    params: dict[str, Any] = {"backend": backend} if backend else {}
    if st.session_state.get(state.RUN_FINETUNED):
        params["finetuned"] = True
    turn_vectors = st.session_state.get(state.RUN_TURN_VECTORS)
    if turn_vectors and turn_vectors != "embedded":
        params["turn_vectors"] = turn_vectors
    if state.act(project.suggestions.start, state.jobs(), engines=engines, actor=coder,
                 where=WHERE, **params) is not None:
        st.session_state.pop(state.RUN_DISMISSED, None)
        st.session_state[state.RUN_OPEN] = True


def fold() -> None:
    """Fold the panel away (a callback of the page's decisions: reviewing has begun)."""
    st.session_state[state.RUN_OPEN] = False


def _dismiss(job_id: int) -> None:
    st.session_state[state.RUN_DISMISSED] = job_id


@st.fragment(run_every=POLL_SECONDS)
def _watch(project: Any, job_id: int) -> None:
    """The progress of the running job, polled; the whole page reruns once it ends."""
    job = project.suggestions.job(state.jobs())
    now = job.state() if job is not None else None
    if now is None or now.id != job_id or not now.running:
        st.rerun()  # the page reads the new suggestions
    st.progress(now.fraction, text=views.md(now.line()))
    st.button("Cancel the run", icon=":material/stop_circle:", key="run_cancel",
              on_click=job.cancel, disabled=now.cancel_asked,
              help="Stops at the next batch; nothing of this run is stored.")


def _report(now: Any) -> None:
    """How the ended run went: its summary, what changed and the per-code table."""
    if now.status == "failed":
        st.error(f"The run failed: {views.md(now.failure if now.failure is not None else now.error)}")
    elif now.status == "cancelled":
        st.info("The run was cancelled; nothing was stored.")
    else:
        summary = now.result
        st.success(views.md(summary.headline) + " They wait for a decision on the Review page.")
        for line in summary.changes:
            st.caption(views.md(line))
        st.dataframe(rv.run_table(summary.codes), hide_index=True, key="run_report", height=280,
                     column_config={"Why": st.column_config.TextColumn(width="large"),
                                    "Needs": st.column_config.TextColumn(width="large")})
    st.button("Dismiss", key="run_dismiss", on_click=_dismiss, args=(now.id,))


def _start_finetune(project: Any, coder: str) -> None:
    state.act(project.suggestions.start_finetune, state.jobs(), actor=coder, where=WHERE)


@st.fragment(run_every=POLL_SECONDS)
def _watch_finetune(project: Any, job_id: int) -> None:
    """The fine-tune's progress, polled; the panel is drawn again once it ends."""
    job = project.suggestions.finetune_job(state.jobs())
    now = job.state() if job is not None else None
    if now is None or now.id != job_id or not now.running:
        st.rerun()
    st.progress(now.fraction, text=views.md(now.line()))
    st.button("Stop the fine-tune", icon=":material/stop_circle:", key="finetune_cancel",
              on_click=job.cancel, disabled=now.cancel_asked,
              help="Stops after the current step; nothing of it is kept.")


def _finetune(project: Any, coder: str, problem: str | None) -> None:
    """Fine-tune the encoder on the decisions (a background job), and use it in a run."""
    job = project.suggestions.finetune_job(state.jobs())
    now = job.state() if job is not None else None
    if now is not None and now.running:
        _watch_finetune(project, now.id)
        return
    st.checkbox("Use the encoder fine-tuned on the decisions", key=state.RUN_FINETUNED,
                help="The learned model compares texts with the latest fine-tuned encoder; each "
                     "code still switches to it only as the frozen encoder's check says.")
    st.button("Fine-tune the encoder", icon=":material/model_training:", key="finetune_start",
              on_click=_start_finetune, args=(project, coder), disabled=bool(problem),
              help="Minutes in the background; the decisions keep teaching the instant model "
                   "meanwhile.")
    if now is not None and now.status == "failed":
        st.error(f"The fine-tune failed: {views.md(now.failure if now.failure is not None else now.error)}")
    elif now is not None and now.status == "cancelled":
        st.info("The fine-tune was stopped; nothing of it was kept.")
    elif now is not None and now.status == "done":
        st.success(f"Fine-tuned encoder {views.md(now.result.key)} is ready.")


def draw(project: Any, coder: str, *, problem: str | None, expanded: bool = False) -> None:
    """The panel: the form, or the running job's progress, then the last run's report."""
    job = project.suggestions.job(state.jobs())
    now = job.state() if job is not None else None
    shown = now is not None and st.session_state.get(state.RUN_DISMISSED) != now.id
    box = st.expander("Run the suggestions", icon=":material/play_circle:",
                      expanded=expanded or shown, key=state.RUN_OPEN, on_change="rerun")
    if not box.open:  # folded: nothing inside is drawn (nor read)
        return
    with box:
        if now is not None and now.running:
            who = f" (started by {views.md(now.owner)})" if now.owner else ""
            st.caption(f"A run is under way{who}; you can keep working meanwhile.")
            _watch(project, now.id)
            return
        choices = rv.engine_choices()
        st.multiselect("Engines", list(choices), default=rv.default_engine_choice(),
                       format_func=lambda name: choices.get(name, name), key=state.RUN_ENGINES,
                       help="Several engines are combined; the classifier joins the default "
                            "ones by itself once a code has enough decisions.")
        st.radio("Embeddings", list(rv.RUN_BACKENDS), format_func=rv.RUN_BACKENDS.get,
                 horizontal=True, key=state.RUN_BACKEND,
                 help="What the semantic engine and the classifier compare texts with.")
        st.radio("Turns and sentences", list(rv.RUN_TURN_VECTORS), format_func=rv.RUN_TURN_VECTORS.get,
                 horizontal=True, key=state.RUN_TURN_VECTORS,
                 help="A sentence is read with its turn. Reading each turn once, with its sentences "
                      "in it, encodes no words twice: about 40% less time on a large project, "
                      "and slightly lower agreement with people on the benchmark corpora (kappa "
                      "0.264 against 0.270).")
        st.button("Run", type="primary", icon=":material/play_arrow:", key="run_start",
                  on_click=_start, args=(project, coder), disabled=bool(problem),
                  help="Suggestions stay suggested until someone decides them; decisions are "
                       "never changed by a run.")
        state.show_notice(WHERE)
        _finetune(project, coder, problem)
        if shown:
            _report(now)
