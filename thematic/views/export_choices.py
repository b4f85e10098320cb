"""What the Export page offers: every exporter of the library with its formats."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS = {
    "theme-table": "Themes with their definitions, codes and exemplar quotes",
    "theme-table-long": "The theme table, one row per quote",
    "framework": "The framework matrix: participants x themes with summaries",
    "matrix": "Codes x participants (segments coded)",
    "cooccurrence": "Codes that occur together",
    "agreement": "Agreement between two coders",
    "saturation": "Code accumulation and the saturation point",
    "codebook": "The codebook with counts",
    "thematic-map": "The thematic map as a picture",
    "segments": "Every segment with its participant's attributes",
    "codings": "Every coding with its code path and decision",
    "transcripts": "The transcripts (pseudonymised unless switched off)",
    "methods": "A methods paragraph: what was done, with which versions",
    "qdpx": "The whole project for NVivo, ATLAS.ti, MAXQDA (REFI-QDA .qdpx)",
}


def export_choices(project: Any) -> list[tuple[str, list[str], str]]:
    """(kind, formats, description) for each export the library can write for ``project``."""
    from thematic.export import formats, kinds

    out = [(k, list(formats(k)), DESCRIPTIONS.get(k, k)) for k in kinds()]
    if hasattr(project, "export_qdpx"):
        out.append(("qdpx", ["qdpx"], DESCRIPTIONS["qdpx"]))
    return out


__all__ = ["DESCRIPTIONS", "export_choices"]
