"""Names are plain text: Markdown in a project, codebook or code name never renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from thematic import Project, views
from thematic.models import Code, Codebook, Example
from thematic.text import plain

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "![x](http://host/p.png)"
NAMES = [IMAGE, "[click](javascript:alert(1))", "**bold** _it_ `code`", ":red[alarm] :material/home:",
         "# heading", "<img src=x onerror=alert(1)>", "a\nb", "$x^2$", "~~gone~~ | cell |"]


@pytest.mark.parametrize("name", NAMES)
def test_plain_escapes_every_markdown_character(name: str) -> None:
    out = plain(name)
    unescaped = [ch for i, ch in enumerate(out) if not ch.isalnum() and ch not in " \\"
                 and (i == 0 or out[i - 1] != "\\")]
    assert unescaped == []
    assert "\n" not in out
    assert out.replace("\\", "") == name.replace("\n", " ").replace("\\", "")


def test_views_escape_codebook_and_code_names() -> None:
    book = Codebook([Code("img", IMAGE, definition="d", examples=(Example("e"),))], name=IMAGE)
    nodes = views.codebook_tree(book, _no_codings())
    assert views.code_group_label(nodes[0], nodes).startswith(plain(IMAGE) + " — ")
    lines = views.status_lines({"documents": 0, "participants": 0, "turns": 0, "words": 0,
                                "unit": "turn", "codes": 1, "codebook": IMAGE, "codings": {}})
    assert IMAGE not in " ".join(lines) and plain(IMAGE) in lines[2]


def _no_codings():  # noqa: ANN202
    import pandas as pd

    return pd.DataFrame(columns=["code", "status"])


def _markdown_bodies(at: AppTest) -> list[str]:
    bodies: list[str] = []
    for kind in ("title", "caption", "markdown", "expander", "button", "error", "info"):
        for element in getattr(at, kind, []):
            bodies.append(str(getattr(element, "value", None) or getattr(element, "label", "")))
        for element in getattr(at.sidebar, kind, []):
            bodies.append(str(getattr(element, "value", None) or getattr(element, "label", "")))
    return bodies


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/codebook.py"])
def test_the_app_shows_a_markdown_image_name_as_text(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                      page: str) -> None:
    path = tmp_path / "p.thematic"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "P01.txt").write_text("Interviewer: Hi?\nP01: It helped.\n", encoding="utf-8")
    with Project.create(path, name=IMAGE) as project:
        project.documents.ingest([folder], actor="ana")
        project.codebook.load(Codebook([Code("img", IMAGE, definition="An image name.",
                                             examples=(Example("It helped."),))], name="cb" + IMAGE), actor="ana")
    monkeypatch.setenv(state.PROJECT_ENV, str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    bodies = _markdown_bodies(at)
    assert any(plain(IMAGE) in b for b in bodies)  # the name is shown ...
    assert not [b for b in bodies if IMAGE in b]  # ... and never as live Markdown
