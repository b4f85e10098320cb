"""Which (segment, code) pairs the semantic engine suggests, and with what confidence: the
evidence models' decision (``threshold="calibrated"``), the prevalence quota (``"prior"``) or
one fixed threshold on the blended score, and the confidence shown. Pure functions of the
scores and the evidence models; :meth:`~thematic.suggest.semantic.SemanticEngine.score` calls
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from thematic.suggest.calibration import (
    Prior,
    admitted_confidence,
    prevalence_thresholds,
    robust_stats,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.models import Codebook
    from thematic.suggest.calibration import Evidence
    from thematic.suggest.semantic_scores import EvidenceInputs, SemanticScores


def calibrated_decision(evidence: Evidence, inputs: EvidenceInputs, n_codes: int
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """``threshold="calibrated"``: probability, passed and threshold per pair from the
    evidence models (sentences together with their turns), and the turns' probability."""
    import numpy as np

    if inputs.turn_values is not None and inputs.turn_of is not None:
        probability, passed = evidence.decide_sentences(inputs.values, inputs.turn_values, inputs.turn_of)
        turn_probability = evidence.decide_turns(inputs.turn_values)[0][inputs.turn_of]
        return probability, passed, np.full(n_codes, evidence.sentence_floor), turn_probability
    probability, passed = evidence.decide_turns(inputs.values)
    return probability, passed, admitted_confidence(probability, passed, evidence.turn.threshold), None


def threshold_decision(score: np.ndarray, is_group: np.ndarray, threshold: str | float, prior: Prior
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``threshold="prior"`` (a prevalence quota per code) or a float (one threshold on the
    blended score): background, spread, prevalence, threshold per code, and probability
    (``sigmoid((score - threshold) / spread)``) and passed per pair."""
    import numpy as np

    if threshold == "prior":
        background, spread, prevalence, cut = prevalence_thresholds(score, is_group, prior)
    else:
        background, spread = robust_stats(score)
        prevalence = np.full(score.shape[1], np.nan)
        cut = np.full(score.shape[1], float(threshold))
    z = (score - cut[None, :]) / spread[None, :]
    probability = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
    return background, spread, prevalence, cut, probability, score >= cut[None, :]


def set_shown(evidence: Evidence, sc: SemanticScores) -> None:
    """The confidence shown, the evidence model's probabilities calibrated
    (:meth:`~thematic.suggest.calibration.Evidence.shown`), into ``sc``."""
    import numpy as np

    if sc.probability is None:
        return
    unit = "sentence" if sc.turn_probability is not None else "turn"
    sc.shown = evidence.shown(sc.probability, unit)
    sc.shown_threshold = evidence.shown(sc.threshold, unit)
    if sc.turn_probability is not None:
        sc.shown_turn = evidence.shown(sc.turn_probability, "turn")
        sc.shown_turn_threshold = float(evidence.shown(np.array([evidence.turn.threshold]), "turn")[0])


def wordless_codes(backend: object, segment_texts: list[str], codebook: Codebook) -> np.ndarray | None:
    """With a backend that compares words (``compares_words``: TF-IDF), the codes none of
    whose definition's and examples' words (lemmas, stop words aside) occur in any segment:
    their similarities are the word space's noise, and they abstain. None otherwise."""
    import numpy as np

    from thematic.suggest.code_texts import code_texts
    from thematic.suggest.lexical import shares_no_word

    if not getattr(backend, "compares_words", False):
        return None
    texts = [code_texts(c) for c in codebook.codes]
    return np.array(shares_no_word(segment_texts, [" ".join([t.description, *t.positives]) for t in texts]),
                    dtype=bool)
