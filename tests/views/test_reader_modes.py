"""The reader's ways of showing codings: stripes, highlights with one tag per code, calm."""

from __future__ import annotations

import re

from tests.app.conftest import suggest
from thematic import Project, views
from thematic.views import Highlight


def _h(start: int, end: int, cid: int, code: str, status: str = "suggested") -> Highlight:
    return Highlight(start, end, cid, code, code.capitalize(), status, "#1f77b4")


def _tags(html: str) -> list[str]:
    return re.findall(r'<span class="th-tag[^"]*"[^>]*>([^<]*)</span>', html)


def test_each_code_is_tagged_once_per_stretch() -> None:
    text = "I nearly used again. I called my sponsor."
    # an accepted coding and a suggestion of the same code on the same words, and a later one
    spans = [_h(0, 19, 1, "relapse", "accepted"), _h(0, 19, 2, "relapse"),
             _h(2, 19, 3, "relapse"), _h(21, 41, 4, "support")]
    out = views.highlight_html(text, spans)
    assert _tags(out) == ["Relapse", "Support"]
    assert 'title="Relapse (accepted, suggested)"' in out
    assert "Relapse · Relapse" not in out and "th-tag-accepted" in out
    # two stretches of one code apart from each other keep a tag each
    apart = views.highlight_html(text, [_h(0, 8, 1, "relapse"), _h(21, 30, 2, "relapse")])
    assert _tags(apart) == ["Relapse", "Relapse"]


def test_stripes_mode_keeps_the_text_plain_and_marks_for_the_margin() -> None:
    out = views.highlight_html("I felt heard.", [_h(2, 12, 1, "heard")], colored=False, tags=False)
    assert _tags(out) == []
    assert 'class="th-mark th-suggested th-quiet" data-codings="1"' in out
    assert "background: transparent" in out


def test_reader_modes_on_a_real_transcript(app_project) -> None:  # noqa: ANN001
    with Project.open(app_project) as project:
        accepted = suggest(project, "P05_alex_teams", "Hi Alex, can you hear me okay?",
                           "feeling-heard")
        project.review.accept([accepted], actor="ana")
        stripes = views.reader_page(project, "P05_alex_teams", mode="stripes")
        ids = {s.coding_id for s in stripes.stripes}
        assert accepted in ids and len(ids) == 3
        assert len({s.column for s in stripes.stripes}) == 3  # camera-use, virtual..., heard
        assert _tags(stripes.html) == [] and "th-legend" in stripes.html
        assert 'class="th-legend-item"' in stripes.html
        assert len(stripes.suggestions) == 2

        hidden = views.reader_page(project, "P05_alex_teams", mode="stripes", suggestions=False)
        assert [s.coding_id for s in hidden.stripes] == [accepted] and hidden.suggestions.empty

        calm = views.reader_page(project, "P05_alex_teams", mode="calm")
        assert calm.stripes == () and calm.suggestions.empty
        assert _tags(calm.html) == ["Feeling heard"]
        assert calm.html.count("<mark ") == 1

        lit = views.reader_page(project, "P05_alex_teams", mode="highlights")
        assert sorted(_tags(lit.html)) == sorted(
            ["Cameras on or off", "Virtual vs in-person", "Feeling heard"])


def test_the_chosen_coding_card_says_why_in_the_engines_words(app_project) -> None:  # noqa: ANN001
    with Project.open(app_project) as project:
        cid = suggest(project, "P05_alex_teams", "Hi Alex", "camera-use", confidence=0.56)
        card = views.coding_card(project.review.codings(), cid, project.codebook.current())
    assert card is not None and card.status == "suggested" and card.text == "Hi Alex"
    html = views.coding_card_html(card)
    assert "Cameras on or off</span> <span class=\"th-card-pill th-suggested\">" in html
    assert "rule · confidence 0.56 · characters" in html
    assert "<li>matched “Hi Alex” (rule camera-use/r1)</li>" in html
    assert views.coding_card(project.review.codings(), 10**6, project.codebook.current()) is None


def test_a_suggestion_card_separates_name_and_figures() -> None:
    import pandas as pd

    row = next(pd.DataFrame([{"label": "Belonging and connection", "confidence": 0.56,
                              "speaker": "Dana", "time": "", "text": "<b>we</b>",
                              "source": "semantic", "evidence": "",
                              "reasons": ("codebook words: wait, list",)}]).itertuples())
    html = views.suggestion_html(row)
    text = re.sub(r"<[^>]+>", "", html)
    assert "Belonging and connection suggested" in text and "semantic · confidence 0.56 · Dana" in text
    assert "&lt;b&gt;we&lt;/b&gt;" in html and "<li>codebook words: wait, list</li>" in html


def test_page_of_an_offset(app_project) -> None:  # noqa: ANN001
    with Project.open(app_project) as project:
        turns = project.documents.turns("P05_alex_teams")
    assert views.page_of(turns, 0) == 1
    assert views.page_of(turns, turns[25].start) == 2
    assert views.page_of(turns, turns[-1].end + 10) == views.page_count(len(turns))
