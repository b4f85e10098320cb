"""thematic.views: what the app shows, tested on the sample study without a browser."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from thematic import Project, views
from thematic.models import Rule, Suggestion
from thematic.views import Highlight


def _h(start: int, end: int, cid: int, label: str = "Code", status: str = "suggested",
       color: str = "#1f77b4") -> Highlight:
    return Highlight(start, end, cid, label.lower(), label, status, color)


def _suggest(project: Project, document: str, quote: str, code: str, *, occurrence: int = 1) -> int:
    doc = project.documents.get(document)
    start = -1
    for _ in range(occurrence):
        start = doc.text.index(quote, start + 1)
    with project.store.unit("engine", "suggest") as uow:
        run = project.store.runs.start(uow, engine="rule", params={}, versions={},
                                      codebook_version_id=None, input_hash="x", seed=0)
        project.store.runs.add_suggestions(uow, run, [Suggestion(
            doc.id, start, start + len(quote), code, "rule", 0.8,
            {"rules": [f"{code}/r1"], "matched": [{"text": quote}], "excluded_by": []})])
    rows = project.review.codings()
    return int(rows[(rows["start"] == start) & (rows["code"] == code)]["coding_id"].iloc[0])


# --------------------------------------------------------------------------- formats
@pytest.mark.parametrize(("seconds", "expected"), [
    (0, "0:00:00"), (2.0, "0:00:02"), (59.99, "0:00:59"), (61, "0:01:01"), (3725.4, "1:02:05"),
    (36000, "10:00:00"), (None, ""), (float("nan"), ""),
])
def test_format_time(seconds: float | None, expected: str) -> None:
    assert views.format_time(seconds) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (2.0, 4.8, "0:00:02–0:00:04"), (2.0, None, "0:00:02"), (None, 4.0, "0:00:04"),
    (None, None, ""),
    (2.1, 2.9, "0:00:02"),
])
def test_time_range(start: float | None, end: float | None, expected: str) -> None:
    assert views.time_range(start, end) == expected


@pytest.mark.parametrize(("role", "badge"), [
    ("interviewer", "interviewer"), ("moderator", "interviewer"), ("participant", "participant"),
    ("observer", "observer"), (None, "unknown role"),
])
def test_role_badge(role: str | None, badge: str) -> None:
    assert views.role_badge(role) == badge


@pytest.mark.parametrize(("n", "pages"), [(0, 1), (1, 1), (25, 1), (26, 2), (81, 4)])
def test_page_count(n: int, pages: int) -> None:
    assert views.page_count(n) == pages


def test_evidence_is_rendered_by_the_engine_that_made_it() -> None:
    """The views guess nothing from the evidence's keys: each engine renders its own, and a
    combined suggestion each of its parts."""
    from thematic.suggest.registry import evidence_lines

    rule = {"rules": ["a/r1"], "matched": [{"text": "six people"}, {"text": "six people"}]}
    semantic = {"score": 2.1, "threshold": 1.5, "codebook_words": ["six", "people"]}
    assert views.evidence_text("rule", rule) == "; ".join(evidence_lines("rule", rule))
    assert views.evidence_text("rule", rule) == "matched \u201csix people\u201d (rule a/r1)"
    text = views.evidence_text("semantic", semantic)
    assert "similarity" not in text and "codebook words: six, people" in text
    combined = views.evidence_text("combined", {"rule": rule, "semantic": semantic})
    assert combined.startswith("rules: matched") and "semantic: close to" in combined
    assert views.evidence_text("rule", None) == "" and views.evidence_text("manual", {}) == ""


def test_code_colors_keep_valid_colours_and_refuse_css() -> None:
    from thematic.models import Code, Codebook

    book = Codebook([Code("a", "A", color="#123456"), Code("b", "B", color="red;background:url(x)"),
                     Code("c", "C")])
    colors = views.code_colors(book)
    assert colors["a"] == "#123456"
    assert colors["b"] in views.PALETTE and colors["c"] in views.PALETTE


def test_coder_problem() -> None:
    assert views.coder_problem("ana") is None
    assert "who is coding" in views.coder_problem("  ")
    assert "who is coding" in views.coder_problem(None)


# --------------------------------------------------------------------------- highlighting
def test_escaping_of_a_real_transcript_with_script(sample_project: Project) -> None:
    real = sample_project.documents.get("P01_dana").text[:300]
    text = real[:100] + "<script>alert(1)</script>" + real[100:]
    start = text.index("<script>")
    evil = _h(start, start + 25, 1, label='"><img src=x onerror=alert(1)>')
    out = views.highlight_html(text, [evil])
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in out
    assert 'title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; (suggested)"' in out
    assert views.highlight_html(text, []) == views.esc(text)


def test_overlapping_highlights_split_at_every_boundary() -> None:
    text = "I felt heard & I was not judged."
    a = _h(0, 14, 1, "Heard")          # "I felt heard &"
    b = _h(7, 31, 2, "Judged", color="#d62728")  # "heard & I was not judged"
    out = views.highlight_html(text, [b, a])
    marks = out.split("<mark ")[1:]
    assert len(marks) == 3
    assert 'data-codings="1"' in marks[0] and marks[0].endswith("I felt </mark>")
    assert 'data-codings="1 2"' in marks[1] and "heard &amp;</mark>" in marks[1]
    assert "linear-gradient" in marks[1]
    assert 'title="Heard (suggested) · Judged (suggested)"' in marks[1]
    assert 'data-codings="2"' in marks[2] and " I was not judged</mark>" in marks[2]
    assert out.endswith('</mark><span class="th-tag th-tag-suggested" data-skip="1" '
                        'style="border-left: 3px solid #d62728">Judged</span>.')
    # the text is all there, once, in order
    import re
    assert re.sub(r"<span class=\"th-tag[^\"]*\"[^>]*>[^<]*</span>|<[^>]+>", "", out) == views.esc(text)


def test_nested_and_identical_spans() -> None:
    text = "abcdefghij"
    spans = [_h(0, 10, 1, "Outer"), _h(3, 6, 2, "Inner"), _h(3, 6, 3, "Twin")]
    out = views.highlight_html(text, spans)
    assert out.count("<mark ") == 3
    middle = out.split("<mark ")[2]
    assert 'data-codings="1 2 3"' in middle and middle.split("</mark>")[0].endswith(">def")


def test_highlights_are_clipped_to_the_turn() -> None:
    out = views.highlight_html("hello world", [_h(95, 105, 1), _h(200, 300, 2)], offset=100)
    assert out.startswith("<mark ") and ">hello</mark>" in out and "data-codings=\"2\"" not in out


def test_accepted_marks_differ_from_suggested() -> None:
    out = views.highlight_html("abc", [_h(0, 3, 1, status="accepted")])
    assert 'class="th-mark th-accepted"' in out


@pytest.mark.parametrize(("color", "alpha"),
                         [("#1f77b4", "66"), ("#98df8a", "b3"), ("#efe1de", "ff")])
def test_mark_color_keeps_pale_codes_visible(color: str, alpha: str) -> None:
    assert views.mark_color(color) == color + alpha


# --------------------------------------------------------------------------- documents, people
def test_documents_table_tells_interviews_from_survey_responses(sample_project: Project) -> None:
    table = views.documents_table(sample_project)
    assert list(table.columns[:5]) == ["name", "kind", "format", "turns", "words"]
    interviews = table[table["kind"] == views.INTERVIEW]
    assert len(interviews) == 11 and all(interviews["name"].str.match(r"P\d\d_"))
    assert (table["kind"] == views.SURVEY).sum() == len(table) - 11
    assert len(views.filter_documents(table, [views.INTERVIEW])) == 11
    assert len(views.filter_documents(table, [])) == len(table)


def test_overview_counts(sample_project: Project) -> None:
    o = views.overview(sample_project)
    assert o.interviews == 11 and o.documents == o.interviews + o.survey_responses
    assert o.unit in ("turn", "sentence") and o.codebook_label == "no codebook loaded"
    assert (o.suggested, o.accepted, o.rejected) == (0, 0, 0)
    lines = views.status_lines(sample_project.status())
    assert lines[0].startswith(f"{o.documents} documents")


def test_participants_table_has_one_column_per_attribute(sample_project: Project) -> None:
    frame = views.participants_table(sample_project)
    assert not frame.columns.duplicated().any()
    assert list(frame.columns[:3]) == ["participant", "name", "role"]
    dana = frame.set_index("participant").loc["P01"]
    assert dana["name"] == "Dana Reyes" and dana["documents"] == "P01_dana"
    assert pd.api.types.is_numeric_dtype(frame["years_in_recovery"])


def test_filter_participants_by_category_number_and_date(sample_project: Project) -> None:
    frame = views.participants_table(sample_project)
    types = sample_project.participants.attribute_types()
    setting = views.attribute_filter(frame, types, "setting")
    assert setting.kind == "options" and "virtual" in setting.options
    virtual = views.filter_participants(frame, setting, ["virtual"])
    assert len(virtual) and set(virtual["setting"]) == {"virtual"}
    assert len(views.filter_participants(frame, setting, [])) == len(frame)

    years = views.attribute_filter(frame, types, "years_in_recovery")
    assert years.kind == "range" and years.low < years.high
    assert len(views.filter_participants(frame, years, (years.low, years.high))) == len(frame)
    veterans = views.filter_participants(frame, years, (10.0, years.high))
    assert len(veterans) and (veterans["years_in_recovery"] >= 10).all()

    dates = views.attribute_filter(frame, types, "interview_date")
    assert dates.kind == "range" and isinstance(dates.low, dt.date)
    one_day = views.filter_participants(frame, dates, (dt.date(2026, 2, 3), dt.date(2026, 2, 3)))
    assert list(one_day["participant"]) == ["P01"]


# --------------------------------------------------------------------------- reader
def test_reader_page_of_a_vtt_interview(sample_project: Project) -> None:
    view = views.reader_page(sample_project, "P05_alex_teams")
    assert (view.page, view.pages, view.total_turns) == (1, 4, 81)
    assert len(view.turns) == 25 and view.caption == "Turns 1–25 of 81 · page 1 of 4"
    first = view.turns[0]
    assert (first.speaker, first.badge) == ("Maya Ellison", "interviewer")
    assert first.time == "0:00:02–0:00:04" and first.text == "Hi Alex, can you hear me okay?"
    assert 'th-badge-interviewer">interviewer</span>' in first.html
    assert 'data-time="2.000">0:00:02–0:00:04</span>' in first.html
    assert view.turns[1].badge == "participant"
    last = views.reader_page(sample_project, "P05_alex_teams", page=99)
    assert last.page == 4 and len(last.turns) == 6 and last.turns[-1].idx == 80


def test_reader_page_without_timestamps(sample_project: Project) -> None:
    view = views.reader_page(sample_project, "P01_dana", page=0)
    assert view.page == 1 and all(t.time == "" for t in view.turns)
    assert "th-time" not in view.turns[0].html


def test_reader_page_highlights_and_lists_suggestions_in_view(sample_project: Project,
                                                              small_codebook) -> None:
    sample_project.codebook.load(small_codebook, actor="ana")
    on_page = _suggest(sample_project, "P05_alex_teams", "can you hear me okay?", "heard")
    overlap = _suggest(sample_project, "P05_alex_teams", "Hi Alex, can you", "support")
    later = _suggest(sample_project, "P05_alex_teams", "it's my wifi", "stigma")
    sample_project.review.accept([overlap], actor="ana")

    view = views.reader_page(sample_project, "P05_alex_teams")
    # neither the accepted one nor the one on page 2 is listed
    assert list(view.suggestions["coding_id"]) == [on_page]
    row = view.suggestions.iloc[0]
    assert (row["label"], row["speaker"]) == ("Feeling heard", "Maya Ellison")
    assert row["time"] == "0:00:02"
    assert row["evidence"] == "matched “can you hear me okay?” (rule heard/r1)"
    assert row["reasons"] == ("matched “can you hear me okay?” (rule heard/r1)",)
    html = view.turns[0].html
    assert 'title="Support (accepted) · Feeling heard (suggested)"' in html
    assert html.count("<mark ") == 3

    page2 = views.reader_page(sample_project, "P05_alex_teams", 2)
    assert list(page2.suggestions["coding_id"]) == [later]
    card = views.suggestion_html(next(page2.suggestions.itertuples()))
    assert "Stigma" in card and "0.80" in card

    sample_project.review.reject([on_page], actor="ana")
    again = views.reader_page(sample_project, "P05_alex_teams")
    assert again.suggestions.empty and 'data-codings="' + str(on_page) not in again.turns[0].html


# --------------------------------------------------------------------------- codebook
def test_codebook_tree_orders_children_after_parents_and_counts(sample_project: Project,
                                                                small_codebook) -> None:
    sample_project.codebook.load(small_codebook, actor="ana")
    a = _suggest(sample_project, "P01_dana", "Dana", "heard")
    _suggest(sample_project, "P01_dana", "Dana", "stigma", occurrence=2)
    sample_project.review.accept([a], actor="ana")
    nodes = views.codebook_tree(sample_project.codebook.current(), sample_project.review.codings())
    assert [(n.code.id, n.depth) for n in nodes] == [("support", 0), ("heard", 1), ("stigma", 0)]
    assert nodes[1].path == "Support / Feeling heard"
    assert nodes[1].counts == {"suggested": 0, "accepted": 1, "rejected": 0}
    assert nodes[2].counts["suggested"] == 1
    assert views.subtree(nodes[0], nodes) == nodes[:2]
    label = views.code_group_label(nodes[0], nodes)
    assert label == "Support — 1 subcode · 0 suggested · 1 accepted"
    table = views.codebook_table(nodes)
    assert list(table["code"]) == ["Support", "\u2003Feeling heard", "Stigma"]
    card = views.code_html(nodes[1])
    assert "The participant describes being listened to" in card
    assert "keywords: really listened, felt heard, listened to me" in card
    assert "She really listened to me." in card


@pytest.mark.slow
def test_codebook_tree_of_an_empty_project(project: Project) -> None:
    assert views.codebook_tree(project.codebook.current(), project.review.codings()) == []


def test_code_html_escapes_codebook_text() -> None:
    from thematic.models import Code, Codebook

    book = Codebook([Code("x", "<i>X</i>", definition="a < b & <script>", color="#ffffff")])
    card = views.code_html(views.codebook_tree(book, pd.DataFrame())[0])
    assert "&lt;i&gt;X&lt;/i&gt;" in card and "a &lt; b &amp; &lt;script&gt;" in card
    assert "<script>" not in card


def test_rule_text() -> None:
    rule = Rule("r", "regex", r"\bgroup\b", exclude=True, roles=("participant",))
    assert views.rule_text(rule) == \
        r"regex: \bgroup\b (excludes; roles participant)"


def test_topic_cards_show_the_tree_of_candidates():
    import pandas as pd

    from thematic.views import topics_view as tv

    frame = pd.DataFrame([
        {"topic_id": 1, "label": "camera", "keywords": ["camera"], "size": 5, "participants": 2,
         "stability": 0.8, "stable": True, "nearest": [], "quotes": [], "status": "candidate",
         "parent": 3},
        {"topic_id": 2, "label": "rooms", "keywords": ["room"], "size": 4, "participants": 2,
         "stability": 0.7, "stable": True, "nearest": [], "quotes": [], "status": "candidate",
         "parent": 3},
        {"topic_id": 3, "label": "video", "keywords": ["video"], "size": 9, "participants": 3,
         "stability": 0.6, "stable": True, "nearest": [], "quotes": [], "status": "candidate",
         "parent": float("nan")},
    ])
    cards = {c.topic_id: c for c in tv.topic_cards(frame)}
    assert cards[3].children == (1, 2) and cards[3].parent is None
    assert cards[1].parent == 3 and cards[1].children == ()
    assert "joins topics 1, 2" in tv.topic_card_html(cards[3])
    assert "part of topic 3" in tv.topic_card_html(cards[1])


def test_the_topics_pages_parent_choices_are_the_modelers_parent_levels():
    from thematic.suggest.topics import PARENT_LEVELS
    from thematic.views import topics_view as tv

    assert tuple(tv.PARENT_CHOICES) == PARENT_LEVELS
    assert all(label.strip() for label in tv.PARENT_CHOICES.values())
