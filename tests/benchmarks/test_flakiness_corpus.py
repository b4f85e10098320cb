"""The flakiness survey loader reads the authors' coded-answer table (a fixture in its layout)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from corpora import flakiness  # noqa: E402

COLUMNS = [
    "Code\\Consequence\\*", "Code\\Consequence\\Known\\*", "Code\\Consequence\\Known\\Wasting Time",
    "Code\\Wishes\\*", "Code\\Wishes\\Visualization\\*", "Code\\Wishes\\Visualization\\Visual Diffing",
    "Code\\Wishes\\Flag", "Code\\Wishes\\not usable\\*", "Code\\Wishes\\not usable\\Nothing",
]


def write_fixture(folder: Path) -> None:
    rows = [
        (3, "global", "wishes", "A diff of the failing and passing runs<br>", ["Visual Diffing"]),
        (3, "global", "Consequences", "Hours lost rerunning", ["Wasting Time"]),
        (3, "global", "Consequences", "Nobody trusts the build", []),
        (5, "automotive", "wishes", "Nothing", ["Nothing"]),
        (5, "global", "wishes", "Mark them as flaky", ["Flag"]),
        (6, "global", "wishes", "   ", []),
    ]
    records = []
    for pid, origin, question, answer, leaves in rows:
        record = {"participant_id": pid, "origin": origin, "question": question, "answer": answer}
        for column in COLUMNS:
            hit = any(column.endswith("\\" + leaf) for leaf in leaves)
            star = column.endswith("\\*") and any(
                c.startswith(column[:-1]) and c.endswith("\\" + leaf) for c in COLUMNS for leaf in leaves)
            record[column] = hit or star
        records.append(record)
    pd.DataFrame(records).to_csv(folder / flakiness.ANSWERS, index=False)


def test_answers_carry_the_theme_of_every_code_under_it(tmp_path: Path) -> None:
    write_fixture(tmp_path)
    rows, codes = flakiness.answers(tmp_path)
    by_key = {(a.row, a.question): a for a in rows}
    assert by_key[("G3", "wishes")].codes == ("wishes-visualization",)
    assert by_key[("G3", "wishes")].text == "A diff of the failing and passing runs"
    assert by_key[("G3", "consequences")].codes == ("consequences-wasting-time",)
    assert by_key[("G3-2", "consequences")].codes == ()
    assert by_key[("A5", "wishes")].codes == ("wishes-not-usable",)
    assert by_key[("G5", "wishes")].codes == ("wishes-flag",)
    assert ("G6", "wishes") not in by_key  # a blank answer is no segment


def test_themes_are_children_of_their_question_and_list_their_codes(tmp_path: Path) -> None:
    write_fixture(tmp_path)
    _, codes = flakiness.answers(tmp_path)
    by_id = {c.id: c for c in codes}
    assert {"wishes", "consequences", "root_causes", "mitigations"} <= set(by_id)
    assert by_id["wishes-visualization"].parent_id == "wishes"
    assert "Use for: Visual Diffing" in by_id["wishes-visualization"].definition
    assert by_id["consequences-wasting-time"].parent_id == "consequences"
    assert "consequences-known" not in by_id  # a grouping, not a theme


def test_examples_come_only_from_pilot_answers() -> None:
    pilot = [flakiness.Answer("G1", 0, "wishes", "a flaky dashboard", ("wishes-visualization",)),
             flakiness.Answer("G1", 0, "consequences", "time", ("consequences-wasting-time",))]
    code = flakiness.code("wishes-visualization", "Visualization", "About visualization.")
    [with_examples] = flakiness.with_examples([code], pilot)
    assert [e.text for e in with_examples.examples] == ["a flaky dashboard"]
