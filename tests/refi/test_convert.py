"""Our codes and attributes <-> exchange codes and variables."""

from __future__ import annotations

import pytest

from thematic.models import Code, Codebook, Example
from thematic.refi.convert import (
    codes_from_exchange,
    exchange_codes,
    our_value,
    refi_type,
    refi_value,
)
from thematic.refi.model import ExCode, ExProject


def test_codes_round_trip_through_exchange() -> None:
    book = Codebook(
        codes=[
            Code(
                "support",
                "Peer support",
                definition="Help from peers.",
                inclusion="Explicit help.",
                exclusion="Help from managers.",
                examples=(Example("They covered for me."),),
                color="#2e8b57",
            ),
            Code("nights", "Night shifts", parent_id="support"),
        ]
    )
    ex = ExProject(name="x", codes=exchange_codes(book))
    assert ex.codes[1].parent == ex.codes[0].guid
    assert "Include: Explicit help." in ex.codes[0].description
    codes, ids = codes_from_exchange(ex)
    assert codes == book.codes
    assert ids == {ex.codes[0].guid: "support", ex.codes[1].guid: "nights"}


def test_foreign_codes_get_unique_ids_and_definitions() -> None:
    ex = ExProject(
        name="x",
        codes=[
            ExCode("g2", "Chaos", parent="g1", description="Disorder."),
            ExCode("g1", "Change", color="#ABCDEF"),
            ExCode("g3", "Chaos", parent="g1"),
        ],
    )
    codes, ids = codes_from_exchange(ex)
    assert [(c.id, c.parent_id) for c in codes] == [
        ("change", None),
        ("chaos", "change"),
        ("change-chaos", "change"),
    ]
    assert codes[1].definition == "Disorder." and codes[0].color == "#abcdef"
    assert ids["g3"] == "change-chaos"


@pytest.mark.parametrize(
    ("our", "values", "refi"),
    [
        ("number", [34, 41.0], "Integer"),
        ("number", [1.5, 2], "Float"),
        ("date", ["2024-05-06"], "Date"),
        ("text", ["North"], "Text"),
        ("category", [True, False], "Boolean"),
        ("category", ["a"], "Text"),
    ],
)
def test_refi_type(our: str, values: list, refi: str) -> None:
    assert refi_type(our, values) == refi


def test_values() -> None:
    assert refi_value(34.0, "Integer") == 34
    assert refi_value("2024-05-06T00:00:00", "Date") == "2024-05-06"
    assert our_value(True, "category") == "true"
    assert our_value("12", "number") == 12
