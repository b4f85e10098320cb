"""The sample study's two coders (gold_codings.csv and gold_codings_coder2.csv) agree as computed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from thematic.analysis import disagreements, intercoder_agreement, segment_labels, unit_labels
from thematic.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "transcripts_sample" / "gold"
DOCUMENTS = ["P01_dana", "P07_helen_okafor"]


def spans(path: Path, coder: str, texts: dict[str, str]) -> pd.DataFrame:
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for row in gold[gold["document"].isin(DOCUMENTS)].itertuples():
        occurrence = 1 if row.occurrence == "" else int(float(row.occurrence))
        start = -1
        for _ in range(occurrence):
            start = texts[row.document].find(row.quote, start + 1)
        assert start >= 0, f"{path.name}: quote not found: {row.quote!r}"
        rows.append((coder, row.document, row.code, start, start + len(row.quote)))
    return pd.DataFrame(rows, columns=["coder", "document", "code", "start", "end"])


@pytest.fixture
def study(sample_project) -> tuple[pd.DataFrame, pd.DataFrame]:
    segments = sample_project.documents.segments("sentence")
    units = segments[segments["document"].isin(DOCUMENTS) & (segments["role"] == "participant")]
    texts = {name: sample_project.documents.get(name).text for name in DOCUMENTS}
    codings = pd.concat([spans(GOLD / "gold_codings.csv", "coder1", texts),
                         spans(GOLD / "gold_codings_coder2.csv", "coder2", texts)])
    return units, codings


def test_coder2_file(study: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    units, codings = study
    second = codings[codings["coder"] == "coder2"]
    codebook_ids = {code.id for code in load_codebook(ROOT / "codebooks" /
                                                      "peer_listening.yaml").codes}
    assert set(second["code"]) <= codebook_ids
    assert set(second["document"]) == set(DOCUMENTS)
    # every coder2 quote is exactly one participant sentence
    sentences = {(r.document, r.start, r.end) for r in units.itertuples()}
    assert all((r.document, r.start, r.end) in sentences for r in second.itertuples())


def test_agreement_of_the_two_coders(study: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    units, codings = study
    labels = unit_labels(codings, units)
    table = intercoder_agreement(labels, ["coder1", "coder2"], random_state=0, n_boot=200)
    pooled = table.set_index("code").loc["(pooled)"]
    assert pooled["double_coded"] == len(units) and pooled["double_coded_share"] == 1.0
    codes = sorted(set(codings["code"]))
    one = segment_labels(units, codings[codings["coder"] == "coder1"], codes)
    two = segment_labels(units, codings[codings["coder"] == "coder2"], codes)
    assert pooled["cohen_kappa"] == pytest.approx(
        cohen_kappa_score(one.to_numpy().ravel(), two.to_numpy().ravel()))
    assert pooled["a_only"] + pooled["b_only"] == int((one != two).to_numpy().sum())
    diffs = disagreements(labels, ["coder1", "coder2"], units=units)
    assert len(diffs) == pooled["a_only"] + pooled["b_only"]
    assert diffs["text"].notna().all() and set(diffs["document"]) <= set(DOCUMENTS)
