"""Importing and exporting whole projects through the store: one transaction, lossless round trip."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from tests.refi.conftest import DATA, EXPECTED
from thematic import Project
from thematic.errors import ExchangeError, UnsafeArchiveError
from thematic.services.exchange import DroppedElementsWarning


@pytest.fixture
def project(tmp_path: Path):
    p = Project.create(tmp_path / "new.thematic")
    yield p
    p.close()


def _placed(p: Project) -> list[dict[str, str]]:
    frame = p.review.codings().sort_values(["document", "start", "code"])
    book = p.codebook.current().by_id()
    return [{"source": r.document, "code": book[r.code].name, "quote": r.text} for r in frame.itertuples()]


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
@pytest.mark.slow
def test_import_places_every_quote(fixture: str, project: Project) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedElementsWarning)
        report = project.exchange.import_project(DATA / fixture, actor="ana")
    key = lambda e: (e["source"], e["quote"], e["code"])  # noqa: E731
    assert sorted(_placed(project), key=key) == sorted(EXPECTED[fixture], key=key)
    assert report.codings == len(EXPECTED[fixture])
    frame = project.review.codings()
    assert set(frame["status"]) == {"accepted"} and set(frame["source"]) == {"import"}


def test_nvivo_import_whole(project: Project) -> None:
    report = project.exchange.import_project(DATA / "nvivo_windows.qdpx", actor="ana")
    assert report.summary().startswith("1 documents, 3 new codes, 4 codings, 1 participants, 1 memos, 1 themes")
    frame = project.review.codings()
    assert set(frame["coder"]) == {"Dana Whitfield"} and set(frame["decided_by"]) == {"Dana Whitfield"}
    assert "Dana Whitfield" in project.coders.names()
    parts = project.participants.frame()
    assert parts.set_index("participant").loc["P01", "Age"] == 34
    assert set(frame["participant"].dropna()) == {"P01"}  # the case's respondent turns
    (turns,) = [project.documents.turns(d) for d in project.documents.frame()["id"]]
    assert {t.speaker for t in turns} == {"Interviewer", "P01"}
    book = project.codebook.current().by_id()
    assert book["night-shifts"].parent_id == "peer-support" and book["chaos"].color == "#e03c31"
    assert book["chaos"].definition == "Disorder in the first days."
    decisions = project.review.decisions()
    assert len(decisions) == 4 and set(decisions["status"]) == {"accepted"}


def test_dropped_elements_are_warned(project: Project) -> None:
    with pytest.warns(DroppedElementsWarning, match=r"qualcoder_study\.qda: 3 element\(s\) not imported:\n  - source 'photo\.jpg'"):
        report = project.exchange.import_project(DATA / "qualcoder_study.qda", actor="ana")
    assert len(report.dropped) == 3 and report.memos == 4


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows with every missing value as None (a missing attribute is NaN or None by dtype)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _state(p: Project) -> tuple:
    return (
        p.documents.frame()[["name", "sha256"]].to_dict("records"),
        p.review.codings()[["document", "code", "start", "end", "status"]].to_dict("records"),
        [c.id for c in p.codebook.current().codes],
        p.participants.frame().to_dict("records"),
        len(p.review.history(limit=1000)),
    )


@pytest.mark.parametrize(
    ("fixture", "error", "match"),
    [
        ("bad/outside.qdpx", ExchangeError,
         r"1 coding\(s\) cannot be placed on their source's text: coding \S+ \('Informal spaces'\) "
         r"on 'P03 cafe' \[900, 950\): offsets \[900, 950\) fall outside"),
        ("bad/traversal.qdpx", UnsafeArchiveError, r"is a '\.\./' path"),
        ("bad/duplicate_guids.qdpx", ExchangeError,
         r"2 coding\(s\) cannot be placed .*its code guid \S+ names several codes \('Informal spaces', 'Rota swapping'\)"),
        ("bad/future.qda", ExchangeError, r"version 'v99' is not one thematic knows"),
    ],
)
def test_failed_import_leaves_the_project_as_before(fixture: str, error: type[Exception], match: str,
                                                     project: Project, tmp_path: Path) -> None:
    project.exchange.import_project(DATA / "atlasti.qdpx", actor="ana")
    before = _state(project)
    with pytest.raises(error, match=match):
        project.exchange.import_project(DATA / fixture, actor="ana")
    assert _state(project) == before


def test_a_failure_while_writing_rolls_back(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.exchange.import_project(DATA / "atlasti.qdpx", actor="ana")
    before = _state(project)
    from thematic.store.foreign import exchange

    def boom(*args: object, **kwargs: object) -> None:
        raise ExchangeError("disk on fire")

    monkeypatch.setattr(exchange.ExchangeRows, "add_memo", boom)
    with pytest.raises(ExchangeError, match="disk on fire"):
        project.exchange.import_project(DATA / "nvivo_windows.qdpx", actor="ana")
    assert _state(project) == before


def test_allow_unplaced_imports_the_rest(project: Project) -> None:
    report = project.exchange.import_project(DATA / "bad" / "outside.qdpx", allow_unplaced=True, actor="ana")
    assert report.codings == 2 and len(report.unplaced) == 1


def test_importing_twice_renames_documents(project: Project) -> None:
    project.exchange.import_project(DATA / "atlasti.qdpx", actor="ana")
    report = project.exchange.import_project(DATA / "atlasti.qdpx", actor="ana")
    assert report.documents == ["P03 cafe (2)"] and report.codes == 0
    assert len(project.review.codings()) == 6


def test_undo_removes_the_import(project: Project) -> None:
    project.exchange.import_project(DATA / "nvivo_windows.qdpx", actor="ana")
    project.review.undo(actor="ana")
    assert project.documents.frame().empty and project.review.codings().empty and project.codebook.current().codes == []


@pytest.mark.parametrize("target", ["standard", "nvivo", "atlasti", "maxqda"])
@pytest.mark.slow
def test_round_trip_gives_the_same_project(target: str, sample_project: Project, tmp_path: Path) -> None:
    from tests.conftest import CODEBOOK
    from thematic.store.foreign.exchange import ExchangeRows

    p = sample_project
    p.codebook.load(CODEBOOK, actor="ana")
    docs = p.documents.frame()
    first = docs.iloc[0]["name"]
    text = p.documents.get(first).text
    quote = text.split("\n")[0][-40:].strip()
    p.review.code_span(first, p.codebook.current().codes[0].id, actor="ana", quote=quote)
    p.suggestions.run(["rules"], actor="ana")
    suggested = p.review.codings(status="suggested")["coding_id"].tolist()
    p.review.reject(suggested[:2], actor="ana")
    p.review.accept(suggested[2:4], actor="sam")
    store = p.store
    rows = ExchangeRows(store.project_id, store.read)
    code_id = p.codebook.current().codes[1].id
    with store.unit("ana", "memo") as uow:
        rows.add_memo(uow, target_type="code", target_id=code_id, title="On it", body="Check later.",
                      author="ana", created=None)
        rows.add_memo(uow, target_type="project", target_id=None, title="Plan", body="Ten interviews.",
                      author="ana", created=None)
        parent = rows.add_theme(uow, name="Being heard", definition="Feeling listened to.", parent_id=None,
                                position=0, codes=[code_id])
        rows.add_theme(uow, name="Sub", definition="", parent_id=parent, position=1,
                       codes=[p.codebook.current().codes[0].id])
    out = p.exchange.export_qdpx(tmp_path / "out.qdpx", target=target)
    assert out.codings == 3 and out.suggestions == len(suggested) - 2
    with Project.create(tmp_path / "again.thematic") as again:
        again.exchange.import_project(tmp_path / "out.qdpx", actor="ana")
        assert [(d.name, p.documents.get(d.name).text) for d in p.documents.frame().itertuples()] == [
            (d.name, again.documents.get(d.name).text) for d in again.documents.frame().itertuples()]
        assert again.codebook.current().codes == p.codebook.current().codes
        cols = ["document", "code", "start", "end", "text", "source", "status", "coder", "decided_by",
                "confidence", "evidence"]
        assert again.review.codings()[cols].to_dict("records") == p.review.codings()[cols].to_dict("records")
        assert _records(again.participants.frame()) == _records(p.participants.frame())
        assert again.participants.attribute_types() == p.participants.attribute_types()
        a_rows = ExchangeRows(again.store.project_id, again.store.read)
        strip = lambda ms: sorted((m["target_type"] if m["target_type"] != "coding" else "coding", m["title"], m["body"], m["author"]) for m in ms)  # noqa: E731
        assert strip(again.memos.frame().to_dict("records")) == strip(p.memos.frame().to_dict("records"))
        t1, c1 = rows.themes()
        t2, c2 = a_rows.themes()
        assert t2.drop(columns="theme_id").to_dict("records") == t1.drop(columns="theme_id").to_dict("records")
        assert sorted(c2["code"]) == sorted(c1["code"])
