"""What a suggestion run means for each code: how many suggestions, which engines found them,
what the code still needs; and, on a re-run, what changed since the previous run.

Pure over a :class:`~thematic.services.suggest.RunReport`, the codebook and the per-code counts
the previous run stored (:func:`previous_counts` reads those from the project's runs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from thematic.models import Code, Codebook
from thematic.store import ProjectStore

CODE_COLUMNS = ["code", "name", "suggestions", "before", "change", "found", "needs", "model", "why"]


def previous_counts(store: ProjectStore, run_id: int,
                    engines: Sequence[str] = ()) -> tuple[int, dict[str, int]] | None:
    """The latest finished run before ``run_id`` that stored per-code counts, preferring one
    of the same ``engines``: ``(its id, {code: suggestions})``; None for a first run."""
    runs = store.runs.frame()
    if runs.empty:
        return None
    earlier = runs[(runs["run"] < run_id) & (runs["status"] == "finished")]
    found: list[tuple[int, Mapping[str, Any]]] = [
        (int(r.run), r.stats) for r in earlier.itertuples()
        if isinstance(r.stats, Mapping) and isinstance(r.stats.get("per_code_counts"), Mapping)]
    same = [(i, st) for i, st in found if list(st.get("engines") or []) == list(engines)]
    pick = (same or found)[-1] if (same or found) else None
    if pick is None:
        return None
    return pick[0], {str(k): int(v) for k, v in pick[1]["per_code_counts"].items()}


def code_needs(code: Code, engines: Sequence[str], suggestions: int, decisions_needed: int | None) -> str:
    """What a code lacks for the engines that ran (empty when nothing)."""
    needs = []
    if "rules" in engines and not code.rules:
        needs.append("no rules yet: add keywords or phrases")
    if "semantic" in engines and not (code.definition.strip() or code.examples):
        needs.append("no definition or examples to compare with")
    if decisions_needed:
        needs.append(f"{decisions_needed} more decisions before it is learned from them")
    if not suggestions and not needs:
        needs.append("nothing matched: widen its rules or add typical examples")
    return "; ".join(needs)


def found_by(row: Mapping[str, Any], sources: Sequence[str]) -> str:
    """"rule 3 · semantic 49 · several engines 8" from a per-code row's source columns."""
    parts = []
    for source in sources:
        n = int(row.get(source, 0) or 0)
        if n:
            parts.append(f"{'several engines' if source == 'combined' else source} {n:,}")
    return " · ".join(parts)


def code_lines(report: Any, codebook: Codebook,
               previous: Mapping[str, int] | None = None) -> pd.DataFrame:
    """One row per code (columns :data:`CODE_COLUMNS`): its suggestions in this run, in the
    previous run (``before``, None on a first run) and the difference, which engines found
    them, what it needs, the model it used (codebook or learned) and why it got as many
    suggestions as it did."""
    from thematic.suggest.registry import sources

    table = report.per_code
    by_code = {str(r["code"]): r for r in table.to_dict("records")} if len(table) else {}
    engines = list(getattr(report, "engines", []) or [])
    needs = dict(getattr(report, "needs", {}) or {})
    rows = []
    for code in codebook.codes:
        row = by_code.get(code.id, {})
        total = int(row.get("total", 0) or 0)
        before = None if previous is None else int(previous.get(code.id, 0))
        rows.append({
            "code": code.id, "name": code.name, "suggestions": total, "before": before,
            "change": None if before is None else total - before,
            "found": found_by(row, sources()),
            "needs": code_needs(code, engines, total, needs.get(code.id)),
            "model": str(row.get("model", "codebook") or "codebook"), "why": str(row.get("why", "") or ""),
        })
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


def change_lines(report: Any, lines: pd.DataFrame, previous_run: int | None) -> list[str]:
    """Sentences on what the run changed: stored new / refreshed / kept, and, on a re-run,
    the codes that gained or lost suggestions since ``previous_run``."""
    stored = report.stored
    out = [f"{int(stored.get('added', 0)):,} new suggestions, "
           f"{int(stored.get('refreshed', 0)):,} refreshed (still to decide), "
           f"{int(stored.get('decided_kept', 0)):,} already decided and left as they were."]
    if stored.get("finished_kept"):
        out.append(f"{int(stored['finished_kept']):,} left out of documents a person finished "
                   "without those codes.")
    if previous_run is None or lines.empty or lines["before"].isna().all():
        out.append("This is the first run: nothing to compare with.")
        return out
    change = lines["change"].fillna(0).astype(int)
    before = int(lines["before"].fillna(0).sum())
    out.append(f"Compared with run {previous_run}: {before:,} → {int(lines['suggestions'].sum()):,} "
               f"suggestions; {int((change > 0).sum())} codes gained, {int((change < 0).sum())} lost, "
               f"{int((change == 0).sum())} unchanged.")
    moved = lines[change != 0].assign(size=change[change != 0].abs())
    moved = moved.sort_values("size", ascending=False).head(8)
    if len(moved):
        out.append("Largest changes: " + ", ".join(
            f"{r.name} {int(r.before):,} → {int(r.suggestions):,}" for r in moved.itertuples()) + ".")
    return out


@dataclass(frozen=True)
class RunSummary:
    """A run as a person reads it: the headline, what changed, and one line per code."""

    report: Any  # the RunReport
    headline: str
    changes: list[str]
    codes: pd.DataFrame  # columns CODE_COLUMNS


def summarise_run(store: ProjectStore, report: Any) -> RunSummary:
    """The :class:`RunSummary` of a finished run, compared with the previous comparable run."""
    codebook = store.codebook.current()
    found = previous_counts(store, report.run_id, report.engines)
    lines = code_lines(report, codebook, found[1] if found else None)
    engines = ", ".join(report.engines) or report.engine
    headline = (f"Run {report.run_id} ({engines}): {report.suggestions:,} suggestions on "
                f"{report.segments:,} segments in {report.seconds:.0f} s.")
    return RunSummary(report, headline, change_lines(report, lines, found[0] if found else None)
                      + list(report.warnings), lines)


__all__ = ["CODE_COLUMNS", "RunSummary", "summarise_run", "change_lines", "code_lines", "code_needs", "found_by",
           "previous_counts"]
