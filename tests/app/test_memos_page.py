"""The Memos page in AppTest: every memo listed with its target, searched, opened, edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import coding_id, run_app
from thematic import Project

PAGE = "app_pages/memos.py"


def _memos(at) -> list[str]:  # noqa: ANN001
    return [e.value for e in at.get("html") if 'data-testid="th-memo"' in e.value]


def _write(project: Path) -> dict[str, int]:
    cid = coding_id(project, "camera-use")
    with Project.open(project) as p:
        p.themes.add("Being seen", codes=["camera-use"], actor="ana")
        theme_id = int(p.themes.frame().set_index("name").loc["Being seen", "theme_id"])
        doc = p.documents.get("P05_alex_teams").id
        return {
            "project": p.memos.add("Recruit two more coaches", actor="ana", title="Plan"),
            "document": p.memos.add("Alex apologises a lot", actor="ana", target="document",
                                   target_id=doc),
            "code": p.memos.add("Cameras: privacy or shame?", actor="ben", target="code",
                               target_id="camera-use"),
            "theme": p.memos.add("Seen and heard", actor="ana", target="theme",
                                target_id=theme_id),
            "coding": p.memos.add("<b>not</b> about tech", actor="ana", target="coding",
                                 target_id=cid),
        }


def test_every_memo_is_listed_with_its_target_and_searched(app_project: Path,
                                                           monkeypatch: MonkeyPatch) -> None:
    _write(app_project)
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    memos = _memos(at)
    assert len(memos) == 5 and "5 of 5 memos" in at.caption[0].value
    joined = "\n".join(memos)
    for about in ("the project", "P05_alex_teams", "Cameras on or off", "Being seen",
                  "coding "):
        assert f"<b>{about}" in joined
    assert "&lt;b&gt;not&lt;/b&gt; about tech" in joined and "<b>not</b>" not in joined
    at.text_input(key=state.MEMO_FILTER).input("CAMERA").run()
    assert len(_memos(at)) == 2  # the code memo, and the coding memo through its target's name
    at.text_input(key=state.MEMO_FILTER).input("").run()
    at.multiselect(key=state.MEMO_KINDS).select("theme").run()
    assert len(_memos(at)) == 1 and "Seen and heard" in _memos(at)[0]


@pytest.mark.slow
def test_a_memo_opens_its_target(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    ids = _write(app_project)
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.button(key=f"mm-open-{ids['coding']}").click().run()
    assert at.session_state[state.DOCUMENT] == "P05_alex_teams"
    assert at.session_state[state.CHOSEN_CODING] == coding_id(app_project, "camera-use")
    assert any("th-coding-card" in e.value for e in at.get("html"))
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.button(key=f"mm-open-{ids['code']}").click().run()
    assert at.session_state[state.CODE_SELECTED] == "camera-use"
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.button(key=f"mm-open-{ids['theme']}").click().run()
    assert at.session_state[state.THEME] == "Being seen"


def test_write_edit_delete_and_undo(app_project: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(app_project, monkeypatch, PAGE, coder="ana")
    at.selectbox(key="mm_new_kind").select("code").run()
    at.selectbox(key="mm_new_target").select("relapse")
    at.text_input(key="mm_new_title").input("Slips")
    at.text_area(key="mm_new_body").input("Slips are described as learning.")
    at.button(key="mm_add").click().run()
    with Project.open(app_project) as p:
        memo = p.memos.frame("code", "relapse").iloc[0]
    assert (memo["title"], memo["author"]) == ("Slips", "ana")
    memo_id = int(memo["memo_id"])
    at.text_area(key=f"mm-body-{memo_id}").input("Slips are told as lessons.")
    at.button(key=f"mm-save-{memo_id}").click().run()
    with Project.open(app_project) as p:
        assert p.memos.frame("code", "relapse")["body"].tolist() == ["Slips are told as lessons."]
    at.button(key=f"mm-delete-{memo_id}").click().run()
    assert _memos(at) == []
    at.button(key="mm_undo").click().run()
    assert len(_memos(at)) == 1
