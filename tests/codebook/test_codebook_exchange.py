"""YAML dump, CSV and REFI-QDA .qdc: round trips, foreign files and bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xmlschema

from tests.codebook.conftest import SAMPLE, XSD
from thematic.codebook import (
    dump_codebook_yaml,
    load_any,
    load_codebook,
    parse_codebook,
    read_codebook_csv,
    read_qdc,
    save_any,
    write_codebook_csv,
    write_qdc,
)
from thematic.codebook.qdc import code_guid
from thematic.errors import CodebookError
from thematic.models import Codebook

FILES = ["small.yaml", "flat.yaml", "diff_v1.yaml"]
# exchange formats drop rules, so some codes lose what engines need: expected here
pytestmark = pytest.mark.filterwarnings("ignore::thematic.codebook.CodebookWarning")


def _tree(cb: Codebook) -> dict[str, tuple]:
    """What every exchange format must keep: names, hierarchy, definitions, colours."""
    return {
        c.id: (c.name, c.parent_id, c.definition, c.inclusion, c.exclusion, c.color, c.examples)
        for c in cb.codes
    }


@pytest.fixture(scope="module")
def sample() -> Codebook:
    return load_codebook(SAMPLE)


# --------------------------------------------------------------------------- YAML
@pytest.mark.parametrize("name", FILES)
def test_yaml_dump_round_trips_exactly(data: Path, name: str) -> None:
    cb = load_codebook(data / name)
    again = parse_codebook(dump_codebook_yaml(cb))
    assert again.codes == cb.codes
    assert again.content_hash == cb.content_hash
    assert again.label == cb.label


def test_sample_codebook_yaml_round_trips(sample: Codebook) -> None:
    text = dump_codebook_yaml(sample)
    again = parse_codebook(text)
    assert again.codes == sample.codes and again.label == "Listening Circles@1.0"
    assert "defaults:\n    roles: [participant]" in text  # shared roles are hoisted
    assert "regex: '" in text  # regexes are single-quoted


# --------------------------------------------------------------------------- CSV
@pytest.mark.parametrize("name", FILES)
def test_yaml_csv_yaml_keeps_codes_hierarchy_definitions_colours(data: Path, name: str) -> None:
    cb = load_codebook(data / name)
    text = write_codebook_csv(cb)
    back = read_codebook_csv(io.StringIO(text))
    assert _tree(back) == _tree(cb)
    assert parse_codebook(dump_codebook_yaml(back)).codes == back.codes


def test_sample_csv_round_trip_via_files(sample: Codebook, tmp_path: Path) -> None:
    path = save_any(sample, tmp_path / "peer.csv")
    back = load_any(path)
    assert _tree(back) == _tree(sample)
    assert all(not c.rules for c in back.codes)  # CSV carries no rules (documented)


def test_csv_header_is_taguette_compatible(data: Path) -> None:
    text = write_codebook_csv(load_codebook(data / "small.yaml"))
    header = text.splitlines()[0].split(",")
    assert header[:2] == ["tag", "description"]
    assert sum(h in ("tag", "name", "path") for h in header) == 1  # Taguette needs exactly one
    assert "Support > Feeling heard" in text


def test_taguette_export_builds_the_hierarchy_from_dotted_paths(data: Path) -> None:
    with pytest.warns(UserWarning):
        cb = read_codebook_csv(data / "taguette_export.csv")
    assert {c.id: c.parent_id for c in cb.codes} == {
        "support": None,
        "feeling-heard": "support",
        "hope": "support",
        "stigma": None,
        "family": "stigma",
        "clinical-staff": "stigma",
    }
    assert cb.by_id()["family"].definition == 'Stigma from family, e.g. "counting the bottles"'


@pytest.mark.parametrize("sep", [" > ", "/"])
def test_csv_path_separators_are_detected_and_parents_implied(sep: str) -> None:
    text = f"path,description\nA{sep}B{sep}C,deep\n"
    cb = read_codebook_csv(io.StringIO(text))
    assert [(c.name, c.parent_id) for c in cb.codes] == [("A", None), ("B", "a"), ("C", "b")]


def test_csv_semicolon_and_name_parent_columns() -> None:
    text = "Name;Parent;Colour;Definition\nSupport;;#abc;Support\nHope;Support;;Hope\n"
    cb = read_codebook_csv(io.BytesIO(text.encode("cp1252")))
    assert {c.id: (c.parent_id, c.color) for c in cb.codes} == {
        "support": (None, "#aabbcc"),
        "hope": ("support", None),
    }


def test_csv_without_a_name_column_lists_the_columns(data: Path) -> None:
    with pytest.raises(CodebookError, match="no 'tag', 'name' or 'path' column") as info:
        read_codebook_csv(data / "no_name_column.csv")
    assert "'label', 'description', 'count'" in info.value.message
    assert info.value.line == 1


def test_csv_row_problems_carry_the_row_number(data: Path) -> None:
    with pytest.raises(CodebookError) as info:
        read_codebook_csv(data / "bad_rows.csv")
    found = [(p.line, p.column) for p in info.value.problems]
    assert found == [(3, 1), (4, 3), (5, 2)]
    assert "row 3: empty code name" in info.value.problems[0].message
    assert "'not-a-colour' is not a colour" in info.value.problems[1].message
    assert "parent 'Nonexistent'" in info.value.problems[2].message


# --------------------------------------------------------------------------- REFI-QDA
@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


@pytest.mark.parametrize("name", FILES)
def test_qdc_export_is_valid_and_round_trips(data: Path, name: str, xsd: xmlschema.XMLSchema) -> None:
    cb = load_codebook(data / name)
    raw = write_qdc(cb)
    xsd.validate(raw.decode("utf-8"))
    back = read_qdc(io.BytesIO(raw))
    assert _tree(back) == _tree(cb)


def test_sample_qdc_round_trip_is_valid_and_stable(
    sample: Codebook, tmp_path: Path, xsd: xmlschema.XMLSchema
) -> None:
    path = save_any(sample, tmp_path / "peer.qdc")
    xsd.validate(str(path))
    assert write_qdc(sample) == path.read_bytes()  # same guids, same bytes
    back = load_any(path)
    assert _tree(back) == _tree(sample)
    assert parse_codebook(dump_codebook_yaml(back)).codes == back.codes


def test_qdc_guid_is_uuid5_of_the_code_id(data: Path) -> None:
    raw = write_qdc(load_codebook(data / "small.yaml")).decode()
    assert f'guid="{code_guid("hope")}"' in raw
    assert code_guid("hope") == code_guid("hope") != code_guid("hope-2")
    assert "[thematic code: hope]" in raw and "Typical examples:" in raw


def test_nvivo_qdc_import_keeps_names_hierarchy_colours_descriptions(data: Path) -> None:
    with pytest.warns(UserWarning):
        cb = read_qdc(data / "nvivo_export.qdc")
    assert {c.id: (c.name, c.parent_id, c.color) for c in cb.codes} == {
        "being-heard": ("Being heard", None, "#3366cc"),
        "feeling-heard": ("Feeling heard", "being-heard", "#6699ff"),
        "non-judgmental-space": ("Non-judgmental space", "being-heard", None),
        "stigma": ("Stigma", None, "#cc3333"),
        "family": ("Family", "stigma", "#e06666"),
        "clinical-staff": ("Clinical staff", "stigma", None),
        "family-2": ("Family", None, None),
    }
    definition = cb.by_id()["feeling-heard"].definition
    assert definition == (
        "Participant describes being listened to.\n"
        "Include explicit statements; exclude technical audio talk."
    )
    assert "“counting the bottles”" in cb.by_id()["family"].definition


def test_qdc_that_is_not_xml_reports_the_line(data: Path) -> None:
    with pytest.raises(CodebookError, match="not well-formed XML") as info:
        read_qdc(data / "not_xml.qdc")
    assert info.value.line == 5
    assert info.value.problems[0].line == 5


def test_qdc_failing_the_xsd_lists_every_violation(data: Path) -> None:
    # an id that is not a GUID and the colour "red" are mended (with warnings); a code without a
    # name is not
    with pytest.raises(CodebookError, match="1 schema violation") as info:
        read_qdc(data / "invalid_schema.qdc")
    lines = [p.line for p in info.value.problems]
    assert lines == [5]
    assert any("'name' is required" in p.message for p in info.value.problems)


def test_qdc_as_other_tools_write_it_is_mended_with_warnings() -> None:
    from thematic.codebook.formats import load_any_with_warnings

    raw = (b'<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti Win 26.1.1"><Codes>'
           b'<Code guid="p" name="Parent" isCodable="true" color="rgb(255, 0, 12)"><Description>Comment'
           b'</Description><Code guid="c" name="Child" color="#FF00AA33"/></Code></Codes>'
           b'<Sets><Set guid="s" name="group"><MemberCode guid="c"/></Set></Sets></CodeBook>')
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "atlas.qdc"
        path.write_bytes(raw)
        book, warnings = load_any_with_warnings(path)
    assert [(c.id, c.parent_id, c.color, c.definition) for c in book.codes] == [
        ("parent", None, "#ff000c", "Comment"), ("child", "parent", None, "")]
    text = " | ".join(w.message for w in warnings)
    assert "namespace is 'urn:QDA-XML:codebook:0:4'" in text and "were read as #RRGGBB" in text
    assert "not #RRGGBB were left out" in text and "were given GUIDs" in text and "without isCodable" in text


def test_qdc_with_wrong_namespace_fails_the_schema() -> None:
    raw = b'<CodeBook xmlns="urn:other"><Codes/></CodeBook>'
    with pytest.raises(CodebookError, match="schema"):
        read_qdc(io.BytesIO(raw))


# --------------------------------------------------------------------------- dispatch
def test_load_any_and_save_any_dispatch_by_suffix(data: Path, tmp_path: Path) -> None:
    cb = load_any(data / "small.yaml")
    for suffix in (".yml", ".csv", ".qdc"):
        path = save_any(cb, tmp_path / f"out{suffix}")
        assert _tree(load_any(path)) == _tree(cb), suffix
    with pytest.raises(CodebookError, match="unsupported codebook format"):
        load_any(tmp_path / "codebook.txt")
