"""Benchmark: agreement of the suggestion engines with the hand-coded gold file.

Builds a fresh project from ``transcripts_sample`` in a temporary folder, loads
``codebooks/peer_listening.yaml`` and ``transcripts_sample/gold/gold_codings.csv``, runs the
engines in three configurations (rules; semantic; combined), each on its own copy of the project,
and scores their suggestions against the gold coding on the participant sentences of the three
gold documents (every such sentence is in the evaluation; uncoded = negative for every code).

Prints markdown tables (per code, then micro and macro: precision, recall, F1, Cohen's kappa) and
timings. Asserts nothing. The semantic backend is MiniLM when installed, else TF-IDF + SVD
(``--backend`` forces one). Timings of the first semantic configuration include loading the model.

    python benchmarks/bench_agreement.py
    python benchmarks/bench_agreement.py --backend tfidf
"""

from __future__ import annotations

import argparse
import math
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from thematic import Project
from thematic.analysis import agreement_table, segment_labels

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebooks" / "peer_listening.yaml"
GOLD = SAMPLES / "gold" / "gold_codings.csv"
CONFIGS = {"rules": ["rules"], "semantic": ["semantic"], "combined": ["rules", "semantic"]}
SCORES = ["precision", "recall", "f1", "cohen_kappa"]


def gold_spans(gold: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """The gold file's quotes as spans (document, code, start, end) in the stored texts."""
    rows = []
    for row in gold.itertuples():
        text = texts[row.document]
        occurrence = 1 if row.occurrence == "" else int(float(row.occurrence))
        start = -1
        for _ in range(occurrence):
            start = text.find(row.quote, start + 1)
        if start < 0:
            raise SystemExit(f"gold quote not found in {row.document}: {row.quote!r}")
        rows.append((row.document, row.code, start, start + len(row.quote)))
    return pd.DataFrame(rows, columns=["document", "code", "start", "end"])


def find_backend(params: object) -> str | None:
    """The semantic backend's class name in a run's parameters, wherever it is nested."""
    if isinstance(params, dict):
        if isinstance(params.get("backend"), dict) and "class" in params["backend"]:
            return str(params["backend"]["class"])
        for value in params.values():
            found = find_backend(value)
            if found:
                return found
    return None


def fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.3f}"


def markdown(frame: pd.DataFrame) -> str:
    cols = [frame.index.name or ""] + list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |",
             "|" + "|".join(["---"] + ["---:"] * len(frame.columns)) + "|"]
    for idx, *values in frame.itertuples():  # itertuples keeps each column's dtype
        cells = [fmt(v) if isinstance(v, float) else str(v) for v in values]
        lines.append(f"| {idx} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def build_project(folder: Path) -> Path:
    path = folder / "base.thematic"
    with Project.create(path) as project:
        project.ingest([SAMPLES], participants=SAMPLES / "participants.csv")
        project.load_codebook(CODEBOOK)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("default", "minilm", "tfidf"), default="default",
                        help="semantic backend (default: MiniLM when installed, else TF-IDF)")
    parser.add_argument("--configs", nargs="+", choices=list(CONFIGS), default=list(CONFIGS))
    args = parser.parse_args()
    backend = None if args.backend == "default" else args.backend

    gold = pd.read_csv(GOLD, dtype={"quote": str, "note": str}, keep_default_na=False)
    documents = sorted(set(gold["document"]))
    with tempfile.TemporaryDirectory(prefix="bench-agreement-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        base = build_project(folder)
        t_build = time.perf_counter() - t0
        with Project.open(base) as project:
            codes = [code.id for code in project.codebook().codes]
            segments = project.segments("sentence")
            texts = {name: project.document(name).text for name in documents}
        segments = segments[segments["document"].isin(documents)
                            & (segments["role"] == "participant")]
        gold_labels = segment_labels(segments, gold_spans(gold, texts), codes)

        print(f"# Suggestion engines against the gold coding ({GOLD.relative_to(ROOT)})\n")
        print(f"documents: {', '.join(documents)}")
        print(f"participant sentences: {len(segments)}, "
              f"coded in gold: {int(gold_labels.any(axis=1).sum())}, "
              f"gold codings: {int(gold_labels.to_numpy().sum())}, codes: {len(codes)}")
        print(f"project build (ingest 11 interviews + survey, codebook): {t_build:.1f} s\n")

        tables: dict[str, pd.DataFrame] = {}
        timings: dict[str, tuple[float, int, str]] = {}
        for name in args.configs:
            path = folder / f"{name}.thematic"
            shutil.copy(base, path)
            with Project.open(path) as project:
                t0 = time.perf_counter()
                report = project.suggest(engines=CONFIGS[name], backend=backend)
                seconds = time.perf_counter() - t0
                suggested = project.codings(status="suggested")
            predicted = segment_labels(segments, suggested, codes)
            tables[name] = agreement_table(gold_labels, predicted)
            versions = ", ".join(f"{k} {v}" for k, v in sorted(report.versions.items())
                                 if k not in ("thematic", "corpus"))
            found = find_backend(report.params)
            about = f"engine {report.engine}" + (f", backend {found}" if found else "")
            timings[name] = (seconds, report.segments, f"{about}; {versions}")

    for name, table in tables.items():
        seconds, n_segments, versions = timings[name]
        print(f"## {name}\n")
        print(f"suggest: {seconds:.1f} s on {n_segments} segments (whole project); {versions}\n")
        shown = table.copy()
        shown.index.name = "code"
        print(markdown(shown) + "\n")

    print("## Summary\n")
    rows = {}
    for name, table in tables.items():
        row = {"time_s": timings[name][0], "predicted": int(table.loc["micro", "predicted"])}
        for avg in ("micro", "macro"):
            for score in SCORES:
                row[f"{avg}_{score.replace('cohen_', '')}"] = float(table.loc[avg, score])
        rows[name] = row
    summary = pd.DataFrame.from_dict(rows, orient="index")
    summary.index.name = "config"
    summary["time_s"] = summary["time_s"].map(lambda s: f"{s:.1f}")
    print(markdown(summary) + "\n")

    print("## F1 per code\n")
    f1 = pd.DataFrame({"support": next(iter(tables.values()))["support"]})
    for name, table in tables.items():
        f1[f"f1 {name}"] = table["f1"]
        f1[f"kappa {name}"] = table["cohen_kappa"]
    f1 = f1.drop(index=["micro", "macro"])
    f1["support"] = f1["support"].astype(int)
    f1.index.name = "code"
    print(markdown(f1))


if __name__ == "__main__":
    main()
