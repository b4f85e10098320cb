"""Review: the suggestion queue of every engine, most informative first; accept, reject,
recode each or adjust its span in the transcript (keys A, X, S, U), or decide every suggestion shown at once."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app_pages import run_panel, state
from thematic import views
from thematic.errors import ThematicError

PER_PAGE = 20
CURSOR = state.REVIEW_CURSOR

project = state.project()
st.title("Review")
codebook = project.codebook.current()
choices = views.code_choices(codebook)


def _label(code: str) -> str:
    return choices.get(code, code)


coder = state.coder()
problem = views.coder_problem(coder)
codings = project.codings_for(coder, status="suggested")
suggested = codings[codings["status"] == "suggested"] if not codings.empty else codings
state.show_notice()
if problem:
    st.warning(problem)
run_panel.draw(project, coder, problem=problem, expanded=suggested.empty)

with st.expander("Filter the queue", icon=":material/filter_list:", expanded=False):
    cols = st.columns(4)
    filters = views.CodingFilter.of(
        codes=cols[0].multiselect("Code", list(choices), format_func=_label,
                                  key=state.REVIEW_CODES),
        engines=cols[1].multiselect("Engine", sorted(set(suggested["source"])) if len(suggested) else [],
                                    key=state.REVIEW_ENGINES),
        documents=cols[2].multiselect("Document", sorted(set(suggested["document"])) if len(suggested) else [],
                                      key=state.REVIEW_DOCS),
        min_confidence=None, max_confidence=None,
    )
    low, high = cols[3].slider("Confidence", 0.0, 1.0, (0.0, 1.0), step=0.05,
                               key=state.REVIEW_CONFIDENCE)
    if (low, high) != (0.0, 1.0):
        filters = views.CodingFilter.of(codes=filters.codes, engines=filters.engines,
                                        documents=filters.documents, min_confidence=low,
                                        max_confidence=high)

informative = st.toggle("Most informative first", value=True, key=state.REVIEW_INFORMATIVE,
                        help="The classifier learns from your decisions and puts the suggestions "
                             "it is least sure of first (from 10 decisions on, retrained every 10); "
                             "before that, and when off: highest confidence first.")
queue = project.review_queue_view(filters, coder, informative=informative)
learning = " · learning from the decisions in the background: the order improves when it is done" \
    if informative and state.order_pending(project) else ""
st.caption(views.queue_caption(queue, len(suggested)) + learning)


CARD, BULK = "card", "bulk"  # where the notices of the card's and the bulk buttons show


def _decide(status: str, ids: Sequence[int], versions: dict[int, int] | None = None,
            where: str = CARD) -> None:
    run_panel.fold()  # reviewing has begun: the run's panel makes way for the queue
    action = project.review.accept if status == "accepted" else project.review.reject
    try:
        n = action(list(ids), actor=coder, expected_versions=versions)
    except ThematicError as error:
        state.notify("error", views.md(error), where=where)
    else:
        state.notify("success", f"{status.capitalize()} {n:,} suggestion{'s' if n != 1 else ''} "
                                f"as {views.md(coder)}. Undo with U.",
                     where=BULK if where == BULK else CARD)  # a decided item leaves the list


def _bulk(status: str, ids: Sequence[int]) -> None:
    """Decide every suggestion shown; above BULK_CONFIRM_ABOVE, ask first."""
    if len(ids) > views.BULK_CONFIRM_ABOVE:
        st.session_state[state.REVIEW_BULK] = (status, tuple(ids))
    else:
        _decide(status, ids, where=BULK)


def _confirm_bulk() -> None:
    status, ids = st.session_state.pop(state.REVIEW_BULK)
    _decide(status, ids, where=BULK)


def _cancel_bulk() -> None:
    st.session_state.pop(state.REVIEW_BULK, None)


def _recode(coding_id: int, key: str) -> None:
    target = st.session_state.get(key)
    if not target:
        state.notify("error", "Choose the code to move it to first.", where=CARD)
        return
    state.act(project.review.recode, coding_id, target, actor=coder, where=CARD,
              done=f"Recoded as {views.md(choices.get(target, target))} (accepted).")


def _skip(n: int) -> None:
    st.session_state[CURSOR] = (st.session_state.get(CURSOR, 0) + 1) % max(1, n)


def _undo() -> None:
    try:
        done = project.review.undo(actor=coder, mine_only=True)
    except ThematicError as error:
        state.notify("error", views.md(error), where=BULK)
    else:
        state.notify("success", "Undone: " + views.md("; ".join(done)), where=BULK)


bulk = st.columns([2, 2, 2, 3])
ids = queue["coding_id"].astype(int).tolist()
bulk[0].button(f"Accept all {len(ids):,} shown", key="bulk_accept", icon=":material/done_all:",
               on_click=_bulk, args=("accepted", ids), disabled=bool(problem) or not ids)
bulk[1].button(f"Reject all {len(ids):,} shown", key="bulk_reject", icon=":material/block:",
               on_click=_bulk, args=("rejected", ids), disabled=bool(problem) or not ids)
bulk[2].button("Undo my last change", key="undo", icon=":material/undo:", on_click=_undo,
               disabled=bool(problem), shortcut="u")
pending = st.session_state.get(state.REVIEW_BULK)
if pending:
    status, pending_ids = pending
    shown = queue[queue["coding_id"].isin(pending_ids)]
    with st.container(border=True, key="bulk_confirm"):
        st.warning(views.bulk_change_text(shown, status, coder))
        yes, no = st.columns([1, 1])
        verb = {"accepted": "accept", "rejected": "reject"}[status]
        yes.button(f"Yes, {verb} {len(pending_ids):,}", type="primary", key="bulk_yes",
                   on_click=_confirm_bulk, disabled=bool(problem))
        no.button("Cancel", key="bulk_no", on_click=_cancel_bulk)
state.show_notice(BULK)
if queue.empty:
    st.success("Nothing left to review here.")
    st.stop()

st.html(views.READER_CSS)
cursor = st.session_state.get(CURSOR, 0) % len(queue)
row = next(queue.iloc[[cursor]].itertuples())
row = row._replace(evidence=project.reads.coding_evidence([int(row.coding_id)]).get(int(row.coding_id)))
state.show_notice(CARD)
with st.container(border=True, key="current"):
    st.caption(f"Suggestion {cursor + 1} of {len(queue):,} · coding {row.coding_id}")
    st.html(views.review_card_html(row))
    one = {int(row.coding_id): int(row.version)}
    act = st.columns(3)
    act[0].button("Accept", type="primary", key="accept_current", icon=":material/check:",
                  shortcut="a", on_click=_decide, args=("accepted", [row.coding_id], one),
                  disabled=bool(problem), width="stretch")
    act[1].button("Reject", key="reject_current", icon=":material/close:", shortcut="x",
                  on_click=_decide, args=("rejected", [row.coding_id], one),
                  disabled=bool(problem), width="stretch")
    act[2].button("Skip", key="skip_current", icon=":material/skip_next:", shortcut="s",
                  on_click=_skip, args=(len(queue),), width="stretch")
    passage = views.passage_ids(queue, row)
    if len(passage) > 1:  # the engine suggested the code sentence by sentence in this turn
        mates = queue[queue["coding_id"].isin(passage)]
        both = dict(zip(mates["coding_id"].astype(int), mates["version"].astype(int), strict=True))
        st.caption(f"{len(passage)} suggestions of {views.md(row.label)} in this turn, this one "
                   f"included: decide them as one passage.")
        with st.expander(f"The {len(passage)} sentences", icon=":material/format_list_numbered:"):
            st.html(views.passage_html(queue, passage))
        whole = st.columns(2)
        whole[0].button(f"Accept all {len(passage)} in this turn", key="accept_turn",
                        icon=":material/done_all:", on_click=_decide, args=("accepted", passage, both, BULK),
                        disabled=bool(problem), width="stretch")
        whole[1].button(f"Reject all {len(passage)} in this turn", key="reject_turn",
                        icon=":material/block:", on_click=_decide, args=("rejected", passage, both, BULK),
                        disabled=bool(problem), width="stretch")
    recode_col, span_col = st.columns(2)
    with recode_col.popover("Recode", icon=":material/swap_horiz:", width="stretch"):
        key = f"recode-{row.coding_id}"
        st.selectbox("Move it to", list(choices), index=None, format_func=_label, key=key,
                     placeholder="type to search the codebook")
        st.button("Recode", key=f"{key}-go", on_click=_recode, args=(int(row.coding_id), key),
                  disabled=bool(problem))
    if span_col.button("Adjust the span in the transcript", icon=":material/straighten:",
                       key=f"span-{row.coding_id}", width="stretch",
                       help="Opens the transcript at this suggestion: select its new extent "
                            "with the mouse, then 'Set its span to the selected text'."):
        st.session_state[state.DOCUMENT] = str(row.document)
        st.session_state[state.READER_PAGE] = views.page_of(
            project.documents.turns(int(row.document_id)), int(row.start))
        st.session_state[state.CHOSEN_CODING] = int(row.coding_id)
        st.session_state[state.SELECTION] = None
        st.switch_page("app_pages/transcripts.py")

st.subheader("Next in the queue")
rest = queue.drop(index=queue.index[cursor])
pages = views.page_count(len(rest), PER_PAGE)
page = st.pagination(pages, key=state.REVIEW_PAGE, max_visible_pages=7) if pages > 1 else 1
shown = rest.iloc[(page - 1) * PER_PAGE: page * PER_PAGE]
evidence = project.reads.coding_evidence(shown["coding_id"].astype(int).tolist())  # of the cards only
for item in shown.itertuples():
    with st.container(border=True):
        left, right = st.columns([6, 1])
        left.html(views.review_card_html(item._replace(evidence=evidence.get(int(item.coding_id)))))
        version = {int(item.coding_id): int(item.version)}
        here = f"item-{item.coding_id}"
        right.button("Accept", key=f"accept-{item.coding_id}", icon=":material/check:",
                     on_click=_decide, args=("accepted", [item.coding_id], version, here),
                     disabled=bool(problem))
        right.button("Reject", key=f"reject-{item.coding_id}", icon=":material/close:",
                     on_click=_decide, args=("rejected", [item.coding_id], version, here),
                     disabled=bool(problem))
        state.show_notice(here)
if informative:
    project.learn_review_order()  # in the background, now that the page is drawn
