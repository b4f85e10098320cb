"""Themes: add, edit, remove, quotes and framework summaries; audited, undoable, checked."""

from __future__ import annotations

import pytest

from thematic.errors import NotFoundError, ParameterError, ReviewError


def tree(project) -> list[tuple[str, str | None]]:
    return [(r.name, r.parent) for r in project.themes().itertuples()]


def test_add_theme_and_subtheme(coded) -> None:
    coded.add_theme("Being heard", codes=["feeling-heard", "non-judgmental-space"],
                    definition="Listening that does not judge.", actor="ana")
    coded.add_theme("Safety", codes=["non-judgmental-space"], parent="Being heard", actor="ana")
    assert tree(coded) == [("Being heard", None), ("Safety", "Being heard")]
    assert coded.themes()["definition"].iloc[0] == "Listening that does not judge."
    links = coded.theme_codes()
    assert sorted(map(tuple, links.to_numpy())) == [
        ("Being heard", "feeling-heard"), ("Being heard", "non-judgmental-space"),
        ("Safety", "non-judgmental-space")]  # a code may serve several themes
    freq = coded.frequencies(rows="theme").set_index("theme")
    assert freq.loc["Being heard", ["codings", "participants"]].tolist() == [3, 2]
    assert freq.loc["Being heard", "participants_pct"] == 100.0


def test_every_change_is_undoable(coded) -> None:
    coded.add_theme("Being heard", codes=["feeling-heard"], actor="ana")
    coded.edit_theme("Being heard", new_name="Heard", add_codes=["non-judgmental-space"],
                     actor="ana")
    assert tree(coded) == [("Heard", None)] and len(coded.theme_codes()) == 2
    coded.undo()
    assert tree(coded) == [("Being heard", None)]
    assert coded.theme_codes()["code"].tolist() == ["feeling-heard"]
    coded.remove_theme("Being heard", actor="ana")
    assert coded.themes().empty and coded.theme_codes().empty
    coded.undo()
    assert tree(coded) == [("Being heard", None)] and len(coded.theme_codes()) == 1
    history = coded.history(limit=5)
    assert {"add theme", "edit theme", "remove theme"} <= set(history["action"])


def test_remove_theme_takes_subthemes_quotes_and_summaries(coded) -> None:
    coded.add_theme("Top", codes=["feeling-heard"], actor="ana")
    coded.add_theme("Sub", codes=["camera-use"], parent="Top", actor="ana")
    coded.add_theme_quote("Top", coded.ids[("P01", "feeling-heard")], actor="ana")
    coded.set_framework_summary("P01", "Felt heard.", theme="Top", author="ana")
    assert coded.remove_theme("Top", actor="ana") == ["Sub", "Top"]
    assert coded.theme_quotes().empty and coded.framework_summaries().empty
    coded.undo()
    assert tree(coded) == [("Top", None), ("Sub", "Top")]
    assert coded.theme_quotes()["coding_id"].tolist() == [coded.ids[("P01", "feeling-heard")]]
    assert coded.framework_summaries()["summary"].tolist() == ["Felt heard."]


def test_theme_cycle_refused(coded) -> None:
    coded.add_theme("A", actor="ana")
    coded.add_theme("B", parent="A", actor="ana")
    coded.add_theme("C", parent="B", actor="ana")
    before = coded.themes()
    with pytest.raises(ReviewError, match="cannot be the parent.*cycle"):
        coded.edit_theme("A", parent="C", actor="ana")
    with pytest.raises(ReviewError, match="cycle"):
        coded.edit_theme("A", parent="A", actor="ana")
    assert coded.themes().equals(before)
    coded.edit_theme("C", parent=None, actor="ana")  # to the top level
    assert tree(coded)[-1] == ("C", None)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda p: p.add_theme("  "), ParameterError, "must not be empty"),
    (lambda p: p.add_theme("X", codes=["no-such-code"]), NotFoundError,
     "no-such-code are not in the codebook"),
    (lambda p: p.add_theme("X", parent="Nope"), NotFoundError, "theme 'Nope' does not exist"),
    (lambda p: p.edit_theme("Nope", definition="d"), NotFoundError, "does not exist"),
    (lambda p: p.edit_theme("Heard"), ParameterError, "nothing to change"),
    (lambda p: p.add_theme("Heard"), ReviewError, "already exists"),
    (lambda p: p.set_framework_summary("P01", "x"), ParameterError, "one theme or one code"),
    (lambda p: p.set_framework_summary("P99", "x", theme="Heard"), NotFoundError,
     "participant 'P99' does not exist"),
])
def test_bad_input_changes_nothing(coded, call, error, match) -> None:
    coded.add_theme("Heard", codes=["feeling-heard"], actor="ana")
    events = len(coded.history(limit=1000))
    with pytest.raises(error, match=match):
        call(coded)
    assert len(coded.history(limit=1000)) == events
    assert tree(coded) == [("Heard", None)]


def test_quotes_come_from_the_themes_own_codes(coded) -> None:
    coded.add_theme("Heard", codes=["feeling-heard"], actor="ana")
    coded.add_theme("Online", codes=["camera-use"], actor="ana")
    own = coded.ids[("P01", "feeling-heard")]
    assert coded.add_theme_quote("Heard", own, actor="ana") is True
    assert coded.add_theme_quote("Heard", own, actor="ana") is False  # already chosen
    other = coded.ids[("P02", "camera-use")]
    with pytest.raises(ReviewError, match=r"coded 'camera-use', which is not a code of theme "
                                          r"'Heard' \(its codes: feeling-heard\)"):
        coded.add_theme_quote("Heard", other, actor="ana")
    with pytest.raises(NotFoundError, match="coding 99999 does not exist"):
        coded.add_theme_quote("Heard", 99999, actor="ana")
    assert coded.theme_quotes()["coding_id"].tolist() == [own]
    assert coded.remove_theme_quote("Heard", own, actor="ana") is True
    assert coded.theme_quotes().empty


def test_quote_must_be_accepted(coded) -> None:
    coded.add_theme("Heard", codes=["feeling-heard"], actor="ana")
    own = coded.ids[("P01", "feeling-heard")]
    coded.reject([own], coder="ana")
    with pytest.raises(ReviewError, match=f"coding {own} is rejected, not accepted"):
        coded.add_theme_quote("Heard", own, actor="ana")


def test_framework_summaries(coded) -> None:
    coded.add_theme("Heard", codes=["feeling-heard", "non-judgmental-space"], actor="ana")
    quote = coded.ids[("P01", "feeling-heard")]
    coded.set_framework_summary("P01", "Heard, not judged.", theme="Heard",
                                quote_ids=[quote], author="ana")
    coded.set_framework_summary("P01", "Heard and not judged.", theme="Heard",
                                quote_ids=[quote], author="ana")  # an edit, not a second row
    summaries = coded.framework_summaries()
    assert summaries[["participant", "theme", "summary", "quote_ids"]].values.tolist() == [
        ["P01", "Heard", "Heard and not judged.", [quote]]]
    cells = coded.framework().set_index(["participant", "theme"])
    assert cells.loc[("P01", "Heard"), "state"] == "summarised"
    assert [q["text"] for q in cells.loc[("P01", "Heard"), "quotes"]] == [
        "I felt heard for the first time."]
    assert cells.loc[("P02", "Heard"), "state"] == "to summarise"
    coded.undo()
    assert coded.framework_summaries()["summary"].tolist() == ["Heard, not judged."]
    with pytest.raises(NotFoundError, match="coding 424242 does not exist"):
        coded.set_framework_summary("P01", "x", theme="Heard", quote_ids=[424242])
