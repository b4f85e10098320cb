"""Loading YAML codebooks: the format, labels and hashes, and every kind of bad input."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from thematic.codebook import (
    CodebookWarning,
    load_codebook,
    load_codebook_with_warnings,
    parse_codebook,
    parse_codebook_with_warnings,
    validate_codebook,
)
from thematic.errors import CodebookError, Problem


def _errors(path: Path) -> list[Problem]:
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.problems, "a CodebookError must list its problems"
    assert all(p.path == str(path) for p in info.value.problems)
    return info.value.problems


# --------------------------------------------------------------------------- valid files
def test_nested_codebook_loads_with_hierarchy_rules_and_label(data: Path) -> None:
    cb = load_codebook(data / "small.yaml")
    assert [c.id for c in cb.codes] == ["support", "feeling-heard", "hope", "stigma"]
    assert cb.name == "Small study"
    assert cb.label == "Small study@0.3"
    assert len(cb.content_hash) == 64
    assert cb.source_path == str(data / "small.yaml")
    assert cb.path("hope") == ["Support", "Hope"]
    index = cb.by_id()
    assert index["support"].color == "#1f77b4"  # normalised to lower case
    heard = index["feeling-heard"]
    assert heard.parent_id == "support"
    assert heard.definition == "The participant says they were listened to."
    assert [(e.kind, e.text) for e in heard.examples] == [
        ("typical", "For the first time I felt heard."),
        ("typical", "She really listened, you know?"),
        ("atypical", "Nobody pushed me to talk."),
        ("near_miss", "Can you hear me okay?"),
    ]
    assert index["hope"].definition == "Hope drawn from peers.\nSecond line of the definition."


def test_rules_get_stable_ids_kinds_and_defaults(data: Path) -> None:
    rules = load_codebook(data / "small.yaml").by_id()["feeling-heard"].rules
    assert [r.id for r in rules] == [
        "feeling-heard/r1",
        "feeling-heard/r2",
        "feeling-heard/r3",
        "heard-interviewer",
    ]
    assert [r.kind for r in rules] == ["keywords", "pattern", "regex", "keywords"]
    assert rules[0].value == ["felt heard", "really listened"]
    assert rules[1].value == [{"LEMMA": "feel"}, {"LOWER": "heard"}]
    assert rules[1].weight == 0.5
    assert rules[2].exclude is True
    assert rules[0].roles == ("participant",)  # codebook.defaults.roles
    assert rules[3].roles == ("interviewer",)
    stigma_rule = load_codebook(data / "small.yaml").by_id()["stigma"].rules[0]
    assert stigma_rule.roles is None  # roles: null opts out of the default


def test_flat_and_nested_forms_give_the_same_tree(data: Path) -> None:
    cb = load_codebook(data / "flat.yaml")
    assert {c.id: c.parent_id for c in cb.codes} == {
        "support": None,
        "feeling-heard": "support",
        "really-heard": "feeling-heard",
    }
    assert cb.label.startswith("Flat study@") and len(cb.label) == len("Flat study@") + 12
    assert cb.content_hash.startswith(cb.label.split("@")[1])


def test_hash_ignores_sibling_order_but_not_content() -> None:
    a = parse_codebook("codes: [{id: a, name: A, definition: x, examples: [e]}, "
                       "{id: b, name: B, definition: y, examples: [f]}]")
    b = parse_codebook("codes: [{id: b, name: B, definition: y, examples: [f]}, "
                       "{id: a, name: A, definition: x, examples: [e]}]")
    c = parse_codebook("codes: [{id: a, name: A, definition: changed, examples: [e]}, "
                       "{id: b, name: B, definition: y, examples: [f]}]")
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


def test_code_without_id_or_name_is_reported_with_a_suggestion() -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook("codes:\n  - name: Feeling heard\n    definition: x\n  - id: hope\n", source="t.yaml")
    messages = [(p.line, p.message, p.hint) for p in info.value.problems]
    assert (2, "codes[0]: the code has no id", "Add 'id: feeling-heard'.") in messages
    assert any(line == 4 and "no name" in msg for line, msg, _ in messages)


@pytest.mark.parametrize(
    ("yaml_text", "fragment"),
    [
        ("codes: {id: a}", "codes must be a list of codes, got a mapping"),
        ("codes:\n  - id: a\n    name: [A]\n", "codes[0].name must be text, got a list"),
        ("codes:\n  - id: a\n    name: A\n    rules: {regex: x}\n", "codes[0].rules must be a list of rules"),
        ("codes:\n  - id: a\n    name: A\n    rules: [{keywords: hope}]\n", "keywords must be a list of texts"),
        ("codes:\n  - id: a\n    name: A\n    rules: [{regex: x, exclude: maybe}]\n", "exclude must be true or false"),
        ("codes:\n  - id: a\n    name: A\n    rules: [{regex: x, weight: -1}]\n", "must be greater than 0"),
        ("codes:\n  - id: a\n    name: A\n    rules: [{regex: x, keywords: [y]}]\n", "exactly one of keywords"),
        ("codes:\n  - id: Feeling Heard\n    name: A\n", "is not a slug"),
        ("codes:\n  - id: a\n    name: A\n    name: B\n", "field 'name' is given twice"),
        ("codes:\n  - id: a\n    name: A\n    near_miss: [x]\n", "unknown field 'near_miss'"),
        ("- id: a\n", "the top level must be a mapping"),
    ],
)
def test_wrong_types_and_shapes_are_errors(yaml_text: str, fragment: str) -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(yaml_text, source="inline.yaml")
    assert any(fragment in p.message for p in info.value.problems), info.value.problems
    assert all(p.line is not None for p in info.value.problems)


def test_misplaced_example_kind_says_where_it_belongs() -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook("codes:\n  - id: a\n    name: A\n    near_miss: [x]\n")
    assert info.value.problems[0].hint == "'near_miss' belongs under 'examples:'."


# --------------------------------------------------------------------------- bad files
@pytest.mark.parametrize(
    ("name", "line", "column", "fragment"),
    [
        ("syntax_error.yaml", 9, 1, "YAML syntax error: while scanning a quoted scalar"),
        ("syntax_error_colon.yaml", 3, 15, "mapping values are not allowed here"),
    ],
)
def test_yaml_syntax_error_has_line_and_column(
    data: Path, name: str, line: int, column: int, fragment: str
) -> None:
    (problem,) = _errors(data / name)
    assert (problem.line, problem.column) == (line, column)
    assert fragment in problem.message


def test_syntax_error_points_back_to_where_the_scalar_started(data: Path) -> None:
    (problem,) = _errors(data / "syntax_error.yaml")
    assert "(it starts at line 6, column 17)" in problem.message


def test_unknown_field_suggests_the_closest_known_one(data: Path) -> None:
    (problem,) = _errors(data / "unknown_field.yaml")
    assert (problem.line, problem.column) == (4, 5)
    assert "unknown field 'defintion'" in problem.message
    assert problem.hint == "Did you mean 'definition'?"
    assert problem.code_id == "hope"


def test_duplicate_id_names_both_places(data: Path) -> None:
    (problem,) = _errors(data / "duplicate_id.yaml")
    assert problem.line == 11 and problem.code_id == "hope"
    assert "duplicate code id 'hope'" in problem.message
    assert "codes[0], line 2" in problem.message


def test_parent_cycle_is_reported_once_with_the_loop(data: Path) -> None:
    (problem,) = _errors(data / "parent_cycle.yaml")
    assert "parent cycle: a -> c -> b -> a" in problem.message
    assert problem.line == 2


def test_dangling_parent_suggests_an_existing_id(data: Path) -> None:
    (problem,) = _errors(data / "dangling_parent.yaml")
    assert (problem.line, problem.column) == (8, 13)
    assert "parent 'stigmaa' is not a code id" in problem.message
    assert problem.hint == "Did you mean 'stigma'?"


def test_invalid_regex_carries_the_regex_error(data: Path) -> None:
    (problem,) = _errors(data / "bad_regex.yaml")
    assert (problem.line, problem.column) == (6, 16)
    assert "invalid regular expression" in problem.message
    assert "missing ) at position 17" in problem.message  # the regex module's wording


def test_token_pattern_rejected_by_spacy_matcher(data: Path) -> None:
    (problem,) = _errors(data / "bad_pattern.yaml")
    assert problem.line == 6
    assert "spaCy rejects the token pattern" in problem.message
    assert "LEMMAA" in problem.message


def test_empty_codebook_is_an_error(data: Path) -> None:
    (problem,) = _errors(data / "empty.yaml")
    assert problem.message == "the codebook has no codes"


@pytest.mark.parametrize("text", ["", "# only a comment\n", "codebook: {name: x}\n"])
def test_empty_documents_are_errors(text: str) -> None:
    with pytest.raises(CodebookError, match="empty|no 'codes:'"):
        parse_codebook(text)


def test_bad_colour_is_an_error() -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook("codes:\n  - id: a\n    name: A\n    color: '#12345'\n")
    assert "'#12345' is not a colour" in info.value.problems[0].message


def test_all_problems_are_reported_at_once(data: Path) -> None:
    problems = _errors(data / "three_errors.yaml")
    assert len(problems) == 3
    assert [p.line for p in problems] == [5, 10, 17]
    assert "Did you mean 'color'?" == problems[0].hint
    assert "3 problems" in str(pytest.raises(CodebookError, load_codebook, data / "three_errors.yaml").value)


def test_error_message_lists_every_problem_with_its_location(data: Path) -> None:
    with pytest.raises(CodebookError) as info:
        load_codebook(data / "three_errors.yaml")
    text = str(info.value)
    assert f"{data / 'three_errors.yaml'}:10:12: code 'stigma'" in text
    assert text.count("\n  - ") == 3


def test_missing_file_is_a_codebook_error(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- warnings
def test_rules_that_match_everything_warn_but_load(data: Path) -> None:
    cb, found = load_codebook_with_warnings(data / "greedy_rules.yaml")
    assert [c.id for c in cb.codes] == ["everything", "bare"]
    assert all(p.severity == "warning" for p in found)
    messages = [p.message for p in found]
    assert any("'.*' matches the empty string" in m for m in messages)
    assert any("'(?s).' matches any text" in m for m in messages)
    assert any("stop-word keywords" in m and "'the'" in m and "felt heard" not in m for m in messages)
    assert any("every token of the pattern is optional or empty" in m for m in messages)
    assert any("'Bare code' has no definition" in m for m in messages)
    bare = [p for p in found if p.code_id == "bare"]
    assert len(bare) == 1 and "Only its name can be matched" in (bare[0].hint or "")


def test_a_code_with_only_a_definition_does_not_warn() -> None:
    # the semantic engine suggests it from its definition (issue 7: the old warning said
    # "No engine can suggest it", which was false)
    text = ("codes:\n  - id: cost\n    name: Cost\n"
            "    definition: 'Money worries. Use for: fees. Not for: time.'\n")
    _, found = parse_codebook_with_warnings(text)
    assert found == []


def test_load_codebook_issues_codebook_warnings(data: Path) -> None:
    with pytest.warns(CodebookWarning, match="5 codebook warnings"):
        load_codebook(data / "greedy_rules.yaml")


def test_double_quoted_regex_backspace_warns() -> None:
    text = 'codes:\n  - id: a\n    name: A\n    definition: d\n    rules: [{regex: "\\bhope\\b"}]\n'
    with pytest.warns(CodebookWarning, match="single quotes"):
        parse_codebook(text)


def test_validate_codebook_returns_errors_and_warnings_without_raising(data: Path) -> None:
    problems = validate_codebook(data / "unknown_field.yaml")
    assert [p.severity for p in problems] == ["warning", "error"]
    assert validate_codebook(data / "small.yaml") == []


def test_valid_codebook_emits_no_warnings(data: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_codebook(data / "small.yaml")


def test_project_load_reports_each_warning_once(tmp_path: Path) -> None:
    from thematic import Project

    path = tmp_path / "cb.yaml"
    path.write_text("codes:\n  - id: bare\n    name: Bare\n", encoding="utf-8")
    with Project.create(tmp_path / "p.thematic") as project, warnings.catch_warnings():
        warnings.simplefilter("error", CodebookWarning)  # issued *and* reported = twice
        report = project.codebook.load(path, actor="ana")
    assert [p.code_id for p in report.warnings] == ["bare"]
