"""Review: a bulk decision above 20 suggestions asks first and says what will change; the
answers of each control show beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest import MonkeyPatch

from app_pages import state
from tests.app.apptest_utils import run_app
from thematic import Project
from thematic.models import Suggestion


@pytest.fixture
def crowded(app_project: Path) -> Path:
    """The app's study with 30 more suggestions (of "relapse", in P01_dana): 34 in all."""
    with Project.open(app_project) as project:
        doc = project.documents.get("P01_dana")
        segments = project.documents.segments("sentence")
        mine = segments[segments["document_id"] == doc.id].head(30)
        store = project.store
        with store.unit("engine", "suggest") as uow:
            run = store.runs.start(uow, engine="rule", params={}, versions={},
                                  codebook_version_id=None, input_hash="x", seed=0)
            store.runs.add_suggestions(uow, run, [
                Suggestion(doc.id, int(r.start), int(r.end), "relapse", "rule", 0.6,
                           {"matched": [{"text": "x"}]}) for r in mine.itertuples()])
    return app_project


def _suggested(path: Path) -> int:
    with Project.open(path) as project:
        return len(project.review.codings(status="suggested"))


def test_accept_all_above_twenty_asks_first_and_says_what_changes(
        crowded: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(crowded, monkeypatch, "app_pages/review.py", coder="ana")
    assert at.button(key="bulk_accept").label == "Accept all 34 shown"
    at.button(key="bulk_accept").click().run()
    assert _suggested(crowded) == 34  # nothing decided yet
    question = at.warning[0].value.replace("\\", "")
    assert question.startswith("Accept 34 suggestions of 5 codes in 3 documents as **ana**?")
    assert "from suggested to accepted (Relapse 30" in question
    at.button(key="bulk_no").click().run()
    assert not at.warning and _suggested(crowded) == 34
    at.button(key="bulk_accept").click().run()
    at.button(key="bulk_yes").click().run()
    assert _suggested(crowded) == 0
    assert "Accepted 34 suggestions as ana" in at.success[0].value.replace("\\", "")
    at.button(key="undo").click().run()  # one undo takes the whole step back
    assert _suggested(crowded) == 34


def test_twenty_or_fewer_are_decided_at_once(crowded: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(crowded, monkeypatch, "app_pages/review.py", coder="ana")
    at.multiselect(key=state.REVIEW_CODES).set_value(["camera-use", "evil-name"]).run()
    at.button(key="bulk_reject").click().run()
    assert _suggested(crowded) == 32 and not at.warning
    assert "Rejected 2 suggestions" in at.success[0].value


def test_a_card_error_shows_beside_the_card(crowded: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(crowded, monkeypatch, "app_pages/review.py", coder="ana")
    current = at.button(key="accept_current")
    with Project.open(crowded) as project:  # someone else decides it meanwhile
        first = int(at.caption[[c.value.startswith("Suggestion 1 of") for c in at.caption].index(True)]
                    .value.rsplit(" ", 1)[1])
        project.review.reject([first], actor="bo")
    current.click().run()
    errors = [e for e in at.error]
    assert len(errors) == 1
    # the error is drawn just before the current card, not at the top of the page
    main = list(at.main)
    assert main.index(errors[0]) > main.index(at.button(key="bulk_accept"))
