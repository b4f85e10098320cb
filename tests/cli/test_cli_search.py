"""``thematic search``, ``thematic query`` and ``thematic sets`` on the coded sample."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.cli import app

runner = CliRunner()


@pytest.fixture
def coded(coded_sample_file: Path, tmp_path: Path) -> str:
    target = tmp_path / "coded.thematic"
    shutil.copy(coded_sample_file, target)
    return str(target)


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_search_marks_each_hit_and_codes_the_words_found(coded: str) -> None:
    out = run("search", '"waiting list"', "-p", coded)
    assert out.splitlines()[-1] == "2 results"
    assert "six-week »waiting list«." in out and "the »waiting lists« are months" in out
    out = run("search", '"waiting list"', "-p", coded, "--code", "funding-sustainability",
              "--extent", "hit", "--coder", "ben")
    assert "coded 2 passages as funding-sustainability" in out
    from thematic import Project

    with Project.open(coded) as project:
        added = project.review.codings().query("coder == 'ben'")
    assert [t.lower() for t in added["text"]] == ["waiting list", "waiting lists"]


def test_search_where_json_and_limit(coded: str) -> None:
    data = json.loads(run("search", "listener", "-w", "gender=female", "-w",
                          "speaker_role=participant", "-p", coded, "--json"))
    assert data["results"] and all(r["participant"] in {"P01", "P03", "P06", "P07", "P09", "P11"}
                                   for r in data["results"])
    out = run("search", "listen*", "--limit", "1", "-p", coded)
    assert "more: --limit 0 shows all" in out.splitlines()[-1]


def test_query_save_show_code_export_remove(coded: str, tmp_path: Path) -> None:
    out = run("query", "active-listening NOT non-judgmental-space", "-p", coded, "--save",
              "listening only", "--coder", "ana", "--limit", "0")
    total = int(out.splitlines()[-2].split()[0])
    assert total > 0 and out.splitlines()[-1] == f"saved {total} results as set 'listening only'"
    assert "listening only" in run("sets", "list", "-p", coded)
    shown = run("sets", "show", "listening only", "-p", coded)
    assert len(shown.strip().splitlines()) == total
    assert run("sets", "code", "listening only", "training", "-p", coded, "--coder", "ana") \
        .strip() == f"coded {total} spans of 'listening only' as training"
    target = tmp_path / "set.xlsx"
    assert run("sets", "export", "listening only", str(target), "-p", coded).strip() \
        == f"wrote {total} rows to {target}"
    assert len(pd.read_excel(target)) == total
    run("sets", "remove", "listening only", "-p", coded, "--coder", "ana")
    assert "no saved sets yet" in run("sets", "list", "-p", coded)


@pytest.mark.parametrize(("args", "message"), [
    (("query", "active-listening AND"), "ends where a code was expected"),
    (("query", "nosuch"), "codebook does not have"),
    (("search", "alone", "-w", "shoe_size=9"), "no attribute 'shoe_size'"),
    (("search", "alone", "--save", "x"), "saving a set needs your name"),
    (("sets", "show", "nope"), "no saved set named 'nope'"),
])
def test_mistakes_are_one_error_line(coded: str, args: tuple[str, ...], message: str) -> None:
    result = runner.invoke(app, [*args, "-p", coded])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
