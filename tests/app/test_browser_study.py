"""A whole study in Debian's Chromium, from an empty project in the projects folder: upload
transcripts and a participants file, load the codebook, run the suggestions from the app,
review with the keyboard, code a selection, write a memo, build a theme, export the theme
table, then reload and open a new tab: the same project, page and coder.

Screenshots go to ``build/screenshots/study-*.png`` (``$THEMATIC_SCREENSHOTS`` overrides).
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from pytest import MonkeyPatch

from tests.app.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    WAIT,
    _choose_coder,
    _goto,
    _select_with_the_mouse,
    _shot,
)
from thematic import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "transcripts_sample"
TRANSCRIPTS = ("P01_dana.txt", "P02_marcus.txt", "P10_kevin.txt")
QUOTE = "This building is a maze."
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium"),
]


def _participants(target: Path) -> Path:
    """The sample's participants file, cut to the three people whose transcripts we upload."""
    with (SAMPLES / "participants.csv").open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    keep = [r for r in rows if r["participant_id"] in {"P01", "P02", "P10"}]
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(keep)
    return target


def _settle(page) -> None:  # noqa: ANN001
    """Wait until the app's run is over (its "running" widget gone: no stale elements left)."""
    page.wait_for_timeout(500)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=WAIT)


def _query(page) -> dict[str, str]:  # noqa: ANN001
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_a_whole_study_from_an_empty_project(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.app.conftest import free_port
    from tests.smoke_app import serve_app

    folder = tmp_path / "projects"
    folder.mkdir()
    study = folder / "study.thematic"
    Project.create(study, name="Listening pilot").close()
    monkeypatch.setenv("THEMATIC_PROJECTS_DIR", str(folder))
    people = _participants(tmp_path / "participants.csv")
    dialogs: list[str] = []
    with serve_app(study, free_port(), tmp_path / "streamlit.log") as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{base}/project")
            expect(page.get_by_role("heading", name="Project").first).to_be_visible(timeout=WAIT)
            _choose_coder(page, "ana")

            # transcripts and the participants file, uploaded
            page.locator(".st-key-upload_transcripts input[type=file]").set_input_files(
                [str(SAMPLES / name) for name in TRANSCRIPTS])
            page.locator(".st-key-upload_participants input[type=file]").set_input_files(
                str(people))
            _settle(page)
            page.locator(".st-key-import button").click()
            expect(page.get_by_text("Imported: 3 added", exact=False).first).to_be_visible(
                timeout=WAIT * 2)
            # the codebook
            page.locator(".st-key-upload_codebook input[type=file]").set_input_files(
                str(ROOT / "codebooks" / "peer_listening.yaml"))
            _settle(page)
            page.get_by_role("button", name="Load the codebook").click()
            expect(page.get_by_text("added", exact=False).first).to_be_visible(timeout=WAIT)
            _shot(page, "study-01-project")
            with Project.open(study) as project:
                assert sorted(project.documents.frame()["name"]) == ["P01_dana", "P02_marcus",
                                                                    "P10_kevin"]
                assert len(project.participants.frame()) == 3
                assert project.codebook.current().codes

            # the suggestions, run from the Review page
            _goto(page, "Review")
            _settle(page)
            run = page.locator(".st-key-run_start button").first
            expect(run).to_be_visible(timeout=WAIT)
            page.get_by_text("TF-IDF (fast, no model)").first.click()
            _settle(page)
            _shot(page, "study-02-run-form")
            run.click()
            expect(page.get_by_text("They wait for a decision", exact=False)).to_be_visible(
                timeout=WAIT * 6)  # a loaded 2-core machine takes minutes
            _shot(page, "study-03-run-report")
            expect(page.get_by_text("This is the first run", exact=False)).to_be_visible()
            with Project.open(study) as project:
                suggested = len(project.review.codings(status="suggested"))
            assert suggested > 2
            expect(page.get_by_text(f"{suggested:,} of {suggested:,} suggestions",
                                    exact=False)).to_be_visible(timeout=WAIT)

            # review with the keyboard: accept one, reject the next
            page.locator("body").press("a")
            expect(page.get_by_text("Accepted 1 suggestion", exact=False)).to_be_visible(
                timeout=WAIT)
            page.locator("body").press("x")
            expect(page.get_by_text("Rejected 1 suggestion", exact=False)).to_be_visible(
                timeout=WAIT)
            _shot(page, "study-04-review")
            with Project.open(study) as project:
                decided = project.review.codings()
            assert sorted(decided.loc[decided["status"] != "suggested", "status"]) == [
                "accepted", "rejected"]

            # code a selection in a transcript, and write a memo on it
            _goto(page, "Transcripts")
            main = page.locator('[data-testid="stMain"]')
            main.locator('[data-testid="stSelectbox"]').first.click()
            page.keyboard.type("P01_dana")
            page.keyboard.press("Enter")
            _select_with_the_mouse(page, QUOTE)
            picker = page.locator(f".st-key-{'picked_code'}")
            picker.click()
            page.keyboard.type("Reach and access")
            page.keyboard.press("Enter")
            page.get_by_role("button", name="Code the selection").click()
            expect(page.get_by_text("Coded “", exact=False)).to_be_visible(timeout=WAIT)
            page.get_by_text("Memos on this document").click()
            page.locator(".st-key-memo-1 textarea, [class*='st-key-memo-'] textarea").first.fill(
                "Dana gets lost on the way in: access starts at the door.")
            page.get_by_role("button", name="Save the memo").first.click()
            expect(page.get_by_text("Memo saved", exact=False)).to_be_visible(timeout=WAIT)
            _shot(page, "study-05-transcript")
            with Project.open(study) as project:
                text = project.documents.get("P01_dana").text
                manual = project.review.codings(document="P01_dana").query("source == 'manual'")
                memos = project.memos.frame("document")
            start = text.index(QUOTE)
            assert manual[["code", "start", "end", "coder"]].values.tolist() == [
                ["reach-and-access", start, start + len(QUOTE), "ana"]]
            assert memos["body"].tolist() == [
                "Dana gets lost on the way in: access starts at the door."]

            # a theme of that code
            _goto(page, "Themes")
            page.locator(".st-key-th_new-name input").fill("Getting there")
            page.locator(".st-key-th_new-codes").click()
            page.keyboard.type("Reach and access")
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            page.locator(".st-key-th-add button").click()
            expect(page.get_by_text("Added the theme", exact=False)).to_be_visible(timeout=WAIT)
            _shot(page, "study-06-theme")

            # the theme table as a download
            _goto(page, "Export")
            page.locator(".st-key-ex_prepare-theme-table button").click()
            with page.expect_download(timeout=WAIT) as download:
                page.locator(".st-key-ex_dl-theme-table button").click()
            saved = download.value.path()
            assert saved is not None and Path(saved).stat().st_size > 100
            _shot(page, "study-07-export")

            # a reload, then a new tab on the same address: same project, page and coder
            assert _query(page) == {"project": "study.thematic", "coder": "ana"}
            address = page.url
            page.reload()
            expect(page.get_by_role("heading", name="Export").first).to_be_visible(timeout=WAIT)
            sidebar = page.locator('[data-testid="stSidebar"]')
            expect(sidebar.get_by_text("Coding as ana")).to_be_visible(timeout=WAIT)
            expect(sidebar.get_by_text("Listening pilot")).to_be_visible()
            _shot(page, "study-08-reloaded")
            other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            other.goto(address)
            expect(other.get_by_role("heading", name="Export").first).to_be_visible(timeout=WAIT)
            expect(other.locator('[data-testid="stSidebar"]').get_by_text("Coding as ana")
                   ).to_be_visible(timeout=WAIT)
        finally:
            browser.close()
    assert not dialogs, dialogs
