"""Group codes in suggestions: the codebook convention "children first"."""

from __future__ import annotations

import pytest

from thematic.models import Code, Codebook, Suggestion
from thematic.suggest.hierarchy import descendants, prefer_children

BOOK = Codebook([Code("stigma", "Stigma"), Code("self", "Self-stigma", parent_id="stigma"),
                 Code("shame", "Shame", parent_id="self"), Code("hope", "Hope")])


def _s(code: str, seg: int) -> Suggestion:
    return Suggestion(1, seg * 10, seg * 10 + 5, code, "semantic", 0.7, {}, seg)


def test_descendants_go_all_the_way_down() -> None:
    assert descendants(BOOK) == {"stigma": {"self", "shame"}, "self": {"shame"}, "shame": set(), "hope": set()}


@pytest.mark.parametrize(("policy", "kept"), [
    ("children_first", {("stigma", 2), ("shame", 1), ("hope", 1), ("hope", 2)}),
    ("never", {("shame", 1), ("hope", 1), ("hope", 2)}),
    ("keep", {("stigma", 1), ("self", 1), ("shame", 1), ("hope", 1), ("stigma", 2), ("hope", 2)}),
])
def test_policies(policy: str, kept: set) -> None:
    sugs = [_s("stigma", 1), _s("self", 1), _s("shame", 1), _s("hope", 1), _s("stigma", 2), _s("hope", 2)]
    assert {(s.code_id, s.segment_id) for s in prefer_children(sugs, BOOK, policy)} == kept


def test_unknown_policy() -> None:
    with pytest.raises(ValueError, match="group policy must be one of children_first, never, keep. Got 'all'"):
        prefer_children([], BOOK, "all")
