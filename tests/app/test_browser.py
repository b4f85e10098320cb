"""The app served by ``streamlit run``, driven in Debian's headless Chromium with Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium"),
]
WAIT = 30_000  # ms


def test_reader_in_a_real_browser(app_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(app_server)
            expect(page.get_by_text("Survey responses", exact=True)).to_be_visible(timeout=WAIT)
            page.screenshot(path=tmp_path / "overview.png")

            # to the reader through the sidebar; the first document opens
            page.locator('[data-testid="stSidebarNav"] a', has_text="Transcript reader").click()
            expect(page.get_by_role("heading", name="Transcript reader")).to_be_visible(
                timeout=WAIT)
            expect(page.get_by_text("Thanks for making time, Dana.")).to_be_visible(timeout=WAIT)

            # another document, with timestamps
            page.locator('[data-testid="stSelectbox"]').first.click()
            page.keyboard.type("P05_alex")
            page.keyboard.press("Enter")
            expect(page.get_by_text("Hi Alex, can you hear me okay?")).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("0:00:02–0:00:04")).to_be_visible()
            expect(page.locator("mark[title*='Cameras on or off']").first).to_be_visible()
            expect(page.get_by_role("button", name="Accept").first).to_be_visible()
            page.screenshot(path=tmp_path / "reader.png", full_page=True)

            # accept a suggestion as a named coder
            coder = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input')
            coder.fill("ana")
            coder.press("Enter")
            page.get_by_role("button", name="Accept").first.click()
            expect(page.get_by_text("Accepted “")).to_be_visible(timeout=WAIT)
            expect(page.locator("mark.th-accepted").first).to_be_visible()

            # a transcript holding markup shows it as text and runs nothing
            page.goto(f"{app_server}/reader?doc=P99_xss")
            turn = page.locator(".th-turn", has_text="P99")
            markup = turn.get_by_text("<script>alert(1)</script>", exact=False)
            expect(markup).to_be_visible(timeout=WAIT)
            expect(turn.get_by_text("& <b>bold</b>", exact=False)).to_be_visible()
            page.screenshot(path=tmp_path / "xss.png")
        finally:
            browser.close()
    assert not dialogs
    assert (tmp_path / "reader.png").stat().st_size > 10_000
