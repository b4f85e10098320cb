"""A team server on PostgreSQL: several processes deciding at once lose nothing; a server
that never answers is a clear error within seconds; URLs with passwords are never printed nor
made into paths; ``init`` on a database that holds a project says so."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.conftest import ROOT
from thematic import Project
from thematic.cli import app
from thematic.errors import ProjectError
from thematic.models import Code, Codebook, Suggestion

PG_URL = os.environ.get("THEMATIC_TEST_POSTGRES_URL", "")
T = TypeVar("T")


def needs_pg(test: T) -> T:
    """Mark a test ``postgres``; skip it without ``$THEMATIC_TEST_POSTGRES_URL``."""
    skip = pytest.mark.skipif(not PG_URL, reason="set THEMATIC_TEST_POSTGRES_URL "
                                                 "(CI starts a PostgreSQL server)")
    return pytest.mark.postgres(skip(test))
runner = CliRunner()


def fresh_database(url: str) -> None:
    """Empty the test database."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def suggestions_project(url: str, folder: Path, n: int) -> list[int]:
    """A project at ``url`` with one document and ``n`` rule suggestions; their ids."""
    doc = folder / "P01.txt"
    doc.write_text("P01: " + " ".join(f"Sentence number {i} is here." for i in range(n)) + "\n",
                   encoding="utf-8")
    with Project.create(url, name="team") as project:
        project.documents.ingest([doc], actor="setup")
        project.codebook.load(Codebook(codes=[Code("said", "Said")], name="cb"), actor="setup")
        stored = project.documents.get("P01")
        spans = [(stored.text.index(f"number {i} is"), len(f"number {i} is")) for i in range(n)]
        with project.store.unit("engine", "suggest") as uow:
            run = project.store.runs.start(uow, engine="rule", params={}, versions={},
                                           codebook_version_id=None, input_hash="x", seed=0)
            project.store.runs.add_suggestions(uow, run, [
                Suggestion(stored.id, s, s + k, "said", "rule", 0.5, {}) for s, k in spans])
        return sorted(project.review.codings()["coding_id"].tolist())


WORKER = """
import json, sys
from thematic import Project
url, coder, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with Project.open(url) as project:
    for cid, status in plan:
        project.review.decide([cid], status, actor=coder)
print("done")
"""


def run_workers(url: str, plans: dict[str, list[tuple[int, str]]]) -> None:
    """One process per coder, all deciding at once; each must finish without an error."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {coder: subprocess.Popen([sys.executable, "-c", WORKER, url, coder, json.dumps(plan)],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True) for coder, plan in plans.items()}
    for coder, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert (proc.returncode, out.strip()) == (0, "done"), f"{coder}: {err[-2000:]}"


@needs_pg
def test_several_processes_deciding_blind_lose_no_decision(tmp_path: Path) -> None:
    fresh_database(PG_URL)
    ids = suggestions_project(PG_URL, tmp_path, 40)
    with Project.open(PG_URL) as project:
        project.settings.set_review_mode("independent", actor="lead")
    coders = ["ana", "ben", "cai", "dee"]
    plans = {c: [(cid, "accepted" if (cid + k) % 3 else "rejected")
                 for cid in (ids if k % 2 else ids[::-1])] for k, c in enumerate(coders)}
    run_workers(PG_URL, plans)
    with Project.open(PG_URL) as project:
        decisions = project.review.decisions()
        history = project.review.history(limit=10_000)
    got = {(r.coder, r.coding_id): r.status for r in decisions.itertuples()}
    assert got == {(c, cid): status for c, plan in plans.items() for cid, status in plan}
    assert (history["action"].isin(["accept", "reject"])).sum() == len(coders) * len(ids)


@needs_pg
def test_several_processes_deciding_the_same_codings_keep_one_decision_each(
        tmp_path: Path) -> None:
    fresh_database(PG_URL)
    ids = suggestions_project(PG_URL, tmp_path, 30)
    plans = {c: [(cid, status) for cid in (ids if k % 2 else ids[::-1])]
             for k, (c, status) in enumerate([("ana", "accepted"), ("ben", "rejected"),
                                             ("cai", "accepted"), ("dee", "rejected")])}
    run_workers(PG_URL, plans)
    with Project.open(PG_URL) as project:
        decisions = project.review.decisions().set_index("coding_id")
        codings = project.review.codings().set_index("coding_id")
        history = project.review.history(limit=10_000)
    assert sorted(decisions.index) == ids and decisions["final"].all()  # one decision per coding
    assert (codings.loc[ids, "status"] == decisions.loc[ids, "status"]).all()
    assert (codings.loc[ids, "decided_by"] == decisions.loc[ids, "coder"]).all()
    # the newest change of each coding is the decision that stands
    assert len(history) >= len(ids) and not history["undone"].any()


@needs_pg
def test_init_on_a_database_that_holds_a_project_says_so_and_never_prints_the_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_database(PG_URL)
    password = ":" + PG_URL.split("@")[0].rsplit(":", 1)[1] + "@"  # as the URL writes it
    result = runner.invoke(app, ["init", PG_URL])
    assert result.exit_code == 0 and password not in result.output
    assert result.output.startswith("created postgresql+psycopg://") and "***" in result.output
    again = runner.invoke(app, ["init", PG_URL])
    assert again.exit_code == 1 and password not in again.output
    assert "this database holds a project already" in again.output
    with Project.open(PG_URL) as project:
        name = project.name
    with pytest.raises(ProjectError, match=f"holds a project already named '{name}'"):
        Project.create(PG_URL, name=name)
    with Project.create(PG_URL, name="another study") as other:  # a second project is fine
        assert other.name == "another study"


@needs_pg
def test_import_new_url_makes_no_folder_and_prints_no_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_database(PG_URL)
    password = ":" + PG_URL.split("@")[0].rsplit(":", 1)[1] + "@"
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["import", str(ROOT / "tests/data/refi/qc.qdpx"), "--new", PG_URL,
                                 "--coder", "ana"])
    assert result.exit_code == 0, result.output
    assert password not in result.output
    assert [p.name for p in tmp_path.iterdir()] == []
    with Project.open(PG_URL) as project:
        assert project.documents.frame()["name"].tolist() == ["interview-05"]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A local port that accepts connections and never says a word."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.mark.slow
def test_a_server_that_never_answers_is_a_clear_error_within_10_s(silent_server: int) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://alice:S3cretPw@127.0.0.1:{silent_server}/study"
    for command in (["status", "-p", url], ["init", url]):
        start = time.monotonic()
        result = runner.invoke(app, command)
        seconds = time.monotonic() - start
        assert result.exit_code == 1 and seconds < 10, (command, seconds)
        assert result.output.strip() == (
            f"error: postgresql+psycopg://alice:***@127.0.0.1:{silent_server}/study: the database "
            "server did not answer in time. Check that the server is up and the URL's host and "
            "port are right (a firewall that drops packets looks like this).")


@needs_pg
def test_accounts_and_sign_in_on_postgresql(tmp_path: Path, cheap_hashing: None) -> None:
    from thematic.errors import AccessError

    fresh_database(PG_URL)
    suggestions_project(PG_URL, tmp_path, 2)
    with Project.open(PG_URL) as project:
        project.accounts.add("alice", "owner", "long enough password", actor="alice")
        with pytest.raises(AccessError, match="^wrong username or password$"):
            project.accounts.sign_in("x" * 10_000, "p" * 10_000)
        with pytest.raises(AccessError, match="^wrong username or password$"):
            project.accounts.sign_in("ß" * 64, "long enough password")
        signed = project.accounts.sign_in("ALICE", "long enough password")
        assert project.accounts.session(signed.token).name == "alice"
        project.review.accept([1], actor="alice")
        with pytest.raises(AccessError, match="no account named 'bob'"):
            project.review.accept([2], actor="bob")
        assert project.review.history(by="alice")["action"].tolist()[0] == "accept"


@needs_pg
def test_a_rerun_refreshes_and_undoes_in_one_batch_on_postgresql(tmp_path: Path) -> None:
    fresh_database(PG_URL)
    ids = suggestions_project(PG_URL, tmp_path, 40)
    with Project.open(PG_URL) as project:
        stored = project.documents.get("P01")
        codings = project.review.codings().set_index("coding_id")
        with project.store.unit("engine", "suggest") as uow:
            run = project.store.runs.start(uow, engine="rule", params={}, versions={},
                                           codebook_version_id=None, input_hash="y", seed=0)
            counts = project.store.runs.add_suggestions(uow, run, [
                Suggestion(stored.id, int(codings.loc[i, "start"]), int(codings.loc[i, "end"]), "said", "rule",
                           0.9, {"again": True}) for i in ids])
        assert counts["refreshed"] == 40
        after = project.review.codings()
        assert set(after["confidence"]) == {0.9}
        assert all(e.get("again") for e in after["evidence"])
        assert project.review.undo(actor="engine") == ["suggest"]
        assert set(project.review.codings()["confidence"]) == {0.5}
