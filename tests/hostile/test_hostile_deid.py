"""Hostile inputs, class *de-identification*: names never leave through an output.

Every case failed before: file names and speaker names cited in pseudonymised outputs, parts
of hyphenated or apostrophised names kept, third parties unlisted and outputs claiming more
than was checked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import CODEBOOK, SAMPLES
from thematic import Project
from thematic.cli import app
from thematic.errors import NotFoundError, ParameterError
from thematic.name_candidates import find_candidates
from thematic.pseudonymise import Pseudonymiser, name_parts
from thematic.public_ids import assign_public_ids
from thematic.services.public_reads import PublicReads

pytestmark = [pytest.mark.filterwarnings("ignore"),
              pytest.mark.filterwarnings("error:Project.*is deprecated:DeprecationWarning")]
runner = CliRunner()

DANA = SAMPLES / "P01_dana.txt"
NO_IDS = {"dana_interview.txt": DANA.read_text(encoding="utf-8"),
          "marcus_talk.txt": (SAMPLES / "P02_marcus.txt").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def unnamed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two transcripts named after people, no participants file, two hand codings."""
    folder = tmp_path_factory.mktemp("unnamed")
    for name, text in NO_IDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "p.thematic"
    with Project.create(path) as project:
        project.documents.ingest([folder / n for n in NO_IDS], actor="ana")
        project.codebook.load(CODEBOOK, actor="ana")
        code = project.codebook.current().codes[-1].id
        project.review.code_span("dana_interview", code, actor="ana",
                          quote="I'd sit at the back, I'd get a coffee")
        project.review.code_span("dana_interview", code, actor="ben",
                          quote="I'd sit at the back, I'd get a coffee")
    return path


@pytest.fixture
def unnamed(unnamed_file: Path, tmp_path: Path):
    target = tmp_path / "u.thematic"
    shutil.copy(unnamed_file, target)
    with Project.open(target) as project:
        yield project


def _all_text(folder: Path) -> str:
    return "\n".join(p.name + "\n" + p.read_text(encoding="utf-8", errors="replace")
                     for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------ public ids
def test_without_participants_file_transcripts_are_p01_not_dana(unnamed, tmp_path):
    unnamed.exports.write("transcripts", tmp_path / "t", ner=None)
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert names == ["P01.txt", "P02.txt", "README.txt", "replacements.csv"]
    text = _all_text(tmp_path / "t")
    assert "Dana" not in text and "dana_interview" not in text and "[P01]" in text


def test_without_participants_file_theme_table_cites_p01(unnamed, tmp_path):
    unnamed.exports.write("theme-table", tmp_path / "t.csv", ner=None)
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "(P01)" in text and "(Dana)" not in text and "Dana" not in text


def test_replacements_csv_names_documents_by_public_id(unnamed, tmp_path):
    unnamed.exports.write("transcripts", tmp_path / "t", ner=None)
    frame = pd.read_csv(tmp_path / "t" / "replacements.csv", encoding="utf-8-sig")
    assert set(frame["document"]) == {"P01", "P02"} and "original" not in frame


def test_agreement_disagreements_cite_public_ids(unnamed, tmp_path):
    unnamed.exports.write("agreement", tmp_path / "a.md", coders=["ana", "ben"], ner=None, n_boot=5)
    text = (tmp_path / "a.md").read_text()
    assert "dana" not in text.lower()


def test_matrix_columns_are_public_ids(unnamed, tmp_path):
    unnamed.exports.write("matrix", tmp_path / "m.csv", ner=None)
    header = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Dana" not in header and "P01" in header


def test_an_id_that_is_a_name_gets_a_number():
    people = pd.DataFrame({"participant": ["dana", "P02"], "name": ["Dana Reyes", "Marcus Bell"]})
    docs = pd.DataFrame({"name": ["x", "y"], "participants": ["dana", "P02"]})
    ids = assign_public_ids(people, docs)
    assert ids.participant("dana") == "P01" and ids.participant("P02") == "P02"


def test_an_id_equal_to_a_name_part_is_not_kept():
    people = pd.DataFrame({"participant": ["Al1"], "name": ["Al1 Smith"]})
    assert assign_public_ids(people, pd.DataFrame()).participant("Al1") == "P01"


def test_group_and_repeated_documents():
    people = pd.DataFrame({"participant": ["P01", "P02"], "name": [None, None]})
    docs = pd.DataFrame({"name": ["a", "b", "focus_group_maria"],
                         "participants": ["P01", "P01", "P01, P02"]})
    ids = assign_public_ids(people, docs)
    assert [ids.document(n) for n in ("a", "b", "focus_group_maria")] == ["P01", "P01-2", "D01"]


def test_unknown_keys_never_pass_through():
    ids = assign_public_ids(pd.DataFrame({"participant": ["P01"]}), pd.DataFrame())
    assert ids.document("P07_helen_okafor") == "[document]"
    assert ids.participant("Helen") == "[participant]" and ids.speaker("Helen") == "[speaker]"


def test_public_view_drops_names_and_paths(sample_project):
    names = sample_project.exports.pseudonymiser(ner=None)
    view = PublicReads(sample_project.reads, names.public)
    assert "name" not in view.participants() and "original_name" not in view.documents()
    assert view.document("P07").name == "P07" and view.document("P07").original_name == ""
    with pytest.raises(NotFoundError, match="no document cited as 'P01_dana'"):
        view.document("P01_dana")


# ------------------------------------------------------------------ names in part
@pytest.mark.parametrize("text, expected", [
    ("I met O'Brien-Smith.", "I met [P01]."),
    ("O'Brien said so.", "[P01] said so."),
    ("Then Smith came.", "Then [P01] came."),
    ("Brien, just Brien.", "[P01], just [P01]."),
    ("O\u2019Brien-Smith, curly.", "[P01], curly."),
    ("O'Brien\u2010Smith, a Unicode hyphen.", "[P01], a Unicode hyphen."),
    ("Jean-Luc and Luc and Jean.", "[P02] and [P02] and [P02]."),
    ("O'BRIEN shouted.", "[P01] shouted."),
], ids=["whole", "apostrophe-part", "hyphen-part", "after-apostrophe", "curly-apostrophe",
        "unicode-hyphen", "jean-luc", "upper-case-part"])
def test_hyphenated_and_apostrophised_names_go_whole_and_in_part(text, expected):
    people = pd.DataFrame({"participant": ["P01", "P02"],
                           "name": ["Aoife O'Brien-Smith", "Jean-Luc Picard"]})
    assert Pseudonymiser.for_project(people, ner=None)(text) == expected


def test_particles_of_names_are_not_replaced_alone():
    assert "van" not in name_parts("Ria van der Berg") and "Berg" in name_parts("Ria van der Berg")
    people = pd.DataFrame({"participant": ["P01"], "name": ["Ria van der Berg"]})
    assert Pseudonymiser.for_project(people, ner=None)("a van, a Berg") == "a van, a [P01]"


def test_a_listed_name_is_replaced_in_part_but_a_place_is_not_split(sample_project):
    sample_project.exports.set_pseudonym("Mary-Kate O'Neill", "[a friend]", kind="name", actor="ana")
    sample_project.exports.set_pseudonym("St. Anne's Hall", "[a church]", kind="place", actor="ana")
    names = sample_project.exports.pseudonymiser(ner=None)
    assert names("Mary-Kate, Kate and O'Neill") == "[a friend], [a friend] and [a friend]"
    assert names("the Hall at St. Anne's Hall") == "the Hall at [a church]"


# ------------------------------------------------------------------ candidate names
def test_a_third_party_is_a_candidate():
    found = find_candidates({"d": "Well, I messaged Ana after the meeting."})
    assert found["candidate"].tolist() == ["Ana"] and found["status"].tolist() == ["new"]
    assert found["contexts"][0] == ["Well, I messaged [Ana] after the meeting."]


def test_sentence_initial_words_and_cues_are_not_candidates():
    found = find_candidates({"d": "Dana: Yeah. [laughs] Honestly? Church is fine. Thank you."})
    assert found.empty


def test_english_words_days_and_acronyms_are_not_candidates():
    found = find_candidates({"d": "we went to the Church on Tuesday with the NHS and AA, okay"})
    assert found.empty


def test_a_trained_ner_adds_its_finds():
    def ner(text: str) -> list[tuple[int, int, str]]:
        at = text.find("leeds")
        return [(at, at + 5, "GPE")] if at >= 0 else []
    found = find_candidates({"d": "we moved to leeds last year"}, ner=ner)
    assert found[["candidate", "kind", "source"]].values.tolist() == [["leeds", "place", "ner:GPE"]]


def test_speakers_and_participants_are_listed_as_replaced():
    found = find_candidates({"d": "Maya: Thanks, Dana."}, participants=["Dana Reyes", "Dana"],
                            speakers=["Maya"])
    statuses = dict(zip(found["candidate"], found["status"]))
    assert statuses == {"Dana": "participant", "Dana Reyes": "participant", "Maya": "speaker"}


def test_confirmed_candidates_are_replaced_in_every_export(sample_project, tmp_path):
    before = sample_project.exports.name_candidates(ner=None)
    assert "Carol" in set(before["candidate"])
    assert sample_project.exports.confirm_names(["Carol", "Kev"], actor="ana") == 2
    after = sample_project.exports.name_candidates(ner=None)
    assert "Carol" not in set(after["candidate"])
    assert sample_project.exports.pseudonymiser(ner=None)("Carol and Kev") == "[name] and [name]"
    sample_project.review.undo(actor="ana")
    assert sample_project.exports.pseudonyms().empty


def test_confirming_nothing_is_refused(sample_project):
    with pytest.raises(ParameterError, match="give at least one name to confirm"):
        sample_project.exports.confirm_names(["  "], actor="ana")
    with pytest.raises(ParameterError, match="kind must be one of"):
        sample_project.exports.confirm_names(["Carol"], kind="pet", actor="ana")


def test_cli_candidates_and_confirm(sample_project_file, tmp_path):
    path = tmp_path / "p.thematic"
    shutil.copy(sample_project_file, path)
    out = runner.invoke(app, ["pseudonym", "candidates", "--json", "--no-ner", "-p", str(path)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert "Carol" in [c["candidate"] for c in data["candidates"]] and data["total"] >= 5
    out = runner.invoke(app, ["pseudonym", "confirm", "Carol", "Riverside", "--kind", "place",
                              "-p", str(path), "--coder", "ana"])
    assert out.exit_code == 0 and "added 2 of 2" in out.output
    out = runner.invoke(app, ["pseudonym", "list", "-p", str(path)])
    assert "Riverside -> [place] (place)" in out.output


# ------------------------------------------------------------------ what outputs say
def test_outputs_say_what_was_not_checked_without_ner(unnamed, tmp_path):
    unnamed.exports.write("transcripts", tmp_path / "t", ner=None)
    readme = (tmp_path / "t" / "README.txt").read_text()
    assert "Not checked: names of other people and places that are in none of these lists" in readme
    assert "capitalised words that may be names are not in the pseudonym list" in readme


def test_outputs_say_ner_was_used_when_it_was(unnamed, tmp_path):
    unnamed.exports.write("theme-table", tmp_path / "t.csv", ner=lambda text: [])
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "detected with the given pipeline" in text and "names the pipeline missed" in text


def test_methods_paragraph_states_the_checks(unnamed, tmp_path):
    unnamed.exports.write("methods", tmp_path / "m.txt", ner=None)
    text = (tmp_path / "m.txt").read_text()
    assert "Quotes are pseudonymised. Replaced:" in text and "Not checked" in text


def test_upper_case_speaker_names_are_replaced_too(tmp_path):
    (tmp_path / "tom.txt").write_text("INTERVIEWER: Hello TOM.\n\nTOM: Hi. I'm TOM, remember.\n",
                                      encoding="utf-8")
    with Project.create(tmp_path / "p.thematic") as project:
        project.documents.ingest([tmp_path / "tom.txt"], actor="ana")
        project.exports.write("transcripts", tmp_path / "t", ner=None)
    text = _all_text(tmp_path / "t")
    assert "TOM" not in text and "tom" not in text and "[P01]: Hi. I'm [P01]" in text
    assert "INTERVIEWER: Hello [P01]." in text
