"""The theme table: built from the shared frames, then every format read back."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from thematic.errors import ParameterError
from thematic.export import build_theme_table, export
from thematic.export.theme_table import LONG_COLUMNS, NO_CODINGS
from thematic.export.theme_table_io import theme_table_latex, theme_table_markdown
from thematic.pseudonymise import PseudonymEntry, Pseudonymiser
from thematic.text import markdown_escape


@pytest.fixture
def table(themes, theme_codes, codings, participants):
    return build_theme_table(themes, theme_codes, codings, participants, quotes=3,
                             attributes=["role"])


def _row(table, name):
    rows = table.rows
    return rows[(rows["subtheme"] == name) | ((rows["theme"] == name) & (rows["subtheme"] == ""))].iloc[0]


def test_counts_use_accepted_codings_only(table):
    heard = _row(table, "Being heard")
    assert (heard["participants_n"], heard["participants_pct"], heard["codings_n"]) == (2, 50.0, 2)
    texts = " ".join(q.text for q in heard["quotes"])
    assert "rejected suggestion" not in texts and "undecided suggestion" not in texts


def test_theme_counts_include_subthemes(table):
    top = _row(table, "Connection")
    assert top["level"] == "theme" and top["participants_n"] == 3 and top["participants_pct"] == 75.0


def test_theme_without_codings_says_so(table, tmp_path):
    empty = _row(table, "Cost & access")
    assert empty["participants_n"] == 0 and empty["quotes"] == []
    export("theme-table", table, tmp_path / "t.md")
    line = next(x for x in (tmp_path / "t.md").read_text().splitlines() if "Cost \\& access" in x)
    assert line.endswith(f"| 0 \\(0%\\) | {markdown_escape(NO_CODINGS)} |")


def test_quotes_are_pseudonymised_and_attributed(table):
    quotes = _row(table, "Being heard")["quotes"]
    rendered = [q.render() for q in quotes]
    assert rendered[1] == ("\u201c[P02] is what they called me at work but in the circle I was just "
                           "somebody who had a story worth hearing.\u201d (P02, long-term member)")
    assert "[P01], she said" in rendered[0] and "Dana" not in rendered[0]
    assert table.pseudonymised and "pseudonymised" in table.footnotes[1]


def test_project_list_replaces_other_names(themes, theme_codes, codings, participants):
    names = Pseudonymiser.for_project(participants, speakers=codings, ner=None,
                                      pseudonyms=[PseudonymEntry("Carol", "[friend]"),
                                                  PseudonymEntry("St. Anne's", "[a church]")])
    table = build_theme_table(themes, theme_codes, codings, participants, pseudonymiser=names)
    first = _row(table, "Being heard")["quotes"][0].text
    assert first.startswith("[friend] just listened to me at [a church] and I felt heard")


def test_verbatim_when_asked(themes, theme_codes, codings, participants):
    table = build_theme_table(themes, theme_codes, codings, participants, pseudonymise=False)
    assert "Dana, she said" in _row(table, "Being heard")["quotes"][0].text
    assert table.footnotes[1].endswith("Quotes are NOT pseudonymised.")
    assert not table.long["pseudonymised"].any()


def test_exemplars_come_first(themes, theme_codes, codings, participants):
    chosen = pd.DataFrame({"theme": ["Belonging"], "coding_id": [2]})
    table = build_theme_table(themes, theme_codes, codings, participants, exemplars=chosen, quotes=1)
    long = table.long[table.long["subtheme"] == "Belonging"]
    assert list(long[["coding_id", "chosen"]].itertuples(index=False, name=None)) == [(2, "exemplar")]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"quotes": 4}, "quotes must be between 0 and 3. Got 4"),
    ({"attributes": ["shoe_size"]}, "no participant attribute named 'shoe_size'"),
])
def test_bad_parameters(themes, theme_codes, codings, participants, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        build_theme_table(themes, theme_codes, codings, participants, **kwargs)


def test_long_form(table, tmp_path):
    assert list(table.long.columns) == LONG_COLUMNS + ["attr:role"]
    row = table.long[table.long["coding_id"] == 3].iloc[0]
    assert (row["start"], row["end"], row["time_start"], row["source"]) == (30, 141, 4.5, "rules")
    reps = json.loads(row["replacements"])
    assert reps == [{"replacement": "[P02]", "start": 0, "end": 11, "new_start": 0, "new_end": 5,
                     "source": "participant"}]  # no originals in what leaves the project
    record = table.replacements[table.replacements["coding_id"] == 3]
    assert record[["original", "replacement", "start", "end"]].values.tolist() == [["Marcus Bell", "[P02]", 0, 11]]
    export("theme-table-long", table, tmp_path / "long.csv")
    back = pd.read_csv(tmp_path / "long.csv", encoding="utf-8-sig")
    assert len(back) == len(table.long) and set(back["coding_id"]) == {1, 2, 3, 5}
    hostile = back[back["coding_id"] == 5].iloc[0]["quote"]
    assert hostile.startswith("'=HYPERLINK(")


def test_docx_is_a_word_table(table, tmp_path):
    path = tmp_path / "themes.docx"
    export("theme-table", table, path)
    doc = Document(str(path))
    assert [p.text for p in doc.paragraphs[:2]] == ["Table 1", "Themes, subthemes and illustrative quotes"]
    (t,) = doc.tables
    cells = [[c.text for c in row.cells] for row in t.rows]
    assert cells[0] == ["Theme", "Subtheme", "Description", "Participants n (%)", "Illustrative quotes"]
    assert cells[1][:4] == ["Connection", "\u2014", "Feeling connected to others in the circle.", "3 (75%)"]
    heard = t.rows[2].cells[4]
    assert len(heard.paragraphs) == 2 and heard.paragraphs[1].text.endswith("(P02, long-term member)")
    assert cells[4][3:] == ["0 (0%)", NO_CODINGS]
    assert "<script>alert(1)</script>" in cells[3][4]
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    borders = t.rows[0].cells[0]._tc.tcPr.find(qn("w:tcBorders"))
    assert borders.find(qn("w:top")).get(qn("w:val")) == "single"
    assert doc.paragraphs[-1].text.startswith("Note. N = 4 participants.")


def test_xlsx(table, tmp_path):
    path = tmp_path / "themes.xlsx"
    export("theme-table", table, path)
    ws = load_workbook(path)["theme table"]
    assert [c.value for c in ws[1]][:5] == ["Theme", "Subtheme", "Description", "Participants n", "Participants %"]
    assert [c.value for c in ws[3]][:5] == ["Connection", "Being heard", "Being listened to without judgement.", 2, 50]
    assert ws.cell(row=4, column=8).value.startswith("\u201c=HYPERLINK(")  # a quote mark first: text
    assert ws.cell(row=4, column=8).data_type == "s"
    assert ws.cell(row=3, column=8).alignment.wrap_text


def test_csv(table, tmp_path):
    path = tmp_path / "themes.csv"
    export("theme-table", table, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["Theme", "Subtheme", "Description", "Participants n"]
    assert rows[4][0] == "Cost & access" and rows[4][7] == "No accepted codings yet."
    assert rows[-1][0].startswith("Note. Quotes are verbatim extracts")


def test_markdown_escapes_html_and_markup(table):
    text = theme_table_markdown(table)
    assert "<script>" not in text
    assert r"\<script\>alert\(1\)\<\/script\> \& % \$ \# \_ \{ \} \~ \^ \\ and" in text
    assert text.splitlines()[2] == "| Theme | Subtheme | Description | Participants n (%) | Illustrative quotes |"


def test_latex_escapes_specials(table, tmp_path):
    text = theme_table_latex(table)
    expected = (r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} \& \% \$ \# "
                r"\_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{} and")
    assert expected in text
    assert r"Cost \& access &  & " in text
    assert text.count(r"\toprule") == 2 and r"\bottomrule" in text and r"\begin{longtable}" in text
    export("theme-table", table, tmp_path / "t.tex")
    assert (tmp_path / "t.tex").read_text() == text


def test_long_form_cites_participants_not_document_names(table, themes, theme_codes, codings, participants):
    assert set(table.long["document"]) == {"P01", "P02", "P03"}
    verbatim = build_theme_table(themes, theme_codes, codings, participants, pseudonymise=False)
    assert set(verbatim.long["document"]) == {"P01_dana", "P02_marcus", "P03_priya"}


def test_quotes_drop_brackets_the_segment_cut(themes, theme_codes, codings, participants):
    cut = codings.assign(text=codings["text"].where(codings["coding_id"] != 2,
                                                    "laughs] It was the first place I belonged, truly and really, I mean it. ["))
    table = build_theme_table(themes, theme_codes, cut, participants, quotes=3)
    texts = [q.text for q in _row(table, "Belonging")["quotes"]]
    assert "It was the first place I belonged, truly and really, I mean it." in texts


def test_docx_rows_do_not_split_across_pages(table, tmp_path):
    export("theme-table", table, tmp_path / "t.docx")
    (t,) = Document(str(tmp_path / "t.docx")).tables
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in t.rows)
    assert t.rows[1].cells[0].paragraphs[0].runs[0].bold
