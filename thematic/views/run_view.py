"""Running the suggestions from the app: the engines to choose from, the run's progress line and
its report per code, as the Review and Codebook pages show them."""

from __future__ import annotations

from typing import Any

import pandas as pd

#: The embedding backends a person may choose for the engines that read meaning.
RUN_BACKENDS: dict[str, str] = {"": "the installed model (MiniLM when present)",
                                "tfidf": "TF-IDF (fast, no model)"}
#: the run panel's choices of how turns and their sentences get their vectors (``turn_vectors``)
RUN_TURN_VECTORS: dict[str, str] = {
    "embedded": "each sentence and each turn encoded on its own",
    "in_context": "each turn read once with its sentences (faster; MiniLM)",
}
RUN_TABLE_COLUMNS = ["Code", "Suggestions", "Change", "Found by", "Model", "Why", "Needs"]


def engine_choices() -> dict[str, str]:
    """``{engine name: "name: what it does"}`` from the engine registry, in its order.

    >>> choices = engine_choices()
    >>> list(choices)[:2], choices["rules"].startswith("rules: codebook rules")
    (['rules', 'semantic'], True)
    """
    from thematic.suggest.registry import engine_specs

    return {spec.name: f"{spec.name}: {spec.description}" for spec in engine_specs()}


def default_engine_choice() -> list[str]:
    """The engines a run uses unless a person picks others (the registry's defaults)."""
    from thematic.suggest.registry import default_engines

    return list(default_engines())


def change_text(change: Any) -> str:
    """"+3", "−2", "0", or "" on a first run.

    >>> [change_text(x) for x in (3, -2, 0, None)]
    ['+3', '−2', '0', '']
    """
    if change is None or pd.isna(change):
        return ""
    n = int(change)
    return f"+{n:,}" if n > 0 else (f"−{-n:,}" if n < 0 else "0")


def run_table(codes: pd.DataFrame) -> pd.DataFrame:
    """A run summary's per-code lines as the app's table (columns :data:`RUN_TABLE_COLUMNS`),
    codes with the most suggestions first; the Change column only on a re-run."""
    table = pd.DataFrame({
        "Code": codes["name"], "Suggestions": codes["suggestions"].astype(int),
        "Change": [change_text(c) for c in codes["change"]],
        "Found by": codes["found"], "Model": codes["model"], "Why": codes["why"], "Needs": codes["needs"],
    }, columns=RUN_TABLE_COLUMNS)
    table = table.sort_values("Suggestions", ascending=False, kind="stable").reset_index(drop=True)
    return table if codes["before"].notna().any() else table.drop(columns=["Change"])


__all__ = ["RUN_BACKENDS", "RUN_TABLE_COLUMNS", "RUN_TURN_VECTORS", "change_text", "default_engine_choice",
           "engine_choices", "run_table"]
