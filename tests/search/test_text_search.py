"""Full-text search on the sample transcripts: words, phrases, lemmas, prefixes, exclusions."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.errors import ParameterError
from thematic.search import parse_search, parse_where, restrict, text_search
from thematic.search.tokens import TokenIndex


def _found(result: pd.DataFrame) -> list[str]:
    return [m.lower() for m in result["matched"]]


def test_a_word_finds_every_form_of_its_lemma(sample_sentences: pd.DataFrame,
                                              sample_index: TokenIndex) -> None:
    result = text_search(sample_sentences, "waited", index=sample_index)
    words = {w for m in _found(result) for w in m.split("; ")}
    assert {"waiting", "waited"} <= words
    assert "P08_jamal" in set(result["document"]) and "P01_dana" in set(result["document"])
    exact = text_search(sample_sentences, "waited", match="exact", index=sample_index)
    assert set(_found(exact)) == {"waited"}
    assert len(exact) < len(result)


def test_each_hit_is_the_text_at_its_offsets(sample_project_file, sample_sentences: pd.DataFrame,
                                             sample_index: TokenIndex) -> None:
    from thematic import Project

    result = text_search(sample_sentences, "listen*", index=sample_index)
    assert len(result) >= 10
    with Project.open(sample_project_file) as project:
        texts = {d: project.documents.get(d).text for d in set(result["document"])}
    for row in result.itertuples():
        assert row.start <= row.match_start < row.match_end <= row.end
        for a, b in row.hits:
            assert texts[row.document][a:b].lower().startswith("listen")
        assert texts[row.document][row.start:row.end] == row.text


def test_a_phrase_is_found_word_after_word_in_one_sentence(sample_sentences: pd.DataFrame,
                                                           sample_index: TokenIndex) -> None:
    result = text_search(sample_sentences, '"waiting list"', index=sample_index)
    assert result["document"].tolist() == ["P04_tom", "P06_rosa"]
    assert result["matched"].tolist() == ["waiting list", "waiting lists"]
    assert "six-week waiting list" in result["text"].iloc[0]
    assert "months" in result["text"].iloc[1]
    loose = text_search(sample_sentences, "list waiting", index=sample_index)
    assert "P06_rosa" in set(loose["document"])


def test_exclusion_and_alternatives(sample_sentences: pd.DataFrame, sample_index: TokenIndex) -> None:
    judge = text_search(sample_sentences, "judge", index=sample_index)
    without = text_search(sample_sentences, "judge -listener", index=sample_index)
    assert len(without) <= len(judge)
    assert not any("listener" in t.lower() for t in without["text"])
    either = text_search(sample_sentences, "judge OR waited", index=sample_index)
    waited = text_search(sample_sentences, "waited", index=sample_index)
    assert set(either["segment_id"]) == set(judge["segment_id"]) | set(waited["segment_id"])


def test_results_carry_context_and_attributes_for_restriction(
        sample_sentences: pd.DataFrame, sample_index: TokenIndex) -> None:
    result = text_search(sample_sentences, "listener", index=sample_index)
    assert (result["context_before"].str.len() > 0).any()
    assert (result["context_after"].str.len() > 0).any()
    women = restrict(result, parse_where(["gender=female", "speaker_role=participant"]))
    assert 0 < len(women) < len(result)
    assert set(women["attr:gender"]) == {"female"}
    assert set(women["role"]) == {"participant"}


def test_nothing_found_is_an_empty_frame_with_the_columns(sample_sentences: pd.DataFrame,
                                                          sample_index: TokenIndex) -> None:
    result = text_search(sample_sentences, "xylophone", index=sample_index)
    assert result.empty and "hits" in result.columns and "document" in result.columns


@pytest.mark.parametrize("query", ["", "   ", "-only", '""'])
def test_an_empty_search_is_one_clear_error(query: str) -> None:
    with pytest.raises(ParameterError, match="search is empty|not only words to leave out"):
        parse_search(query)


def test_an_index_of_another_frame_is_refused(sample_sentences: pd.DataFrame,
                                              sample_index: TokenIndex) -> None:
    with pytest.raises(ParameterError, match="index covers"):
        text_search(sample_sentences.head(5), "listen", index=sample_index)
