"""diff_codebooks: added, removed, renamed, moved, edited; summary()."""

from __future__ import annotations

from pathlib import Path

from thematic.codebook import Edited, Moved, Renamed, diff_codebooks, load_codebook


def test_diff_finds_every_kind_of_change(data: Path) -> None:
    old = load_codebook(data / "diff_v1.yaml")
    new = load_codebook(data / "diff_v2.yaml")
    diff = diff_codebooks(old, new)
    assert [c.id for c in diff.added] == ["burnout"]
    assert [c.id for c in diff.removed] == ["training"]
    assert diff.renamed == [Renamed("feeling-heard", "Feeling heard", "Being listened to")]
    assert diff.moved == [Moved("hope", "support", "stigma")]
    assert diff.edited == [Edited("stigma", ("definition", "color"))]
    assert diff


def test_summary_is_readable(data: Path) -> None:
    diff = diff_codebooks(load_codebook(data / "diff_v1.yaml"), load_codebook(data / "diff_v2.yaml"))
    assert diff.summary().splitlines() == [
        "Diff study@1 -> Diff study@2: 1 added, 1 removed, 1 renamed, 1 moved, 1 edited",
        '  + burnout "Burnout"',
        '  - training "Training"',
        '  ~ feeling-heard renamed "Feeling heard" -> "Being listened to"',
        "  ~ hope moved support -> stigma",
        "  ~ stigma edited: definition, color",
    ]


def test_identical_codebooks_have_an_empty_diff(data: Path) -> None:
    cb = load_codebook(data / "small.yaml")
    diff = diff_codebooks(cb, load_codebook(data / "small.yaml"))
    assert not diff
    assert diff.summary().endswith("(no changes)")


def test_rule_changes_are_edits(data: Path) -> None:
    from dataclasses import replace

    old = load_codebook(data / "small.yaml")
    codes = [replace(c, rules=c.rules[:1]) if c.id == "feeling-heard" else c for c in old.codes]
    new = replace(old, codes=codes)
    assert diff_codebooks(old, new).edited == [Edited("feeling-heard", ("rules",))]


def test_as_dict_is_json_ready(data: Path) -> None:
    import json

    diff = diff_codebooks(load_codebook(data / "diff_v1.yaml"), load_codebook(data / "diff_v2.yaml"))
    payload = json.loads(json.dumps(diff.as_dict()))
    assert payload["moved"] == [{"code_id": "hope", "old_parent": "support", "new_parent": "stigma"}]
    assert payload["edited"] == [{"code_id": "stigma", "fields": ["definition", "color"]}]
