"""Reading REFI-QDA projects as each tool writes them: every coding's text checked word for word."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.refi.conftest import DATA, EXPECTED
from thematic.errors import ExchangeError, UnsafeArchiveError
from thematic.refi.model import ExProject
from thematic.refi.qde_read import read_project
from thematic.services.exchange import read_exchange


def placed(project: ExProject) -> list[dict[str, str]]:
    codes, sources = project.code_by_guid(), project.source_by_guid()
    return [
        {
            "source": sources[c.source].name,
            "code": codes[c.code].name,
            "quote": project.coding_text(c),
        }
        for c in project.codings
    ]


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_every_coding_lands_on_its_quote(fixture: str) -> None:
    project = read_exchange(DATA / fixture)
    assert placed(project) == EXPECTED[fixture]
    assert project.unplaced == []


@pytest.mark.parametrize(
    ("fixture", "convention"),
    [
        ("nvivo_windows.qdpx", "utf16-crlf2"),
        ("atlasti.qdpx", "codepoint-crlf1"),
        ("qc.qdpx", "codepoint-crlf1"),
        ("unknown_utf16.qdpx", "utf16-crlf2"),  # no origin: found by word boundaries
        ("maxqda/project.qde", "codepoint-crlf1"),  # origin unknown to us
    ],
)
def test_offset_convention(fixture: str, convention: str) -> None:
    assert set(read_project(DATA / fixture).conventions.values()) == {convention}


def test_nvivo_windows_text_is_normalised_and_keeps_everything() -> None:
    p = read_project(DATA / "nvivo_windows.qdpx")
    (source,) = p.sources
    assert "\r" not in source.text and "😅" in source.text
    assert source.text.startswith("Interviewer: How did the first week")
    assert [u.name for u in p.users] == ["Dana Whitfield"]
    tree = {c.name: c for c in p.codes}
    assert tree["Night shifts"].parent == tree["Peer support"].guid
    assert (
        tree["Chaos"].color == "#E03C31"
        and tree["Chaos"].description == "Disorder in the first days."
    )
    (case,) = p.cases
    assert case.name == "P01" and list(case.values.values()) == [34]
    assert case.sources == [source.guid]
    assert p.variables[0].type == "Integer"
    assert [n.text for n in p.notes] == ["Chaos comes up in every first-week story."]
    assert p.sets[0].name == "Belonging" and p.sets[0].codes == [tree["Peer support"].guid]
    assert {c.coder for c in p.codings} == {p.users[0].guid}
    assert {c.created for c in p.codings} == {"2024-05-06T10:00:00Z"}


def test_nvivo_mac_reads_the_docx_when_the_plain_text_is_empty() -> None:
    (source,) = read_project(DATA / "nvivo_mac.qdpx").sources
    assert source.kind == "docx"
    assert source.text.splitlines()[1] == "P02: The mentor scheme. My mentor rang me every Sunday."


def test_atlasti_decomposed_accent_is_composed() -> None:
    (source,) = read_project(DATA / "atlasti.qdpx").sources
    assert "café near the station" in source.text and "e\u0301" not in source.text


def test_maxqda_loose_qde_quirks() -> None:
    p = read_project(DATA / "maxqda" / "project.qde")
    assert [s.name for s in p.sources] == ["Interview P04", "Interview P04 (2)"]
    (case,) = p.cases
    assert case.name == "Interview P04"  # no name attribute: named after its source
    (comment,) = p.notes
    assert comment.text == "Said with a sigh."
    guid, start, end = comment.span
    assert p.source_by_guid()[guid].text[start:end] == "Handover is rushed"
    assert any("no name" in n for n in p.notices)


def test_bom_and_crlf_are_removed() -> None:
    (source,) = read_project(DATA / "bom_crlf.qdpx").sources
    assert source.text.startswith("Interviewer:") and "\r" not in source.text


def test_odd_entries_and_case_of_sources_folder(tmp_path: Path) -> None:
    target = tmp_path / "upper.qdpx"
    with zipfile.ZipFile(DATA / "atlasti.qdpx") as src, zipfile.ZipFile(target, "w") as out:
        out.writestr("project.qde", src.read("project.qde"))
        out.writestr("Sources/.root", b"")
        out.writestr("Sources/P03.TXT", src.read("sources/p03.txt"))
    assert placed(read_project(target)) == EXPECTED["atlasti.qdpx"]


def test_offsets_outside_their_source_are_reported_not_guessed() -> None:
    p = read_project(DATA / "bad" / "outside.qdpx")
    (bad,) = p.unplaced
    assert bad.source == "P03 cafe" and (bad.start, bad.end) == (900, 950)
    assert "fall outside the source" in bad.reason
    assert len(p.codings) == 2  # the two good ones are kept


def test_a_quote_that_is_elsewhere_is_reported(tmp_path: Path) -> None:
    from lxml import etree

    with zipfile.ZipFile(DATA / "atlasti.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        text = z.read("sources/p03.txt")
    sel = root.find(".//{urn:QDA-XML:project:1.0}PlainTextSelection")
    sel.set("startPosition", str(int(sel.get("startPosition")) + 3))
    sel.set("endPosition", str(int(sel.get("endPosition")) + 3))
    target = tmp_path / "shifted.qdpx"
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("project.qde", etree.tostring(root))
        z.writestr("sources/p03.txt", text)
    (bad,) = read_project(target).unplaced
    assert "'every Friday' is not at its offsets" in bad.reason


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        (
            "traversal.qdpx",
            UnsafeArchiveError,
            r"traversal\.qdpx: entry '\.\./\.\./evil\.txt' is a '\.\./' path",
        ),
        (
            "malformed.qdpx",
            ExchangeError,
            r"malformed\.qdpx:\d+:\d+: entry 'project\.qde' is not well-formed XML",
        ),
        ("doctype.qdpx", UnsafeArchiveError, r"entry 'project\.qde' declares a DOCTYPE"),
    ],
)
def test_bad_archives(name: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        read_project(DATA / "bad" / name)


def test_a_missing_source_is_skipped_with_its_codings_and_the_rest_comes_in() -> None:
    p = read_project(DATA / "bad" / "missing_source.qdpx")
    assert p.sources == [] and p.codings == [] and p.unplaced == []
    assert [c.name for c in p.codes] == ["Informal spaces", "Rota swapping"]
    assert [u.name for u in p.users] == ["Lee Park"]
    (source,) = [o for o in p.outcomes if o.kind == "source"]
    assert source.action == "skipped" and source.name == "P03 cafe"
    assert "points to 'internal://p03.txt', which is not in the archive" in source.reason
    assert "its 3 coding(s) are not imported" in source.reason
    codings = [o for o in p.outcomes if o.kind == "coding"]
    assert len(codings) == 3 and all(o.action == "skipped" for o in codings)
    assert codings[0].reason == "'Informal spaces' on 'P03 cafe' at [80, 92): its source is not imported"


def test_two_codes_sharing_a_guid_are_kept_and_their_codings_refused_by_name() -> None:
    p = read_project(DATA / "bad" / "duplicate_guids.qdpx")
    assert [c.name for c in p.codes] == ["Informal spaces", "Rota swapping"]
    assert len({c.guid for c in p.codes}) == 2
    assert len(p.codings) == 1  # the 'Rota swapping' coding points to the guid the code lost (dropped by the plan)
    refused = {u.coding: u for u in p.unplaced}
    assert len(refused) == 2
    assert all("names several codes ('Informal spaces', 'Rota swapping')" in u.reason for u in refused.values())
    assert any("2 codes share it" in o.reason for o in p.outcomes if o.kind == "guid")


def test_loose_qde_cannot_reach_outside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "proj"
    shutil.copytree(DATA / "maxqda", folder)
    qde = folder / "project.qde"
    qde.write_text(
        qde.read_text("utf-8").replace('plainTextPath="a.txt"', 'plainTextPath="../../etc/passwd"'),
        "utf-8",
    )
    with pytest.raises(
        UnsafeArchiveError, match=r"source path '\.\./\.\./etc/passwd' leaves the project folder"
    ):
        read_project(qde)


def test_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "x.qde"
    path.write_bytes(b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>")
    with pytest.raises(ExchangeError, match=r"the root element is <CodeBook>"):
        read_project(path)
