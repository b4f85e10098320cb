"""Importing a coder's quoted codings (the gold format): all rows or none, undoable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CODEBOOK, ROOT
from thematic.errors import ParameterError

GOLD = ROOT / "transcripts_sample" / "gold"


@pytest.mark.slow
def test_import_the_second_coder(sample_project) -> None:
    sample_project.codebook.load(CODEBOOK, actor="ana")
    n = sample_project.coders.import_codings(GOLD / "gold_codings_coder2.csv", actor="coder2")
    gold = pd.read_csv(GOLD / "gold_codings_coder2.csv", dtype=str, keep_default_na=False)
    assert n == len(gold)
    mine = sample_project.review.codings()
    mine = mine[mine["coder"] == "coder2"]
    assert len(mine) == len(gold) and set(mine["status"]) == {"accepted"}
    assert sorted(mine["text"]) == sorted(gold["quote"])  # the quoted text, exactly
    assert mine["segment_id"].notna().all()
    sample_project.review.undo(actor="ana")  # one transaction: one undo takes them all
    assert (sample_project.review.codings()["coder"] == "coder2").sum() == 0


def test_bad_rows_import_nothing(sample_project, tmp_path: Path) -> None:
    sample_project.codebook.load(CODEBOOK, actor="ana")
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"document": ["P01_dana", "P99_nobody", "P01_dana", "P01_dana"],
                  "code": ["relapse", "relapse", "no-such-code", "relapse"],
                  "quote": ["Not that week.", "x", "Not that week.", "words nobody said"]}
                 ).to_csv(bad, index=False)
    before = len(sample_project.review.codings())
    with pytest.raises(ParameterError, match=r"3 row\(s\) .*bad.csv:3: document 'P99_nobody' is "
                                             r"not in the project.*bad.csv:4: code 'no-such-code'"
                                             r".*bad.csv:5: the quoted text is not in the document"
                                             r".*Nothing was imported"):
        sample_project.coders.import_codings(bad, actor="coder2")
    assert len(sample_project.review.codings()) == before


def test_file_and_coder_checks(sample_project, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("doc,code\nP01_dana,relapse\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"missing \['document', 'quote'\]"):
        sample_project.coders.import_codings(wrong, actor="coder2")
    with pytest.raises(ParameterError, match="name of the person making it"):
        sample_project.coders.import_codings(GOLD / "gold_codings_coder2.csv", actor=" ")
