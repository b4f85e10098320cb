"""Which (segment, code) pairs the semantic engine suggests, and with what confidence: the
evidence models' decision (``threshold="calibrated"``), the prevalence quota (``"prior"``) or
one fixed threshold on the blended score, and the confidence shown. Pure functions of the
scores and the evidence models; :meth:`~thematic.suggest.semantic.SemanticEngine.score` calls
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from thematic.suggest.calibration import (
    Prior,
    admitted_confidence,
    prevalence_thresholds,
    robust_stats,
)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.models import Codebook, Segment
    from thematic.suggest.calibration import Evidence
    from thematic.suggest.semantic_scores import EvidenceInputs, SemanticScores


def calibrated_decision(evidence: Evidence, inputs: EvidenceInputs, n_codes: int
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """``threshold="calibrated"``: probability, passed and threshold per pair from the
    evidence models (sentences together with their turns), and the turns' probability."""
    import numpy as np

    if inputs.turn_values is not None and inputs.turn_of is not None:
        probability, passed = evidence.decide_sentences(inputs.values, inputs.turn_values, inputs.turn_of)
        filler = fillers(inputs.parts.words, inputs.parts.backchannel, len(passed))
        passed = off_fillers(passed, probability, filler, inputs.turn_of)
        turn_probability = evidence.decide_turns(inputs.turn_values)[0][inputs.turn_of]
        return probability, passed, np.full(n_codes, evidence.sentence_floor), turn_probability
    probability, passed = evidence.decide_turns(inputs.values)
    return probability, passed, admitted_confidence(probability, passed, evidence.turn.threshold), None


#: A sentence of this many words or fewer is a fragment of its turn ("Um.", "Three days.").
FRAGMENT_WORDS = 2


def fillers(words: np.ndarray | None, backchannel: np.ndarray | None, n: int) -> np.ndarray:
    """Which of ``n`` sentences say too little to carry a code on their own: fragments of at
    most :data:`FRAGMENT_WORDS` words and backchannels (``ScoreParts.backchannel``); a view
    not given marks none."""
    import numpy as np

    out = np.zeros(n, dtype=bool)
    if words is not None:
        out |= np.asarray(words) <= FRAGMENT_WORDS
    if backchannel is not None:
        out |= np.asarray(backchannel, dtype=bool)
    return out


def off_fillers(passed: np.ndarray, probability: np.ndarray, filler: np.ndarray,
                turn_of: np.ndarray) -> np.ndarray:
    """The sentence suggestions with each turn's codes moved off its fillers.

    A turn's code is suggested on the sentences that say something: a filler ("Um.", "Okay.",
    "Three days.") keeps a code only when no other sentence of its turn can carry it. Where a
    code passed only on fillers of a turn that has other sentences, the most probable of those
    takes it instead. Which codes each turn gets is unchanged: a turn read per sentence (any
    sentence) gives the same codes before and after.

    Examples
    --------
    One turn of three sentences, the first a filler. The first code stays where another
    sentence carries it; the second, passed only on the filler, moves to the most probable
    other sentence:

    >>> import numpy as np
    >>> passed = np.array([[True, True], [True, False], [False, False]])
    >>> p = np.array([[0.6, 0.5], [0.4, 0.1], [0.3, 0.2]])
    >>> off_fillers(passed, p, np.array([True, False, False]), np.array([0, 0, 0])).astype(int)
    array([[0, 0],
           [1, 0],
           [0, 1]])
    """
    import numpy as np

    passed = np.asarray(passed, dtype=bool).copy()
    filler = np.asarray(filler, dtype=bool)
    if not filler.any() or not passed.size:
        return passed
    n_turns = int(turn_of.max()) + 1
    said = np.zeros((n_turns, passed.shape[1]), dtype=bool)  # a code on a sentence that says something
    np.logical_or.at(said, turn_of[~filler], passed[~filler])
    has_words = np.zeros(n_turns, dtype=bool)
    has_words[turn_of[~filler]] = True
    moved = passed & filler[:, None] & has_words[turn_of][:, None]
    moved &= ~said[turn_of]  # codes only fillers of a turn with other sentences carry
    passed &= ~(filler[:, None] & has_words[turn_of][:, None])
    to_move = np.zeros_like(said)
    np.logical_or.at(to_move, turn_of, moved)
    candidate = np.where(filler[:, None], -np.inf, probability)
    for t, c in zip(*np.nonzero(to_move), strict=True):
        rows = np.flatnonzero(turn_of == t)
        passed[rows[np.argmax(candidate[rows, c])], c] = True
    return passed


def segments_off_fillers(segments: Sequence[Segment], passed: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """:func:`off_fillers` for sentence segments (rows of ``passed`` in ``segments``' order),
    their fillers and turns read from the segments; ``passed`` as it is for other units."""
    import numpy as np

    from thematic.suggest.interview_context import is_backchannel, sentence_turns

    if not segments or any(s.kind != "sentence" for s in segments):
        return passed
    words = np.array([len(s.text.split()) for s in segments])
    backchannel = np.array([is_backchannel(s.text) for s in segments], dtype=bool)
    return off_fillers(passed, probability, fillers(words, backchannel, len(segments)), sentence_turns(segments)[1])


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
