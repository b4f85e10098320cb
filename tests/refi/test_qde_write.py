"""Writing .qdpx: valid against Project.xsd, offsets and line breaks per target, read back."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema

from tests.refi.conftest import DATA, XSD
from thematic.errors import ParameterError
from thematic.refi.model import (
    ExCase,
    ExCode,
    ExCoding,
    ExNote,
    ExProject,
    ExSet,
    ExSource,
    ExUser,
    ExVariable,
)
from thematic.refi.qde_read import read_project
from thematic.refi.qde_write import TARGETS, qde_bytes, write_qdpx

G = "00000000-0000-4000-8000-{:012d}"
TEXT = (
    "Interviewer: How was it?\nP01: Honestly 😅 it was chaos.\nP01: The team were kind 🙏🏽 to me."
)


def sample() -> ExProject:
    quote_a, quote_b = "it was chaos", "The team were kind"
    a, b = TEXT.index(quote_a), TEXT.index(quote_b)
    return ExProject(
        name="Sample",
        users=[ExUser(G.format(1), "Dana")],
        codes=[
            ExCode(
                G.format(2),
                "Chaos",
                color="#E03C31",
                description="Disorder.\n\n[thematic code: chaos]",
            ),
            ExCode(G.format(3), "Kindness", parent=G.format(2), color="#2E8B57"),
        ],
        sources=[ExSource(G.format(4), "P01", TEXT, created="2024-05-06 10:00:00")],
        codings=[
            ExCoding(
                G.format(5),
                G.format(6),
                G.format(4),
                G.format(2),
                a,
                a + len(quote_a),
                G.format(1),
                "2024-05-06T10:00:00+00:00",
            ),
            ExCoding(
                G.format(7), G.format(6), G.format(4), G.format(3), a, a + len(quote_a), G.format(1)
            ),
            ExCoding(
                G.format(8), G.format(9), G.format(4), G.format(3), b, b + len(quote_b), G.format(1)
            ),
        ],
        variables=[
            ExVariable(G.format(10), "age", "Integer"),
            ExVariable(G.format(11), "nurse", "Boolean"),
        ],
        cases=[
            ExCase(
                G.format(12),
                "P01",
                values={G.format(10): 34, G.format(11): True},
                sources=[G.format(4)],
            )
        ],
        notes=[
            ExNote(G.format(13), "On chaos", "Everyone says it.", targets=[G.format(2)]),
            ExNote(G.format(14), "Project memo", "Started in May."),
            ExNote(
                G.format(15),
                "A span",
                "Said fast.",
                targets=[G.format(4)],
                span=(G.format(4), b, b + 8),
            ),
        ],
        sets=[ExSet(G.format(16), "Belonging", "People.", codes=[G.format(3)])],
        sidecar={"codings": {G.format(5): {"confidence": 0.9}}},
    )


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_valid_against_project_xsd(target: str, tmp_path: Path) -> None:
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(qde_bytes(sample(), target=target).decode("utf-8"))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_read_back_gives_the_same_project(target: str, tmp_path: Path) -> None:
    original = sample()
    path = write_qdpx(original, tmp_path / "out.qdpx", target=target)
    back = read_project(path)
    assert back.unplaced == []
    assert [(s.guid, s.name, s.text) for s in back.sources] == [
        (s.guid, s.name, s.text) for s in original.sources
    ]
    key = lambda c: (c.guid, c.selection, c.code, c.start, c.end, c.coder)  # noqa: E731
    assert sorted(map(key, back.codings)) == sorted(map(key, original.codings))
    assert [(c.guid, c.name, c.parent, c.color, c.description) for c in back.codes] == [
        (c.guid, c.name, c.parent, c.color, c.description) for c in original.codes
    ]
    assert back.cases[0].values == {G.format(10): 34, G.format(11): True}
    notes = {n.guid: n for n in back.notes}
    assert notes[G.format(13)].targets == [G.format(2)]
    assert notes[G.format(14)].targets == ["project"]
    assert notes[G.format(15)].span == original.notes[2].span
    assert back.sets[0].codes == [G.format(3)]
    assert back.sidecar["codings"] == {G.format(5): {"confidence": 0.9}}
    assert back.codings[0].created == "2024-05-06T10:00:00+00:00"


def _selection_start(path: Path) -> tuple[int, bytes]:
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
        text = z.read(f"sources/{G.format(4)}.txt")
    sels = root.findall(".//{urn:QDA-XML:project:1.0}PlainTextSelection")
    return int(sels[-2].get("startPosition")), text


@pytest.mark.parametrize(
    ("target", "expected_start", "crlf"),
    [
        ("standard", TEXT.index("The team"), False),
        # NVivo: the emoji before is two units and each CRLF two
        ("nvivo", TEXT.index("The team") + 2 + 1, True),
        ("atlasti", TEXT.index("The team"), True),
    ],
)
def test_target_offsets_and_line_breaks(
    target: str, expected_start: int, crlf: bool, tmp_path: Path
) -> None:
    path = write_qdpx(sample(), tmp_path / "t.qdpx", target=target)
    start, text = _selection_start(path)
    assert start == expected_start
    assert (b"\r\n" in text) is crlf
    assert text.decode("utf-8").replace("\r\n", "\n") == TEXT


def test_unknown_target(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"target must be one of .* Got 'dedoose' instead"):
        write_qdpx(sample(), tmp_path / "x.qdpx", target="dedoose")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fixture", ["nvivo_windows.qdpx", "maxqda/project.qde"])
def test_foreign_projects_survive_a_rewrite(fixture: str, tmp_path: Path) -> None:
    first = read_project(DATA / fixture)
    back = read_project(write_qdpx(first, tmp_path / "again.qdpx", target="nvivo"))
    texts = lambda p: [p.coding_text(c) for c in p.codings]  # noqa: E731
    assert texts(back) == texts(first)
