"""The hostile-input catalogue (issue 10): every bad input gets one clear line and changes nothing.

Each case runs against a private copy of one sample-like project (the sample study, the
sample codebook and one decided coding, built once per session). It asserts:

- an error: exit code 1 (2 for a bad option) and one ``error: ...`` line (CLI; a codebook's
  located problems follow it, one per line), or a :class:`ThematicError` (API),
  whose text matches the case's pattern (what went wrong, naming the file where there is one,
  and what to do) - or, for a *documented acceptance*, success with the stated output;
- no traceback;
- the project unchanged: ``status --json`` and a dump of every table are equal before and after.

Project-file cases point the CLI at a hostile *project file* instead; for those the file's
bytes must be unchanged (opening never writes).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from thematic import Project
from thematic.cli import app
from thematic.errors import ThematicError

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"
QUOTE_DOC = "P01_dana"

pytestmark = pytest.mark.filterwarnings("ignore")


# --------------------------------------------------------------------------- the project
@pytest.fixture(scope="session")
def catalogue_project(sample_project_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample study + codebook + one accepted hand coding (read-only: cases copy it)."""
    path = tmp_path_factory.mktemp("catalogue") / "study.thematic"
    shutil.copy(sample_project_file, path)
    with Project.open(path) as project:
        project.codebook.load(CODEBOOK, actor="ana")
        code = project.codebook.current().codes[-1].id
        text = project.documents.get(QUOTE_DOC).text
        quote = text[text.index("P01") + 5:][:40].strip() if "P01" in text else text[200:240]
        project.review.code_span(QUOTE_DOC, code, actor="ana", quote=quote)
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every table of a project file, every row (in rowid order)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


def status_json(runner: CliRunner, path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["status", "--json", "-p", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- hostile files
def _bomb(path: Path) -> Path:
    name = b"word/document.xml"
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk, parts, crc = b"\0" * 2**20, [], 0
    for _ in range(8):
        parts.append(comp.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    data = b"".join(parts) + comp.flush()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), 100, len(name), 0) + name
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), 100,
                          len(name), 0, 0, 0, 0, 0, 0) + name
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + eocd)
    return path


def _yaml(body: str) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        (d / "cb.yaml").write_text(body, encoding="utf-8")
        return d / "cb.yaml"
    return make


def _file(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        target = d / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
        return target
    return make


GOOD_CODE = "    definition: A code.\n    examples: [Some text.]\n"
TRANSCRIPT = "Interviewer: How was it?\nP77: It was fine, thank you.\n"
PDF = (SAMPLES / "P07_helen_okafor.pdf").read_bytes()


@dataclass(frozen=True)
class Case:
    """One hostile input: ``args`` for the CLI (``{f}`` the file made by ``make``, ``{d}`` the
    case folder, ``{p}`` the project) or ``api`` (a call on the open Project)."""

    id: str
    expect: str  # a regular expression the one error line (or the output, if accepted) matches
    args: tuple[str, ...] = ()
    make: Callable[[Path], Path] | None = None
    api: Callable[[Project, Path, Path | None], Any] | None = None
    accepted: bool = False  # documented acceptance: success, nothing changed
    project_file: Callable[[Path], Path] | None = None  # a hostile project file instead


def ingest(make: Callable[[Path], Path], expect: str, *extra: str, id: str) -> Case:
    return Case(id, expect, ("ingest", "{f}", *extra), make)


CASES: list[Case] = [
    # ---------------------------------------------------------------- ingest: files
    ingest(_file("empty.txt", b""), r"empty\.txt: the file is empty \(0 bytes\).*Check", id="ingest-empty"),
    ingest(_file("blank.txt", "  \n\t\n"), r"blank\.txt: the file holds no text", id="ingest-whitespace"),
    ingest(_file("bin.txt", b"\x00\x01\x02binary\x00" * 50), r"bin\.txt: the file is not text", id="ingest-binary"),
    ingest(_file("bad.txt", "Interviewer: Ça va?\nP77: Très bien ".encode() + b"\xff\xfe" + "é.\n".encode()),
           r"bad\.txt: the file is UTF-8 with invalid bytes.*--encoding", id="ingest-damaged-utf8"),
    ingest(_file("notes.doc", b"\xd0\xcf\x11\xe0old word"), r"notes\.doc: no reader for files ending in '\.doc'.*Supported",
           id="ingest-unknown-suffix"),
    ingest(_file("noext", TRANSCRIPT), r"noext: no reader .*no suffix", id="ingest-no-suffix"),
    ingest(_file("fake.docx", b"not a zip at all"), r"fake\.docx: the file is not a valid \.docx file.*save it again",
           id="ingest-fake-docx"),
    ingest(lambda d: _bomb(d / "bomb.docx"), r"bomb\.docx: the \.docx file is damaged", id="ingest-zip-bomb-forged-size"),
    ingest(_file("fake.odt", b"PK not really"), r"fake\.odt: the file is not a valid \.odt", id="ingest-fake-odt"),
    ingest(_file("fake.xlsx", b"a,b\n1,2\n"), r"fake\.xlsx: the file is not a valid \.xlsx", id="ingest-fake-xlsx"),
    ingest(_file("fake.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n"), r"fake\.pdf: the file is not a readable PDF",
           id="ingest-fake-pdf"),
    ingest(_file("cut.pdf", PDF[: len(PDF) // 2]), r"cut\.pdf: the file is not a readable PDF", id="ingest-truncated-pdf"),
    ingest(_file("v.vtt", b"\x00\xff" * 100), r"v\.vtt:1: a WebVTT file must start with the line 'WEBVTT'", id="ingest-binary-vtt"),
    ingest(_file("empty.docx", b""), r"empty\.docx: the file is empty", id="ingest-empty-docx"),
    ingest(lambda d: d / "missing.txt", r"missing\.txt: no such file or folder\. Check the path", id="ingest-missing"),
    ingest(lambda d: _file("sub/only.doc", b"x")(d).parent, r"sub: the folder holds no file thematic can read \(it holds 1 \.doc\)",
           id="ingest-folder-without-readable-files"),
    ingest(lambda d: d, r"the folder holds no file thematic can read \(it holds no files\)", id="ingest-empty-folder"),
    Case("ingest-glob-no-match", r"no file matches '.*\*\.nothing'", ("ingest", "{d}/*.nothing")),
    ingest(_file("cp.txt", "Interviewer: Café?\nP77: Très bien.\n".encode("cp1252")),
           r"cp\.txt: the file is not valid utf-8 \(byte \d+", "--encoding", "utf-8", id="ingest-wrong-encoding"),
    ingest(_file("t.txt", TRANSCRIPT), r"t\.txt: unknown encoding 'klingon'", "--encoding", "klingon",
           id="ingest-unknown-encoding"),
    ingest(_file("t.txt", TRANSCRIPT), r"Invalid value for '--survey-layout'", "--survey-layout", "sideways",
           id="ingest-bad-layout"),
    ingest(_file("t.txt", TRANSCRIPT), r"--attribute-type must be NAME=", "--attribute-type", "age=colour",
           id="ingest-bad-attribute-type"),
    Case("ingest-participants-without-id", r"people\.csv:1: the participants file has no id column; columns found: 'name', 'age'",
         ("ingest", str(SAMPLES / "P01_dana.txt"), "--participants", "{f}"), _file("people.csv", "name,age\nAna,34\n")),
    Case("ingest-participants-duplicate-ids", r"dup\.csv:\d+: participant ids repeat: 'P01'",
         ("ingest", str(SAMPLES / "P01_dana.txt"), "--participants", "{f}"),
         _file("dup.csv", "participant_id,age\nP01,34\nP01,35\n")),
    Case("ingest-participants-unmatched", r"who\.csv: 1 participant id\(s\) match no speaker: P99",
         ("ingest", "{d}/t.txt", "--participants", "{f}"),
         lambda d: (_file("t.txt", TRANSCRIPT)(d), _file("who.csv", "participant_id,age\nP99,40\n")(d))[1]),
    Case("ingest-participants-not-a-table", r"people\.txt: a participants file must be \.csv or \.xlsx",
         ("ingest", str(SAMPLES / "P01_dana.txt"), "--participants", "{f}"), _file("people.txt", "P01\n")),
    Case("ingest-replace-loses-decided-coding", r"would lose 1 decided coding.*--allow-losing-codings",
         ("ingest", "{f}", "--replace"), _file(f"other/{QUOTE_DOC}.txt", "Interviewer: Hi.\nP01: Something else.\n")),
    Case("ingest-same-file-again", r"skipped\s+P01_dana: identical to 'P01_dana', already imported",
         ("ingest", str(SAMPLES / "P01_dana.txt")), accepted=True),
    # ---------------------------------------------------------------- codebooks
    Case("codebook-deep-block", r"cb\.yaml:\d+:\d+: the YAML nests lists or mappings more than 64 levels",
         ("codebook", "validate", "{f}"), _yaml("codes:\n" + "".join("  " * (i + 1) + "- \n" for i in range(400)))),
    Case("codebook-deep-flow-import", r"cb\.yaml:1:\d+: the YAML nests lists or mappings more than 64 levels",
         ("codebook", "import", "{f}"), _yaml("codes: " + "[" * 5000 + "]" * 5000 + "\n")),
    Case("codebook-nested-quantifier", r"cb\.yaml:7:16: .*repeats a group that itself repeats",
         ("codebook", "validate", "{f}"), _yaml("codes:\n  - id: w\n    name: W\n" + GOOD_CODE + "    rules:\n      - regex: '(a+)+$'\n")),
    Case("codebook-nested-quantifier-import", r"cb\.yaml:7:16: .*repeats a group that itself repeats",
         ("codebook", "import", "{f}"), _yaml("codes:\n  - id: w\n    name: W\n" + GOOD_CODE + "    rules:\n      - regex: '^(\\w+\\s?)*$'\n")),
    Case("codebook-invalid-regex", r"cb\.yaml:7:16: .*invalid regular expression",
         ("codebook", "validate", "{f}"), _yaml("codes:\n  - id: w\n    name: W\n" + GOOD_CODE + "    rules:\n      - regex: '(unclosed'\n")),
    Case("codebook-yaml-syntax", r"cb\.yaml:\d+:\d+: YAML syntax error.*Check indentation",
         ("codebook", "validate", "{f}"), _yaml("codes:\n  - id: [unclosed\n")),
    Case("codebook-empty", r"cb\.yaml:1:1: the codebook file is empty", ("codebook", "import", "{f}"), _yaml("")),
    Case("codebook-top-level-list", r"cb\.yaml:1:1: .*top level", ("codebook", "validate", "{f}"), _yaml("- a\n- b\n")),
    Case("codebook-duplicate-ids", r"cb\.yaml:\d+:\d+: .*'w'", ("codebook", "import", "{f}"),
         _yaml("codes:\n  - id: w\n    name: W\n" + GOOD_CODE + "  - id: w\n    name: W2\n" + GOOD_CODE)),
    Case("codebook-unknown-parent", r"cb\.yaml:\d+:\d+: .*nowhere", ("codebook", "import", "{f}"),
         _yaml("codes:\n  - id: w\n    name: W\n    parent: nowhere\n" + GOOD_CODE)),
    Case("codebook-csv-without-name-column", r"cb\.csv:1: the CSV has no 'tag', 'name' or 'path' column; columns found: 'x'",
         ("codebook", "import", "{f}"), _file("cb.csv", "x,y\n1,2\n")),
    Case("codebook-csv-binary", r"cb\.csv: the file is not text", ("codebook", "validate", "{f}"),
         _file("cb.csv", b"\x00\x01\x02" * 40)),
    Case("codebook-unsupported-suffix", r"cb\.json: unsupported codebook format '\.json'.*Use one of",
         ("codebook", "import", "{f}"), _file("cb.json", "{}")),
    Case("codebook-missing", r"codebook file not found", ("codebook", "import", "{d}/none.yaml")),
    Case("codebook-qdc-not-xml", r"cb\.qdc:.*", ("codebook", "import", "{f}"), _file("cb.qdc", "not xml <")),
    Case("codebook-export-missing-folder", r"cannot write cb\.yaml: the folder .* does not exist.*another folder",
         ("codebook", "export", "{d}/nowhere/cb.yaml")),
    Case("codebook-export-onto-folder", r"cannot write out\.csv: it is a folder",
         ("codebook", "export", "{f}"), lambda d: (d / "out.csv").mkdir() or d / "out.csv"),
    # ---------------------------------------------------------------- the CLI on the project
    Case("code-span-occurrence-0", r"Invalid value for '--occurrence'",
         ("code-span", QUOTE_DOC, "{code}", "--quote", "the", "--occurrence", "0", "--coder", "ana")),
    Case("code-span-quote-and-offsets", r"give --quote or --start/--end, not both",
         ("code-span", QUOTE_DOC, "{code}", "--quote", "the", "--start", "1", "--end", "5", "--coder", "ana")),
    Case("code-span-ambiguous-quote", r"the quoted text occurs \d+ times.*--occurrence",
         ("code-span", QUOTE_DOC, "{code}", "--quote", "the", "--coder", "ana")),
    Case("code-span-quote-not-found", r"the quoted text is not in the document",
         ("code-span", QUOTE_DOC, "{code}", "--quote", "zebra unicorn xylophone", "--coder", "ana")),
    Case("code-span-unknown-document", r"P99_nobody", ("code-span", "P99_nobody", "{code}", "--quote", "x", "--coder", "ana")),
    Case("code-span-unknown-code", r"no-such-code", ("code-span", QUOTE_DOC, "no-such-code", "--start", "0", "--end", "5", "--coder", "ana")),
    Case("code-span-no-coder", r"coder", ("code-span", QUOTE_DOC, "{code}", "--quote", "x")),
    Case("review-source-bogus", r"Invalid value for '--source'", ("review", "accept", "--source", "bogus", "--coder", "ana")),
    Case("review-no-filter", r"say which codings", ("review", "accept", "--coder", "ana")),
    Case("review-unknown-id", r"999999", ("review", "accept", "--id", "999999", "--coder", "ana")),
    Case("role-unknown-speaker", r"no turn has the speaker label 'Nobody'", ("role", "Nobody", "interviewer")),
    Case("history-limit-0", r"Invalid value for '--limit'", ("history", "--limit", "0")),
    Case("set-unit-bogus", r"Invalid value for '--unit'", ("set", "--unit", "paragraph")),
    Case("export-codings-status-bogus", r"Invalid value for '--status'", ("export", "codings", "{d}/c.csv", "--status", "bogus")),
    Case("export-codings-status-with-none", r"wrote 0 codings to", ("export", "codings", "{d}/c.csv", "--status", "rejected"),
         accepted=True),
    Case("export-missing-folder", r"cannot write c\.xlsx: the folder .* does not exist.*another folder",
         ("export", "codings", "{d}/nowhere/c.xlsx")),
    Case("export-onto-folder", r"cannot write seg\.csv: it is a folder, not a file",
         ("export", "segments", "{f}"), lambda d: (d / "seg.csv").mkdir() or d / "seg.csv"),
    Case("export-bad-format", r"cannot write .segments. as .pdf.\. Formats for segments: csv, xlsx", ("export", "segments", "{d}/s.pdf")),
    Case("undo-mine-without-coder", r"coder", ("undo", "--mine")),
    # ---------------------------------------------------------------- the API
    Case("api-unknown-ingest-option", r"unknown ingest option 'colour'",
         api=lambda p, d, f: p.documents.ingest([SAMPLES / "P01_dana.txt"], colour="red", actor="ana")),
    Case("api-export-onto-folder", r"cannot write x\.csv: it is a folder",
         api=lambda p, d, f: (d / "x.csv").mkdir() or p.exports.write("codings", d / "x.csv")),
    Case("api-occurrence-0", r"occurrence must be 1-\d+\. Got 0 instead",
         api=lambda p, d, f: p.review.code_span(QUOTE_DOC, p.codebook.current().codes[0].id, actor="ana", quote="the", occurrence=0)),
    Case("api-quote-and-offsets", r"give a quote or start/end offsets, not both",
         api=lambda p, d, f: p.review.code_span(QUOTE_DOC, p.codebook.current().codes[0].id, actor="ana", quote="the", start=0, end=3)),
    Case("api-role-unknown", r"no turn has the speaker label 'Nobody'", api=lambda p, d, f: p.documents.set_speaker_role("Nobody", "interviewer", actor="ana")),
    Case("api-deep-codebook", r"more than 64 levels deep",
         api=lambda p, d, f: p.codebook.load(_yaml("codes: " + "[" * 3000 + "]" * 3000)(d), actor="ana")),
    Case("api-replace-loses-coding", r"would lose 1 decided coding",
         api=lambda p, d, f: p.documents.ingest([_file(f"x/{QUOTE_DOC}.txt", "Interviewer: Hi.\nP01: Other.\n")(d)], replace=True, actor="ana")),
    Case("api-bad-read-option", r"max_bytes must be a positive integer\. Got 0 instead",
         api=lambda p, d, f: p.documents.ingest([SAMPLES / "P01_dana.txt"], max_bytes=0, actor="ana")),
    # ---------------------------------------------------------------- project files (opening never writes)
    Case("project-zero-bytes", r"", ("status",), project_file=lambda d: _file("zero.thematic", b"")(d)),
    Case("project-not-sqlite", r"", ("status",), project_file=lambda d: _file("text.thematic", "hello\n" * 50)(d)),
    Case("project-foreign-sqlite", r"", ("status",), project_file=lambda d: _foreign_sqlite(d / "other.db")),
    Case("project-is-a-folder", r"", ("status",), project_file=lambda d: (d / "dir.thematic").mkdir() or d / "dir.thematic"),
    Case("project-missing", r"", ("status",), project_file=lambda d: d / "none.thematic"),
]


def _foreign_sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoices VALUES (1, 9.5)")
    con.commit()
    con.close()
    return path


def _format(args: tuple[str, ...], project: Path, folder: Path, made: Path | None, code: str) -> list[str]:
    out = [a.format(f=made, d=folder, p=project, code=code) for a in args]
    return out


def _one_error_line(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:") or "Invalid value" in ln]
    assert len(errors) == 1, output
    if "Invalid value" in errors[0]:
        return errors[0]
    assert len([ln for ln in lines if not ln.startswith(("warning:", "│", "╭", "╰", "Usage", "Try"))]) >= 1
    return errors[0]


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.slow
def test_hostile_input(case: Case, catalogue_project: Path, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THEMATIC_CODER", raising=False)
    monkeypatch.delenv("THEMATIC_PROJECT", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    project = tmp_path / "p.thematic"
    shutil.copy(catalogue_project, project)
    folder = tmp_path / "case"
    folder.mkdir()
    made = case.make(folder) if case.make else None

    if case.project_file is not None:
        hostile = case.project_file(folder)
        before = hostile.read_bytes() if hostile.is_file() else None
        result = runner.invoke(app, [*case.args, "-p", str(hostile)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        line = _one_error_line(result.output)
        assert str(hostile.name) in line
        after = hostile.read_bytes() if hostile.is_file() else None
        assert after == before, "opening a project must never write"
        assert not hostile.with_name(hostile.name + ".bak").exists() or before is None
        return

    before_status, before_tables = status_json(runner, project), dump(project)
    if case.api is not None:
        with Project.open(project) as p, pytest.raises(ThematicError) as info:
            case.api(p, folder, made)
        text = str(info.value)
        assert "\n" not in text.strip() or "more than 64" in text  # codebook errors list problems
        assert "Traceback" not in text
        import re

        assert re.search(case.expect, text), text
    else:
        with Project.open(project) as p:
            code = p.codebook.current().codes[0].id
        args = _format(case.args, project, folder, made, code)
        takes_project = tuple(case.args[:2]) != ("codebook", "validate")
        result = runner.invoke(app, [*args, *(["-p", str(project)] if takes_project else [])])
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        import re

        if case.accepted:
            assert result.exit_code == 0, result.output
            assert re.search(case.expect, result.output), result.output
        else:
            assert result.exit_code in (1, 2), result.output
            line = _one_error_line(result.output)
            assert re.search(case.expect, result.output.replace("\n", " ")), result.output
            assert len(line) < 600
    assert status_json(runner, project) == before_status
    assert dump(project) == before_tables
    assert not list(folder.rglob("*.tmp")), "no temporary file left behind"
    os.sync()


# --------------------------------------------------------------------------- the app
APP_CASES = {
    "app-zero-byte-project": lambda d: _file("zero.thematic", b"")(d),
    "app-not-a-project": lambda d: _file("text.thematic", "hello\n" * 50)(d),
    "app-foreign-sqlite": lambda d: _foreign_sqlite(d / "other.db"),
}


@pytest.mark.parametrize("case", list(APP_CASES))
def test_hostile_project_in_the_app(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from app_pages import state

    hostile = APP_CASES[case](tmp_path)
    before = hostile.read_bytes()
    monkeypatch.setenv(state.PROJECT_ENV, str(hostile))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert error.value.startswith("Cannot open the project") and hostile.name.replace(".", "\\.") in error.value
    assert "\n" not in error.value.strip()
    assert hostile.read_bytes() == before
