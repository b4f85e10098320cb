"""The themes and analysis commands, through typer's CliRunner, on real projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import CODEBOOK, ROOT
from thematic.cli import app

runner = CliRunner()
GOLD = ROOT / "transcripts_sample" / "gold"


def run(*args: str, ok: bool = True):  # noqa: ANN201
    result = runner.invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def fails(*args: str, match: str) -> str:
    result = run(*args, ok=False)
    assert result.exit_code in (1, 2), result.output  # 1: the library refused, 2: bad usage
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert match in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def small(tmp_path: Path) -> str:
    """Two interviews, the sample codebook, four accepted codings by 'ana'."""
    from thematic import Project

    (tmp_path / "P01.txt").write_text("Interviewer: How was it?\nP01: Nobody judged me there. "
                                      "I felt heard for the first time.\n", encoding="utf-8")
    (tmp_path / "P02.txt").write_text("Interviewer: And online?\nP02: I keep my camera off. "
                                      "Nobody judged me there either.\n", encoding="utf-8")
    path = tmp_path / "small.thematic"
    with Project.create(path) as project:
        project.documents.ingest([tmp_path / "P01.txt", tmp_path / "P02.txt"], actor="ana")
        project.codebook.load(CODEBOOK, actor="ana")
        for doc, code, quote in [("P01", "non-judgmental-space", "Nobody judged me there."),
                                 ("P01", "feeling-heard", "I felt heard for the first time."),
                                 ("P02", "camera-use", "I keep my camera off."),
                                 ("P02", "non-judgmental-space", "Nobody judged me there either.")]:
            project.review.code_span(doc, code, actor="ana", quote=quote)
    return str(path)


@pytest.mark.slow
def test_theme_commands(small: str) -> None:
    run("theme", "add", "Being heard", "--codes", "feeling-heard,non-judgmental-space",
        "--definition", "Listening without judgment.", "-p", small, "--coder", "ana")
    run("theme", "add", "Online", "--codes", "camera-use", "--parent", "Being heard", "-p", small)
    run("theme", "add", "Empty", "--codes", "training", "-p", small)
    tree = json.loads(run("themes", "-p", small, "--json").output)
    assert [(t["theme"], t["depth"], t["participants"]) for t in tree] == [
        ("Being heard", 0, 2), ("Online", 1, 1), ("Empty", 0, 0)]
    text = run("themes", "-p", small).output.splitlines()
    assert text[0] == ("Being heard: 2 participants (100%), 2 documents, 3 codings "
                       "[feeling-heard, non-judgmental-space]")
    assert text[1].startswith("  Online: 1 participants (50%)")
    assert text[2] == "Empty: no codings yet [training]"  # a theme with no codings says so
    run("theme", "edit", "Online", "--top", "--name", "Virtual", "-p", small)
    tree = json.loads(run("themes", "-p", small, "--json").output)
    assert ("Virtual", None) in [(t["theme"], t["parent"]) for t in tree]
    out = run("theme", "remove", "Empty", "-p", small).output
    assert out.strip() == "removed: Empty"
    run("undo", "-p", small)
    assert len(json.loads(run("themes", "-p", small, "--json").output)) == 3


def test_theme_quote_and_summary(small: str) -> None:
    from thematic import Project

    with Project.open(small) as project:
        codings = project.review.codings().set_index("code")
    own = int(codings.loc["feeling-heard", "coding_id"])
    other = int(codings.loc["camera-use", "coding_id"])
    run("theme", "add", "Heard", "--codes", "feeling-heard", "-p", small)
    assert run("theme", "quote", "Heard", str(own), "-p", small).output.strip() == \
        f"quote {own} added to 'Heard'"
    fails("theme", "quote", "Heard", str(other), "-p", small,
          match=f"coding {other} is coded 'camera-use', which is not a code of theme 'Heard'")
    run("theme", "summary", "P01", "Heard", "Felt heard at last.", "--quotes", str(own),
        "-p", small)
    cells = json.loads(run("framework", "-p", small, "--json").output)
    cell = next(c for c in cells if c["participant"] == "P01")
    assert cell["state"] == "summarised" and cell["quote_ids"] == [own]
    assert "P01 x Heard: Felt heard at last. (1 codings)" in run("framework", "-p", small).output
    fails("theme", "summary", "P01", "Heard", "x", "--quotes", "1,b", "-p", small,
          match="--quotes must be coding ids")


@pytest.mark.parametrize(("args", "match"), [
    (("theme", "add", "X", "--codes", "nope"), "nope are not in the codebook"),
    (("theme", "edit", "A", "--parent", "B"), "cannot be the parent"),
    (("theme", "remove", "Nope"), "theme 'Nope' does not exist"),
    (("matrix", "--by", "site"), "attribute 'site' does not exist"),
    (("saturation",), "saturation needs at least base_size + run_length = 6 documents"),
    (("agreement", "--coders", "ana"), "agreement needs two different coders"),
    (("agreement", "--coders", "ana,bob"), "['bob'] have no codings here"),
    (("agreement", "--coders", "ana,ana"), "two different coders"),
    (("agreement", "--coders", "ana,bob", "--unit", "page"), "must be one of sentence, turn, document"),
])
@pytest.mark.slow
def test_bad_input_is_one_line_and_changes_nothing(small: str, args: tuple, match: str) -> None:
    run("theme", "add", "A", "-p", small)
    run("theme", "add", "B", "--parent", "A", "-p", small)
    before = run("history", "-p", small, "--json").output
    fails(*args, "-p", small, match=match)
    assert run("history", "-p", small, "--json").output == before


def test_tables_and_json(small: str) -> None:
    freq = json.loads(run("frequencies", "-p", small, "--json").output)
    row = next(r for r in freq if r["code"] == "non-judgmental-space")
    assert (row["codings"], row["participants"], row["participants_pct"]) == (2, 2, 100.0)
    matrix = json.loads(run("matrix", "--by", "participant", "-p", small, "--json").output)
    assert {r["code"]: (r["P01"], r["P02"]) for r in matrix}["camera-use"] == (0, 1)
    pairs = json.loads(run("cooccurrence", "--method", "window", "--window", "1", "-p", small,
                           "--json").output)
    assert {(p["code_a"], p["code_b"]) for p in pairs} == {
        ("feeling-heard", "non-judgmental-space"), ("camera-use", "non-judgmental-space")}


@pytest.fixture
def sample_coded(sample_project) -> str:
    """The sample study: rule suggestions accepted by 'ana', and both gold coders."""
    sample_project.codebook.load(CODEBOOK, actor="ana")
    sample_project.suggestions.run(engines=["rules"], actor="ana")
    sample_project.review.bulk_decide("accepted", actor="ana", source="rule")
    path = str(sample_project.store.url.removeprefix("sqlite:///"))
    for coder, name in (("coder1", "gold_codings.csv"), ("coder2", "gold_codings_coder2.csv")):
        out = run("import-codings", str(GOLD / name), "--coder", coder, "-p", path).output
        assert out.strip().endswith(f"codings imported as {coder}")
    return str(sample_project.store.url.removeprefix("sqlite:///"))


@pytest.mark.slow
def test_sample_study_analysis(sample_coded: str) -> None:
    p = sample_coded
    data = json.loads(run("agreement", "--coders", "coder1,coder2", "--bootstrap", "200",
                          "-p", p, "--json").output)
    pooled = data["table"][-1]
    # coder1 coded P01, P07 and P11 (740 participant sentences), coder2 P01 and P07 (477)
    assert pooled["code"] == "(pooled)" and (pooled["units"], pooled["double_coded"]) == (740, 477)
    assert pooled["cohen_kappa_low"] <= pooled["cohen_kappa"] <= pooled["cohen_kappa_high"]
    assert len(data["disagreements"]) == pooled["a_only"] + pooled["b_only"]
    text = run("agreement", "--coders", "coder1,coder2", "--unit", "turn", "--bootstrap", "50",
               "-p", p).output
    assert text.startswith("coder1 vs coder2 by turn: ")
    engine = json.loads(run("agreement", "--coders", "rule,coder1", "--bootstrap", "50", "-p", p,
                            "--json").output)["table"][-1]
    assert engine["coder_a"] == "rule" and engine["double_coded_share"] < 1.0
    sat = json.loads(run("saturation", "--bootstrap", "100", "-p", p, "--json").output)
    assert sat["order"][:3] == ["P01_dana", "P02_marcus", "P03_priya_otter"]  # interview dates
    assert sat["accumulation"][-1]["cumulative_share"] == 1.0
    assert sat["bootstrap"]["n_boot"] == 100
    roles = json.loads(run("matrix", "--by", "role", "-p", p, "--json").output)
    assert {"code", "newcomer n", "newcomer %"} <= set(roles[0])
