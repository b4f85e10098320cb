"""The parameter contract of the command line: a bad value for any choice or number option is
one ``error:`` line, a non-zero exit, no traceback, and nothing created."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from thematic import Project
from thematic.cli import app
from thematic.errors import ParameterError

runner = CliRunner()


def _commands() -> list[tuple[list[str], Any]]:
    out: list[tuple[list[str], Any]] = []

    def walk(path: list[str], cmd: Any) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk([*path, name], sub)
        else:
            out.append((path, cmd))

    walk([], typer.main.get_command(app))
    return out


def _bad_value(param: Any) -> str | None:
    """A value the parameter must refuse, or None when it accepts anything."""
    annotation = param.type_descriptor.annotation
    if annotation in (int, float, list[int], list[float]):
        if param.min is not None:
            return str(param.min - 1)
        if param.max is not None:
            return str(param.max + 1)
        return "not-a-number"
    if (param.metavar or "").startswith("[") and "|" in (param.metavar or ""):
        return "bogus-value"
    return None


def _cases() -> list[tuple[str, list[str], str, str]]:
    cases = []
    for path, cmd in _commands():
        for param in cmd.params:
            bad = _bad_value(param)
            if bad is None:
                continue
            cases.append((" ".join(path), path, param.name or "", bad))
    return cases


CASES = _cases()


def _is_argument(param: Any) -> bool:
    return type(param).__name__.endswith("Argument")


def _args(path: list[str], cmd: Any, target: Any, bad: str, folder: Path) -> list[str]:
    args = list(path)
    for param in cmd.params:
        if _is_argument(param):
            if param is target:
                args.append(bad)
            elif param.required:
                args.append(str(folder / f"{param.name}.csv"))
    if not _is_argument(target):
        args += [target.opts[0], bad]
    return [*args, "-p", str(folder / "p.thematic")] if any(
        "--project" in getattr(p, "opts", ()) for p in cmd.params) else args


def test_the_contract_covers_the_choice_and_number_options() -> None:
    names = {(label, name) for label, _, name, _ in CASES}
    for expected in [("init", "unit"), ("code", "engine"), ("code", "group_codes"), ("code", "seed"),
                     ("ingest", "survey_layout"), ("review", "decision"), ("review", "source"),
                     ("review", "min_confidence"), ("history", "limit"),
                     ("code-span", "occurrence"), ("export codings", "status_")]:
        assert expected in names


@pytest.mark.parametrize(("label", "path", "name", "bad"), CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_bad_value_is_one_error_line_and_creates_nothing(
    label: str, path: list[str], name: str, bad: str, tmp_path: Path
) -> None:
    cmd = dict((" ".join(p), c) for p, c in _commands())[label]
    target = next(p for p in cmd.params if p.name == name)
    result = runner.invoke(app, _args(path, cmd, target, bad, tmp_path))
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert result.exit_code != 0
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    assert lines[0].startswith("error: Invalid value for ")
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_init_with_a_bad_unit_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "x.thematic"
    result = runner.invoke(app, ["init", str(target), "--unit", "word"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: Invalid value for '--unit': must be one of turn, sentence")
    assert not target.exists()
    with pytest.raises(ParameterError, match="unit must be one of turn, sentence. Got 'word'"):
        Project.create(target, unit="word")
    assert not target.exists()


def test_a_misspelt_ingest_option_is_a_parameter_error(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p.thematic")
    with pytest.raises(ParameterError, match="unknown ingest option 'survey_layot'"):
        project.documents.ingest([tmp_path], survey_layot="question", actor="ana")
    with pytest.raises(ParameterError, match="survey_layout must be one of respondent, question"):
        project.documents.ingest([tmp_path], survey_layout="rows", actor="ana")


def test_undo_mine_needs_a_coder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THEMATIC_CODER", raising=False)
    target = tmp_path / "p.thematic"
    Project.create(target).close()
    result = runner.invoke(app, ["undo", "--mine", "-p", str(target)])
    assert result.exit_code == 1
    assert result.output.strip() == ("error: --mine needs your name. Pass --coder NAME or set "
                                     "THEMATIC_CODER.")


def test_a_database_url_reaches_the_library_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake_create(target: str, **kw: object) -> Project:
        seen.append(target)
        raise ParameterError("stop here")

    monkeypatch.setattr(Project, "create", staticmethod(fake_create))
    url = "postgresql+psycopg://u:p@127.0.0.1:1/db"
    result = runner.invoke(app, ["init", url])
    assert seen == [url]
    assert result.output.strip() == "error: stop here"
