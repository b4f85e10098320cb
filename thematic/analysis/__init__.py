"""Analysis: pure functions over the project's DataFrames.

Each function takes frames with documented columns (``project.review.codings()``,
``project.documents.segments()``, ``project.participants.frame()``, the themes frames) and returns a DataFrame
whose columns its docstring lists. Nothing here reads the store.
"""

from thematic.analysis.agreement import agreement_table, cohens_kappa, segment_labels
from thematic.analysis.cooccurrence import cooccurrence
from thematic.analysis.framework import framework_matrix
from thematic.analysis.frequencies import frequencies
from thematic.analysis.intercoder import (
    disagreements,
    document_units,
    intercoder_agreement,
    multi_coder_alpha,
    unit_labels,
)
from thematic.analysis.matrices import attribute_matrix, drill_down, participant_matrix
from thematic.analysis.saturation import (
    SaturationBootstrap,
    code_accumulation,
    saturation_bootstrap,
    saturation_point,
    saturation_runs,
)
from thematic.analysis.themes import theme_tree

__all__ = ["SaturationBootstrap", "agreement_table", "attribute_matrix", "code_accumulation",
           "cohens_kappa", "cooccurrence", "disagreements", "document_units", "drill_down",
           "framework_matrix", "frequencies", "intercoder_agreement", "multi_coder_alpha",
           "participant_matrix", "saturation_bootstrap", "saturation_point", "saturation_runs",
           "segment_labels", "theme_tree", "unit_labels"]
