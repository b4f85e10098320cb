"""Reading, coding and searching in Debian's Chromium: the coding stripes name and choose their
coding, a mouse selection sets a coding's span, a phrase found on the Search page is coded.

Screenshots go where ``test_browser`` puts them (``build/screenshots/``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    WAIT,
    _choose_coder,
    _select_with_the_mouse,
    _shot,
)
from thematic import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


def test_stripes_choose_a_coding_whose_span_is_set_by_selecting_text(
        app_server: str, app_project: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{app_server}/transcripts?doc=P05_alex_teams")
            _choose_coder(page, "ana")
            frame = page.frame_locator("iframe").first
            stripes = frame.locator(".th-stripe")
            expect(stripes).to_have_count(2, timeout=WAIT)
            titles = sorted(stripes.nth(i).get_attribute("title") or "" for i in range(2))
            assert titles == ["Cameras on or off (suggested)", "Virtual vs in-person (suggested)"]
            virtual = frame.locator(".th-stripe[title^='Virtual']")
            virtual.hover()
            lit = frame.locator("mark.th-lit")  # the text of its coding lights up
            expect(lit).to_have_count(1, timeout=WAIT)
            assert lit.inner_text() == "Sorry, my camera's off"
            _shot(page, "20-stripes-hover")
            virtual.click()
            card = page.locator('[data-testid="th-coding-card"]')
            expect(card).to_contain_text("Virtual vs in-person", timeout=WAIT)
            _select_with_the_mouse(page, "my camera's off")
            set_span = page.get_by_role("button", name="Set its span to the selected text")
            expect(set_span).to_be_enabled(timeout=WAIT)
            set_span.click()
            expect(page.get_by_text("now spans", exact=False)).to_be_visible(timeout=WAIT)
            _shot(page, "21-span-set")
            with Project.open(app_project) as project:
                rows = project.review.codings(document="P05_alex_teams")
            row = rows[rows["code"] == "virtual-vs-in-person"].iloc[0]
            assert (row["text"], row["status"], row["decided_by"]) == (
                "my camera's off", "accepted", "ana")
        finally:
            browser.close()


def test_search_a_phrase_and_code_a_hit(app_server: str, app_project: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{app_server}/search")
            _choose_coder(page, "ana")
            page.get_by_label("Words or a phrase").fill('"waiting list"')
            page.get_by_label("Words or a phrase").press("Enter")
            expect(page.get_by_text("2 segments in 2 documents", exact=False)).to_be_visible(
                timeout=WAIT)
            main = page.locator('[data-testid="stMain"]')
            main.locator('[data-testid="stSelectbox"]').first.click()
            page.keyboard.type("Reach and access")
            page.keyboard.press("Enter")
            page.get_by_text("words found", exact=True).click()
            page.locator(".st-key-code-0 button").click()
            expect(page.get_by_text("Coded 1 result", exact=False)).to_be_visible(timeout=WAIT)
            _shot(page, "22-search-coded")
            with Project.open(app_project) as project:
                coded = project.review.codings().query("source == 'manual'")
            assert coded[["code", "text", "coder"]].values.tolist() == [
                ["reach-and-access", "waiting list", "ana"]]
        finally:
            browser.close()
