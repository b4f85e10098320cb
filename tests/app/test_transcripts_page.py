"""The transcript page in AppTest: stripes, calm mode, the chosen coding, its span and memo."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import coding_id, component_args, html, run_app, status
from thematic import Project, views


def test_stripes_by_default_then_calm_without_suggestions(app_project: Path,
                                                          monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana",
                 doc="P05_alex_teams")
    args = component_args(at)[0]
    assert {s["label"] for s in args["stripes"]} == {"Cameras on or off", "Virtual vs in-person"}
    assert {s["status"] for s in args["stripes"]} == {"suggested"}
    assert 'class="th-tag' not in html(at)
    assert any("Suggestions on this page: 2" in m.value for m in at.markdown)
    at.segmented_control(key=state.READER_MODE).set_value("calm").run()
    args = component_args(at)[0]
    assert args["stripes"] == [] and "<mark " not in args["html"]
    assert not any("Suggestions on this page" in m.value for m in at.markdown)
    at.segmented_control(key=state.READER_MODE).set_value("highlights").run()
    assert html(at).count('class="th-tag') == 2
    at.toggle(key=state.SHOW_SUGGESTIONS).set_value(False).run()
    assert "<mark " not in component_args(at)[0]["html"]


def test_a_chosen_coding_is_decided_and_its_span_set_by_selecting_text(
        app_project: Path, monkeypatch: MonkeyPatch) -> None:
    cid = coding_id(app_project, "virtual-vs-in-person")
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana",
                 doc="P05_alex_teams")
    at.session_state[state.CHOSEN_CODING] = cid
    at.run()
    card = [e.value for e in at.get("html") if "th-coding-card" in e.value]
    assert card and "Virtual vs in-person" in card[0] and "matched “Sorry, my camera" in card[0]
    assert at.button(key="chosen_span").disabled  # nothing selected yet
    doc = Project.open(app_project).documents.get("P05_alex_teams")
    start = doc.text.index("my camera's off")
    at.session_state[state.SELECTION] = views.Span(start, start + 15, "my camera's off")
    at.run()
    at.button(key="chosen_span").click().run()
    with Project.open(app_project) as p:
        row = p.review.codings().set_index("coding_id").loc[cid]
    assert (row["text"], row["status"], row["decided_by"]) == ("my camera's off", "accepted", "ana")
    assert "now spans" in at.success[0].value
    at.button(key="chosen_reject").click().run()
    assert status(app_project, cid) == "rejected"


@pytest.mark.slow
def test_a_memo_on_the_chosen_coding(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    cid = coding_id(app_project, "camera-use")
    at = run_app(app_project, monkeypatch, "app_pages/transcripts.py", coder="ana",
                 doc="P05_alex_teams")
    at.session_state[state.CHOSEN_CODING] = cid
    at.run()
    at.text_area(key=f"coding-memo-{cid}").input("Apologising for the camera: shame?").run()
    at.button(key="coding_memo_save").click().run()
    with Project.open(app_project) as p:
        memos = p.memos.frame("coding", cid)
    assert memos["body"].tolist() == ["Apologising for the camera: shame?"]
    at.button(key="chosen_accept").click().run()
    assert status(app_project, cid) == "accepted"
    at.button(key="chosen_close").click().run()
    assert at.session_state[state.CHOSEN_CODING] is None
