"""De-identified transcripts written to a folder."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.errors import ParameterError, WriteError
from thematic.export import export
from thematic.pseudonymise import PseudonymEntry, Pseudonymiser


@pytest.fixture
def documents():
    return pd.DataFrame({"document": ["P01_dana", "P02_marcus", "notes"],
                         "participant": ["P01", "P02", None],
                         "text": ["Maya: Hi Dana.\nDana: Carol brought me.\n",
                                  "Marcus: I'm Marcus Bell, from Leeds.", "No names here."]})


@pytest.fixture
def names(participants):
    speakers = pd.DataFrame({"speaker": ["Maya"], "participant": [None], "role": ["interviewer"]})
    return Pseudonymiser.for_project(participants, speakers=speakers, ner=None,
                                     pseudonyms=[PseudonymEntry("Carol", "[friend]"),
                                                 PseudonymEntry("Leeds", "[a city]")])


def test_pseudonymised_transcripts(documents, names, tmp_path):
    out = tmp_path / "deid"
    assert export("transcripts", documents, out, pseudonymiser=names) == "txt"
    assert sorted(p.name for p in out.iterdir()) == ["P01.txt", "P02.txt", "README.txt",
                                                      "document-003.txt", "replacements.csv"]
    assert (out / "P01.txt").read_text() == "[Interviewer]: Hi [P01].\n[P01]: [friend] brought me.\n"
    assert (out / "P02.txt").read_text() == "[P02]: I'm [P02], from [a city].\n"
    log = pd.read_csv(out / "replacements.csv", encoding="utf-8-sig")
    assert "original" not in log.columns and len(log) == 7
    assert (out / "README.txt").read_text().splitlines()[1].startswith("Pseudonymised: 7 replacements in 3")


def test_verbatim_transcripts_say_so(documents, tmp_path):
    export("transcripts", documents, tmp_path / "raw", pseudonymise=False)
    assert "Dana" in (tmp_path / "raw" / "P01.txt").read_text()
    assert "NOT pseudonymised" in (tmp_path / "raw" / "README.txt").read_text()


def test_pseudonymising_needs_names(documents, tmp_path):
    with pytest.raises(ParameterError, match="pseudonymised transcripts need a Pseudonymiser"):
        export("transcripts", documents, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_folder_that_cannot_be_made(documents, names, tmp_path):
    with pytest.raises(WriteError, match="the output folder does not exist and cannot be created"):
        export("transcripts", documents, tmp_path / "a" / "b", pseudonymiser=names)
    assert list(tmp_path.iterdir()) == []
