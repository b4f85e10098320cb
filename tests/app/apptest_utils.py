"""Helpers of the AppTest modules: run the app on a project, read what it drew."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from thematic import Project

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["app_pages/project.py", "app_pages/overview.py", "app_pages/documents.py",
         "app_pages/participants.py", "app_pages/transcripts.py", "app_pages/review.py",
         "app_pages/codebook.py", "app_pages/search.py", "app_pages/topics.py", "app_pages/themes.py",
         "app_pages/analysis.py", "app_pages/memos.py", "app_pages/export.py"]
TIMEOUT = 120


def run_app(project: Path, monkeypatch: MonkeyPatch, to: str | None = None, *,
            coder: str | None = None, **query: str) -> AppTest:
    """The app on ``project`` (as ``coder``, when given), run once, then switched to ``to``."""
    monkeypatch.setenv(state.PROJECT_ENV, str(project))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    if coder:
        at.session_state[state.CODER] = coder
    at.run()
    if to:
        at.switch_page(to).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, key: str, label: Any) -> AppTest:
    """Show the tab ``label`` of the keyed tabs ``key`` (what a click on it does; for a keyed
    expander, ``True`` opens it) and rerun."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def elements(at: AppTest) -> list[Any]:
    """Every element of the last run, in the main area and the sidebar."""
    out: list[Any] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            out.append(child)
            walk(child)

    walk(at._tree)
    return out


def component_args(at: AppTest) -> list[dict[str, Any]]:
    """The arguments of each custom component (the selectable transcript) drawn."""
    return [json.loads(e.proto.json_args) for e in elements(at)
            if getattr(e, "type", "") == "component_instance"]


def html(at: AppTest) -> str:
    """All HTML the run drew: st.html blocks and the selectable transcript's HTML."""
    parts = [e.value for e in elements(at) if getattr(e, "type", "") == "html"]
    parts += [a.get("html", "") for a in component_args(at)]
    return "\n".join(parts)


def markdown_texts(at: AppTest) -> list[str]:
    """Every string Streamlit renders as Markdown: text, captions, alerts, titles, widget labels."""
    out: list[str] = []
    for group in (at.markdown, at.caption, at.error, at.success, at.warning, at.info, at.title,
                  at.header, at.subheader, at.sidebar.markdown, at.sidebar.caption):
        out += [str(e.value) for e in group]
    for e in elements(at):
        label = getattr(e, "label", None)
        if isinstance(label, str):
            out.append(label)
    return out


def status(project: Path, coding_id: int) -> str:
    with Project.open(project) as p:
        return str(p.review.codings().set_index("coding_id").loc[coding_id, "status"])


def coding_id(project: Path, code: str) -> int:
    with Project.open(project) as p:
        rows = p.review.codings()
        return int(rows[rows["code"] == code]["coding_id"].iloc[0])
