"""Accounts, sign-in and sessions: the bad inputs of a team server, each with its answer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from thematic import Project
from thematic.errors import AccessError, ParameterError
from thematic.services import accounts

PASSWORD = "correct horse battery"
TEXT = "Interviewer: How was it?\n\nP01: She really listened to me. I felt heard.\n"


@pytest.fixture
def team(tmp_path: Path, cheap_hashing: None, small_codebook) -> Project:
    """A project with a document, a codebook, a suggestion, and alice (owner), bob (coder),
    vic (viewer)."""
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project = Project.create(tmp_path / "team.thematic")
    project.documents.ingest([tmp_path / "P01.txt"], actor="setup")
    project.codebook.load(small_codebook, actor="setup")
    project.accounts.add("alice", "owner", PASSWORD, actor="alice")
    project.accounts.add("bob", "coder", PASSWORD, actor="alice")
    project.accounts.add("vic", "viewer", PASSWORD, actor="alice")
    yield project
    project.close()


def test_the_first_account_is_an_owner_and_then_only_owners_add(tmp_path: Path,
                                                                 cheap_hashing: None) -> None:
    with Project.create(tmp_path / "p.thematic") as project:
        with pytest.raises(ParameterError, match="first account must be an owner"):
            project.accounts.add("bob", "coder", PASSWORD, actor="bob")
        assert project.accounts.list() == []
        project.accounts.add("Alice", "owner", PASSWORD, actor="Alice")
        with pytest.raises(ParameterError, match="needs the name of the person making it"):
            project.accounts.add("bob", "coder", PASSWORD, actor=" ")
        with pytest.raises(AccessError, match="no account named 'nobody'"):
            project.accounts.add("bob", "coder", PASSWORD, actor="nobody")
        project.accounts.add("bob", "coder", PASSWORD, actor="alice")  # any case of the name
        with pytest.raises(AccessError, match="bob is a coder: a coder cannot change"):
            project.accounts.add("eve", "owner", PASSWORD, actor="bob")
        with pytest.raises(AccessError, match="exists already"):
            project.accounts.add("BOB", "viewer", PASSWORD, actor="alice")
        assert [(a.name, a.role) for a in project.accounts.list()] == [("Alice", "owner"), ("bob", "coder")]
        history = project.review.history()
        assert history["actor"].tolist()[:2] == ["Alice", "Alice"]  # the account's own spelling


def test_passwords_are_stored_only_as_argon2id_hashes(tmp_path: Path) -> None:
    path = tmp_path / "p.thematic"
    with Project.create(path) as project:
        project.accounts.add("alice", "owner", PASSWORD, actor="alice")  # the real (default) cost
        stored = project.store.accounts.password_hash("alice")
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD.encode() not in path.read_bytes()
    assert PASSWORD not in str(project.accounts.list()) and "argon2" not in str(project.accounts.list())


def test_sign_in_opens_a_session_of_the_account(team: Project) -> None:
    signed = team.accounts.sign_in("Bob", PASSWORD)
    assert (signed.account.name, signed.account.role) == ("bob", "coder")
    assert team.accounts.session(signed.token).name == "bob"
    team.accounts.sign_out(signed.token)
    assert team.accounts.session(signed.token) is None
    assert team.accounts.session("made-up-token") is None and team.accounts.session(None) is None


def test_wrong_password_and_unknown_user_get_the_same_answer_and_the_same_work(
        team: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda h, p: checked.append(h) or real(h, p))
    answers = []
    for name in ("bob", "nobody"):
        with pytest.raises(AccessError) as caught:
            team.accounts.sign_in(name, "not the password")
        answers.append(str(caught.value))
    assert answers == ["wrong username or password"] * 2
    # one argon2id verification each, with the same parameters: the same time either way
    assert len(checked) == 2
    assert checked[0].split("$")[:4] == checked[1].split("$")[:4]


def test_repeated_failures_slow_down_known_and_unknown_names_alike(
        team: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("bob", "nobody"):
        for _ in range(accounts.FREE_FAILURES):
            with pytest.raises(AccessError, match="wrong username or password"):
                team.accounts.sign_in(name, "guess")
        with pytest.raises(AccessError, match=r"too many failed sign-ins for this name: wait \d+ s"):
            team.accounts.sign_in(name, PASSWORD)  # even the right password waits
    later = accounts._now() + timedelta(seconds=5)
    monkeypatch.setattr(accounts, "_now", lambda: later)
    assert team.accounts.sign_in("bob", PASSWORD).account.name == "bob"
    assert team.store.accounts.failures("bob", later - timedelta(hours=1)) == (0, None)


def test_an_expired_or_idle_session_has_ended(team: Project) -> None:
    expired = accounts.sign_in(team.store, "bob", PASSWORD, lifetime=timedelta(0))
    assert team.accounts.session(expired.token) is None
    idle = team.accounts.sign_in("bob", PASSWORD)
    assert accounts.session_account(team.store, idle.token, idle=timedelta(seconds=-1)) is None
    assert team.accounts.session(idle.token) is None  # gone for good once found ended


def test_a_removed_accounts_live_session_ends_and_it_can_change_nothing(team: Project) -> None:
    signed = team.accounts.sign_in("bob", PASSWORD)
    team.accounts.remove("bob", actor="alice")
    assert team.accounts.session(signed.token) is None
    with pytest.raises(AccessError, match="no account named 'bob'"):
        team.review.code_span("P01", "heard", actor="bob", quote="I felt heard.")
    assert team.review.codings().empty


def test_a_role_lowered_mid_session_applies_to_the_next_action(team: Project) -> None:
    signed = team.accounts.sign_in("bob", PASSWORD)
    cid = team.review.code_span("P01", "heard", actor="bob", quote="I felt heard.")
    team.accounts.set_role("bob", "viewer", actor="alice")
    account = team.accounts.session(signed.token)
    assert (account.name, account.role) == ("bob", "viewer")  # still signed in, now a viewer
    with pytest.raises(AccessError, match="bob is a viewer: a viewer cannot code or decide"):
        team.review.reject([cid], actor=account.name)
    assert team.review.codings().set_index("coding_id").loc[cid, "status"] == "accepted"


def test_a_changed_password_ends_the_sessions_opened_before(team: Project) -> None:
    signed = team.accounts.sign_in("bob", PASSWORD)
    team.accounts.set_password("bob", "a new long password", actor="bob")
    assert team.accounts.session(signed.token) is None
    with pytest.raises(AccessError, match="wrong username or password"):
        team.accounts.sign_in("bob", PASSWORD)
    assert team.accounts.sign_in("bob", "a new long password").account.name == "bob"
    with pytest.raises(AccessError, match="a coder cannot change"):
        team.accounts.set_password("alice", "taken over now", actor="bob")


@pytest.mark.parametrize("name", ["x'; DROP TABLE accounts;--", "<script>alert(1)</script>",
                                  "bob\nowner", "", "a" * 65, "-dash-first"])
def test_sql_and_markup_in_user_names_are_refused_and_sign_in_answers_alike(
        team: Project, name: str) -> None:
    with pytest.raises(ParameterError, match="an account name must be 1-64 letters"):
        team.accounts.add(name, "coder", PASSWORD, actor="alice")
    with pytest.raises(AccessError, match="^wrong username or password$"):
        team.accounts.sign_in(name, PASSWORD)
    assert [a.name for a in team.accounts.list()] == ["alice", "bob", "vic"]


def test_a_10000_character_password_is_refused_without_echo_and_fails_sign_in(team: Project) -> None:
    long = "p" * 10_000
    with pytest.raises(ParameterError) as caught:
        team.accounts.add("carol", "coder", long, actor="alice")
    assert "too long (10000 characters)" in str(caught.value) and long[:20] not in str(caught.value)
    with pytest.raises(AccessError, match="^wrong username or password$"):
        team.accounts.sign_in("bob", long)
    with pytest.raises(ParameterError, match="too short"):
        team.accounts.add("carol", "coder", "short", actor="alice")


def test_a_viewer_calling_a_coders_action_through_the_api_changes_nothing(team: Project) -> None:
    before = team.revision()
    with pytest.raises(AccessError, match="vic is a viewer: a viewer cannot code or decide"):
        team.review.code_span("P01", "heard", actor="vic", quote="I felt heard.")
    cid = team.review.code_span("P01", "heard", actor="bob", quote="I felt heard.")
    for call in (lambda: team.review.reject([cid], actor="vic"),
                 lambda: team.memos.add("a note", actor="vic"),
                 lambda: team.codebook.merge_codes(["stigma"], "heard", actor="bob"),
                 lambda: team.review.undo(actor="vic")):
        with pytest.raises(AccessError):
            call()
    assert team.review.codings()["status"].tolist() == ["accepted"]
    assert team.revision() > before  # bob's coding only
    assert team.memos.mark_read("P01", actor="vic") is True  # a viewer keeps their own read marks


def test_a_project_without_accounts_works_as_before(project: Project, tmp_path: Path,
                                                    small_codebook) -> None:
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project.documents.ingest([tmp_path / "P01.txt"], actor="setup")
    project.codebook.load(small_codebook, actor="setup")
    cid = project.review.code_span("P01", "heard", actor="anyone at all", quote="I felt heard.")
    project.review.reject([cid], actor="someone else")
    assert project.accounts.list() == []
    assert project.review.codings()["decided_by"].tolist() == ["someone else"]


def test_a_viewer_exports_only_pseudonymised_outputs(team: Project, tmp_path: Path) -> None:
    team.review.code_span("P01", "heard", actor="bob", quote="I felt heard.")
    done = team.exports.write("theme-table", tmp_path / "themes.md", account="vic", ner=None)
    assert done["pseudonymised"] is True and (tmp_path / "themes.md").exists()
    for call in (lambda: team.exports.write("theme-table", tmp_path / "v.md", account="vic",
                                             pseudonymise=False),
                 lambda: team.exports.write("codings", tmp_path / "c.csv", account="vic"),
                 lambda: team.exports.write("topics", tmp_path / "t.csv", account="vic"),
                 lambda: team.exports.write("segments", tmp_path / "s.csv", account="vic"),
                 lambda: team.exchange.export_qdpx(tmp_path / "p.qdpx", account="vic")):
        with pytest.raises(AccessError, match="vic is a viewer: a viewer cannot export outputs "
                                              "that are not pseudonymised"):
            call()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".thematic"
                  and p.name != "P01.txt" and not p.name.endswith(("-wal", "-shm"))) == ["themes.md"]
    assert team.exports.write("codings", tmp_path / "c.csv", account="bob")["rows"] == 1
    with pytest.raises(AccessError, match="say which account is acting"):
        team.exports.write("theme-table", tmp_path / "anon.md", ner=None)
