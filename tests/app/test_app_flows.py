"""The app's main flows in AppTest: import, code a selection, accept and reject, merge, undo."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import coding_id, html, run_app, status
from tests.app.conftest import suggest
from thematic import Project, views
from thematic.services import learning
from thematic.services.background import order_key

ROOT = Path(__file__).resolve().parents[2]


def test_import_a_folder_with_progress_and_settings(tmp_path: Path,
                                                    monkeypatch: MonkeyPatch) -> None:
    project = tmp_path / "new.thematic"
    Project.create(project).close()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "P01.txt").write_text("Interviewer: How was it?\n\nP01: It helped me a lot.\n")
    (folder / "P02.txt").write_text("Interviewer: And you?\n\nP02: I felt heard.\n")
    at = run_app(project, monkeypatch, "app_pages/project.py", coder="ana")
    at.text_input(key="import_folder").input(str(folder)).run()
    at.button(key="import").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Imported: 2 added")
    assert "2 documents" in at.sidebar.caption[0].value
    with Project.open(project) as p:
        assert sorted(p.documents.frame()["name"]) == ["P01", "P02"]
    # settings: approach and unit are stored
    at.radio(key="set_approach").set_value("coding-reliability")
    at.radio(key="set_unit").set_value("turn")
    submit = [b for b in at.button if b.label == "Save settings"][0]
    submit.click().run()
    with Project.open(project) as p:
        assert p.settings.current().approach == "coding-reliability"
        assert p.settings.current().unit == "turn"


def test_create_a_project_from_the_project_page(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(tmp_path / "missing.thematic", monkeypatch)
    target = tmp_path / "fresh.thematic"
    at.text_input(key="create_file").input("fresh")
    at.text_input(key="create_name").input("Fresh study")
    at.button(key="create_go").click().run()
    assert target.exists()
    assert at.session_state[state.PROJECT_PATH] == str(target.resolve())
    assert "Fresh study" in at.sidebar.html[0].value
    assert at.query_params[state.URL_PROJECT] == "fresh.thematic"


def _select(at, text: str, quote: str, kind: str = "selection") -> views.Span:  # noqa: ANN001
    start = text.index(quote)
    span = views.Span(start, start + len(quote), quote, kind)
    at.session_state[state.SELECTION] = span
    return span


def test_code_a_selection_with_exact_offsets_then_apply_the_last_code(
        app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana",
                 doc="P05_alex_teams")
    text = Project.open(app_project).documents.get("P05_alex_teams").text
    span = _select(at, text, "Hi Alex, can you hear me okay?")
    at.run()
    assert "characters" in html(at)
    at.selectbox(key=state.PICKED_CODE).select("feeling-heard").run()
    at.button(key="code_selection").click().run()
    assert not at.error, [e.value for e in at.error]
    with Project.open(app_project) as p:
        mine = p.review.codings(document="P05_alex_teams").query("source == 'manual'")
    assert mine[["code", "start", "end", "status", "coder"]].values.tolist() == [
        ["feeling-heard", span.start, span.end, "accepted", "ana"]]
    assert "Feeling heard (accepted)" in html(at)
    # "apply last code" codes the next selection with the same code
    second = _select(at, text, "I can turn it on if you need.")
    at.run()
    at.button(key="apply_last").click().run()
    with Project.open(app_project) as p:
        rows = p.review.codings(document="P05_alex_teams").query("source == 'manual'")
    assert sorted(rows["start"]) == sorted([span.start, second.start])


def test_code_a_pasted_quote_and_an_in_vivo_code(app_project: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ben",
                 doc="P05_alex_teams")
    at.selectbox(key=state.PICKED_CODE).select("camera-use").run()
    at.text_area(key=state.QUOTE).input("Sorry, my camera's off, is that okay?").run()
    at.button(key="code_quote").click().run()
    assert "Coded the quote" in at.success[0].value
    text = Project.open(app_project).documents.get("P05_alex_teams").text
    _select(at, text, "can you hear me okay")
    at.run()
    at.button(key="in_vivo").click().run()
    with Project.open(app_project) as p:
        assert p.codebook.current().by_id()["can-you-hear-me-okay"].name == "can you hear me okay"
        codes = set(p.review.codings(document="P05_alex_teams").query("coder == 'ben'")["code"])
    assert codes == {"camera-use", "can-you-hear-me-okay"}


def test_a_quote_not_in_the_transcript_says_so(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ben",
                 doc="P05_alex_teams")
    at.selectbox(key=state.PICKED_CODE).select("camera-use").run()
    at.text_area(key=state.QUOTE).input("words nobody said").run()
    at.button(key="code_quote").click().run()
    assert "not in the document" in at.error[0].value


def test_review_accept_reject_and_undo(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    assert "4 of 4 suggestions" in at.caption[0].value
    first = int(at.caption[1].value.split("coding ")[1])
    at.button(key="accept_current").click().run()
    assert status(app_project, first) == "accepted"
    assert "3 of 3 suggestions" in at.caption[0].value
    second = int(at.caption[1].value.split("coding ")[1])
    at.button(key="reject_current").click().run()
    assert status(app_project, second) == "rejected"
    at.button(key="undo").click().run()
    assert status(app_project, second) == "suggested"
    assert status(app_project, first) == "accepted"
    with Project.open(app_project) as p:
        assert p.review.codings().set_index("coding_id").loc[first, "decided_by"] == "ana"


def test_review_bulk_accepts_what_the_filter_shows(app_project: Path,
                                                   monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    at.multiselect(key=state.REVIEW_DOCS).select("P05_alex_teams").run()
    assert "2 of 4 suggestions" in at.caption[0].value
    at.button(key="bulk_accept").click().run()
    with Project.open(app_project) as p:
        rows = p.review.codings()
    decided = rows[rows["document"] == "P05_alex_teams"]["status"]
    assert set(decided) == {"accepted"}
    assert set(rows[rows["document"] == "P99_xss"]["status"]) == {"suggested"}


def test_review_recode_and_edit_span(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    cid = coding_id(app_project, "camera-use")
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    at.multiselect(key=state.REVIEW_CODES).select("camera-use").run()
    at.selectbox(key=f"recode-{cid}").select("feeling-heard").run()
    at.button(key=f"recode-{cid}-go").click().run()
    with Project.open(app_project) as p:
        row = p.review.codings().set_index("coding_id").loc[cid]
    assert (row["code"], row["status"]) == ("feeling-heard", "accepted")
    other = coding_id(app_project, "virtual-vs-in-person")
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    at.multiselect(key=state.REVIEW_CODES).select("virtual-vs-in-person").run()
    # the span is adjusted in the transcript: the suggestion is chosen there, on its page
    at.button(key=f"span-{other}").click().run()
    assert at.session_state[state.CHOSEN_CODING] == other
    assert at.session_state[state.DOCUMENT] == "P05_alex_teams"
    assert any("th-coding-card" in e.value for e in at.get("html"))
    with Project.open(app_project) as p:
        start = int(p.review.codings().set_index("coding_id").loc[other, "start"])
        text = p.documents.get("P05_alex_teams").text
    at.session_state[state.SELECTION] = views.Span(start, start + 5, text[start:start + 5])
    at.switch_page("app_pages/transcripts.py").run()  # where the browser now is
    at.button(key="chosen_span").click().run()
    with Project.open(app_project) as p:
        row = p.review.codings().set_index("coding_id").loc[other]
    assert (int(row["end"]), row["text"]) == (start + 5, "Sorry")


def test_codebook_merge_two_codes_and_undo(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/codebook.py", coder="ana")
    at.multiselect(key="merge_sources").select("camera-use").run()
    at.selectbox(key="merge_target").select("virtual-vs-in-person").run()
    at.button(key="merge").click().run()
    assert "Merged 1 code(s)" in at.success[0].value
    with Project.open(app_project) as p:
        assert "camera-use" not in p.codebook.current().by_id()
    at.button(key="undo").click().run()
    with Project.open(app_project) as p:
        assert "camera-use" in p.codebook.current().by_id()
        assert "camera-use" in set(p.review.codings()["code"])


def test_codebook_edit_locates_bad_rules_and_saves_good_fields(app_project: Path,
                                                               monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/codebook.py", coder="ana")
    at.selectbox(key=state.CODE_SELECTED).select("camera-use").run()
    rules = [t for t in at.text_area if t.label.startswith("Rules")][0]
    lines = rules.value.count("\n") + 1
    rules.input(rules.value + "\n- regex: '(unclosed'")
    [b for b in at.button if b.label == "Save the code"][0].click().run()
    shown = at.error[0].value.replace("\\", "")  # Markdown escapes
    assert f"rules, line {lines + 1}, column 10: invalid regular expression" in shown
    definition = [t for t in at.text_area if t.label == "Definition"][0]
    definition.input("Talk about cameras on or off in virtual groups.")
    rules = [t for t in at.text_area if t.label.startswith("Rules")][0]
    rules.input(rules.value.rsplit("\n", 1)[0])
    [b for b in at.button if b.label == "Save the code"][0].click().run()
    assert not at.error
    with Project.open(app_project) as p:
        code = p.codebook.current().by_id()["camera-use"]
    assert code.definition == "Talk about cameras on or off in virtual groups."
    assert code.rules  # kept


def test_codebook_add_move_delete_and_export(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/codebook.py", coder="ana")
    at.text_input[-2].input("Peer pressure")  # name, then id of the add form
    [b for b in at.button if b.label == "Add the code"][0].click().run()
    with Project.open(app_project) as p:
        assert p.codebook.current().by_id()["peer-pressure"].parent_id is None
    at.selectbox(key="move_code").select("peer-pressure").run()
    at.selectbox(key="move_parent").select("being-heard").run()
    at.button(key="move").click().run()
    with Project.open(app_project) as p:
        assert p.codebook.current().by_id()["peer-pressure"].parent_id == "being-heard"
    at.selectbox(key="delete_code").select("peer-pressure").run()
    at.checkbox(key="delete_sure").check().run()
    at.button(key="delete").click().run()
    with Project.open(app_project) as p:
        assert "peer-pressure" not in p.codebook.current().by_id()
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["YAML", "CSV", "REFI-QDA codebook (.qdc)"]


@pytest.mark.slow
def test_independent_review_each_coder_sees_and_keeps_their_own_decisions(
        app_project: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(app_project) as p:
        p.settings.set_review_mode("independent", actor="lead")
    ana = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    first = int(ana.caption[1].value.split("coding ")[1])
    ana.button(key="accept_current").click().run()
    assert "3 of 3 suggestions" in ana.caption[0].value  # ana's queue lost what she decided
    ben = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ben")
    assert "4 of 4 suggestions" in ben.caption[0].value  # ben does not see ana's decision
    assert int(ben.caption[1].value.split("coding ")[1]) == first
    ben.button(key="reject_current").click().run()
    with Project.open(app_project) as p:
        mine = p.review.decisions().query("coding_id == @first")
        assert sorted(zip(mine["coder"], mine["status"], strict=True)) == [
            ("ana", "accepted"), ("ben", "rejected")]
        assert p.review.codings().set_index("coding_id").loc[first, "status"] == "suggested"
    # in the transcript, ana sees her acceptance, not ben's rejection
    doc = Project.open(app_project).review.codings().set_index("coding_id").loc[first, "document"]
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana", doc=doc)
    assert "(accepted)" in html(at)


def test_mark_read_and_write_a_memo_beside_the_transcript(app_project: Path,
                                                          monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana",
                 doc="P05_alex_teams")
    doc_id = Project.open(app_project).documents.get("P05_alex_teams").id
    at.toggle(key=f"read-{doc_id}").set_value(True).run()
    with Project.open(app_project) as p:
        assert list(p.memos.read_marks("ana")["document"]) == ["P05_alex_teams"]
    at.text_area(key=f"memo-{doc_id}").input("Camera talk <b>everywhere</b>").run()
    at.button(key="add_memo").click().run()
    with Project.open(app_project) as p:
        memos = p.memos.frame("document", doc_id)
    assert list(memos["body"]) == ["Camera talk <b>everywhere</b>"]
    assert "Camera talk &lt;b&gt;everywhere&lt;/b&gt;" in html(at)


def test_a_recording_plays_from_the_turn_clicked(app_project: Path, tmp_path: Path,
                                                 monkeypatch: MonkeyPatch) -> None:
    import wave

    media = tmp_path / "alex.wav"
    with wave.open(str(media), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000 * 20)
    with Project.open(app_project) as p:
        p.memos.attach("P05_alex_teams", media, actor="ana")
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana",
                 doc="P05_alex_teams")
    assert 'data-time="6.100"' in html(at)  # the second turn starts at 0:00:06.1
    at.session_state[state.SEEK] = 6.1  # what a click on that time returns
    at.run()
    audio = at.get("audio")[0].proto
    assert audio.start_time == 6 and audio.autoplay


def test_review_puts_the_classifiers_most_informative_first(app_project: Path,
                                                            monkeypatch: MonkeyPatch) -> None:
    import pandas as pd

    with Project.open(app_project) as p:
        text = p.documents.get("P01_dana").text
        for sentence in text.split(".")[1:11]:
            quote = sentence.strip()
            if quote and text.count(quote) == 1:
                p.review.code_span("P01_dana", "feeling-heard", actor="ana", quote=quote)
        assert p.status()["codings"]["accepted"] >= 10, "the classifier needs 10 decisions"
        suggested = p.review.codings(status="suggested")
    least_sure = int(suggested["coding_id"].max())
    calls: list[int | None] = []
    learned = threading.Event()  # the classifier takes its time

    def review_queue(store: object, *, limit: int | None = 20, **_: object) -> pd.DataFrame:
        calls.append(limit)
        learned.wait(60)
        return pd.DataFrame({"coding_id": [least_sure]})

    def first_card(at) -> str:  # noqa: ANN001
        return next(c.value for c in at.caption if c.value.startswith("Suggestion 1 of"))

    monkeypatch.setattr(learning, "review_queue", review_queue)
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    # the classifier learns in the background: the first paint goes by confidence
    assert not first_card(at).endswith(f"coding {least_sure}")
    assert "learning from the decisions in the background" in at.caption[0].value
    learned.set()
    with Project.open(app_project) as p:
        state.jobs().get(order_key(p.store)).wait(60)
    at.run()
    assert calls == [200]
    assert first_card(at).endswith(f"coding {least_sure}")
    at.toggle(key=state.REVIEW_INFORMATIVE).set_value(False).run()
    assert not first_card(at).endswith(f"coding {least_sure}")  # back to confidence order


def test_review_decides_a_turns_passage_at_once(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    after = coding_id(app_project, "camera-use")  # "Sorry, my camera's off, is that okay?"
    with Project.open(app_project) as p:  # the sentence before it, in the same turn
        before = suggest(p, "P05_alex_teams", "Yeah, I can hear you.", "camera-use", confidence=0.9)
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    at.multiselect(key=state.REVIEW_CODES).select("camera-use").run()
    assert any("2 suggestions of Cameras on or off in this turn" in c.value for c in at.caption)
    listed = next(h.value for h in at.get("html") if "th-passage" in h.value)
    assert listed.index("Yeah, I can hear you.") < listed.index("Sorry, my camera&#x27;s off")
    at.button(key="accept_turn").click().run()
    assert not at.exception
    assert (status(app_project, before), status(app_project, after)) == ("accepted", "accepted")
    assert status(app_project, coding_id(app_project, "virtual-vs-in-person")) == "suggested"
    assert any("Accepted 2 suggestions as ana" in s.value for s in at.success)
    at = run_app(app_project, monkeypatch, "app_pages/review.py", coder="ana")
    at.multiselect(key=state.REVIEW_CODES).select("virtual-vs-in-person").run()
    assert not any("in this turn" in c.value for c in at.caption)  # one suggestion: no passage
    assert not [b for b in at.button if b.key == "accept_turn"]
