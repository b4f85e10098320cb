"""Transcripts: a document's turns, page by page, with coding stripes in the margin (or
highlights, or a calm view of the accepted codings only); code by selecting text with the
mouse, by clicking a sentence (shift: the turn), or by pasting a quote; click a stripe to
choose its coding, then decide it, write a memo on it, or select new text to set its span."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages import state, uploads
from app_pages.components.selectable import selectable_transcript
from thematic import views
from thematic.errors import ThematicError

project = state.project()
names = project.documents.frame()["name"].tolist()

st.title("Transcripts")
if not names:
    st.info("No documents yet. Import transcripts on the Project page.")
    st.stop()
codebook = project.codebook.current()
choices = views.code_choices(codebook)


def _label(code: str) -> str:
    return choices.get(code, code)


coder = state.coder()
problem = views.coder_problem(coder)


def _first_page() -> None:
    st.session_state[state.READER_PAGE] = 1
    st.session_state[state.SELECTION] = None


def _coded(code: str) -> None:
    st.session_state[state.LAST_CODE] = code
    st.session_state[state.SELECTION] = None


def _code_span(document: int, code: str | None, span: views.Span | None) -> None:
    if not code or span is None:
        state.notify("error", "Choose a code and a stretch of text first.")
        return
    cid = state.act(project.review.code_span, document, code, actor=coder, start=span.start, end=span.end)
    if cid is not None:
        _coded(code)
        state.notify("success", f"Coded {views.md(span.label)} as {views.md(choices.get(code, code))}.")


def _code_quote(document: int, code: str | None) -> None:
    quote = str(st.session_state.get(state.QUOTE) or "").strip()
    if not code or not quote:
        state.notify("error", "Choose a code and paste a quote from this transcript first.")
        return
    cid = state.act(project.review.code_span, document, code, actor=coder, quote=quote)
    if cid is not None:
        _coded(code)
        st.session_state[state.QUOTE] = ""
        state.notify("success", f"Coded the quote as {views.md(choices.get(code, code))}.")


def _in_vivo(document: int, span: views.Span | None) -> None:
    if span is None:
        state.notify("error", "Select the participant's words first.")
        return
    code = views.in_vivo_code(codebook, span.text)
    try:
        project.codebook.add_code(code, actor=coder)
    except ThematicError as error:
        state.notify("error", views.md(error))
        return
    choices[code.id] = code.name
    _code_span(document, code.id, span)


def _decide(decide: Callable[..., int], coding_id: int, version: int, label: str,
            verb: str) -> None:
    try:
        decide([coding_id], actor=coder, expected_versions={coding_id: version})
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", f"{verb} “{views.md(label)}” (coding {coding_id}) as {views.md(coder)}.")


def _set_span(coding_id: int, span: views.Span | None) -> None:
    if span is None:
        state.notify("error", "Select the coding's new extent in the text first.")
        return
    try:
        project.review.edit_span(coding_id, span.start, span.end, actor=coder)
    except ThematicError as error:
        state.notify("error", views.md(error))
        return
    st.session_state[state.SELECTION] = None
    state.notify("success", f"Coding {coding_id} now spans {views.md(span.label)} (accepted).")


def _choose(coding_id: int | None) -> None:
    st.session_state[state.CHOSEN_CODING] = coding_id


def _memo_on_coding(coding_id: int, key: str) -> None:
    body = str(st.session_state.get(key) or "").strip()
    if not body:
        state.notify("error", "Write the memo first.")
        return
    if state.act(project.memos.add, body, actor=coder, target="coding", target_id=coding_id,
                 done=f"Memo saved on coding {coding_id}.") is not None:
        st.session_state[key] = ""


def _undo() -> None:
    try:
        done = project.review.undo(actor=coder, mine_only=True)
    except ThematicError as error:
        state.notify("error", views.md(error))
    else:
        state.notify("success", "Undone: " + views.md("; ".join(done)) if done else "Nothing to undo.")


def _toggle_read(document: int, key: str) -> None:
    state.act(project.memos.mark_read, document, actor=coder, read=bool(st.session_state.get(key)))


def _add_memo(document: int, key: str) -> None:
    body = str(st.session_state.get(key) or "").strip()
    if not body:
        state.notify("error", "Write the memo first.")
        return
    if state.act(project.memos.add, body, actor=coder, target="document", target_id=document,
                 done="Memo saved.") is not None:
        st.session_state[key] = ""


def _attach(document: int, key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    state.act(project.memos.attach, document, uploads.save_upload_temp(upload), actor=coder,
              done="Recording attached: click a turn's time to play from there.")


top = st.columns([3, 2])
document = top[0].selectbox("Document", names, key=state.DOCUMENT, bind="query-params",
                            on_change=_first_page)
doc = project.documents.get(document)
read_key = f"read-{doc.id}"
if not problem:
    st.session_state.setdefault(read_key, doc.name in set(project.memos.read_marks(coder)["document"]))
    top[1].toggle("Marked as read", key=read_key, on_change=_toggle_read, args=(doc.id, read_key))

codings = project.codings_for(coder, document=doc.id)
options = views.filter_options(codings)
with st.expander("Filter codings", icon=":material/filter_list:"):
    cols = st.columns(4)
    filters = views.CodingFilter.of(
        codes=cols[0].multiselect("Code", list(choices), format_func=_label,
                                  key=state.FILTER_CODES),
        coders=cols[1].multiselect("Coder", options["coders"], key=state.FILTER_CODERS),
        statuses=cols[2].multiselect("Status", list(views.STATUSES), key=state.FILTER_STATUSES),
        engines=cols[3].multiselect("Engine", options["engines"], key=state.FILTER_ENGINES),
    )

MODE_LABELS = {"stripes": "Stripes", "highlights": "Highlights", "calm": "Calm"}
# the side panel (the chosen coding's card first) stays in view while the transcript scrolls
STICKY_SIDE = ('<style>div[data-testid="stColumn"]:has(.th-side) {position: sticky; top: 3.75rem;'
               ' align-self: flex-start; max-height: calc(100vh - 4.5rem); overflow-y: auto;'
               ' overflow-anchor: none;}'
               '</style>')
shown_as = st.columns([3, 2, 4])
mode = shown_as[0].segmented_control(
    "Show codings as", list(views.READER_MODES), format_func=MODE_LABELS.__getitem__,
    key=state.READER_MODE, default="stripes", label_visibility="collapsed",
    help="Stripes: one coloured stripe per code in the margin (hover names it, click chooses "
         "its coding). Highlights: coloured text with one tag per code. Calm: only the "
         "accepted codings, highlighted, no suggestions.") or "stripes"
show_suggestions = shown_as[1].toggle("Suggestions", value=True, key=state.SHOW_SUGGESTIONS,
                                      disabled=mode == "calm",
                                      help="Show the engines' suggestions (dashed) as well.")
pages = views.page_count(len(project.documents.turns(doc.id)))
page = st.pagination(pages, key=state.READER_PAGE, bind="query-params", max_visible_pages=9)
view = views.reader_page(project, doc.id, page, filters=filters, codings=codings, mode=mode,
                         suggestions=bool(show_suggestions) and mode != "calm")
state.show_notice()
st.caption(view.caption)
st.html(views.CARD_CSS + STICKY_SIDE)

text_col, side_col = st.columns([5, 2], gap="large")
with text_col:
    sentences = views.sentence_spans(project.documents.segments("sentence"), doc.id, view.turn_spans)
    recordings = project.memos.attachments(doc.id)
    chosen = selectable_transcript(view.html, sentences=sentences, turns=list(view.turn_spans),
                                   seekable=not recordings.empty,
                                   stripes=[s.as_arg() for s in view.stripes],
                                   chosen=st.session_state.get(state.CHOSEN_CODING),
                                   key=f"{state.SELECTOR}-{doc.id}-{view.page}")
    if chosen and chosen.get("nonce") != st.session_state.get(state.SELECTION_NONCE):
        st.session_state[state.SELECTION_NONCE] = chosen.get("nonce")
        if chosen.get("kind") == "seek":
            st.session_state[state.SEEK] = float(chosen.get("time") or 0.0)
        elif chosen.get("kind") == "coding":
            st.session_state[state.CHOSEN_CODING] = int(chosen.get("coding_id") or 0) or None
        else:
            st.session_state[state.SELECTION] = views.span_from_selection(chosen, doc.text)

with side_col:
    st.html('<span class="th-side"></span>')
    if problem:
        st.warning(problem)
    if not recordings.empty:
        media = recordings.iloc[0]
        player = st.video if str(media["media_type"]).startswith("video/") else st.audio
        player(str(media["path"]), start_time=int(st.session_state.get(state.SEEK, 0)),
               autoplay=state.SEEK in st.session_state)
        st.caption("Click a turn's time to play the recording from there.")
    span: views.Span | None = st.session_state.get(state.SELECTION)
    card = views.coding_card(codings, st.session_state.get(state.CHOSEN_CODING), codebook)
    if card is not None:
        with st.container(border=True, key="chosen_coding"):
            st.html(views.coding_card_html(card))
            one = (card.coding_id, card.version, card.label)
            verbs = [v for v in ("accept", "reject") if card.status != v + "ed"]
            decide = dict(zip(verbs, st.columns(len(verbs)), strict=True))
            if "accept" in decide:
                decide["accept"].button("Accept", key="chosen_accept", icon=":material/check:",
                                        on_click=_decide,
                                        args=(project.review.accept, *one, "Accepted"),
                                        disabled=bool(problem), width="stretch")
            if "reject" in decide:
                decide["reject"].button(
                    "Reject" if card.status == "suggested" else "Remove", key="chosen_reject",
                    icon=":material/close:", on_click=_decide,
                    args=(project.review.reject, *one, "Rejected"), disabled=bool(problem),
                    width="stretch",
                    help="A coding removed is kept as rejected; undo brings it back.")
            st.button("Set its span to the selected text", key="chosen_span",
                      icon=":material/straighten:", on_click=_set_span,
                      args=(card.coding_id, span), width="stretch",
                      disabled=bool(problem) or span is None,
                      help="Select the new extent in the transcript with the mouse (or click a "
                           "sentence), then press this.")
            with st.popover("Memo on this coding", icon=":material/sticky_note_2:",
                            width="stretch"):
                for memo in project.memos.frame("coding", card.coding_id).itertuples():
                    st.html(f'<div class="th-card-meta"><b>{views.esc(memo.author)}</b> '
                            f'{views.esc(memo.updated_at)}</div>'
                            f'<div class="th-card-quote">{views.esc(memo.body)}</div>')
                memo_key = f"coding-memo-{card.coding_id}"
                st.text_area("Memo", key=memo_key, label_visibility="collapsed",
                             placeholder="why this passage, what it makes you think of")
                st.button("Save the memo", key="coding_memo_save", on_click=_memo_on_coding,
                          args=(card.coding_id, memo_key), disabled=bool(problem))
            st.button("Close", key="chosen_close", type="tertiary", icon=":material/close_small:",
                      on_click=_choose, args=(None,))
    elif view.stripes:
        st.caption("Click a stripe in the margin to choose its coding.")
    st.markdown("**Code**")
    if span is not None:
        st.html(f'<div class="th-head" data-testid="th-selection">{views.esc(span.label)}</div>')
    else:
        st.caption("Select text with the mouse, click a sentence, or shift-click a turn.")
    code = st.selectbox("Code", list(choices), index=None, format_func=_label,
                        key=state.PICKED_CODE, placeholder="type to search the codebook",
                        label_visibility="collapsed")
    st.button("Code the selection", type="primary", icon=":material/sell:", key="code_selection",
              on_click=_code_span, args=(doc.id, code, span), shortcut="k",
              disabled=bool(problem) or span is None or code is None, width="stretch")
    last = st.session_state.get(state.LAST_CODE)
    if last in choices:
        st.button(f"Apply last code: {views.md(choices[last])}", key="apply_last",
                  icon=":material/replay:", on_click=_code_span, args=(doc.id, last, span),
                  disabled=bool(problem) or span is None, shortcut="l", width="stretch")
    st.button("New in-vivo code from the selection", key="in_vivo", icon=":material/format_quote:",
              on_click=_in_vivo, args=(doc.id, span), disabled=bool(problem) or span is None,
              width="stretch")
    with st.popover("Code a pasted quote", icon=":material/content_paste:", width="stretch"):
        st.text_area("Quote, exactly as in the transcript", key=state.QUOTE)
        st.button("Code the quote", key="code_quote", on_click=_code_quote, args=(doc.id, code),
                  disabled=bool(problem) or code is None)
    st.button("Undo my last change", icon=":material/undo:", on_click=_undo, key="undo",
              disabled=bool(problem), shortcut="u")
    with st.expander("Memos on this document", icon=":material/sticky_note_2:"):
        for memo in project.memos.frame("document", doc.id).itertuples():
            st.html(f'<div class="th-head"><b>{views.esc(memo.author)}</b> '
                    f'{views.esc(memo.updated_at)}</div><div class="th-text">{views.esc(memo.body)}</div>')
        memo_key = f"memo-{doc.id}"
        st.text_area("New memo", key=memo_key, label_visibility="collapsed",
                     placeholder="a thought on this transcript")
        st.button("Save the memo", key="add_memo", on_click=_add_memo, args=(doc.id, memo_key),
                  disabled=bool(problem))
    with st.expander("Attach a recording", icon=":material/mic:"):
        media_key = f"media-{doc.id}"
        st.file_uploader("Audio or video of this interview", key=media_key,
                         type=["mp3", "m4a", "wav", "ogg", "mp4", "webm", "mov"])
        st.button("Attach", key="attach", on_click=_attach, args=(doc.id, media_key),
                  disabled=bool(problem))
    if mode == "calm" or not show_suggestions:
        st.stop()
    st.divider()
    st.markdown(f"**Suggestions on this page: {len(view.suggestions)}**")
    with st.container(height=700, border=False):
        for row in view.suggestions.itertuples():
            with st.container(border=True):
                st.html(views.suggestion_html(row))
                accept, reject = st.columns(2)
                card = (row.coding_id, row.version, row.label)
                accept.button("Accept", key=f"accept-{row.coding_id}", icon=":material/check:",
                              on_click=_decide, args=(project.review.accept, *card, "Accepted"),
                              disabled=bool(problem))
                reject.button("Reject", key=f"reject-{row.coding_id}", icon=":material/close:",
                              on_click=_decide, args=(project.review.reject, *card, "Rejected"),
                              disabled=bool(problem))
