"""Which model a code uses after decisions, and why, in words a person reads.

A code keeps the codebook until it has enough decisions
(:func:`waiting_reason` says how many more), then switches to the model learned from the
decisions only when its own cross-validated kappa beats the codebook's
(:func:`switch_reason`). :class:`~thematic.suggest.classifier.DecisionClassifier` decides;
this module holds the choice it records and how it is said.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CODEBOOK = "codebook"
LEARNED = "learned"
THRESHOLD_CHOICES = (0.1, 0.3, 0.4)  # a code's own threshold, with per_code_threshold


@dataclass(frozen=True)
class CodeChoice:
    """Which model a code uses and why.

    Attributes
    ----------
    code
        The code id.
    model
        ``"codebook"`` or ``"learned"``.
    reason
        One sentence a person reads.
    positives, negatives
        Decisions the code has (hand codings and accepts; rejections and inferred negatives).
    documents
        Documents the decided segments come from.
    kappa_learned, kappa_codebook
        Cross-validated kappa of the learned model and the codebook's kappa on the same
        decided segments (nan when not estimated).
    """

    code: str
    model: str
    reason: str
    positives: int
    negatives: int
    documents: int
    kappa_learned: float = float("nan")
    kappa_codebook: float = float("nan")


def switch_reason(better: bool, k_learned: float, k_codebook: float, support: float, n_rows: int,
                  n_docs: int, *, min_documents: int, resamples: int, switch_confidence: float) -> str:
    """Why a code with enough decisions uses the model it uses, in words.

    Examples
    --------
    >>> switch_reason(True, 0.61, 0.42, float("nan"), 40, 3, min_documents=2, resamples=200,
    ...               switch_confidence=0.0)
    "learned: cross-validated kappa 0.61 against the codebook's 0.42 on 40 decided segments of 3 documents"
    """
    where = f"{n_rows} decided segments of {n_docs} document{'s' * (n_docs != 1)}"
    surely = "" if math.isnan(support) else f", better in {support:.0%} of {resamples} resamples"
    if better:
        return (f"learned: cross-validated kappa {k_learned:.2f} against the codebook's "
                f"{k_codebook:.2f} on {where}{surely}")
    if n_docs < min_documents:
        return (f"codebook: decisions from {n_docs} document{'s' * (n_docs != 1)}; the learned "
                f"model is checked across {min_documents} or more (its cross-validated "
                f"kappa {k_learned:.2f}, the codebook's {k_codebook:.2f})")
    if not math.isnan(support):
        return (f"codebook: the learned model's cross-validated kappa {k_learned:.2f} beats its "
                f"{k_codebook:.2f} on {where}, but only in {support:.0%} of {resamples} "
                f"resamples (it needs {switch_confidence:.0%})")
    return (f"codebook: its kappa {k_codebook:.2f} is not beaten by the learned model's "
            f"cross-validated {k_learned:.2f} on {where}")


def waiting_reason(n_pos: int, n_neg: int, *, min_positives: int, min_negatives: int) -> str:
    """Why a code without enough decisions keeps the codebook, and what it needs.

    Examples
    --------
    >>> waiting_reason(1, 3, min_positives=3, min_negatives=3)
    'codebook: the learned model needs 2 more accepted or hand-coded segments (has 1 positive, 3 negative)'
    """
    if n_pos == 0 and n_neg == 0:
        return "codebook: no decisions yet"
    parts = []
    if n_pos < min_positives:
        parts.append(f"{min_positives - n_pos} more accepted or hand-coded segment"
                     f"{'s' * (min_positives - n_pos != 1)}")
    if n_neg < min_negatives:
        parts.append(f"{min_negatives - n_neg} more rejected suggestion"
                     f"{'s' * (min_negatives - n_neg != 1)}")
    return f"codebook: the learned model needs {' and '.join(parts)} (has {n_pos} positive, {n_neg} negative)"
