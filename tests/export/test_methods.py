"""The methods paragraph: drafted from the record, in md, txt and docx."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document

from thematic.export import export
from thematic.export.methods import draft_methods, methods_record


@pytest.fixture
def record(codings, participants, themes):
    runs = pd.DataFrame({"engine": ["rules", "semantic", "rules"],
                         "versions": [{"spacy": "3.8.2"}, {"sentence-transformers": "3.0.1"},
                                      {"spacy": "3.8.4"}]})
    documents = pd.DataFrame({"document": ["a", "b", "c"], "words": [1000, 2000, 500]})
    return methods_record(participants=participants, codings=codings, documents=documents,
                          runs=runs, codebook_label="peer_listening v2", codes=12, themes=themes,
                          attributes=["role", "age_band"])


def test_record_counts_what_people_decided(record):
    # codings 1, 3, 5 come from the rules engine (accepted, accepted, accepted): see conftest
    assert (record.accepted, record.rejected, record.undecided, record.manual) == (3, 0, 0, 3)
    assert record.participants == 4 and record.documents == 3 and record.words == 3500
    assert record.coders == ["ana", "ben"] and (record.themes, record.subthemes) == (2, 2)
    assert record.attributes["age band"] == "35-44 2, 25-34 1, 45-54 1"


def test_draft_states_the_record(record):
    text = "\n".join(draft_methods(record))
    assert text.startswith("The sample comprised 4 participants (role: coach 1, long-term member 1, "
                           "newcomer 1, peer supporter 1; age band: 35-44 2, 25-34 1, 45-54 1). "
                           "We analysed 3 transcripts (3,500 words), coded at the level of the "
                           "sentence, following thematic analysis.")
    assert "The codebook (peer_listening v2) held 12 codes." in text
    assert "Coding was done in thematic 0.1.0 by ana and ben." in text
    assert "(2 runs; spacy 3.8.4)" in text and "(1 run; sentence-transformers 3.0.1)" in text
    assert "3 were accepted and 0 rejected." in text and "3 codings were made by hand." in text
    assert "Codes were grouped into 2 themes and 2 subthemes." in text


def test_methods_formats(record, tmp_path):
    export("methods", record, tmp_path / "m.txt")
    assert (tmp_path / "m.txt").read_text().split("\n\n")[0] == draft_methods(record)[0]
    export("methods", record, tmp_path / "m.md")
    assert (tmp_path / "m.md").read_text().startswith("## Methods (draft)\n\nThe sample comprised 4")
    export("methods", record, tmp_path / "m.docx")
    paras = [p.text for p in Document(str(tmp_path / "m.docx")).paragraphs]
    assert paras[0] == "Methods (draft)" and paras[1] == draft_methods(record)[0]
