"""Saved sets: save a search or a query, code it, export it, remove it, undo each step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from thematic import Project
from thematic.errors import ConflictError, NotFoundError, ParameterError


@pytest.fixture
def coded(coded_sample_file: Path, tmp_path: Path):
    target = tmp_path / "coded.thematic"
    shutil.copy(coded_sample_file, target)
    with Project.open(target) as project:
        yield project


def test_a_saved_search_keeps_its_spans_and_definition(coded: Project) -> None:
    found = coded.queries.search('"waiting list"', where=["speaker_role=participant"])
    assert found["document"].tolist() == ["P04_tom", "P06_rosa"]
    coded.queries.save("waiting lists", found, kind="search", query='"waiting list"',
                       actor="ana", options={"match": "lemma"})
    sets = coded.queries.sets()
    assert sets[["name", "kind", "query", "items", "author"]].values.tolist() == [
        ["waiting lists", "search", '"waiting list"', 2, "ana"]]
    items = coded.queries.items("waiting lists")
    assert items["text"].tolist() == found["text"].tolist()
    assert items["matched"].tolist() == ["waiting list", "waiting lists"]
    with pytest.raises(ConflictError, match="exists already"):
        coded.queries.save("waiting lists", found, kind="search", query="x", actor="ana")
    coded.queries.save("waiting lists", found.head(1), kind="search", query="x", actor="ana",
                       replace=True)
    assert coded.queries.sets()["items"].tolist() == [1]


@pytest.mark.parametrize("extent", ["segment", "hit", "turn"])
@pytest.mark.slow
def test_coding_a_set_codes_each_span_once_and_undoes_as_one(coded: Project, extent: str) -> None:
    found = coded.queries.search('"waiting list"')
    coded.queries.save("wl", found, kind="search", query='"waiting list"', actor="ana")
    before = len(coded.review.codings())
    assert coded.queries.code_set("wl", "funding-sustainability", actor="ben", extent=extent) == 2
    added = coded.review.codings().query("code == 'funding-sustainability' and coder == 'ben'")
    assert len(added) == 2 and set(added["status"]) == {"accepted"}
    if extent == "hit":
        assert [t.lower() for t in added["text"]] == ["waiting list", "waiting lists"]
    elif extent == "segment":
        assert added["text"].tolist() == found["text"].tolist()
    else:
        assert all(len(t) >= len(s) for t, s in zip(added["text"], found["text"]))
    assert coded.queries.code_set("wl", "funding-sustainability", actor="ben", extent=extent) == 0
    coded.review.undo(actor="ben", mine_only=True)
    assert len(coded.review.codings()) == before


def test_a_saved_query_exports_as_a_table(coded: Project, tmp_path: Path) -> None:
    found = coded.queries.query('"Active listening and reflective questioning" NEAR/2 isolation')
    assert len(found) > 0
    coded.queries.save("listening near isolation", found, kind="query",
                       query="active-listening NEAR/2 isolation", actor="ana")
    target = tmp_path / "set.csv"
    assert coded.queries.export_set("listening near isolation", target) == len(found)
    table = pd.read_csv(target, encoding="utf-8-sig")
    assert table["set"].unique().tolist() == ["listening near isolation"]
    assert table["text"].tolist() == found["text"].tolist()
    assert set(table["codes"]) <= {"active-listening", "active-listening, isolation"}


def test_removing_a_set_is_undone(coded: Project) -> None:
    found = coded.queries.search("alone")
    coded.queries.save("alone", found, kind="search", query="alone", actor="ana")
    coded.queries.remove_set("alone", actor="ana")
    assert coded.queries.sets().empty
    coded.review.undo(actor="ana", mine_only=True)
    assert coded.queries.items("alone")["text"].tolist() == found["text"].tolist()


def test_bad_requests_are_clear(coded: Project) -> None:
    with pytest.raises(NotFoundError, match="no saved set named 'nope'"):
        coded.queries.items("nope")
    with pytest.raises(ParameterError, match="needs a name"):
        coded.queries.save("  ", coded.queries.search("alone"), kind="search", query="alone",
                           actor="ana")
    with pytest.raises(ParameterError, match="extent must be one of"):
        coded.queries.code_found(coded.queries.search("alone"), "isolation", actor="a",
                                 extent="page")
    with pytest.raises(ParameterError, match="no attribute 'shoe_size'"):
        coded.queries.search("alone", where=["shoe_size=9"])
