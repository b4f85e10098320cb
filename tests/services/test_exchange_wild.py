"""Importing real-shaped vendor exports through the store, exporting them again, reading them back.

Each fixture of tests/data/refi/wild bends REFI-QDA the way one tool does; the import keeps
what it can (codebook, users, cases, sets, notes regardless of the sources), reports the
rest, and our own .qdpx export of the result validates against Project.xsd and reads back
into the same project.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import xmlschema

from tests.refi.conftest import XSD
from tests.refi.test_wild import EXPECTED, WILD
from thematic import Project
from thematic.services.exchange import DroppedElementsWarning
from thematic.store.foreign.exchange import ExchangeRows

pytestmark = pytest.mark.filterwarnings("ignore::thematic.services.exchange.DroppedElementsWarning")


def _placed(p: Project) -> list[dict[str, str]]:
    frame = p.review.codings().sort_values(["document", "start", "code"])
    book = p.codebook.current().by_id()
    return [{"source": r.document, "code": book[r.code].name, "quote": r.text} for r in frame.itertuples()]


def _key(e: dict[str, str]) -> tuple[str, str, str]:
    return e["source"], e["quote"], e["code"]


def _state(p: Project) -> dict[str, object]:
    rows = ExchangeRows(p.store.project_id, p.store.read)
    themes, theme_codes = rows.themes()
    return {
        "documents": [(d.name, p.documents.get(d.name).text) for d in p.documents.frame().itertuples()],
        "codes": p.codebook.current().codes,
        "codings": p.review.codings()[["document", "code", "start", "end", "text", "status", "coder"]].to_dict("records"),
        "participants": p.participants.frame().astype(object).where(p.participants.frame().notna(), None).to_dict("records"),
        "memos": sorted((m["target_type"], m["title"], m["body"]) for m in p.memos.frame().to_dict("records")),
        "themes": themes.drop(columns="theme_id").to_dict("records"),
        "theme_codes": sorted(theme_codes["code"]),
    }


@pytest.fixture
def project(tmp_path: Path):
    p = Project.create(tmp_path / "new.thematic")
    yield p
    p.close()


@pytest.mark.parametrize("fixture", ["nvivo_mac15.qdpx", "maxqda24/project.qde", "atlasti26_trial.qdpx",
                                     "nvivo_win126.qdpx"])
def test_wild_import_places_every_kept_quote(fixture: str, project: Project) -> None:
    report = project.exchange.import_project(WILD / fixture, actor="ana")
    assert sorted(_placed(project), key=_key) == sorted(EXPECTED[fixture], key=_key)
    assert report.codings == len(EXPECTED[fixture]) and report.unplaced == []
    assert sum(report.kept["codings"].values()) == report.codings
    assert report.kept["documents"] == report.documents


def test_atlasti_84_import_brings_codebook_users_sets_memos_and_reports_the_rest(project: Project) -> None:
    with pytest.warns(DroppedElementsWarning, match=r"source 'Interview P11': points to 'internal://"):
        report = project.exchange.import_project(WILD / "atlasti_mac84.qdpx", actor="ana")
    assert report.codes == 14 and len(project.codebook.current().codes) == 14
    assert report.themes == 2 and report.memos >= 2
    assert {"Noor Haddad"} <= set(project.coders.names())
    assert report.documents == ["Site B interview.pdf"] and report.codings == 0
    data = report.as_dict()
    assert len(data["kept"]["codes"]) == 14
    assert {o["kind"] for o in data["skipped"]} >= {"source", "coding", "comment", "selection"}
    assert any(o["kind"] == "guid" for o in data["converted"])
    assert all(set(o) == {"kind", "name", "action", "reason"} for o in data["skipped"] + data["converted"])


def test_atlasti_84_import_with_sources_places_its_codings(project: Project) -> None:
    report = project.exchange.import_project(WILD / "atlasti_mac84.qdpx", sources=WILD / "atlasti_mac84_sources", actor="ana")
    assert sorted(_placed(project), key=_key) == sorted(EXPECTED["atlasti_mac84.qdpx"], key=_key)
    assert report.codings == 2


def test_nvivo_mac15_import_names_the_empty_sources(project: Project) -> None:
    report = project.exchange.import_project(WILD / "nvivo_mac15.qdpx", actor="ana")
    assert report.codes == 262 and report.documents == ["P21 carer"]
    assert set(project.participants.frame()["participant"]) >= {"P21", "P22"}
    assert [line for line in report.dropped if line.startswith("source ")] == [
        "source 'P22 carer': its text is empty ('internal://p22.docx' holds no text); its 1 coding(s) are not imported",
        "source 'P23 carer': its text is empty",
    ]


@pytest.mark.parametrize("fixture", ["nvivo_mac15.qdpx", "maxqda24/project.qde", "atlasti26_trial.qdpx",
                                     "nvivo_win126.qdpx", "atlasti_mac84.qdpx"])
@pytest.mark.slow
def test_our_export_of_a_wild_import_validates_and_reads_back_the_same(fixture: str, project: Project,
                                                                       tmp_path: Path) -> None:
    import zipfile

    project.exchange.import_project(WILD / fixture, actor="ana")
    out = tmp_path / "again.qdpx"
    project.exchange.export_qdpx(out)
    with zipfile.ZipFile(out) as z:
        xmlschema.XMLSchema(str(XSD)).validate(z.read("project.qde").decode("utf-8"))
    with Project.create(tmp_path / "again.thematic") as again, warnings.catch_warnings():
        warnings.simplefilter("error", DroppedElementsWarning)  # our own export loses nothing
        report = again.exchange.import_project(out, actor="ana")
        assert report.unplaced == [] and report.dropped == []
        assert _state(again) == _state(project)
