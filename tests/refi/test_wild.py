"""Reading projects shaped like the real exports that bend REFI-QDA (tests/data/refi/wild).

Each fixture reproduces one vendor's quirks (see make_wild_fixtures.py); each test checks
that the reader keeps what it should, places every kept coding on its quote, and reports
the rest with its reason.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.refi.conftest import DATA
from tests.refi.test_qde_read import placed
from thematic.errors import ExchangeError, UnsafeArchiveError
from thematic.refi.model import ExProject
from thematic.refi.qde_read import read_project

WILD = DATA / "wild"
EXPECTED: dict[str, list[dict[str, str]]] = json.loads((WILD / "expected.json").read_text("utf-8"))


def skipped(p: ExProject, kind: str) -> list[str]:
    return [o.line() for o in p.outcomes if o.action == "skipped" and o.kind == kind]


def converted(p: ExProject, kind: str) -> list[str]:
    return [o.line() for o in p.outcomes if o.action == "converted" and o.kind == kind]


# --------------------------------------------------------------------------- ATLAS.ti 8.4 (macOS)
def test_atlasti_84_without_texts_keeps_codebook_users_sets_and_memos() -> None:
    p = read_project(WILD / "atlasti_mac84.qdpx")
    assert len(p.codes) == 14 and {u.name for u in p.users} == {"Noor Haddad", "ATLAS.ti"}
    assert [s.name for s in p.sets] == ["Structural", "Relational"]
    assert {n.name for n in p.notes} == {"Money first", "Sisters"}
    code_names = {c.guid: c.name for c in p.codes}
    assert {code_names[t] for n in p.notes for t in n.targets} == {"Money", "Family"}
    assert p.unplaced == [] and p.codings == []
    # the PDF and the plain-text selection of one quotation share a guid: resolved by kind
    (shared,) = converted(p, "guid")
    assert "used by a PDF selection and a text selection; each is read as its own kind" in shared
    # the text source without its text is skipped, with its codings and its comment
    (gone,) = [line for line in skipped(p, "source") if "Interview P11" in line]
    assert "which is not in the archive" in gone and "its 2 coding(s) and 1 comment(s) are not imported" in gone
    codings = skipped(p, "coding")
    assert any("'Money' on 'Interview P11' at [80, 102): its source is not imported" in c for c in codings)
    assert any("'Transport' on 'Site B interview.pdf' at page 0: a PDF area selection" in c for c in codings)


def test_atlasti_84_pdf_text_comes_from_the_pdf_and_its_selections_are_not_trusted() -> None:
    p = read_project(WILD / "atlasti_mac84.qdpx")
    (pdf,) = p.sources
    assert pdf.name == "Site B interview.pdf" and pdf.kind == "pdf" and pdf.text.strip()
    assert any("its text is read from the PDF" in line for line in converted(p, "source"))
    assert any("its offsets count the tool's text of the PDF" in c for c in skipped(p, "coding"))


def test_atlasti_84_with_sources_dir_places_the_missing_text() -> None:
    p = read_project(WILD / "atlasti_mac84.qdpx", sources=WILD / "atlasti_mac84_sources")
    assert placed(p) == EXPECTED["atlasti_mac84.qdpx"]
    assert [s.name for s in p.sources] == ["Site B interview.pdf", "Interview P11"]
    (comment,) = [n for n in p.notes if n.text == "Family as a silent lender."]
    src, start, end = comment.span
    assert p.source_by_guid()[src].text[start:end] == "never asked for it back"


# --------------------------------------------------------------------------- NVivo 15 for Mac
def test_nvivo_mac15_empty_sources_are_skipped_and_the_codebook_comes_in() -> None:
    p = read_project(WILD / "nvivo_mac15.qdpx")
    assert len(p.codes) == 262 and len({c.guid for c in p.codes}) == 262
    assert [s.name for s in p.sources] == ["P21 carer"]
    assert placed(p) == EXPECTED["nvivo_mac15.qdpx"]
    lines = skipped(p, "source")
    assert "source 'P22 carer': its text is empty ('internal://p22.docx' holds no text); " \
           "its 1 coding(s) are not imported" in lines
    assert "source 'P23 carer': its text is empty" in lines
    assert any("'Care' on 'P22 carer' at [0, 12): its source is not imported" in c for c in skipped(p, "coding"))
    cases = {c.name: c for c in p.cases}
    assert set(cases) == {"P21", "P22"} and cases["P22"].sources == []  # the case comes in, its source not
    assert [s.name for s in p.sets] == ["Night"]


# --------------------------------------------------------------------------- MAXQDA 24, loose .qde
def test_maxqda24_loose_qde_reads_its_sources_from_the_zip_beside_it() -> None:
    p = read_project(WILD / "maxqda24" / "project.qde")
    assert len(p.sources) == 10 and p.unplaced == []
    assert placed(p) == EXPECTED["maxqda24/project.qde"]
    assert len(p.codes) == 307 and all(c.description for c in p.codes)
    assert len([n for n in p.notes if n.text.startswith("Compare with interview")]) == 10


@pytest.mark.parametrize("layout", ["folder", "zip-elsewhere", "folder-upper-case"])
def test_maxqda24_sources_given_with_sources_dir_or_a_folder(layout: str, tmp_path: Path) -> None:
    qde = tmp_path / "study" / "project.qde"
    qde.parent.mkdir()
    shutil.copy(WILD / "maxqda24" / "project.qde", qde)
    given = None
    if layout == "zip-elsewhere":
        given = tmp_path / "elsewhere.zip"
        shutil.copy(WILD / "maxqda24" / "sources.zip", given)
    else:
        with zipfile.ZipFile(WILD / "maxqda24" / "sources.zip") as z:
            z.extractall(tmp_path / "study")
        if layout == "folder-upper-case":  # a copy made elsewhere: Sources/ and lower-case names
            src = tmp_path / "study" / "sources"
            for f in src.iterdir():
                f.rename(src / f.name.lower())
            src.rename(tmp_path / "study" / "Sources")
    p = read_project(qde, sources=given)
    assert placed(p) == EXPECTED["maxqda24/project.qde"]


def test_maxqda24_without_its_sources_says_where_it_looked(tmp_path: Path) -> None:
    qde = tmp_path / "project.qde"
    shutil.copy(WILD / "maxqda24" / "project.qde", qde)
    p = read_project(qde)
    assert p.sources == [] and len(p.codes) == 307
    first = skipped(p, "source")[0]
    assert "which is not in sources/ or sources.zip next to project.qde" in first and "--sources DIR" in first


def test_sources_dir_that_is_neither_folder_nor_zip_is_one_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("x", "utf-8")
    with pytest.raises(ExchangeError, match=r"notes\.txt: the sources given are neither a folder nor a zip"):
        read_project(WILD / "maxqda24" / "project.qde", sources=bogus)


def test_an_absolute_source_path_is_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Interviewer: the bakery closed\n", "utf-8")
    qde = tmp_path / "study" / "project.qde"
    qde.parent.mkdir()
    text = (WILD / "maxqda24" / "project.qde").read_text("utf-8")
    first = text.index('plainTextPath="') + len('plainTextPath="')
    end = text.index('"', first)
    qde.write_text(text[:first] + f"absolute://{secret}" + text[end:], "utf-8")
    p = read_project(qde)
    assert all(s.text != secret.read_text("utf-8").strip() for s in p.sources)
    assert any("points to the external file" in line for line in skipped(p, "source"))


def test_a_sources_folder_link_out_of_it_is_refused(tmp_path: Path) -> None:
    qde = tmp_path / "study" / "project.qde"
    (qde.parent / "sources").mkdir(parents=True)
    shutil.copy(WILD / "maxqda24" / "project.qde", qde)
    with zipfile.ZipFile(WILD / "maxqda24" / "sources.zip") as z:
        first = sorted(z.namelist())[0].split("/")[-1]
    (tmp_path / "outside.txt").write_text("secret", "utf-8")
    (qde.parent / "sources" / first).symlink_to(tmp_path / "outside.txt")
    with pytest.raises(UnsafeArchiveError, match=r"is a link out of the project folder"):
        read_project(qde)


# --------------------------------------------------------------------------- ATLAS.ti 26 (macOS)
def test_atlasti26_trial_qde_video_outside_and_comments_are_reported() -> None:
    p = read_project(WILD / "atlasti26_trial.qdpx")
    assert converted(p, "file") == [
        "file 'Trial.qde': the project file is not named project.qde (as REFI-QDA asks); read it"]
    assert [c.name for c in p.codes] == ["hello", "test"] and all(c.color is None for c in p.codes)
    assert placed(p) == EXPECTED["atlasti26_trial.qdpx"]
    (video,) = skipped(p, "source")
    assert video.startswith("source 'Christos vagias-2.MP4': a video (thematic reads text only)")
    assert "its 2 coding(s) and 2 comment(s) are not imported" in video
    assert any("'Nothing here yet' at [21477, 21477) ms" in c for c in skipped(p, "comment"))


# --------------------------------------------------------------------------- NVivo for Windows 12.6
def test_nvivo_win126_cases_sharing_code_guids_braced_references_and_annotations() -> None:
    p = read_project(WILD / "nvivo_win126.qdpx")
    assert placed(p) == EXPECTED["nvivo_win126.qdpx"]
    assert [c.name for c in p.codes] == ["Transport", "School support", "P41"]
    (case,) = p.cases
    assert case.name == "P41" and case.sources == [p.sources[0].guid]  # {UPPER} reference found
    assert any("used by a code and a case; each is read as its own kind" in line for line in converted(p, "guid"))
    (note,) = p.notes
    assert note.text == "She says this twice; check the second interview."
    selection = next(c.selection for c in p.codings if p.coding_text(c) == "Two buses 🚌 and a long walk")
    assert note.targets == [selection]
    assert converted(p, "link") == ["link: 1 link(s) of a note to a selection, source or code: kept as memos on them"]
