"""Coding queries on the sample: AND, NOT, OR, NEAR/N, sub-codes, statuses, attributes.

Every expectation is computed independently from the coded sentences (a plain set per code),
not with the query engine.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic import Project
from thematic.errors import ParameterError
from thematic.search import coding_query, parse_query, parse_where, restrict


@pytest.fixture(scope="module")
def frames(coded_sample_file: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str | None], dict[str, str]]:
    with Project.open(coded_sample_file) as project:
        codebook = project.codebook.current()
        parents = {c.id: c.parent_id for c in codebook.codes}
        names = {c.id: c.name for c in codebook.codes}
        return project.documents.segments("sentence"), project.review.codings(), parents, names


def _coded(segments: pd.DataFrame, codings: pd.DataFrame, codes: set[str],
           statuses: tuple[str, ...] = ("accepted",)) -> set[int]:
    out = set()
    mine = codings[codings["code"].isin(codes) & codings["status"].isin(statuses)]
    for seg in segments.itertuples():
        hit = mine[(mine["document"] == seg.document) & (mine["start"] < seg.end)
                   & (mine["end"] > seg.start)]
        if len(hit):
            out.add(int(seg.segment_id))
    return out


def _near(segments: pd.DataFrame, a: set[int], b: set[int], window: int) -> set[int]:
    ordered = segments.sort_values(["document_id", "start"]).reset_index(drop=True)
    out = set()
    for i, row in ordered.iterrows():
        if int(row.segment_id) not in a:
            continue
        lo, hi = max(0, i - window), min(len(ordered), i + window + 1)
        around = ordered.iloc[lo:hi]
        around = around[around["document_id"] == row.document_id]
        if set(around["segment_id"].astype(int)) & b:
            out.add(int(row.segment_id))
    return out


def _ids(result: pd.DataFrame) -> set[int]:
    return set(result["segment_id"].astype(int))


@pytest.mark.slow
def test_and_not_or(frames) -> None:
    segments, codings, _, names = frames
    listen = _coded(segments, codings, {"active-listening"})
    judge = _coded(segments, codings, {"non-judgmental-space"})
    assert listen and judge
    both = coding_query(segments, codings, "active-listening AND non-judgmental-space", codes=names)
    assert _ids(both) == listen & judge
    assert _ids(coding_query(segments, codings, "active-listening NOT non-judgmental-space")) \
        == listen - judge
    assert _ids(coding_query(segments, codings, "active-listening or non-judgmental-space")) \
        == listen | judge
    assert all(set(c) == {"active-listening", "non-judgmental-space"} for c in both["codes"])


@pytest.mark.parametrize("window", [0, 1, 3])
@pytest.mark.slow
def test_near_within_n_sentences_of_the_same_document(frames, window: int) -> None:
    segments, codings, _, _ = frames
    listen = _coded(segments, codings, {"active-listening"})
    alone = _coded(segments, codings, {"isolation"})
    result = coding_query(segments, codings, f"isolation NEAR/{window} active-listening")
    assert _ids(result) == _near(segments, alone, listen, window)
    assert result.sort_values(["document_id", "start"]).index.tolist() == list(range(len(result)))


@pytest.mark.slow
def test_names_sub_codes_and_statuses(frames) -> None:
    segments, codings, parents, names = frames
    by_name = coding_query(segments, codings, '"Active listening and reflective questioning" AND "non-judgmental SPACE"',
                           codes=names)
    by_id = coding_query(segments, codings, "active-listening AND non-judgmental-space")
    assert _ids(by_name) == _ids(by_id)
    parent = parents["active-listening"]
    assert parent and _ids(coding_query(segments, codings, parent)) == set()
    assert _ids(coding_query(segments, codings, parent, code_parents=parents)) \
        == _coded(segments, codings, {"active-listening"})
    suggested = coding_query(segments, codings, "relapse", statuses=("accepted", "suggested"))
    assert _ids(suggested) == _coded(segments, codings, {"relapse"}, ("suggested",)) != set()
    assert coding_query(segments, codings, "relapse").empty


def test_restricted_by_attribute(frames) -> None:
    segments, codings, _, _ = frames
    result = coding_query(segments, codings, "active-listening")
    peers = restrict(result, parse_where(["role=peer supporter,recovery coach"]))
    assert 0 < len(peers) < len(result)
    assert set(peers["attr:role"]) <= {"peer supporter", "recovery coach"}


@pytest.mark.parametrize(("query", "message"), [
    ("", "query is empty"),
    ("a AND", "ends where a code was expected"),
    ("(a OR b", "'\\(' is not closed"),
    ("a b", "unexpected 'b'"),
    ("AND a", "'AND' where a code was expected"),
    ("a AND nosuchcode", "codebook does not have"),
])
def test_malformed_queries_are_one_clear_error(frames, query: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        parse_query(query, {"a": "A", "b": "B"})
