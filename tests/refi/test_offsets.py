"""Foreign offset conventions -> code points of the normalised text."""

from __future__ import annotations

import pytest

from thematic.errors import ParameterError
from thematic.refi.offsets import (
    CONVENTIONS,
    OffsetMap,
    choose_convention,
    convention_for_origin,
    on_word_boundaries,
)

RAW = "A: ok 😀\r\nB: cafe\u0301 time\r\nA: end"


def units(raw: str, index: int, convention: str) -> int:
    head = raw[:index]
    n = len(head.encode("utf-16-le")) // 2 if convention.startswith("utf16") else len(head)
    return n - head.count("\r\n") if convention.endswith("crlf1") else n


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("word", ["ok", "B:", "time", "end", "café"])
def test_every_convention_maps_words_back(convention: str, word: str) -> None:
    omap = OffsetMap(RAW, convention)
    raw_word = "cafe\u0301" if word == "café" else word
    i = RAW.index(raw_word)
    start = omap.to_normalised(units(RAW, i, convention))
    end = omap.to_normalised(units(RAW, i + len(raw_word), convention))
    assert omap.text[start:end] == word


def test_positions_inside_a_surrogate_pair_are_refused() -> None:
    omap = OffsetMap(RAW, "utf16-crlf2")
    emoji = units(RAW, RAW.index("😀"), "utf16-crlf2")
    assert omap.to_normalised(emoji) is not None
    assert omap.to_normalised(emoji + 1) is None
    assert omap.to_normalised(-1) is None and omap.to_normalised(omap.foreign_length + 1) is None


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_from_normalised_inverts(convention: str) -> None:
    raw = "Ana: 😀 yes\r\nBen: no 🙏🏽 way\r\n"
    omap = OffsetMap(raw, convention)
    for pos in range(len(omap.text) + 1):
        assert omap.to_normalised(omap.from_normalised(pos)) == pos


def test_identity_is_fast_path() -> None:
    omap = OffsetMap("plain text\n", "utf16-crlf2")
    assert omap.text == "plain text" and omap.to_normalised(5) == 5


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("NVivo 14.23.2 (Windows)", "utf16-crlf2"),
        ("ATLAS.ti 23.2.1", "codepoint-crlf1"),
        ("QualCoder 3.5", "codepoint-crlf1"),
        ("qc", "codepoint-crlf1"),
        ("MAXQDA 2022", None),
        ("", None),
    ],
)
def test_convention_for_origin(origin: str, expected: str | None) -> None:
    assert convention_for_origin(origin) == expected


def test_word_boundaries_choose_utf16_when_origin_is_unknown() -> None:
    raw = "P: 😅 chaos here\r\nQ: kind 🙏🏽 people\r\n"
    spans = []
    for word in ("chaos", "kind", "people"):
        i = raw.index(word)
        spans.append((units(raw, i, "utf16-crlf2"), units(raw, i + len(word), "utf16-crlf2")))
    assert choose_convention(None, [raw], [spans]) == "utf16-crlf2"
    spans1 = [
        (
            units(raw, raw.index(w), "codepoint-crlf1"),
            units(raw, raw.index(w) + len(w), "codepoint-crlf1"),
        )
        for w in ("chaos", "kind", "people")
    ]
    assert choose_convention("MAXQDA 2022", [raw], [spans1]) == "codepoint-crlf1"


def test_on_word_boundaries() -> None:
    assert on_word_boundaries("the cat sat", 4, 7)
    assert not on_word_boundaries("the cat sat", 5, 7)
    assert not on_word_boundaries("the cat sat", 4, 40)


def test_unknown_convention() -> None:
    with pytest.raises(
        ParameterError, match=r"offset convention must be one of .* Got 'bytes' instead"
    ):
        OffsetMap("x", "bytes")
