"""Hostile inputs, class *markup*: text is data in every output format.

A theme, a definition, a quote, a code or a coder's name carrying Markdown (images, links,
autolinks, headings, tables, lists, HTML) reaches the ``.md`` exports and ``methods.md`` as
text: rendered with a GitHub-flavoured Markdown renderer, none of it becomes markup. LaTeX,
HTML and spreadsheet cells each have one escaper too.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from thematic import Project
from thematic.export import write_table
from thematic.export.tables_io import write_sheets
from thematic.models import Code, Codebook, Example
from thematic.text import html_escape, latex_escape, markdown_escape

pytestmark = [pytest.mark.filterwarnings("ignore"),
              pytest.mark.filterwarnings("error:Project.*is deprecated:DeprecationWarning")]

PAYLOADS = {
    "image": "![x](http://host/pixel.png)",
    "link": "[click](javascript:alert(1))",
    "autolink": "<http://evil.example/>",
    "bare-url": "see www.evil.example or http://evil.example/x",
    "email": "write to mallory@evil.example",
    "heading": "# Heading",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "html": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "list": "- item\n1. first",
    "emphasis": "**bold** _it_ `code` ~~gone~~",
    "reference": "[x]\n\n[x]: http://evil.example/",
    "entity": "&lt;b&gt; &#60;i&#62;",
}
#: Tags our own Markdown writes (headings, tables, paragraphs, emphasis of the note).
OURS = {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "br"}
RENDER = MarkdownIt("gfm-like")


def _tags(markdown: str) -> set[str]:
    return set(re.findall(r"<([a-z][a-z0-9]*)", RENDER.render(markdown)))


def _project(folder: Path, payload: str) -> Project:
    one_line = " ".join(payload.split())
    transcript = folder / "P01.txt"
    transcript.write_text(f"Interviewer: Tell me.\nP01: I said {one_line} to them.\n",
                          encoding="utf-8")
    project = Project.create(folder / "p.thematic")
    project.documents.ingest([transcript], actor="ana")
    codebook = Codebook(codes=[Code("c1", one_line, definition=payload,
                                    examples=(Example(payload),))],
                        name="cb", label="cb@1", content_hash="h")
    project.codebook.load(codebook, actor="ana")
    for coder in ("ana", one_line[:40]):
        project.review.code_span("P01", "c1", actor=coder, quote=f"I said {one_line}")
    project.review.accept(list(project.review.codings()["coding_id"]), actor="ana")
    project.themes.add(one_line, codes=["c1"], definition=payload, actor="ana")
    return project


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.slow
def test_markdown_exports_render_no_markup(payload: str, tmp_path: Path) -> None:
    with _project(tmp_path, payload) as project:
        coders = sorted(project.review.codings()["coder"].unique())
        project.exports.write("theme-table", tmp_path / "t.md", ner=None)
        project.exports.write("agreement", tmp_path / "a.md", coders=coders, ner=None, n_boot=5)
        project.exports.write("methods", tmp_path / "m.md", ner=None)
    for name in ("t.md", "a.md", "m.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert _tags(text) <= OURS, (name, _tags(text) - OURS)
        rendered = RENDER.render(text)
        assert "javascript:" not in rendered.split("href")[0] or "href" not in rendered
        assert "<img" not in rendered and "<a " not in rendered and "<script" not in rendered


def test_markdown_escape_keeps_every_character_visible() -> None:
    for payload in PAYLOADS.values():
        rendered = RENDER.render(markdown_escape(payload))
        shown = re.sub(r"<[^>]+>", "", rendered).strip()
        import html

        assert html.unescape(shown) == " ".join(payload.split())


def test_latex_escape_leaves_no_command() -> None:
    out = latex_escape(r"\input{/etc/passwd} $x^2$ 100% #1 a_b ~ & {}")
    assert "\\input" not in out.replace(r"\textbackslash{}input", "")
    assert out == (r"\textbackslash{}input\{/etc/passwd\} \$x\textasciicircum{}2\$ 100\% \#1 "
                   r"a\_b \textasciitilde{} \& \{\}")


def test_html_escape_covers_text_and_attributes() -> None:
    assert html_escape('<img src="x" onerror=\'alert(1)\'>&') == \
        "&lt;img src=&quot;x&quot; onerror=&#x27;alert(1)&#x27;&gt;&amp;"
    assert html_escape(None) == "" and html_escape("a\x00b") == "ab"


@pytest.mark.parametrize("writer", ["table", "sheets"])
def test_every_workbook_writer_keeps_formulas_as_text(writer: str, tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ['=HYPERLINK("http://evil/","x")', "bell\x07ring", "plain"]})
    path = tmp_path / "x.xlsx"
    if writer == "table":
        write_table(frame, path)
    else:
        write_sheets({"s": frame}, path)
    cells = [c for row in openpyxl.load_workbook(path).active.iter_rows(min_row=2) for c in row]
    assert [c.value for c in cells] == ['=HYPERLINK("http://evil/","x")', "bellring", "plain"]
    assert cells[0].data_type == "s" and cells[0].quotePrefix
