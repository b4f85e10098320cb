"""Codebook regexes never hang a run: nested repeats are refused, slow ones are cut short."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from thematic import Project
from thematic.codebook import validate_codebook
from thematic.errors import CodebookError
from thematic.models import Code, Codebook, Rule, Segment
from thematic.regexes import RegexTimeout, compile_rule, finditer, nested_quantifiers
from thematic.suggest.rules import RegexTimeoutWarning, RuleEngine

ROOT = Path(__file__).resolve().parents[2]
CATASTROPHIC = ["(a+)+$", r"^(\w+\s?)*$", r"(?:\w+\s){2,}x", "((ab)*c)*$"]
SAFE = [r"\bfelt (?:\w+ ){0,3}heard\b", r"(?>\w+\s?)*$", r"(?:\w+\s?)*+$", r"\b(?:judge|court)\b(?! of)"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_nested_quantifiers_are_found(pattern: str) -> None:
    assert nested_quantifiers(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_bounded_atomic_and_possessive_repeats_pass(pattern: str) -> None:
    assert nested_quantifiers(pattern) == []


def _yaml(tmp_path: Path, pattern: str) -> Path:
    path = tmp_path / "cb.yaml"
    path.write_text(
        "codes:\n  - id: words\n    name: Words\n    definition: Any words.\n"
        f"    examples: [Some words.]\n    rules:\n      - regex: '{pattern}'\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", ["(a+)+$", r"^(\w+\s?)*$"])
def test_validate_flags_nested_quantifiers_with_file_line_col(tmp_path: Path, pattern: str) -> None:
    path = _yaml(tmp_path, pattern)
    errors = [p for p in validate_codebook(path) if p.severity == "error"]
    assert len(errors) == 1
    assert (errors[0].line, errors[0].column) == (7, 16)
    assert "repeats a group that itself repeats" in errors[0].message
    assert str(errors[0]).startswith(f"{path}:7:16: ")


def test_cli_validate_fails_on_a_nested_quantifier(tmp_path: Path) -> None:
    path = _yaml(tmp_path, r"^(\w+\s?)*$")
    run = subprocess.run([sys.executable, "-m", "thematic.cli", "codebook", "validate", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1
    assert f"{path}:7:16" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_import_refuses_the_rule_on_the_sample(sample_project: Project, tmp_path: Path) -> None:
    before = sample_project.status()
    with pytest.raises(CodebookError, match=r"repeats a group that itself repeats"):
        sample_project.codebook.load(_yaml(tmp_path, r"^(\w+\s?)*$"), actor="ana")
    assert sample_project.status() == before


def test_finditer_stops_at_its_budget() -> None:
    rx = compile_rule("(a|aa)+$")  # not a nested quantifier, still exponential in backtracking
    with pytest.raises(RegexTimeout, match=r"took more than 0\.05 s"):
        list(finditer(rx, "a" * 60 + "b", timeout=0.05))


def test_rules_run_with_a_slow_regex_completes_and_reports_the_rule() -> None:
    book = Codebook([
        Code("slow", "Slow", rules=(Rule("r-slow", "regex", "(a|aa)+$"),)),
        Code("wait", "Waiting", rules=(Rule("r-wait", "keywords", ["wait"]),)),
    ])
    segments = [Segment(i, 1, i, "turn", 0, 70, "a" * 60 + "b we waited", role="participant")
                for i in range(1, 6)]
    engine = RuleEngine(regex_timeout=0.05)
    with pytest.warns(RegexTimeoutWarning, match=r"code 'slow' rule 'r-slow'.*skipped for the rest"):
        out = engine.suggest(segments, book)
    assert sorted({s.code_id for s in out}) == ["wait"]
    assert list(engine.timed_out_) == [("slow", "r-slow")]  # tried once, then skipped


def test_the_sample_codebook_keeps_its_lookaheads() -> None:
    problems = validate_codebook(ROOT / "codebooks" / "peer_listening.yaml")
    assert not [p for p in problems if p.severity == "error"]
