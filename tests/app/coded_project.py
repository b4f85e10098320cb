"""A coded sample study for the Topics, Themes, Analysis and Export page tests.

:func:`build_coded_project` takes the app tests' project (the sample study, its codebook, the
transcript and code whose names are markup) and codes three transcripts by hand from the gold
file twice: all of it as coder ``ana``, and as ``ben`` every second passage (some under another
code), so that agreement has two coders, double-coded units and disagreements.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from thematic import Project

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "transcripts_sample" / "gold" / "gold_codings.csv"
DOCUMENTS = ("P01_dana", "P07_helen_okafor", "P11_lucia_zoom")
PER_DOCUMENT = 14
#: The quote coded under the code whose name is markup (in the transcript that is markup).
EVIL_QUOTE = ("P99_xss", "Then <img src=x onerror=alert(2)>", "evil-name")


def gold_rows() -> pd.DataFrame:
    """The first passages of each of :data:`DOCUMENTS` in the gold file."""
    gold = pd.read_csv(GOLD)
    gold = gold[gold["document"].isin(DOCUMENTS)]
    return gold.groupby("document", sort=False).head(PER_DOCUMENT).reset_index(drop=True)


def build_coded_project(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` and code it by hand as ``ana`` and ``ben``."""
    shutil.copy(source, target)
    rows = gold_rows()
    with Project.open(target) as project:
        codes = [c.id for c in project.codebook.current().codes]
        for n, row in enumerate(rows.itertuples()):
            occurrence = None if pd.isna(row.occurrence) else int(row.occurrence)
            project.review.code_span(row.document, row.code, actor="ana", quote=row.quote,
                              occurrence=occurrence)
            if n % 2 == 0:
                other = row.code if n % 4 == 0 else codes[(codes.index(row.code) + 1) % len(codes)]
                project.review.code_span(row.document, other, actor="ben", quote=row.quote,
                                  occurrence=occurrence)
        document, quote, code = EVIL_QUOTE
        project.review.code_span(document, code, actor="ana", quote=quote)
        project.settings.set_approach("coding-reliability", actor="fixture")
    return target


def coded_file(app_project_file: Path, base: Path) -> Path:
    """The coded project under ``base`` (pytest's base temp folder), built once per session."""
    target = base / "coded-app" / "coded.thematic"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        build_coded_project(app_project_file, target.with_suffix(".tmp"))
        target.with_suffix(".tmp").rename(target)
    return target
