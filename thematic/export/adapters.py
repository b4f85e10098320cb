"""From the results of :mod:`thematic.analysis` to the shapes the writers accept.

- :func:`saturation_result`: ``code_accumulation`` (+ ``saturation_bootstrap``,
  ``saturation_point``) -> ``{"curve", "band", "summary"}`` (band in codes, not shares);
- :func:`agreement_report`: ``intercoder_agreement`` (+ ``disagreements``) ->
  ``{"summary", "per_code", "disagreements"}`` with intervals printed as ``0.61 [0.40, 0.78]``;
- :func:`framework_cells`: ``framework_matrix(by="code")`` (long) + ``theme_codes`` -> the
  framework writer's cells (one sheet per theme, its codes across).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COEFFICIENT_LABELS", "agreement_report", "framework_cells", "saturation_result"]

#: Column titles of the agreement coefficients, in the order printed.
COEFFICIENT_LABELS = {"percent_agreement": "Percent agreement",
                      "positive_agreement": "Positive agreement", "cohen_kappa": "Cohen's kappa",
                      "brennan_prediger": "Brennan-Prediger", "gwet_ac1": "Gwet's AC1",
                      "krippendorff_alpha": "Krippendorff's alpha"}


def saturation_result(accumulation: pd.DataFrame, bootstrap: Any | None = None,
                      point: int | None = None) -> dict[str, Any]:
    """The saturation writers' input.

    Parameters
    ----------
    accumulation
        ``code_accumulation``: ``position, document, new_codes, cumulative, cumulative_share``.
    bootstrap
        A ``SaturationBootstrap`` (``band`` of shares with ``position, median, q25, q75``;
        ``median, q25, q75, share_saturated, base_size, run_length, threshold, n_boot``).
    point
        ``saturation_point`` in interview order (None: not reached).
    """
    curve = pd.DataFrame({"order": accumulation["position"], "document": accumulation["document"],
                          "new_codes": accumulation["new_codes"],
                          "cumulative_codes": accumulation["cumulative"],
                          "cumulative_share": accumulation["cumulative_share"]})
    total = int(accumulation["cumulative"].max()) if len(accumulation) else 0
    summary: dict[str, Any] = {"documents": len(accumulation), "codes": total,
                               "saturation_point": point if point is not None else "not reached"}
    result: dict[str, Any] = {"curve": curve, "summary": summary}
    if bootstrap is not None:
        band = bootstrap.band
        result["band"] = pd.DataFrame({"order": band["position"], "median": band["median"] * total,
                                       "low": band["q25"] * total, "high": band["q75"] * total})
        for key in ("median", "q25", "q75", "share_saturated", "base_size", "run_length",
                    "threshold", "n_boot"):
            summary[f"bootstrap {key}"] = getattr(bootstrap, key)
    return result


def _with_interval(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    text = f"{value:.2f}"
    low, high = row.get(f"{name}_low"), row.get(f"{name}_high")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and not (
            np.isnan(low) or np.isnan(high)):
        text += f" [{low:.2f}, {high:.2f}]"
    return text


def agreement_report(table: pd.DataFrame, disagreements: pd.DataFrame | None = None, *,
                     unit: str = "segment", level: float = 0.95) -> dict[str, Any]:
    """The agreement writers' input from ``intercoder_agreement`` (one pair of coders).

    ``per_code``: code, double-coded units, the 2x2 counts and each coefficient with its
    bootstrap interval; the pooled row last. ``summary``: coders, unit, units, share
    double-coded and the pooled coefficients.
    """
    rows = []
    for row in table.to_dict("records"):
        out = {"Code": row["code"], "Units both coded": int(row["double_coded"]),
               "Both": int(row["both"]), "A only": int(row["a_only"]),
               "B only": int(row["b_only"])}
        out.update({label: _with_interval(row, name) for name, label in COEFFICIENT_LABELS.items()})
        rows.append(out)
    per_code = pd.DataFrame(rows)
    pooled = table.iloc[-1].to_dict() if len(table) else {}
    summary: dict[str, Any] = {
        "Coders": f"{pooled.get('coder_a', '')} and {pooled.get('coder_b', '')}",
        "Unit": unit, "Units coded by either": int(pooled.get("units", 0)),
        "Units coded by both": int(pooled.get("double_coded", 0)),
        "Share double-coded": f"{float(pooled.get('double_coded_share', 0.0)):.0%}",
        "Intervals": f"{level:.0%} bootstrap percentile intervals"}
    summary.update({f"Pooled {label}": _with_interval(pooled, name)
                    for name, label in COEFFICIENT_LABELS.items()})
    report: dict[str, Any] = {"summary": summary, "per_code": per_code}
    if disagreements is not None:
        keep = [c for c in ("document", "participant", "code", "coder_a", "value_a", "coder_b",
                            "value_b", "text") if c in disagreements.columns]
        report["disagreements"] = disagreements[keep].reset_index(drop=True)
    return report


def _ref(quote: Mapping[str, Any], where: Any) -> str:
    text = " ".join(str(quote.get("text") or "").split())
    return f"[{where} #{quote.get('coding_id')}] \u201c{text}\u201d"


def _distinct_spans(quotes: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Quotes with one per span (the same span coded by several coders is listed once)."""
    seen: set[tuple[Any, Any, Any]] = set()
    out = []
    for q in quotes:
        key = (q.get("document"), q.get("start"), q.get("end"))
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


def framework_cells(long: pd.DataFrame, theme_codes: pd.DataFrame, *,
                    code_names: Mapping[str, str] | None = None,
                    themes: pd.DataFrame | None = None,
                    pseudonymiser: Any | None = None) -> pd.DataFrame:
    """Framework writer cells from ``framework_matrix(by="code", form="long")``.

    Each theme gets its codes as columns (a code serving two themes appears in both);
    a summarised cell lists its quotes, a cell to summarise lists its codings, each as
    ``[document #coding_id] “text”``. ``themes`` orders the sheets; ``pseudonymiser`` replaces
    names in the quoted text, and references cite the participant instead of the document
    (whose name often holds a name).
    """
    names = dict(code_names or {})
    order = list(themes.sort_values(["position", "name"])["name"]) if themes is not None else []
    ids = dict(zip(themes["theme_id"].astype(str), themes["name"])) if themes is not None else {}
    links = theme_codes.assign(theme=theme_codes["theme"].map(lambda t: ids.get(str(t), t)))
    merged = links.merge(long, on="code", how="inner")
    rows = []
    for r in merged.to_dict("records"):
        quotes = r["quotes"] if r["state"] == "summarised" else r["to_summarise"]
        quotes = _distinct_spans(quotes or [])
        if pseudonymiser is not None:  # document names often hold names: cite the participant
            refs = [pseudonymiser(_ref(q, r["participant"])) for q in quotes or []]
        else:
            refs = [_ref(q, q.get("document")) for q in quotes or []]
        rows.append({"theme": r["theme"], "column": names.get(r["code"], r["code"]),
                     "participant": r["participant"], "summary": r["summary"] or "",
                     "references": refs})
    frame = pd.DataFrame(rows, columns=["theme", "column", "participant", "summary", "references"])
    if order:
        frame["_o"] = frame["theme"].map({t: i for i, t in enumerate(order)})
        frame = frame.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)
    return frame
