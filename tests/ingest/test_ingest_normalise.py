"""Decoding and normalisation (DESIGN invariant 1)."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

import pytest

from thematic.errors import DecodingError
from thematic.ingest import read_file, supported_suffixes
from thematic.ingest.normalise import decode_bytes, normalise_text

DATA = Path(__file__).resolve().parent.parent / "data" / "ingest"

SAMPLE = "Zoë: “Café”, she said – fine…"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its NULs
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "cp1252"],
)
def test_decode_bytes(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == SAMPLE
    assert decoded.encoding == encoding


def test_decode_french_cp1252_is_not_cp1250() -> None:
    text = "Le système était très élégant, à côté de la fenêtre."
    assert decode_bytes(text.encode("cp1252")).text == text


def test_decode_polish_cp1250_is_kept() -> None:
    text = "Zażółć gęślą jaźń. Łukasz mówi, że to było ciężkie."
    assert decode_bytes(text.encode("cp1250")).text == text


def test_explicit_encoding_wins() -> None:
    assert decode_bytes("Größe".encode("latin-1"), encoding="latin-1").text == "Größe"


def test_explicit_encoding_that_does_not_fit() -> None:
    with pytest.raises(DecodingError, match="not valid utf-8.*byte 2"):
        decode_bytes(b"ab\xff", encoding="utf-8")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc\n", "a\nb\nc"),
        ("cafe\u0301", "caf\u00e9"),
        (
            "  indented\nline with trailing   \nend \n\n  \t",
            "  indented\nline with trailing   \nend",
        ),
    ],
    ids=["newlines", "nfc", "trailing-whole-text-only"],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in DATA.iterdir()
        if p.suffix in supported_suffixes() and p.name != "participants.csv"
    ),
)
def test_every_fixture_keeps_invariant_1(name: str) -> None:
    path = DATA / name
    documents = read_file(path)
    assert documents
    for doc in documents:
        assert "\r" not in doc.text
        assert doc.text == unicodedata.normalize("NFC", doc.text) == doc.text.rstrip()
        assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert doc.source_path == str(path)
        for turn in doc.turns:
            assert 0 <= turn.start < turn.end <= len(doc.text)
            utterance = doc.text[turn.start : turn.end]
            assert utterance == utterance.strip()


def test_a_file_that_does_not_fit_its_encoding_asks_for_the_encoding() -> None:
    with pytest.raises(DecodingError) as info:
        decode_bytes(b"ab\xff", encoding="utf-8")
    assert info.value.remedy == "name-encoding"
    assert str(info.value).endswith("Name the file's encoding (encoding='cp1252', say), or save it "
                                    "again as UTF-8.")
