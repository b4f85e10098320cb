"""Sign-in and roles in a real browser (``streamlit run`` in Debian's headless Chromium):
signed out sees nothing of the project; a viewer cannot decide; a coder decides as herself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.test_browser import CHROMIUM, CHROMIUM_ARGS, WAIT, _goto, _shot
from thematic import Project

PASSWORD = "correct horse battery"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium"),
]


@pytest.fixture
def team_server(app_project: Path, tmp_path: Path, cheap_hashing: None) -> Any:
    from tests.app.conftest import free_port
    from tests.smoke_app import serve_app

    with Project.open(app_project) as project:
        project.accounts.add("alice", "owner", PASSWORD, actor="alice")
        project.accounts.add("ana", "coder", PASSWORD, actor="alice")
        project.accounts.add("vic", "viewer", PASSWORD, actor="alice")
    with serve_app(app_project, free_port(), tmp_path / "streamlit.log") as base:
        yield base


def _sign_in(page: Any, base: str, name: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/review")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=WAIT)
    page.get_by_role("textbox", name="Username").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {name}", exact=False)).to_be_visible(timeout=WAIT)
    _goto(page, "Review")
    expect(page.get_by_text("4 of 4 suggestions", exact=False)).to_be_visible(timeout=WAIT)


def test_signed_out_sees_nothing_a_viewer_cannot_decide_a_coder_decides_as_herself(
        team_server: str, app_project: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            for path in ("", "/transcripts?doc=P05_alex_teams", "/review", "/export"):
                page.goto(f"{team_server}{path}")
                expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=WAIT)
                page.wait_for_timeout(800)
                body = page.inner_text("body")
                for secret in ("Listening", "camera", "Alex", "suggestions", "Who is coding"):
                    assert secret not in body, (path, secret)
            _shot(page, "signin")
            page.get_by_role("textbox", name="Username").fill("nobody")
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("wrong username or password")).to_be_visible(timeout=WAIT)

            viewer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            _sign_in(viewer, team_server, "vic")
            viewer.locator(".st-key-accept_current button").click()
            expect(viewer.get_by_text("a viewer cannot code or decide", exact=False)).to_be_visible(
                timeout=WAIT)
            _shot(viewer, "signin_viewer_refused")

            coder = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            _sign_in(coder, team_server, "ana")
            coder.locator(".st-key-accept_current button").click()
            expect(coder.get_by_text("3 of 3 suggestions", exact=False)).to_be_visible(timeout=WAIT)
        finally:
            browser.close()
    with Project.open(app_project) as project:
        decided = project.review.codings().query("status != 'suggested' and source == 'rule'")
        history = project.review.history(by="vic")
    assert decided["decided_by"].tolist() == ["ana"]
    assert history.empty  # the viewer changed nothing
