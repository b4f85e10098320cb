"""Hostile files at ingest: bombs, giant turns, bad bytes, hidden bidi controls, bad folders."""

from __future__ import annotations

import codecs
import os
import struct
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import DecodingError, FileTooLargeError, IngestError, ParticipantsError
from thematic.ingest import ReadOptions, read_file, read_participants
from thematic.ingest.normalise import decode_bytes
from thematic.ingest.paths import expand
from thematic.ingest.speakers import parse_turns
from thematic.models import Code, Codebook, Rule, Segment
from thematic.suggest.rules import RuleEngine

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "ingest"
MB = 1024 * 1024


# --------------------------------------------------------------------------- zip bombs
def _bomb(path: Path, *, real: int, claimed: int, honest_crc: bool = True) -> Path:
    """A one-member zip whose headers claim ``claimed`` bytes for ``real`` bytes of zeros."""
    name = b"word/document.xml"
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * MB
    parts, crc = [], 0
    for _ in range(real // MB):
        parts.append(comp.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(comp.flush())
    data = b"".join(parts)
    if not honest_crc:
        crc = zlib.crc32(b"\0" * claimed)  # the CRC of what the header claims
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), claimed,
                        len(name), 0) + name
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data),
                          claimed, len(name), 0, 0, 0, 0, 0, 0) + name
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                       len(local) + len(data), 0)
    path.write_bytes(local + data + central + eocd)
    return path


@pytest.mark.parametrize("honest_crc", [True, False], ids=["crc-of-real", "crc-of-claimed"])
def test_zip_bomb_with_a_forged_size_never_expands(tmp_path: Path, honest_crc: bool) -> None:
    bomb = _bomb(tmp_path / "bomb.docx", real=64 * MB, claimed=1000, honest_crc=honest_crc)
    assert bomb.stat().st_size < MB
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match=r"bomb\.docx: the (\.docx file is damaged|file is not a readable Word)"):
            read_file(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * MB  # the old reader decompressed the whole 64 MB member at once


def test_zip_streamed_past_the_budget_is_too_large(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.xlsx", real=8 * MB, claimed=8 * MB)
    with pytest.raises(FileTooLargeError, match=r"expands to 8\.0 MB .*past the limit of 1\.0 MB.*zip bomb"):
        read_file(bomb, options=ReadOptions(max_unzipped_bytes=MB))


def test_a_real_docx_still_reads_through_the_budget() -> None:
    (doc,) = read_file(DATA / "garden_bold_labels.docx")
    assert doc.turns and doc.format == "docx"


# --------------------------------------------------------------------------- a giant turn
def test_a_turn_over_a_million_characters_is_segmented(tmp_path: Path) -> None:
    sentence = "I kept going back to the meeting every single week. "
    body = sentence * (1_100_000 // len(sentence) + 1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "P01.txt").write_text(f"Interviewer: Tell me.\nP01: {body}\n", encoding="utf-8")
    with Project.create(tmp_path / "p.thematic") as project:
        report = project.documents.ingest([tmp_path / "in"], actor="ana")
        assert report.added == ["P01"]
        # (not project.documents.segments(): the store reads the document's text once per row, ~23 GB here)
        assert project.status()["sentences"] == 1 + body.count(sentence)


def test_rules_run_on_a_million_character_turn() -> None:
    text = "we waited and waited " * 50_000
    engine = RuleEngine()
    book = Codebook([Code("wait", "Waiting", rules=(Rule("r", "keywords", ["wait"]),))])
    out = engine.suggest([Segment(1, 1, 1, "turn", 0, len(text), text, role="participant")], book)
    assert [s.code_id for s in out] == ["wait"]
    assert engine._nlp().max_length == 1_000_000  # raised for the run only


# --------------------------------------------------------------------------- bytes
def test_damaged_utf8_is_refused_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "P01.txt"
    path.write_bytes("Interviewer: Ça va?\nP01: Très bien, café".encode() + b"\xff\xfe" + " après.\n".encode())
    with pytest.raises(DecodingError, match=r"P01\.txt: the file is UTF-8 with invalid bytes .*encoding=") as info:
        read_file(path)
    assert info.value.remedy == "name-encoding"
    (doc,) = read_file(path, options=ReadOptions(encoding="cp1252"))
    assert doc.metadata["encoding"] == "cp1252" and "encoding_note" not in doc.metadata


def test_a_guessed_encoding_is_named_in_the_document(tmp_path: Path) -> None:
    path = tmp_path / "P02.txt"
    path.write_bytes("Interviewer: Как дела?\nP02: Всё хорошо, спасибо, правда.\n".encode("cp1251"))
    (doc,) = read_file(path)
    assert doc.metadata["encoding"] == "cp1251"
    assert "decoded as cp1251 (detected)" in doc.metadata["encoding_note"]
    assert "import it again naming its encoding" in doc.metadata["encoding_note"]


def test_utf8_is_not_guessed() -> None:
    assert decode_bytes("Zoë".encode()).guessed is False


# --------------------------------------------------------------------------- labels
@pytest.mark.parametrize("label", ["P01\u202e", "\u202eP01", "P\u200f01", "P01\u2066"])
def test_a_bidi_control_in_a_label_does_not_merge_turns(label: str) -> None:
    text = f"Interviewer: How was it?\n{label}: It was hard.\nInterviewer: Why?\nP01: Waiting.\n"
    parsed = parse_turns(text.strip())
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "P01", "Interviewer", "P01"]
    assert text[parsed.turns[1].start:parsed.turns[1].end] == "It was hard."


def test_participants_without_an_id_column_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,age\nAna,34\nBen,41\n", encoding="utf-8")
    with pytest.raises(ParticipantsError, match=r"people\.csv:1: the participants file has no id column; "
                                                r"columns found: 'name', 'age'"):
        read_participants(path)


# --------------------------------------------------------------------------- folders
def test_a_folder_without_supported_files_says_why(tmp_path: Path) -> None:
    (tmp_path / "notes.doc").write_bytes(b"x")
    (tmp_path / "audio.m4a").write_bytes(b"x")
    with pytest.raises(IngestError, match=r"holds no file thematic can read \(it holds 1 \.(doc|m4a), 1 .*Supported: .*\.docx"):
        expand([tmp_path], [".txt", ".docx"])


def test_a_glob_through_a_symlink_loop_stays_in_its_folder(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "a").mkdir(parents=True)
    (study / "a" / "P01.txt").write_text("P01: hi\n")
    (tmp_path / "outside.txt").write_text("X: secret\n")
    os.symlink(tmp_path, study / "a" / "loop")
    os.symlink(study, study / "self")
    found = expand([f"{study}/**/*.txt"], [".txt"])
    assert [p for p, _ in found] == [(study / "a" / "P01.txt").resolve()]
    assert [p for p, _ in expand([study], [".txt"])] == [(study / "a" / "P01.txt").resolve()]


# --------------------------------------------------------------------------- pdf
@pytest.mark.parametrize("kind", ["fake", "truncated"])
def test_bad_pdfs_print_nothing_but_one_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.pdf"
    good = (DATA / "site_b_interview.pdf").read_bytes()
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n" if kind == "fake" else good[:-200])
    script = "from thematic.ingest import read_file\nimport sys\ntry:\n    read_file(sys.argv[1])\n" \
             "except Exception as e:\n    print(type(e).__name__, e)\n"
    run = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.stderr == ""  # pypdf's "EOF marker not found" went to logging, not the terminal
    assert run.stdout.startswith(f"IngestError {path}: the file is not a readable PDF")


# --------------------------------------------------------------------------- codebooks
@pytest.mark.parametrize("shape", ["block", "flow"])
def test_deeply_nested_yaml_is_a_codebook_error(tmp_path: Path, shape: str) -> None:
    from thematic.codebook import load_any, validate_codebook
    from thematic.errors import CodebookError

    path = tmp_path / "deep.yaml"
    if shape == "flow":
        path.write_text("codes: " + "[" * 5000 + "]" * 5000 + "\n")
    else:
        path.write_text("codes:\n" + "".join("  " * (i + 1) + "- \n" for i in range(400)))
    (problem,) = validate_codebook(path)
    assert "nests lists or mappings more than 64 levels deep" in problem.message
    assert problem.line is not None
    with pytest.raises(CodebookError, match="more than 64 levels deep"):
        load_any(path)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_codebook_csv_with_a_bom(tmp_path: Path, codec: str) -> None:
    from thematic.codebook import read_codebook_csv

    path = tmp_path / "cb.csv"
    text = "tag,description\nSupport > Heard,Feeling listened to — “truly”\nSupport,Café help\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    with pytest.warns(Warning):
        book = read_codebook_csv(path)
    assert {c.name for c in book.codes} == {"Support", "Heard"}
    assert any(c.definition == "Feeling listened to — “truly”" for c in book.codes)
