"""The command line: each command on real files, errors as one line, docs complete."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import CODEBOOK, ROOT, SAMPLES
from thematic import Project
from thematic.cli import app

runner = CliRunner()


def run(*args: str, ok: bool = True):  # noqa: ANN201
    result = runner.invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            names += [f"{name} {sub}" for sub in cmd.commands]
        else:
            names.append(name)
    return names


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [c for c in _commands() if f"thematic {c}" not in readme]
    assert missing == []


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    code = ("import sys, thematic.cli; heavy = {'spacy', 'torch', 'pandas', 'sqlalchemy', "
            "'sentence_transformers', 'sklearn'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_init_ingest_status_export(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.thematic")
    run("init", proj)
    files = [str(SAMPLES / n) for n in ("P01_dana.txt", "P03_priya_otter.txt", "P05_alex_teams.vtt",
                                        "P04_tom.docx")]
    out = run("ingest", *files, "-p", proj, "--json")
    data = json.loads(out.output)
    assert sorted(data["added"]) == ["P01_dana", "P03_priya_otter", "P04_tom", "P05_alex_teams"]
    assert data["roles"]["Maya Ellison"] == "interviewer"
    status = json.loads(run("status", "-p", proj, "--json").output)
    assert status["documents"] == 4 and status["words"] > 8000
    text = run("status", "-p", proj).output
    assert "4 documents" in text and "P05_alex_teams" in text
    run("export", "segments", str(tmp_path / "seg.xlsx"), "-p", proj, "--unit", "turn")
    seg = pd.read_excel(tmp_path / "seg.xlsx")
    assert set(seg["document"]) == set(data["added"]) and seg["time_start"].notna().any()


def test_ingest_with_a_glob_and_participants(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.thematic")
    run("init", proj)
    run("ingest", str(SAMPLES / "P0[12]_*.txt"), "--participants", str(SAMPLES / "participants.csv"),
        "--allow-unmatched", "-p", proj)
    status = json.loads(run("status", "-p", proj, "--json").output)
    assert status["documents"] == 2 and status["participants"] == 11


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "missing.txt"], "no such file or folder"),
        (["ingest", "{data}/note.xyz"], "no reader for"),
        (["ingest", "{data}/empty.txt"], "empty"),
        (["status", "-p", "{tmp}/nope.thematic"], "thematic init"),
        (["codebook", "import", "{data}/bad.yaml"], "line"),
        (["review", "accept", "--id", "1"], "a decision needs your name"),
    ],
)
def test_user_errors_are_one_line_without_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "note.xyz").write_text("hello")
    (data / "empty.txt").write_text("   \n")
    (data / "bad.yaml").write_text("codebook: {name: x}\ncodes:\n  - id: a\n    name: [unclosed\n")
    proj = tmp_path / "p.thematic"
    run("init", str(proj))
    argv = [a.format(data=data, tmp=tmp_path) for a in args]
    if "-p" not in argv:
        argv += ["-p", str(proj)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines[0].startswith("error: ") and re.search(message, result.output, re.I), result.output
    assert "Traceback" not in result.output


def test_topics_run_names_the_parent_levels_on_a_bad_one(tmp_path: Path) -> None:
    proj = tmp_path / "p.thematic"
    run("init", str(proj))
    result = runner.invoke(app, ["topics", "run", "--parents", "themes", "-p", str(proj)])
    assert result.exit_code == 2  # a usage error, before anything is read or fitted
    assert re.search(r"^error: .*--parents.*must be one of codebook, ward", result.output, re.M)
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_code_review_export_undo_history(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.thematic")
    run("init", proj)
    run("ingest", str(SAMPLES / "P10_kevin.txt"), str(SAMPLES / "P08_jamal.md"), "-p", proj)
    run("codebook", "import", str(CODEBOOK), "-p", proj)
    out = json.loads(run("code", "-e", "rules", "-p", proj, "--json").output)
    assert out["suggestions"] > 10 and out["engine"] == "rule"
    relapse = next(r for r in out["per_code"] if r["code"] == "relapse")
    assert relapse["rule"] > 0
    again = json.loads(run("code", "-e", "rules", "-p", proj, "--json").output)
    assert again["stored"]["added"] == 0 and again["stored"]["refreshed"] == out["suggestions"]
    res = run("review", "accept", "--code", "relapse", "--coder", "ana", "-p", proj)
    assert f"accepted: {relapse['rule']} codings" in res.output
    run("code-span", "P10_kevin", "relapse", "--quote", "I looked at it the night I relapsed",
        "--coder", "ana", "-p", proj)
    run("export", "codings", str(tmp_path / "c.csv"), "--status", "accepted", "-p", proj)
    codings = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    assert len(codings) == relapse["rule"] + 1
    assert (codings["code_level_2"] == "Relapse").all() and (codings["decided_by"] == "ana").all()
    assert codings["participant"].notna().all()
    assert run("undo", "-p", proj).output.startswith("undone: code")
    hist = json.loads(run("history", "-p", proj, "--json").output)
    assert [h["action"] for h in hist[:3]] == ["undo", "code", "accept"]


def test_codebook_validate_export_diff(tmp_path: Path) -> None:
    assert run("codebook", "validate", str(CODEBOOK)).output.strip().endswith(": valid")
    proj = str(tmp_path / "s.thematic")
    run("init", proj)
    run("codebook", "import", str(CODEBOOK), "-p", proj)
    for suffix in ("yaml", "csv", "qdc"):
        out = tmp_path / f"book.{suffix}"
        run("codebook", "export", str(out), "-p", proj)
        assert out.stat().st_size > 1000
    changed = tmp_path / "changed.yaml"
    changed.write_text(CODEBOOK.read_text().replace("name: Relapse\n", "name: Lapse and relapse\n", 1))
    diff = run("codebook", "diff", "project", str(changed), "-p", proj).output
    assert "Lapse and relapse" in diff


@pytest.mark.slow
def test_the_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python API example, run as written on the sample study (TF-IDF backend)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## The Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    interviews = tmp_path / "interviews"
    interviews.mkdir()
    for name in ("P01_dana.txt", "P02_marcus.txt", "P08_jamal.md"):
        (interviews / name).write_bytes((SAMPLES / name).read_bytes())
    (tmp_path / "people.csv").write_bytes((SAMPLES / "participants.csv").read_bytes())
    codebooks = tmp_path / "codebooks"
    codebooks.mkdir()
    (codebooks / "peer_listening.yaml").write_bytes(CODEBOOK.read_bytes())
    monkeypatch.chdir(tmp_path)
    changes = {'participants="people.csv", actor="ana")':
               'participants="people.csv", actor="ana", allow_unmatched_participants=True)',
               'project.suggestions.run(["rules", "semantic"], actor="ana")':
               'project.suggestions.run(["rules", "semantic"], backend="tfidf", actor="ana")'}
    code = block
    for old, new in changes.items():
        assert old in code, f"the README's example no longer has {old}"
        code = code.replace(old, new)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    project = namespace["project"]
    assert (tmp_path / "codings.xlsx").exists()
    assert project.status()["documents"] == 3


def test_migrate_upgrades_an_old_project_and_masks_passwords(tmp_path: Path) -> None:
    from tests.store.test_migrations import HEAD, make_0001

    path = tmp_path / "old.thematic"
    make_0001(path)
    out = run("migrate", str(path), "--json")
    assert json.loads(out.output) == {"project": str(path), "from": "0001", "to": HEAD}
    assert f"schema {HEAD} is current" in run("migrate", str(path)).output
    bad = run("migrate", "postgresql+psycopg://u:secret@127.0.0.1:1/db", ok=False)
    assert bad.exit_code == 1 and "secret" not in bad.output and "u:***@" in bad.output
    assert "Traceback" not in bad.output


def test_undo_mine_needs_a_coder(tmp_path: Path) -> None:
    proj = str(tmp_path / "u.thematic")
    run("init", proj)
    run("set", "--unit", "turn", "-p", proj)
    bad = run("undo", "--mine", "-p", proj, ok=False)
    assert bad.exit_code == 1 and "needs your name" in bad.output


def test_code_on_one_interview_says_what_its_suggestions_hold(tmp_path: Path) -> None:
    proj = str(tmp_path / "one.thematic")
    run("init", proj)
    run("ingest", str(SAMPLES / "P10_kevin.txt"), "-p", proj)
    run("codebook", "import", str(CODEBOOK), "-p", proj)
    out = run("code", "--backend", "tfidf", "-p", proj).output
    assert "A project of 1 document: codes this document does not talk about still get" in out
    assert out.rstrip().endswith("From 3 documents on, the suggestions are those a larger project gives the "
                                 "same documents.")


def test_review_decides_a_turns_passage_with_turn(tmp_path: Path) -> None:
    proj = str(tmp_path / "s.thematic")
    run("init", proj)
    transcript = tmp_path / "P01.txt"
    transcript.write_text("Interviewer: How was it?\n\n"
                          "P01: I relapsed in March. I started using again at a party. Then I called my sponsor.\n\n"
                          "Interviewer: And after?\n\n"
                          "P01: It was a slip, in May.\n")
    run("ingest", str(transcript), "-p", proj)
    run("codebook", "import", str(CODEBOOK), "-p", proj)
    out = json.loads(run("code", "-e", "rules", "-p", proj, "--json").output)
    assert out["suggestions"] >= 3
    with Project.open(proj) as project:
        codings = project.review.codings()
    relapse = codings[codings["code"] == "relapse"].sort_values("start")["coding_id"].astype(int).tolist()
    assert len(relapse) == 3, codings  # two sentences of the first answer, one of the second
    refused = run("review", "accept", "--turn", "--code", "relapse", "--coder", "ana", "-p", proj, ok=False)
    assert refused.exit_code == 1 and "--turn goes with --id N" in refused.output
    res = run("review", "accept", "--id", str(relapse[1]), "--turn", "--coder", "ana", "-p", proj)
    assert "accepted: 2 codings" in res.output
    with Project.open(proj) as project:
        after = project.review.codings().set_index("coding_id")["status"]
    assert after[relapse].tolist() == ["accepted", "accepted", "suggested"]
