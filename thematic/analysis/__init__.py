"""Analysis: pure functions over the project's DataFrames."""

from thematic.analysis.agreement import agreement_table, cohens_kappa, segment_labels

__all__ = ["agreement_table", "cohens_kappa", "segment_labels"]
