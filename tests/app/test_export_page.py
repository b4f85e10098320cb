"""The Export page (AppTest): every exporter as a download; the theme table read back as Word
and Excel, the codings, the .qdpx and the report zip; pseudonymisation; markup as text."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from app_pages import state
from tests.app.apptest_utils import elements, html, markdown_texts, run_app
from tests.app.coded_project import coded_file
from thematic import Project
from thematic.views.export_view import ExportResult

PAGE = "app_pages/export.py"


@pytest.fixture
def themed(app_project_file: Path, tmp_path_factory: pytest.TempPathFactory,
           tmp_path: Path) -> Path:
    """The coded study with two themes and an exemplar quote."""
    target = tmp_path / "coded.thematic"
    shutil.copy(coded_file(app_project_file, tmp_path_factory.getbasetemp()), target)
    with Project.open(target) as p:
        p.themes.add("Support at work", codes=["supervision"], definition="Being held up.",
                    actor="ana")
        p.themes.add("Reaching people", codes=["reach-and-access", "camera-use"], actor="ana")
        codings = p.review.codings(status="accepted")
        quote = int(codings[codings["code"] == "supervision"]["coding_id"].iloc[0])
        p.themes.add_quote("Support at work", quote, actor="ana")
    return target


def download(at: AppTest, kind: str, fmt: str) -> ExportResult:
    """Choose ``fmt``, press Prepare; the bytes the download button serves."""
    picker = at.selectbox(key=f"ex_fmt-{kind}")
    if not picker.disabled:
        picker.set_value(fmt)
    at.button(key=f"ex_prepare-{kind}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    buttons = [e for e in elements(at) if getattr(e, "type", "") == "download_button"]
    assert any(b.proto.id.endswith(f"ex_dl-{kind}") or f"ex_dl-{kind}" in b.proto.id
               for b in buttons), "a download button is drawn"
    result = at.session_state[f"{state.EXPORT_READY}-{kind}"]
    assert result.name.endswith(f"-{kind}.{'zip' if kind == 'transcripts' else fmt}")
    return result


def test_theme_table_as_word_reads_back(themed: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    result = download(at, "theme-table", "docx")
    assert result.mime.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(result.data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("Support at work" in c for c in cells) and any("Reaching people" in c for c in cells)
    with Project.open(themed) as p:
        quote = p.review.codings().set_index("coding_id").loc[int(p.themes.quotes()["coding_id"].iloc[0]),
                                                       "text"]
    assert any(quote.split()[0] in c for c in cells)


def test_theme_table_as_excel_reads_back(themed: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    result = download(at, "theme-table", "xlsx")
    sheet = load_workbook(io.BytesIO(result.data)).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert any("Support at work" in v for v in values)


def test_codings_and_qdpx_download(themed: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    codings = download(at, "codings", "csv")
    with Project.open(themed) as p:
        n = len(p.review.codings())
    assert codings.data.decode("utf-8").count("\n") >= n + 1
    qdpx = download(at, "qdpx", "qdpx")
    with zipfile.ZipFile(io.BytesIO(qdpx.data)) as archive:
        assert "project.qde" in archive.namelist()


def test_pseudonymised_transcripts_leave_names_out(themed: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(themed) as p:
        names = p.participants.frame().set_index("participant")["name"].dropna().astype(str)
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    result = download(at, "transcripts", "txt")
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        files = archive.namelist()
        text = archive.read(next(f for f in files if f.startswith("P01"))).decode("utf-8")
    assert "replacements.csv" in files
    first = names.loc["P01"].split()[0]
    assert first not in text


def test_markup_in_names_renders_as_text(themed: Path, monkeypatch: MonkeyPatch) -> None:
    with Project.open(themed) as p:
        p.themes.add("<script>alert(9)</script>", codes=["evil-name"], actor="ana")
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    assert "<script" not in html(at)
    for text in markdown_texts(at):
        assert "<img" not in text and "<script" not in text, text
    result = download(at, "theme-table", "md")
    assert "<script>" not in result.data.decode("utf-8")


def test_agreement_report_between_the_two_coders(themed: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    assert at.multiselect(key="ex_coders").value == ["ana", "ben"]
    result = download(at, "agreement", "xlsx")
    book = load_workbook(io.BytesIO(result.data))
    values = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
              for v in row if v is not None]
    assert any("ana" in v for v in values) and any("ben" in v for v in values)


@pytest.mark.slow
def test_the_whole_report_as_a_zip(themed: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(themed, monkeypatch, PAGE, coder="ana")
    result = download(at, "report", "zip")
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        names = archive.namelist()
    assert any(n.startswith("theme-table") or "/theme-table" in n or "theme_table" in n
               for n in names), names
    assert any(n.endswith(".docx") for n in names) and any(n.endswith(".png") for n in names)


@pytest.fixture
def young(tmp_path: Path) -> Path:
    """Two transcripts and the codebook: nothing decided, no themes, one coder."""
    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "young.thematic"
    with Project.create(path) as p:
        p.documents.ingest([root / "transcripts_sample" / "P01_dana.txt",
                            root / "transcripts_sample" / "P02_marcus.txt"], actor="ana")
        p.codebook.load(root / "codebooks" / "peer_listening.yaml", actor="ana")
    return path


@pytest.mark.slow
def test_every_export_of_a_young_project_works_or_says_what_it_needs(
        young: Path, monkeypatch: MonkeyPatch) -> None:
    at = run_app(young, monkeypatch, PAGE, coder="ana")
    kinds = [b.key.removeprefix("ex_prepare-") for b in at.button
             if (b.key or "").startswith("ex_prepare-")]
    assert "report" in kinds and "theme-table" in kinds
    needs = {}
    for kind in kinds:
        at.button(key=f"ex_prepare-{kind}").click().run()
        assert not at.exception, (kind, [e.value for e in at.exception])
        ready = at.session_state[f"{state.EXPORT_READY}-{kind}"] \
            if f"{state.EXPORT_READY}-{kind}" in at.session_state else None
        if ready is None:
            assert len(at.error) == 1, kind
            text = at.error[0].value.replace("\\", "")
            assert "a bug in thematic" not in text, (kind, text)
            needs[kind] = text
            # beside its own Prepare button: the error follows it in the page's order
            order = list(at.main)
            assert order.index(at.error[0]) > order.index(at.button(key=f"ex_prepare-{kind}"))
        else:
            assert ready.data, kind
    assert set(needs) == {"cooccurrence", "framework", "agreement", "saturation"}, needs
    assert "It needs accepted codings" in needs["cooccurrence"]
    assert needs["saturation"].startswith("nothing to export as 'saturation' yet. Saturation left out")
    assert "No trained spaCy" not in needs["agreement"]  # only what concerns it
    with zipfile.ZipFile(io.BytesIO(at.session_state[f"{state.EXPORT_READY}-report"].data)) as z:
        assert z.namelist(), "the whole report of a young project is a zip of what there is"
