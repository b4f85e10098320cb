"""The app served by ``streamlit run``, driven in Debian's headless Chromium with Playwright.

Screenshots of every page go to ``build/screenshots/`` (``$THEMATIC_SCREENSHOTS`` overrides).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from thematic import Project

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("THEMATIC_SCREENSHOTS") or ROOT / "build" / "screenshots")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium"),
]
WAIT = 90_000  # ms: a shared 2-core CI machine renders slowly
QUOTE = "Hi Alex, can you hear me okay?"

# where a quote's first and last characters are drawn inside the transcript component
_RECT_OF = """(quote) => {
  for (const block of document.querySelectorAll('.th-text')) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let t;
    while ((t = walker.nextNode())) {
      const i = t.data.indexOf(quote);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(t, i); r.setEnd(t, i + quote.length);
      const rects = r.getClientRects(), f = rects[0], l = rects[rects.length - 1];
      return [f.left + 1, f.top + f.height / 2, l.right - 1, l.top + l.height / 2];
    }
  }
  return null;
}"""


def _shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    page.wait_for_timeout(600)  # let Streamlit finish drawing
    page.screenshot(path=target, full_page=True)
    return target


def _choose_coder(page: Any, name: str) -> None:
    from playwright.sync_api import expect

    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    box.click()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(f"Coding as {name}")).to_be_visible(
        timeout=WAIT)


def _goto(page: Any, title: str) -> None:
    """To a page through the sidebar (a reload would start a new session, without a coder)."""
    from playwright.sync_api import expect

    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=WAIT)


@contextmanager
def _served_page(project: Path, tmp_path: Path, path: str, heading: str) -> Iterator[Any]:
    """``streamlit run`` on ``project`` and one Chromium page at ``path``, its heading shown."""
    from playwright.sync_api import expect, sync_playwright

    from tests.app.conftest import free_port
    from tests.smoke_app import serve_app

    with serve_app(project, free_port(), tmp_path / "streamlit.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/{path}")
            expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=WAIT)
            yield page
        finally:
            browser.close()


def _select_with_the_mouse(page: Any, quote: str) -> None:
    """Press the mouse before the quote's first character and release it after its last."""
    from playwright.sync_api import expect

    frame = page.frame_locator("iframe").first
    target = frame.locator(".th-text", has_text=quote).first
    expect(target).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(500)  # the frame settles its height
    target.scroll_into_view_if_needed()
    frame_el = page.locator("iframe").first
    box = frame_el.bounding_box()
    handle = frame_el.element_handle().content_frame()
    x0, y0, x1, y1 = handle.evaluate(_RECT_OF, quote)
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    page.mouse.move(box["x"] + (x0 + x1) / 2, box["y"] + y1, steps=5)
    page.mouse.move(box["x"] + x1, box["y"] + y1, steps=5)
    page.mouse.up()


def test_main_flow_in_a_real_browser(app_server: str, app_project: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(app_server)
            expect(page.get_by_text("Survey responses", exact=True)).to_be_visible(timeout=WAIT)
            _choose_coder(page, "ana")
            _shot(page, "01-overview")

            # the transcript: a real mouse selection codes exactly the characters selected
            _goto(page, "Transcripts")
            main = page.locator('[data-testid="stMain"]')
            main.locator('[data-testid="stSelectbox"]').first.click()
            page.keyboard.type("P05_alex")
            page.keyboard.press("Enter")
            _select_with_the_mouse(page, QUOTE)
            expect(page.get_by_text("characters", exact=False).first).to_be_visible(timeout=WAIT)
            picker = main.locator('[data-testid="stSelectbox"]').nth(1)
            picker.click()
            page.keyboard.type("Feeling heard")
            page.keyboard.press("Enter")
            page.get_by_role("button", name="Code the selection").click()
            expect(page.get_by_text("Coded “", exact=False)).to_be_visible(timeout=WAIT)
            frame = page.frame_locator("iframe").first
            expect(frame.locator("mark[title*='Feeling heard (accepted)']")).to_be_visible(
                timeout=WAIT)
            _shot(page, "02-transcripts")
            with Project.open(app_project) as project:
                text = project.documents.get("P05_alex_teams").text
                manual = project.review.codings(document="P05_alex_teams").query("source == 'manual'")
            start = text.index(QUOTE)
            assert manual[["code", "start", "end", "coder"]].values.tolist() == [
                ["feeling-heard", start, start + len(QUOTE), "ana"]]

            # review: accept the first suggestion with the keyboard shortcut
            _goto(page, "Review")
            page.wait_for_timeout(3000)
            _shot(page, "03-review")
            expect(page.get_by_text("4 of 4 suggestions", exact=False).first).to_be_visible(timeout=WAIT)
            _shot(page, "03-review")
            page.locator("body").press("a")
            expect(page.get_by_text("Accepted 1 suggestion", exact=False)).to_be_visible(
                timeout=WAIT)
            expect(page.get_by_text("3 of 3 suggestions", exact=False)).to_be_visible()

            # a theme of the code just applied, on the thematic map
            _goto(page, "Themes")
            page.locator(".st-key-th_new-name input").fill("Being listened to")
            page.locator(".st-key-th_new-codes").click()
            page.keyboard.type("Feeling heard")
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            page.locator(".st-key-th-add button").click()
            expect(page.get_by_text("Undo with the Undo button", exact=False)).to_be_visible(
                timeout=WAIT)
            page.get_by_role("tab", name="Thematic map").click()
            expect(page.get_by_role("img").filter(has=page.locator("img")).or_(
                page.locator('[data-testid="stImage"] img')).first).to_be_visible(timeout=WAIT)
            _shot(page, "04-themes")

            # the theme table as a download
            _goto(page, "Export")
            page.locator(".st-key-ex_prepare-theme-table button").click()
            with page.expect_download(timeout=WAIT) as download:
                page.locator(".st-key-ex_dl-theme-table button").click()
            saved = download.value.path()
            assert saved is not None and Path(saved).stat().st_size > 100
            _shot(page, "05-export")

            for n, title in enumerate(["Codebook", "Project", "Documents", "Participants",
                                       "Topics", "Analysis"], start=6):
                _goto(page, title)
                _shot(page, f"{n:02d}-{title.lower()}")
            page.get_by_role("tab", name="Matrix").click()
            matrix = page.locator('[data-testid="stDataFrame"]:visible').first
            expect(matrix).to_be_visible(timeout=WAIT)
            _shot(page, "11-analysis-matrix")

            # markup in a transcript shows as text and runs nothing
            page.goto(f"{app_server}/transcripts?doc=P99_xss")
            frame = page.frame_locator("iframe").first
            expect(frame.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible(
                timeout=WAIT)
            expect(frame.get_by_text("<img src=x onerror=alert(2)>", exact=False)).to_be_visible()
            _shot(page, "12-markup-as-text")
        finally:
            browser.close()
    assert not dialogs, dialogs


def test_two_sessions_deciding_at_once_lose_no_decision(app_server: str,
                                                        app_project: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = []
            for coder, doc in (("ana", "P05_alex_teams"), ("ben", "P99_xss")):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto(f"{app_server}/transcripts?doc={doc}")
                expect(page.get_by_role("heading", name="Transcripts")).to_be_visible(timeout=WAIT)
                _choose_coder(page, coder)
                expect(page.get_by_role("button", name="Accept").first).to_be_enabled(timeout=WAIT)
                pages.append(page)
            # both clicks are in flight before either session hears back
            for page in pages:
                page.get_by_role("button", name="Accept").first.click(no_wait_after=True)
            for page in pages:
                expect(page.get_by_text("Accepted “", exact=False)).to_be_visible(timeout=WAIT)
        finally:
            browser.close()
    with Project.open(app_project) as project:
        rows = project.review.codings()
    accepted = rows[rows["status"] == "accepted"]
    assert sorted(accepted["decided_by"]) == ["ana", "ben"]
    assert sorted(accepted["document"]) == ["P05_alex_teams", "P99_xss"]


def test_two_independent_coders_deciding_the_same_suggestion_both_count(
        app_project: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.app.conftest import free_port
    from tests.smoke_app import serve_app

    with Project.open(app_project) as project:
        project.settings.set_review_mode("independent", actor="lead")
    with serve_app(app_project, free_port(), tmp_path / "streamlit.log") as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = []
            for coder in ("ana", "ben"):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto(f"{base}/review")
                expect(page.get_by_role("heading", name="Review")).to_be_visible(timeout=WAIT)
                _choose_coder(page, coder)
                expect(page.get_by_text("4 of 4 suggestions", exact=False).first).to_be_visible(
                    timeout=WAIT)
                pages.append(page)
            for page, key in zip(pages, ("accept_current", "reject_current"), strict=True):
                page.locator(f".st-key-{key} button").click(no_wait_after=True)
            for page in pages:
                expect(page.get_by_text("3 of 3 suggestions", exact=False)).to_be_visible(
                    timeout=WAIT)
        finally:
            browser.close()
    with Project.open(app_project) as project:
        decisions = project.review.decisions()
    assert sorted(zip(decisions["coder"], decisions["status"], strict=True)) == [
        ("ana", "accepted"), ("ben", "rejected")]
    assert decisions["coding_id"].nunique() == 1


def test_a_turns_passage_decided_at_once_in_a_real_browser(app_project: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from tests.app.conftest import suggest

    with Project.open(app_project) as project:  # a second camera-use sentence in the same turn
        first = suggest(project, "P05_alex_teams", "Yeah, I can hear you.", "camera-use", confidence=0.9)
        rows = project.review.codings()
    second = int(rows[(rows["code"] == "camera-use") & (rows["coding_id"] != first)]["coding_id"].iloc[0])
    accepted = int((rows["status"] == "accepted").sum())
    with _served_page(app_project, tmp_path, "review", "Review") as page:
        _choose_coder(page, "ana")
        expect(page.get_by_text("2 suggestions of Cameras on or off in this turn", exact=False)
               ).to_be_visible(timeout=WAIT)
        page.get_by_text("The 2 sentences").click()
        expect(page.locator(".th-passage li")).to_have_count(2, timeout=WAIT)
        page.locator(".st-key-accept_turn button").click()
        expect(page.get_by_text("Accepted 2 suggestions as ana", exact=False)).to_be_visible(
            timeout=WAIT)
        _shot(page, "14-review-passage")
    with Project.open(app_project) as project:
        status = project.review.codings().set_index("coding_id")["status"]
    assert status[[first, second]].tolist() == ["accepted", "accepted"]
    assert (status == "accepted").sum() == accepted + 2  # nothing else decided


def test_import_a_qdpx_project_by_upload(app_project: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    qdpx = tmp_path / "study.qdpx"
    with Project.open(app_project) as project:
        project.exchange.export_qdpx(qdpx)
    empty = tmp_path / "empty.thematic"
    Project.create(empty).close()
    with _served_page(empty, tmp_path, "project", "Project") as page:
        _choose_coder(page, "ana")
        page.locator(".st-key-upload_project input[type=file]").set_input_files(str(qdpx))
        page.get_by_role("button", name="Import the project").click()
        expect(page.get_by_text("Imported:", exact=False)).to_be_visible(timeout=WAIT * 2)
        _shot(page, "13-project-import")
    with Project.open(empty) as project:
        assert "P05_alex_teams" in set(project.documents.frame()["name"])
        assert len(project.codebook.current().codes) == 35


def test_topic_candidates_in_a_real_browser(topics_project: Path, tmp_path: Path) -> None:
    with _served_page(topics_project, tmp_path, "topics", "Topics") as page:
        page.wait_for_timeout(3000)
        _shot(page, "10-topics-candidates")
