"""Benchmark: the theme table and the whole report on 100 transcripts and 50,000 codings.

Builds synthetic frames of the shared shapes (100 participants, one transcript each, 40 codes
in 8 themes with 16 subthemes, 50,000 accepted codings whose texts mention participants' names)
and prints a markdown table of timings: building the theme table (with pseudonymised quotes),
writing it in each format, and the whole report (``report_project`` over these frames: the analysis
functions, then every output; the project's SQL reads are not included). Targets: theme table < 2 s, whole report < 30 s.
With ``--project FILE`` it also times ``project.exports.report`` on a real project. Asserts nothing.

    python benchmarks/bench_report.py
    python benchmarks/bench_report.py --codings 100000 --project sample.thematic
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from thematic.export import build_theme_table, export
from thematic.export.report import ReportData, write_report
from thematic.models import Code, Codebook
from thematic.pseudonymise import Pseudonymiser

FIRST = ["Dana", "Marcus", "Priya", "Tom", "Alex", "Rosa", "Helen", "Jamal", "Siobhan", "Kevin"]
LAST = ["Reyes", "Bell", "Shah", "Hadley", "Kim", "Delgado", "Okafor", "Wright", "Murphy", "Tran"]
WORDS = ("the circle helped me because somebody listened and I did not feel judged when I "
         "talked about the hard weeks and the bus fares and my sponsor").split()


def synthetic(n_docs: int, n_codings: int, seed: int = 0) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    pids = [f"P{i:03d}" for i in range(1, n_docs + 1)]
    names = [f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}" for i in range(n_docs)]
    participants = pd.DataFrame({"participant": pids, "name": names,
                                 "role": rng.choice(["newcomer", "member", "coach"], n_docs),
                                 "site": rng.choice(["north", "south"], n_docs)})
    codes = [f"c{i:02d}" for i in range(40)]
    doc = rng.integers(0, n_docs, n_codings)
    lengths = rng.integers(6, 70, n_codings)
    texts = []
    for i in range(n_codings):
        start = int(rng.integers(0, len(WORDS)))
        words = [WORDS[(start + k) % len(WORDS)] for k in range(int(lengths[i]))]
        if i % 7 == 0:
            words.insert(1, names[doc[i]].split()[0])
        texts.append(" ".join(words))
    starts = rng.integers(0, 200_000, n_codings)
    codings = pd.DataFrame({
        "coding_id": np.arange(1, n_codings + 1), "document_id": doc + 1,
        "document": [f"doc{d:03d}" for d in doc], "participant": [pids[d] for d in doc],
        "speaker": [names[d].split()[0] for d in doc], "role": "participant",
        "code": rng.choice(codes, n_codings), "start": starts, "end": starts + lengths * 6,
        "time_start": starts / 10.0, "time_end": starts / 10.0 + 5, "text": texts,
        "context_before": "", "context_after": "", "source": "rules", "status": "accepted",
        "confidence": 0.9, "evidence": None, "coder": "rules", "run_id": 1, "decided_by": "ana",
        "decided_at": "2026-05-01", "version": 1})
    top = [f"Theme {i}" for i in range(8)]
    subs = [f"Subtheme {i}" for i in range(16)]
    themes = pd.DataFrame({"theme_id": range(1, 25), "name": top + subs,
                           "parent": [None] * 8 + [top[i // 2] for i in range(16)],
                           "definition": "A theme defined at some length for the table.",
                           "position": list(range(8)) + list(range(16))})
    theme_codes = pd.DataFrame({"theme": [subs[i % 16] for i in range(40)], "code": codes})
    codebook = Codebook([Code(c, f"Code {c}") for c in codes])
    documents = pd.DataFrame({"document": [f"doc{i:03d}" for i in range(n_docs)], "participant": pids,
                              "text": [f"{n.split()[0]}: " + " ".join(WORDS * 40) for n in names]})
    return {"participants": participants, "codings": codings, "themes": themes,
            "theme_codes": theme_codes, "codebook": codebook, "documents": documents}


class SyntheticProject:
    """The project methods ``report_project`` reads, over the synthetic frames (no SQL)."""

    def __init__(self, data: dict[str, object]) -> None:
        self.data = data
        codings = data["codings"]
        self.segments_frame = pd.DataFrame({
            "segment_id": np.arange(len(codings)) + 1, "document_id": codings["document_id"],
            "document": codings["document"], "participant": codings["participant"],
            "speaker": codings["speaker"], "role": "participant", "start": codings["start"],
            "end": codings["end"], "text": codings["text"]}).drop_duplicates(["document", "start"])
        data["codings"] = codings.merge(self.segments_frame[["document", "start", "segment_id"]],
                                        on=["document", "start"], how="left")

    def participants(self): return self.data["participants"]  # noqa: ANN201, E704
    def codings(self): return self.data["codings"]  # noqa: ANN201, E704
    def settings(self): return {"unit": "sentence"}  # noqa: ANN201, E704
    def segments(self, unit=None): return self.segments_frame  # noqa: ANN001, ANN201, E704
    def codebook(self): return self.data["codebook"]  # noqa: ANN201, E704
    def themes(self): return self.data["themes"]  # noqa: ANN201, E704
    def theme_codes(self): return self.data["theme_codes"]  # noqa: ANN201, E704
    def status(self): return {"codebook": "synthetic 1"}  # noqa: ANN201, E704
    def runs(self): return pd.DataFrame({"engine": ["rule"], "versions": [{"spacy": "3.8"}]})  # noqa: ANN201, E704
    def pseudonyms(self): return pd.DataFrame(columns=["original", "replacement", "kind"])  # noqa: ANN201, E704

    def documents(self):  # noqa: ANN201
        docs = self.data["documents"]
        return pd.DataFrame({"name": docs["document"], "participants": docs["participant"],
                             "words": 4000})

    def document(self, name):  # noqa: ANN001, ANN201
        docs = self.data["documents"].set_index("document")
        return type("Doc", (), {"text": docs.loc[name, "text"]})()


def timed(label: str, rows: list[tuple[str, float]], fn):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    out = fn()
    rows.append((label, time.perf_counter() - t0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--project", type=Path, default=None, help="also time project.exports.report on it")
    args = parser.parse_args()
    data = synthetic(args.docs, args.codings)
    rows: list[tuple[str, float]] = []
    names = timed("pseudonymiser (participants, speakers)", rows, lambda: Pseudonymiser.for_project(
        data["participants"], speakers=data["codings"], ner=None))
    table = timed("theme table: build (3 quotes, pseudonymised)", rows, lambda: build_theme_table(
        data["themes"], data["theme_codes"], data["codings"], data["participants"], quotes=3,
        attributes=["role"], pseudonymiser=names))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for fmt in ("docx", "xlsx", "csv", "md", "tex"):
            timed(f"theme table: write .{fmt}", rows, lambda fmt=fmt: export("theme-table", table, out / f"t.{fmt}"))
        codings = data["codings"]
        matrix = timed("matrix: code x participant (pandas)", rows, lambda: pd.crosstab(
            codings["code"], codings["participant"]))
        report = ReportData(participants=data["participants"], codings=codings,
                            themes=data["themes"], theme_codes=data["theme_codes"],
                            codebook=data["codebook"], matrices={"participant": matrix},
                            documents=data["documents"], pseudonymiser=names, attributes=["role"],
                            quotes=3)
        files = timed("whole report (write_report)", rows, lambda: write_report(report, out / "report"))
        from thematic.services.exports import report_project

        project = SyntheticProject(synthetic(args.docs, args.codings, seed=1))
        reported = timed("whole report with analysis (report_project, no SQL reads)", rows,
                         lambda: report_project(project, out / "full", ner=None, n_boot=200))
        files = reported[0]
        if args.project:
            from thematic import Project

            with Project.open(args.project) as project:
                timed(f"project.exports.report on {args.project.name}", rows,
                      lambda: project.exports.report(out / "project-report"))
    print(f"## Report benchmark: {args.docs} transcripts, {len(data['codings']):,} codings, "
          f"{len(files)} report files\n")
    print("| step | seconds |\n|---|---:|")
    for label, secs in rows:
        print(f"| {label} | {secs:.2f} |")
    build = next(s for label, s in rows if label.startswith("theme table: build"))
    whole = next(s for label, s in rows if label.startswith("whole report with analysis"))
    print(f"\ntheme table build {build:.2f} s (target < 2 s); whole report {whole:.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
