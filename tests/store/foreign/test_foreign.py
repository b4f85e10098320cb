"""QualCoder and Taguette project databases: fixtures written from their public schemas."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.refi.conftest import DATA
from thematic.errors import ExchangeError
from thematic.store.foreign.qualcoder import read_qualcoder
from thematic.store.foreign.taguette import read_taguette


def test_qualcoder_project_whole() -> None:
    p = read_qualcoder(DATA / "qualcoder_study.qda")
    assert [u.name for u in p.users] == ["jo", "kim"]
    codes = {c.name: c for c in p.codes}
    assert codes["Disruption"].parent == codes["Change"].guid and not codes["Change"].codable
    assert (
        codes["Disruption"].color == "#FF6666"
        and codes["Disruption"].description == "Things breaking."
    )
    (source,) = p.sources
    assert "😬" in source.text
    by_var = {v.guid: v for v in p.variables}
    (case,) = p.cases
    assert {by_var[g].name: v for g, v in case.values.items()} == {"years": 12, "site": "North"}
    assert {by_var[g].name: by_var[g].type for g in case.values} == {
        "years": "Float",
        "site": "Text",
    }
    assert case.sources == [source.guid]
    notes = {n.name: n for n in p.notes}
    assert source.text[notes["Annotation"].span[1] : notes["Annotation"].span[2]] == "Everything"
    assert notes["Day one"].targets == ["project"]
    assert notes["Coding memo"].text == "Key line."
    assert any("photo.jpg" in d for d in p.dropped) and any("wordcount" in d for d in p.dropped)
    assert any("image sources" in d for d in p.dropped)
    coders = {c.code: c.coder for c in p.codings}
    assert coders[codes["Lost mentor"].guid] == next(u.guid for u in p.users if u.name == "jo")


def test_qualcoder_seltext_mismatch_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "shifted.qda"
    shutil.copytree(DATA / "qualcoder_study.qda", folder)
    conn = sqlite3.connect(folder / "data.qda")
    conn.execute("UPDATE code_text SET pos0 = pos0 + 2, pos1 = pos1 + 2 WHERE ctid = 1")
    conn.commit()
    conn.close()
    p = read_qualcoder(folder)
    (bad,) = p.unplaced
    assert "'the rota, the managers, even the coffee' is not at positions" in bad.reason
    assert len(p.codings) == 1


def test_qualcoder_unknown_version() -> None:
    with pytest.raises(
        ExchangeError,
        match=r"future\.qda/data\.qda: QualCoder database version 'v99' is not one thematic knows",
    ):
        read_qualcoder(DATA / "bad" / "future.qda")


def test_qualcoder_not_sqlite(tmp_path: Path) -> None:
    (tmp_path / "x.qda").mkdir()
    (tmp_path / "x.qda" / "data.qda").write_text("hello")
    with pytest.raises(
        ExchangeError,
        match=r"not a QualCoder project \(data\.qda\): the file is not a SQLite database",
    ):
        read_qualcoder(tmp_path / "x.qda")


def test_taguette_project_whole() -> None:
    p = read_taguette(DATA / "taguette.sqlite3")
    (source,) = p.sources
    assert source.text.splitlines() == [
        "Interviewer: Where do you feel safe?",
        "P08: In the café 😊 by the clinic, & nowhere else really.",
        "P08: At home I can finally breathe.",
    ]
    assert {c.name: c.description for c in p.codes} == {
        "safe-place": "A place where the participant feels safe.",
        "home": "Home as refuge.",
    }
    assert [u.name for u in p.users] == ["ana"]
    assert {c.coder for c in p.codings} == {p.users[0].guid}
    assert p.unplaced == []


def test_taguette_offsets_are_utf8_bytes(tmp_path: Path) -> None:
    """Shifting a highlight by one byte lands inside 'é' or off the snippet: reported."""
    db = tmp_path / "t.sqlite3"
    shutil.copy(DATA / "taguette.sqlite3", db)
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE highlights SET start_offset = start_offset - 2, end_offset = end_offset - 2 WHERE id = 1"
    )
    conn.commit()
    conn.close()
    (bad,) = read_taguette(db).unplaced
    assert "snippet 'nowhere else really' is not at its offsets" in bad.reason


def test_taguette_unknown_revision() -> None:
    with pytest.raises(
        ExchangeError, match=r"Taguette schema revision 'ffffffffffff' is not one thematic knows"
    ):
        read_taguette(DATA / "bad" / "future_taguette.sqlite3")


def test_taguette_not_taguette(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(
        ExchangeError, match=r"not a Taguette database: table\(s\) projects, documents"
    ):
        read_taguette(db)
