"""Hostile foreign files (issue 19, point 2): what comes from outside is checked once, at the boundary.

A thematic sidecar that lies (spans outside the text, deciders the file never declared,
statuses, sources and rule keys outside our vocabularies, rules that would break every later
``thematic code``), QualCoder and Taguette databases with positions that are not whole
numbers or that sit in a folder named with ``#``, ``?`` or ``%``, REFI selections with
offsets that are not numbers, another program's own files: each is one clear line (or a
reported element), never a traceback or SQL, and nothing it says is stored unchecked.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from thematic import Project
from thematic.cli import app
from thematic.codebook import validate_codebook
from thematic.codebook.qdc import code_guid
from thematic.errors import ExchangeError, ThematicError
from thematic.models import Code, Codebook, Rule
from thematic.refi.convert import exchange_codes
from thematic.refi.model import ExCoding, ExProject, ExSource, ExUser
from thematic.refi.qde_write import write_qdpx

ROOT = Path(__file__).resolve().parents[2]
REFI = ROOT / "tests" / "data" / "refi"
TEXT = "Interviewer: How was the circle?\nP01: I felt heard for the first time. Nobody judged me.\n"
QUOTE = "I felt heard for the first time."
HEARD = Code("feeling-heard", "Feeling heard", definition="Being listened to.",
             rules=(Rule("feeling-heard/r1", "keywords", ["heard"]),))
SAFE = Code("safe-space", "Safe space", definition="No judgement.")
DOC = "0b2c7f44-0a62-4ab4-9c35-0f3c5a1e0001"
CODING = "0b2c7f44-0a62-4ab4-9c35-0f3c5a1e0002"

pytestmark = pytest.mark.filterwarnings("ignore")


def _sidecar() -> dict[str, Any]:
    """The sidecar thematic writes for the small project of :func:`_archive`."""
    start = TEXT.index("Nobody")
    return {
        "version": 1,
        "documents": {DOC: {"name": "P01", "format": "txt", "sha256": ""}},
        "codings": {CODING: {"source": "manual", "status": "accepted", "confidence": None, "evidence": {},
                             "run_id": None, "coder": "ana", "decided_by": "ana",
                             "decided_at": "2024-05-06T10:00:00"}},
        "suggestions": [{"document": DOC, "code": "safe-space", "start": start, "end": start + 17,
                         "source": "rule", "status": "suggested", "confidence": 0.8,
                         "evidence": {"matched": ["judged"]}, "run_id": 1, "coder": None,
                         "decided_by": None, "decided_at": None}],
        "runs": [{"run_id": 1, "engine": "rules", "params": {}, "versions": {}, "input_hash": "x", "seed": 0,
                  "status": "finished", "stats": {}, "started_at": "2024-05-06T10:00:00",
                  "finished_at": "2024-05-06T10:00:01", "actor": "ana"}],
        "attribute_types": {},
        "codes": {"feeling-heard": {"rules": [asdict(r) for r in HEARD.rules]}},
        "participants": {},
        "memos": {},
        "themes": {},
    }


def _archive(path: Path, change: Any = None, *, raw_sidecar: bytes | None = None) -> Path:
    """A one-document .qdpx written by thematic, its sidecar changed by ``change(sidecar)``."""
    start = TEXT.index(QUOTE)
    ex = ExProject(
        name="circle",
        origin="thematic 0.1.0; offsets codepoint-crlf1",
        users=[ExUser("0b2c7f44-0a62-4ab4-9c35-0f3c5a1e0003", "ana")],
        codes=exchange_codes(Codebook(codes=[HEARD, SAFE])),
        sources=[ExSource(DOC, "P01", TEXT)],
        codings=[ExCoding(CODING, "0b2c7f44-0a62-4ab4-9c35-0f3c5a1e0004", DOC, code_guid("feeling-heard"),
                          start, start + len(QUOTE), "0b2c7f44-0a62-4ab4-9c35-0f3c5a1e0003")],
    )
    side = _sidecar()
    if change is not None:
        change(side)
    ex.sidecar = side
    write_qdpx(ex, path)
    if raw_sidecar is not None:
        _replace_entry(path, "thematic/sidecar.json", raw_sidecar)
    return path


def _replace_entry(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    entries[name] = data
    with zipfile.ZipFile(path, "w") as z:
        for n, d in entries.items():
            z.writestr(n, d)


def _import(tmp_path: Path, archive: Path) -> tuple[Project, Any]:
    project = Project.create(tmp_path / "p.thematic")
    return project, project.exchange.import_project(archive, actor="ana")


def _set(path: str, value: Any) -> Any:
    """A change setting ``side[path...] = value`` (path of keys and indices, dotted)."""
    def change(side: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        target: Any = side
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value
    return change


def _nested(depth: int) -> Any:
    value: Any = {"LOWER": "heard"}
    for _ in range(depth):
        value = [value]
    return value


# --------------------------------------------------------------------------- the sidecar
SIDECAR_CASES = [
    # (id, change, reported line, what must not be stored)
    ("span-outside-text", lambda s: s["suggestions"][0].update(start=-50, end=1_000_000_000),
     r"sidecar 'suggestion 0': offsets \[-50, 1000000000\) are not inside its document \(0 to \d+\); left out",
     "suggestion"),
    ("offsets-not-numbers", _set("suggestions.0.start", "abc"),
     r"sidecar 'suggestion 0': offsets \['abc', \d+\) are not whole numbers; left out", "suggestion"),
    ("offsets-floats", _set("suggestions.0.end", 70.5),
     r"offsets \[\d+, 70\.5\) are not whole numbers", "suggestion"),
    ("offsets-bools", _set("suggestions.0.start", True), r"are not whole numbers", "suggestion"),
    ("status-unknown", _set("suggestions.0.status", "approved-by-magic"),
     r"sidecar 'suggestion 0': unknown status 'approved-by-magic' \(one of suggested, accepted, rejected\)",
     None),
    ("source-unknown", _set("suggestions.0.source", "oracle"), r"unknown source 'oracle'", None),
    ("confidence-out-of-range", _set("suggestions.0.confidence", 7), r"confidence 7 is not a number from 0 to 1",
     None),
    ("confidence-nan", _set("suggestions.0.confidence", float("nan")), r"confidence nan is not a number", None),
    ("evidence-not-a-mapping", _set("suggestions.0.evidence", ["x"]), r"its evidence is not a mapping", None),
    ("suggestion-not-a-mapping", _set("suggestions.0", "boom"), r"'suggestion 0': is not a mapping", "suggestion"),
    ("suggestions-not-a-list", _set("suggestions", {"a": 1}), r"sidecar 'suggestions': is not a list", "suggestion"),
    ("document-unknown", _set("suggestions.0.document", "nope"), r"its document is not in the file", "suggestion"),
    ("decided-by-mallory", lambda s: s["suggestions"][0].update(status="accepted", decided_by="mallory"),
     r"decided by 'mallory' is not a user the file declares", "mallory"),
    ("coding-accepted-by-mallory", _set(f"codings.{CODING}.decided_by", "mallory"),
     r"sidecar 'coding \S+': decided by 'mallory' is not a user the file declares", "mallory"),
    ("coder-mallory", _set(f"codings.{CODING}.coder", "mallory"), r"coder 'mallory' is not a user", "mallory"),
    ("coder-a-list", _set(f"codings.{CODING}.coder", ["ana"]), r"coder \['ana'\] is not a user", None),
    ("decider-a-mapping", _set("suggestions.0.decided_by", {"name": "ana"}), r"decided by \{'name'.* is not a user",
     None),
    ("rules-nested-deeply", lambda s: s["codes"]["feeling-heard"]["rules"][0].update(
        kind="pattern", value=_nested(400)), r"rules of code feeling-heard", "rules"),
    ("decided-at-garbage", _set(f"codings.{CODING}.decided_at", "yesterday-ish"),
     r"decided at 'yesterday-ish' is not a date and time", None),
    ("status-unknown-on-coding", _set(f"codings.{CODING}.status", "DROP TABLE codings"),
     r"unknown status 'DROP TABLE codings'", None),
    ("rule-key-unknown", _set("codes.feeling-heard.rules.0.mallory", 1),
     r"sidecar 'rules of code feeling-heard': rule 0: unknown key\(s\) 'mallory'; the code's rules are left out",
     "rules"),
    ("rule-kind-unknown", _set("codes.feeling-heard.rules.0.kind", "sql"), r"rule 0: unknown rule kind 'sql'",
     "rules"),
    ("rule-regex-catastrophic", lambda s: s["codes"]["feeling-heard"]["rules"][0].update(kind="regex", value="(a+)+$"),
     r"repeats a group that itself repeats", "rules"),
    ("rule-keywords-not-a-list", _set("codes.feeling-heard.rules.0.value", 5),
     r"keywords must be a list of texts", "rules"),
    ("rule-id-invalid", _set("codes.feeling-heard.rules.0.id", "bad id!"), r"'bad id!' is not a valid rule id",
     "rules"),
    ("rule-pattern-invalid", lambda s: s["codes"]["feeling-heard"]["rules"][0].update(kind="pattern",
                                                                                      value=[{"NOPE": 1}]),
     r"spaCy rejects the token pattern", "rules"),
    ("rules-not-a-list", _set("codes.feeling-heard.rules", "heard"), r"rules are not a list", "rules"),
    ("run-seed-text", _set("runs.0.seed", "x"), r"sidecar 'run 0': seed not of the kind thematic writes", "run"),
    ("run-params-list", _set("runs.0.params", [1]), r"params not of the kind thematic writes", "run"),
    ("memo-target-evil", _set("memos", {"m": {"target_type": "users", "ref": "1"}}),
     r"sidecar 'memo m': its target is not one thematic writes", None),
    ("theme-position-text", _set("themes", {"t": {"parent": None, "position": "1; DROP"}}),
     r"sidecar 'theme t': position '1; DROP' is not a whole number", None),
    ("attribute-type-unknown", _set("attribute_types", {"age": "blob"}), r"sidecar 'attribute age': unknown type 'blob'",
     None),
    ("document-format-path", _set(f"documents.{DOC}.format", "../../x"), r"format '\.\./\.\./x' is not a file format",
     None),
]


@pytest.mark.parametrize(("change", "line", "gone"), [c[1:] for c in SIDECAR_CASES], ids=[c[0] for c in SIDECAR_CASES])
def test_a_lying_sidecar_is_reported_and_not_stored(change: Any, line: str, gone: str | None, tmp_path: Path) -> None:
    project, report = _import(tmp_path, _archive(tmp_path / "in.qdpx", change))
    with project:
        assert any(re.search(line, d) for d in report.dropped), report.dropped
        codings = project.review.codings()
        assert set(codings["status"]) <= {"suggested", "accepted", "rejected"}
        assert set(codings["source"]) <= {"manual", "rule", "semantic", "classifier", "topic", "import", "combined"}
        text = project.documents.get("P01").text
        assert all(0 <= s < e <= len(text) for s, e in zip(codings["start"], codings["end"]))
        assert "mallory" not in set(codings["coder"].dropna()) | set(codings["decided_by"].dropna())
        assert "mallory" not in project.coders.names()
        assert all(c is None or 0 <= c <= 1 for c in codings["confidence"].tolist() if c == c)
        (heard,) = [c for c in codings.itertuples() if c.code == "feeling-heard"]  # the REFI coding stays
        assert heard.text == QUOTE and heard.status == "accepted"
        if gone == "suggestion":
            assert "safe-space" not in set(codings["code"])
        if gone == "mallory":
            assert heard.decided_by == "ana"
        if gone == "rules":
            book = project.codebook.current()
            assert book.by_id()["feeling-heard"].rules == ()
            assert [p for p in validate_codebook(book) if p.severity == "error"] == []
        if gone == "run":
            from thematic.store.foreign.exchange import ExchangeRows

            assert ExchangeRows(project.store.project_id, project.store.read).runs() == []


def test_an_untouched_sidecar_is_restored_whole(tmp_path: Path) -> None:
    project, report = _import(tmp_path, _archive(tmp_path / "in.qdpx"))
    with project:
        assert report.dropped == []
        codings = project.review.codings().set_index("code")
        assert codings.loc["safe-space", "status"] == "suggested" and codings.loc["safe-space", "source"] == "rule"
        assert codings.loc["feeling-heard", "source"] == "manual"
        assert project.codebook.current().by_id()["feeling-heard"].rules == HEARD.rules


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00", b"[1, 2, 3]", b'{"namespace": "urn:evil"}',
                                 b"[" * 100_000])
def test_a_sidecar_that_is_not_ours_or_not_json_is_ignored_with_a_line(raw: bytes, tmp_path: Path) -> None:
    project, report = _import(tmp_path, _archive(tmp_path / "in.qdpx", raw_sidecar=raw))
    with project:
        assert any(d.startswith("sidecar 'thematic/sidecar.json': ") for d in report.dropped)
        (coding,) = project.review.codings().itertuples()  # the REFI part is read as any REFI project
        assert coding.text == QUOTE and coding.source == "import"


def test_after_a_sidecar_with_bad_rules_thematic_code_still_runs(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "in.qdpx",
                       lambda s: s["codes"]["feeling-heard"]["rules"][0].update(kind="regex", value="([a-z"))
    project, report = _import(tmp_path, archive)
    assert any("rules of code feeling-heard" in d for d in report.dropped)
    assert project.codebook.current().by_id()["feeling-heard"].rules == ()
    project.close()
    runner = CliRunner()
    result = runner.invoke(app, ["code", "-p", str(tmp_path / "p.thematic")])
    assert "Traceback" not in result.output and result.exit_code == 0, result.output


# --------------------------------------------------------------------------- REFI selections
@pytest.mark.parametrize("value", ["abc", "1e3", "12.5", "", "0x10", "٣"])
def test_refi_offsets_that_are_not_whole_numbers_name_the_coding(value: str, tmp_path: Path) -> None:
    from lxml import etree

    with zipfile.ZipFile(REFI / "atlasti.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        text = z.read("sources/p03.txt")
    sel = root.find(".//{urn:QDA-XML:project:1.0}PlainTextSelection")
    sel.set("startPosition", value)
    path = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", etree.tostring(root))
        z.writestr("sources/p03.txt", text)
    with Project.create(tmp_path / "p.thematic") as project:
        with pytest.raises(ExchangeError, match=r"1 coding\(s\) cannot be placed .*\('Informal spaces'\) on "
                                                r"'P03 cafe' \[None, \d+\): offsets \[.*\) are not whole numbers"):
            project.exchange.import_project(path, actor="ana")
        assert project.documents.frame().empty
        report = project.exchange.import_project(path, allow_unplaced=True, actor="ana")
        assert report.codings == 2 and len(report.unplaced) == 1


def test_two_sources_sharing_a_guid_keep_their_own_codings(tmp_path: Path) -> None:
    from lxml import etree

    from thematic.refi.qde_read import read_project

    with zipfile.ZipFile(REFI / "atlasti.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        text = z.read("sources/p03.txt")
    ns = "{urn:QDA-XML:project:1.0}"
    sources = root.find(f"{ns}Sources")
    twin = etree.fromstring(etree.tostring(sources[0]))
    twin.set("name", "P03 twin")
    for i, el in enumerate(twin.iter()):
        if el.tag != f"{ns}TextSource" and el.get("guid"):
            el.set("guid", f"00000000-0000-4000-8000-{i:012d}")
    sel = twin.find(f"{ns}PlainTextSelection")
    twin.remove(twin.findall(f"{ns}PlainTextSelection")[1])
    twin.remove(twin.findall(f"{ns}PlainTextSelection")[1])
    assert sel is not None
    sources.append(twin)
    path = tmp_path / "twins.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", etree.tostring(root))
        z.writestr("sources/p03.txt", text)
    p = read_project(path)
    assert [s.name for s in p.sources] == ["P03 cafe", "P03 twin"] and len({s.guid for s in p.sources}) == 2
    per_source = {s.name: sum(c.source == s.guid for c in p.codings) for s in p.sources}
    assert per_source == {"P03 cafe": 3, "P03 twin": 1}
    assert any("2 sources share it" in o.reason for o in p.outcomes)


# --------------------------------------------------------------------------- QualCoder and Taguette
def _qualcoder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(REFI / "qualcoder_study.qda", folder)
    return folder


def _taguette(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(REFI / "taguette.sqlite3", path)
    return path


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("name", ["study #1.qda", "what?.qda", "100%.qda", "a%20b.qda", "#?%.qda"])
def test_qualcoder_folder_with_uri_characters_imports_and_leaves_no_stray_file(name: str, tmp_path: Path) -> None:
    folder = _qualcoder(tmp_path, name)
    before = _files(tmp_path)
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.exchange.import_project(folder, actor="ana")
        assert report.codings == 2
    assert _files(tmp_path) - before - {tmp_path / "p.thematic"} == set()


@pytest.mark.parametrize("name", ["safe #2.sqlite3", "safe?.sqlite3", "50%.sqlite3", "x?mode=rwc.sqlite3"])
def test_taguette_file_with_uri_characters_imports_and_leaves_no_stray_file(name: str, tmp_path: Path) -> None:
    path = _taguette(tmp_path, name)
    before = _files(tmp_path)
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.exchange.import_project(path, actor="ana")
        assert report.codings == 3
    assert _files(tmp_path) - before - {tmp_path / "p.thematic"} == set()


def test_a_missing_qualcoder_database_behind_a_hash_is_not_created(tmp_path: Path) -> None:
    folder = tmp_path / "gone #1.qda"
    folder.mkdir()
    with Project.create(tmp_path / "p.thematic") as project, pytest.raises(ExchangeError, match=r"data\.qda. does not exist"):
        project.exchange.import_project(folder / "data.qda", actor="ana")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("values", [("abc", 10), (3.5, 10), (None, 10), (b"\x00", 10), (2, "x9")])
def test_qualcoder_positions_that_are_not_whole_numbers_are_reported(values: tuple[Any, Any], tmp_path: Path) -> None:
    folder = _qualcoder(tmp_path, "q.qda")
    conn = sqlite3.connect(folder / "data.qda")
    conn.execute("UPDATE code_text SET pos0 = ?, pos1 = ? WHERE ctid = 1", values)
    conn.commit()
    conn.close()
    with Project.create(tmp_path / "p.thematic") as project:
        with pytest.raises(ExchangeError, match=r"coding 1 \('Disruption'\) on 'P07 merger'") as caught:
            project.exchange.import_project(folder, actor="ana")
        assert "Traceback" not in str(caught.value) and "SELECT" not in str(caught.value)
        report = project.exchange.import_project(folder, allow_unplaced=True, actor="ana")
        assert report.codings == 1 and len(report.unplaced) == 1
        assert "not whole numbers" in report.unplaced[0].reason or "no positions" in report.unplaced[0].reason


@pytest.mark.parametrize("values", [("x", 20), (2.5, 20), (-5, 20), (3, "12; DROP TABLE x")])
def test_taguette_offsets_that_are_not_whole_numbers_are_reported(values: tuple[Any, Any], tmp_path: Path) -> None:
    path = _taguette(tmp_path, "t.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE highlights SET start_offset = ?, end_offset = ? WHERE id = 1", values)
    conn.commit()
    conn.close()
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.exchange.import_project(path, allow_unplaced=True, actor="ana")
        (bad,) = report.unplaced
        assert bad.coding == "highlight 1" and bad.code == "safe-place"
        assert "are not whole numbers" in bad.reason or "fall outside" in bad.reason
        assert report.codings == 2


# --------------------------------------------------------------------------- other programs' files
NATIVE = [
    ("study.mex", r"'study\.mex' is a MAXQDA exchange file \(a database whose texts are encrypted\), which only "
                  r"MAXQDA can open\. In MAXQDA, export the project as a REFI-QDA project \(\.qdpx\)"),
    ("study.mex24", r"is a MAXQDA exchange file"),
    ("study.mx24", r"'study\.mx24' is a MAXQDA project, which only MAXQDA can open"),
    ("study.mx20", r"is a MAXQDA project"),
    ("study.nvp", r"is an NVivo \(Windows\) project, which only NVivo can open\. In NVivo, export"),
    ("study.nvpx", r"is an NVivo for Mac project"),
    ("study.atlproj", r"is an ATLAS\.ti project bundle, which only ATLAS\.ti can open"),
    ("study.hpr7", r"is an ATLAS\.ti hermeneutic unit"),
    ("study.qrk", r"is a Quirkos project"),
]


def _sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE textsource (id INTEGER, text BLOB)")
    conn.execute("INSERT INTO textsource VALUES (1, ?)", (b"\x8f\x02encrypted",))
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(("name", "message"), NATIVE, ids=[n for n, _ in NATIVE])
def test_another_programs_file_is_named_in_one_line(name: str, message: str, tmp_path: Path) -> None:
    path = _sqlite(tmp_path / name)
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(path), "--new", str(tmp_path / "p.thematic")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [x for x in result.output.strip().splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert re.search(message, lines[0]), lines[0]
    assert not (tmp_path / "p.thematic").exists()  # nothing created on a failed command


@pytest.mark.parametrize(("name", "message"), NATIVE[:3], ids=[n for n, _ in NATIVE[:3]])
def test_codebook_import_of_another_programs_file_says_what_to_export(name: str, message: str,
                                                                      tmp_path: Path) -> None:
    path = _sqlite(tmp_path / name)
    with Project.create(tmp_path / "p.thematic") as project, pytest.raises(ThematicError) as caught:
        project.codebook.load(path, actor="ana")
    assert re.search(message.split(r"\. In")[0], str(caught.value))
    assert "export the codebook as REFI-QDA (.qdc)" in str(caught.value)


def test_a_codebook_file_given_to_import_says_to_load_it(tmp_path: Path) -> None:
    path = tmp_path / "book.qdc"
    path.write_bytes(b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>")
    with Project.create(tmp_path / "p.thematic") as project, pytest.raises(ThematicError,
                                                                            match=r"is a REFI-QDA codebook.*project.codebook.load"):
        project.exchange.import_project(path, actor="ana")


# --------------------------------------------------------------------------- CLI: lines, never tracebacks
def test_cli_import_of_a_lying_sidecar_reports_one_line_each(tmp_path: Path) -> None:
    def lie(side: dict[str, Any]) -> None:
        side["suggestions"][0].update(start=-50, end=1_000_000_000)
        side["codings"][CODING]["decided_by"] = "mallory"
        side["codes"]["feeling-heard"]["rules"][0]["mallory"] = True

    archive = _archive(tmp_path / "in.qdpx", lie)
    result = CliRunner().invoke(app, ["import", str(archive), "--new", str(tmp_path / "p.thematic"), "--json"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads(result.stdout)
    reasons = [o["reason"] for o in data["skipped"] if o["kind"] == "sidecar"]
    assert len(reasons) == 3
    assert any("[-50, 1000000000)" in r for r in reasons) and any("'mallory' is not a user" in r for r in reasons)
    assert any("unknown key(s) 'mallory'" in r for r in reasons)


def test_cli_sources_option_and_json_report(tmp_path: Path) -> None:
    wild = REFI / "wild"
    result = CliRunner().invoke(app, ["import", str(wild / "atlasti_mac84.qdpx"), "--new", str(tmp_path / "p.thematic"),
                                      "--sources", str(wild / "atlasti_mac84_sources"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kept"]["codings"] == {"Interview P11": 2} and len(data["kept"]["codes"]) == 14
    assert data["unplaced"] == [] and data["documents"] == ["Site B interview.pdf", "Interview P11"]


def test_cli_codebook_import_takes_a_projects_codebook(tmp_path: Path) -> None:
    wild = REFI / "wild"
    Project.create(tmp_path / "q.thematic").close()
    for source in (wild / "maxqda24" / "project.qde", wild / "nvivo_mac15.qdpx"):
        result = CliRunner().invoke(app, ["codebook", "import", str(source), "-p", str(tmp_path / "q.thematic"),
                                          "--json"])
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    with Project.open(tmp_path / "q.thematic") as project:
        book = project.codebook.current()
    assert len(book.codes) == 262  # the second codebook replaced the first
    assert book.by_id()["care"].color is not None and book.by_id()["care"].parent_id is None
    assert any(c.parent_id == "care" for c in book.codes)


@pytest.mark.parametrize(("kind", "element", "value"), [("Integer", "IntegerValue", "thirty-four"),
                                                        ("Float", "FloatValue", "NaN-ish"),
                                                        ("Date", "DateValue", "last spring")])
def test_a_case_value_that_is_not_of_its_type_is_reported_not_lost_silently(kind: str, element: str, value: str,
                                                                          tmp_path: Path) -> None:
    with zipfile.ZipFile(REFI / "nvivo_windows.qdpx") as z:
        entries = {n: z.read(n) for n in z.namelist()}
    qde = entries["project.qde"].replace(b'typeOfVariable="Integer"', f'typeOfVariable="{kind}"'.encode())
    entries["project.qde"] = qde.replace(b"<IntegerValue>34</IntegerValue>",
                                         f"<{element}>{value}</{element}>".encode())
    path = tmp_path / "typed.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.exchange.import_project(path, actor="ana")
        assert f"case 'P01': Age '{value}' is not a " in " ".join(report.notices)
        assert report.participants == 1 and report.codings == 4


@pytest.mark.parametrize(("sql", "values"), [
    ("UPDATE code_name SET name = ? WHERE cid = 1", (12345,)),
    ("UPDATE code_name SET memo = ? WHERE cid = 1", (b"\xff\xfe memo",)),
    ("UPDATE source SET name = ? WHERE id = 1", (3.25,)),
    ("UPDATE code_text SET seltext = ? WHERE ctid = 2", (b"I lost my best mentor in the shuffle",)),
    ("UPDATE cases SET name = ? WHERE caseid = 1", (b"\x00P07",)),
])
def test_qualcoder_values_of_the_wrong_storage_class_are_read_as_text(sql: str, values: tuple[Any, ...],
                                                                     tmp_path: Path) -> None:
    folder = _qualcoder(tmp_path, "q.qda")
    conn = sqlite3.connect(folder / "data.qda")
    conn.execute(sql, values)
    conn.commit()
    conn.close()
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.exchange.import_project(folder, actor="ana")
        assert report.codings == 2


def test_taguette_contents_stored_as_bytes_are_read_as_text(tmp_path: Path) -> None:
    path = _taguette(tmp_path, "t.sqlite3")
    conn = sqlite3.connect(path)
    (html,) = conn.execute("SELECT contents FROM documents WHERE id = 1").fetchone()
    conn.execute("UPDATE documents SET contents = ?, name = ? WHERE id = 1", (html.encode("utf-8"), 42))
    conn.commit()
    conn.close()
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.exchange.import_project(path, actor="ana")
        assert report.codings == 3 and report.documents == ["42"]
