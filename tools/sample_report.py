"""The sample study's report: rule suggestions accepted by 'ana', both gold coders on P01,
seven themes, two pseudonyms, then ``project.exports.report`` into OUTDIR/report.

    python tools/sample_report.py /tmp/sample-report
"""
import sys
import time
from pathlib import Path

import pandas as pd

from thematic import Project

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "transcripts_sample" / "gold"
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
path = out / "sample.thematic"
if path.exists():
    path.unlink()
p = Project.create(path)
p.documents.ingest([ROOT / "transcripts_sample"], participants=ROOT / "transcripts_sample/participants.csv", actor="sample")
p.codebook.load(ROOT / "codebooks/peer_listening.yaml", actor="sample")
p.suggestions.run(engines=["rules"], actor="sample")
p.review.bulk_decide("accepted", actor="sample", source="rule")
for coder, name in (("coder1", "gold_codings.csv"), ("coder2", "gold_codings_coder2.csv")):
    gold = pd.read_csv(GOLD / name, dtype=str, keep_default_na=False)
    for row in gold[gold["document"] == "P01_dana"].itertuples():
        p.review.code_span(row.document, row.code, actor=coder, quote=row.quote,
                    occurrence=int(row.occurrence) if row.occurrence else None)
T = [("Being listened to without judgement", None, ["feeling-heard", "non-judgmental-space"],
      "Members describe being heard, properly and without judgement, as what the circles give them first."),
     ("Trust and its limits", "Being listened to without judgement", ["confidentiality-trust"],
      "What is said stays in the room, and where that promise ends (notes, safeguarding)."),
     ("From isolation to belonging", None, ["isolation", "belonging-connection"],
      "Loneliness before the circles and the belonging found in them."),
     ("Hope from lived experience", "From isolation to belonging", ["hope-lived-experience"],
      "Peers further along show that recovery is possible."),
     ("Carrying the work", None, ["supervision", "burnout-compassion-fatigue", "funding-sustainability"],
      "What peer workers need to keep listening: supervision, rest, money."),
     ("Stigma", None, ["self-stigma", "family-stigma", "clinical-stigma"],
      "Shame and judgement from self, family and clinicians."),
     ("Online circles", None, ["camera-use", "privacy-at-home"],
      "Joining from home: cameras, privacy, reach. (No accepted codings expected for some codes.)")]
for name, parent, codes, definition in T:
    p.themes.add(name, codes=codes, parent=parent, definition=definition, actor="sample")
p.exports.set_pseudonym("Carol", "[a long-standing member]", actor="sample")
p.exports.set_pseudonym("St. Anne's", "[a church]", kind="place", actor="sample")
t = time.perf_counter()
files, notes = p.exports.report(out / "report", attributes=["role"], ner=None, n_boot=200)
print(f"report: {len(files)} outputs in {time.perf_counter() - t:.1f} s")
for n in notes:
    print("note:", n)
for f in files:
    print(" ", f.path.name, "-", f.description)
