"""Themes: add, edit, remove, quotes and framework summaries; audited, undoable, checked."""

from __future__ import annotations

import pytest

from thematic.errors import NotFoundError, ParameterError, ReviewError


def tree(project) -> list[tuple[str, str | None]]:
    return [(r.name, r.parent) for r in project.themes.frame().itertuples()]


def test_add_theme_and_subtheme(coded) -> None:
    coded.themes.add("Being heard", codes=["feeling-heard", "non-judgmental-space"],
                    definition="Listening that does not judge.", actor="ana")
    coded.themes.add("Safety", codes=["non-judgmental-space"], parent="Being heard", actor="ana")
    assert tree(coded) == [("Being heard", None), ("Safety", "Being heard")]
    assert coded.themes.frame()["definition"].iloc[0] == "Listening that does not judge."
    links = coded.themes.codes()
    assert sorted(map(tuple, links.to_numpy())) == [
        ("Being heard", "feeling-heard"), ("Being heard", "non-judgmental-space"),
        ("Safety", "non-judgmental-space")]  # a code may serve several themes
    freq = coded.analysis.frequencies(rows="theme").set_index("theme")
    assert freq.loc["Being heard", ["codings", "participants"]].tolist() == [3, 2]
    assert freq.loc["Being heard", "participants_pct"] == 100.0


def test_every_change_is_undoable(coded) -> None:
    coded.themes.add("Being heard", codes=["feeling-heard"], actor="ana")
    coded.themes.edit("Being heard", new_name="Heard", add_codes=["non-judgmental-space"],
                     actor="ana")
    assert tree(coded) == [("Heard", None)] and len(coded.themes.codes()) == 2
    coded.review.undo(actor="ana")
    assert tree(coded) == [("Being heard", None)]
    assert coded.themes.codes()["code"].tolist() == ["feeling-heard"]
    coded.themes.remove("Being heard", actor="ana")
    assert coded.themes.frame().empty and coded.themes.codes().empty
    coded.review.undo(actor="ana")
    assert tree(coded) == [("Being heard", None)] and len(coded.themes.codes()) == 1
    history = coded.review.history(limit=5)
    assert {"add theme", "edit theme", "remove theme"} <= set(history["action"])


def test_remove_theme_takes_subthemes_quotes_and_summaries(coded) -> None:
    coded.themes.add("Top", codes=["feeling-heard"], actor="ana")
    coded.themes.add("Sub", codes=["camera-use"], parent="Top", actor="ana")
    coded.themes.add_quote("Top", coded.ids[("P01", "feeling-heard")], actor="ana")
    coded.themes.set_summary("P01", "Felt heard.", theme="Top", actor="ana")
    assert coded.themes.remove("Top", actor="ana") == ["Sub", "Top"]
    assert coded.themes.quotes().empty and coded.themes.summaries().empty
    coded.review.undo(actor="ana")
    assert tree(coded) == [("Top", None), ("Sub", "Top")]
    assert coded.themes.quotes()["coding_id"].tolist() == [coded.ids[("P01", "feeling-heard")]]
    assert coded.themes.summaries()["summary"].tolist() == ["Felt heard."]


def test_theme_cycle_refused(coded) -> None:
    coded.themes.add("A", actor="ana")
    coded.themes.add("B", parent="A", actor="ana")
    coded.themes.add("C", parent="B", actor="ana")
    before = coded.themes.frame()
    with pytest.raises(ReviewError, match="cannot be the parent.*cycle"):
        coded.themes.edit("A", parent="C", actor="ana")
    with pytest.raises(ReviewError, match="cycle"):
        coded.themes.edit("A", parent="A", actor="ana")
    assert coded.themes.frame().equals(before)
    coded.themes.edit("C", parent=None, actor="ana")  # to the top level
    assert tree(coded)[-1] == ("C", None)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda p: p.themes.add("  ", actor="ana"), ParameterError, "must not be empty"),
    (lambda p: p.themes.add("X", codes=["no-such-code"], actor="ana"), NotFoundError,
     "no-such-code are not in the codebook"),
    (lambda p: p.themes.add("X", parent="Nope", actor="ana"), NotFoundError, "theme 'Nope' does not exist"),
    (lambda p: p.themes.edit("Nope", definition="d", actor="ana"), NotFoundError, "does not exist"),
    (lambda p: p.themes.edit("Heard", actor="ana"), ParameterError, "nothing to change"),
    (lambda p: p.themes.add("Heard", actor="ana"), ReviewError, "already exists"),
    (lambda p: p.themes.set_summary("P01", "x", actor="ana"), ParameterError, "one theme or one code"),
    (lambda p: p.themes.set_summary("P99", "x", theme="Heard", actor="ana"), NotFoundError,
     "participant 'P99' does not exist"),
])
def test_bad_input_changes_nothing(coded, call, error, match) -> None:
    coded.themes.add("Heard", codes=["feeling-heard"], actor="ana")
    events = len(coded.review.history(limit=1000))
    with pytest.raises(error, match=match):
        call(coded)
    assert len(coded.review.history(limit=1000)) == events
    assert tree(coded) == [("Heard", None)]


def test_quotes_come_from_the_themes_own_codes(coded) -> None:
    coded.themes.add("Heard", codes=["feeling-heard"], actor="ana")
    coded.themes.add("Online", codes=["camera-use"], actor="ana")
    own = coded.ids[("P01", "feeling-heard")]
    assert coded.themes.add_quote("Heard", own, actor="ana") is True
    assert coded.themes.add_quote("Heard", own, actor="ana") is False  # already chosen
    other = coded.ids[("P02", "camera-use")]
    with pytest.raises(ReviewError, match=r"coded 'camera-use', which is not a code of theme "
                                          r"'Heard' \(its codes: feeling-heard\)"):
        coded.themes.add_quote("Heard", other, actor="ana")
    with pytest.raises(NotFoundError, match="coding 99999 does not exist"):
        coded.themes.add_quote("Heard", 99999, actor="ana")
    assert coded.themes.quotes()["coding_id"].tolist() == [own]
    assert coded.themes.remove_quote("Heard", own, actor="ana") is True
    assert coded.themes.quotes().empty


def test_quote_must_be_accepted(coded) -> None:
    coded.themes.add("Heard", codes=["feeling-heard"], actor="ana")
    own = coded.ids[("P01", "feeling-heard")]
    coded.review.reject([own], actor="ana")
    with pytest.raises(ReviewError, match=f"coding {own} is rejected, not accepted"):
        coded.themes.add_quote("Heard", own, actor="ana")


def test_framework_summaries(coded) -> None:
    coded.themes.add("Heard", codes=["feeling-heard", "non-judgmental-space"], actor="ana")
    quote = coded.ids[("P01", "feeling-heard")]
    coded.themes.set_summary("P01", "Heard, not judged.", theme="Heard",
                                quote_ids=[quote], actor="ana")
    coded.themes.set_summary("P01", "Heard and not judged.", theme="Heard",
                                quote_ids=[quote], actor="ana")  # an edit, not a second row
    summaries = coded.themes.summaries()
    assert summaries[["participant", "theme", "summary", "quote_ids"]].values.tolist() == [
        ["P01", "Heard", "Heard and not judged.", [quote]]]
    cells = coded.analysis.framework().set_index(["participant", "theme"])
    assert cells.loc[("P01", "Heard"), "state"] == "summarised"
    assert [q["text"] for q in cells.loc[("P01", "Heard"), "quotes"]] == [
        "I felt heard for the first time."]
    assert cells.loc[("P02", "Heard"), "state"] == "to summarise"
    coded.review.undo(actor="ana")
    assert coded.themes.summaries()["summary"].tolist() == ["Heard, not judged."]
    with pytest.raises(NotFoundError, match="coding 424242 does not exist"):
        coded.themes.set_summary("P01", "x", theme="Heard", quote_ids=[424242], actor="ana")
