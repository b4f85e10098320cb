"""What a topics run reports: the broader candidates at the codebook's granularity."""

from __future__ import annotations

from thematic.services.topics import TopicsReport


def _report(parents: int, *, level: str = "codebook", codes: int | None = 34, topics: int = 17) -> TopicsReport:
    params = {"modeler": {"parent_level": level}, **({} if codes is None else {"codes": codes})}
    return TopicsReport(run_id=1, segments=400, topics=topics, not_grouped=30, params=params, parents=parents)


def test_no_broader_topics_at_the_codebooks_granularity_is_said_with_the_counts():
    assert _report(0).broader == ("No broader topics: the codebook has 34 codes and the data 17 topics, "
                                  "so at the codebook's granularity each topic stands alone.")


def test_nothing_is_said_when_there_are_broader_topics_or_none_were_asked_at_that_level():
    assert _report(3).broader == ""
    assert _report(0, level="ward").broader == ""
    assert _report(0, codes=1).broader == ""  # one code: the Ward merges are used
    assert _report(0, codes=None).broader == ""  # a run recorded before the count was
