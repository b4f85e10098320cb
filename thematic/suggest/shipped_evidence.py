"""The shipped evidence models: the numbers :mod:`thematic.suggest.calibration`'s models carry in
the product, fitted and chosen by ``benchmarks/bench_agreement.py --fit`` (which prints these
literals), and the choice between them by backend (:func:`default_evidence`)."""

from __future__ import annotations

from thematic.suggest.calibration import ConfidenceCalibration, Evidence, EvidenceModel
from thematic.suggest.calibrators import Calibrator

#: The evidence the shipped turn models read, and the sentence models (which also read their turn's).
TURN_FEATURES = ('blend', 'raw', 'raw_rel', 'code_raw95', 'quota', 'code_tail', 'log_words', 'margin',
                 'backchannel')
SENTENCE_FEATURES = (*TURN_FEATURES, 'turn_logit')
#: The evidence of the sentence-embedding models: also how well a segment fits the code's examples
#: against the other codes' (:mod:`thematic.suggest.example_fit`; 0 for a code without examples).
EXAMPLE_TURN_FEATURES = (*TURN_FEATURES, 'example_fit')
EXAMPLE_SENTENCE_FEATURES = (*EXAMPLE_TURN_FEATURES, 'turn_logit')

#: The shipped evidence models: fitted by ``benchmarks/bench_agreement.py --fit`` on every corpus
#: in the benchmark cache (13 corpora in 7 families: sample, pdpilot, annomi, serdif, osfocus,
#: the flakiness survey and the NaPiRE survey in English, Portuguese and Spanish; each family
#: weighted equally), with ``code_tail`` shrunk by :func:`shrunk_tail`. They read
#: ``example_fit`` (the codebook's examples as training data): held out, sentence->turn, it
#: raised the mean over the 13 corpora from 0.249 to 0.270, every family's mean by 0.000 to
#: 0.038 (NaPiRE most); the worst single corpus, sample-defs (no examples), 0.449 -> 0.437.
#: Its cost: the held-out expected calibration error rose (isotonic, turns 0.124 -> 0.155,
#: sentences 0.086 -> 0.123; ``benchmarks/results/agreement.md``). ``count="kappa"``
#: because it was chosen, on the training corpora, in every one of the 7 leave-one-family-out
#: folds (sentence->turn, mean over the held-out corpora 0.270 against 0.244 with
#: ``"threshold"``). No ``best_floor``: the best-code rule (each turn also gets its most
#: probable code above a floor, chosen in each fold) left the mean held-out sentence->turn
#: kappa where it was (0.270 both). The turn threshold and sentence floor are the fit's
#: choice. The calibration of the confidence shown is isotonic on both units, its steps shrunk
#: by Laplace's rule (a top step of a few suggestions all right does not show 1.00): the kind
#: with the lowest mean held-out expected calibration error over the folds (turn 0.155 against
#: 0.163 uncalibrated, sentence 0.123 against 0.128; each fold's calibrator fitted on the other
#: families' out-of-family suggestions), fitted on every corpus's leave-one-out suggestions.
#: Chosen *inside* each fold (nested), the calibrator moved held-out ECE from 0.163 to 0.167
#: (turns) and 0.128 to 0.125 (sentences): across study types no calibrator is reliably better
#: than another. ``count_on="model"``: the kappa count on the calibrated probabilities lost in
#: every fold on the training corpora (held out 0.200 against 0.270). The figures the
#: benchmark reports are leave-one-corpus-out (each corpus scored with the models fitted, and
#: count, thresholds and calibration chosen, on the others).
DEFAULT_EVIDENCE = Evidence(
    turn=EvidenceModel(
        features=EXAMPLE_TURN_FEATURES,
        coef=(-0.1688, 0.2971, -0.2437, 0.3435, -0.5468, -4.538, 0.4296, 0.2972, -0.4062, 0.7317),
        intercept=-3.3026, threshold=0.0),
    sentence=EvidenceModel(
        features=EXAMPLE_SENTENCE_FEATURES,
        coef=(-0.2561, 0.0663, -0.0329, 0.0712, -0.274, -0.0417, -0.0073, 0.1877, -0.2841, 0.4899, 0.6132),
        intercept=-0.4394, threshold=0.3),
    sentence_floor=0.15,
    count='kappa',
    best_floor=None,
    calibration=ConfidenceCalibration(
        turn=Calibrator(kind='isotonic', a=1.0, b=0.0, x=(
            0.050338, 0.050822, 0.056229, 0.098884, 0.100756, 0.106294, 0.106906, 0.197687, 0.197722,
            0.202214, 0.202243, 0.212924, 0.21298, 0.225136, 0.225207, 0.225246, 0.225253, 0.275658,
            0.275667, 0.296353, 0.296397, 0.337304, 0.33746, 0.426346, 0.426673, 0.428722, 0.429853,
            0.650015, 0.65036, 0.988064, 0.988282), y=(
            0.300192, 0.300192, 0.300192, 0.300192, 0.300192, 0.300192, 0.300192, 0.300192, 0.308665,
            0.308665, 0.318309, 0.318309, 0.319335, 0.319335, 0.375938, 0.375938, 0.375938, 0.375938,
            0.375938, 0.375938, 0.375938, 0.375938, 0.381567, 0.381567, 0.477007, 0.477007, 0.479025,
            0.479025, 0.573008, 0.573008, 0.596356)),
        sentence=Calibrator(kind='isotonic', a=1.0, b=0.0, x=(
            0.023905, 0.035671, 0.035956, 0.067065, 0.067475, 0.116307, 0.116354, 0.146446, 0.146456,
            0.167339, 0.167352, 0.191442, 0.19146, 0.194891, 0.1949, 0.195224, 0.195237, 0.204649, 0.204661,
            0.26837, 0.268372, 0.269579, 0.269592, 0.273988, 0.273989, 0.283584, 0.283644, 0.304008,
            0.304013, 0.312823, 0.312835, 0.438116, 0.43818, 0.490818, 0.490963, 0.517234, 0.517428,
            0.535568, 0.535799, 0.991632), y=(
            0.171855, 0.171855, 0.171855, 0.171855, 0.171855, 0.171855, 0.186642, 0.186642, 0.206095,
            0.206095, 0.210747, 0.210747, 0.242395, 0.242395, 0.280377, 0.280377, 0.280377, 0.280377,
            0.280377, 0.280377, 0.300781, 0.300781, 0.301505, 0.301505, 0.30956, 0.30956, 0.332307, 0.332307,
            0.373907, 0.373907, 0.38393, 0.38393, 0.410694, 0.410694, 0.456339, 0.456339, 0.472762, 0.472762,
            0.528221, 0.528221))),
    count_on='model',
)

#: The evidence models of a sparse backend (TF-IDF + SVD, the torch-free path), fitted the same
#: way with ``--backend tfidf`` on the same 13 corpora: most of its similarities are 0, so its
#: evidence reads otherwise. It does not read ``example_fit``: held out it moved the mean
#: sentence->turn kappa only from 0.174 to 0.177 and cost the pdpilot family 0.015 (0.306 ->
#: 0.291). ``count="kappa"``: chosen on the training corpora in every
#: leave-one-family-out fold (sentence->turn, mean over held-out corpora 0.174 against 0.159
#: with ``"threshold"``). No ``best_floor``: it did not raise the held-out mean (0.175 without,
#: 0.174 with the per-fold floor). No calibration: "none" has the lowest mean held-out ECE over
#: the folds on both units (turn 0.136, against 0.158 isotonic; sentence 0.121 against 0.142);
#: the per-fold choice made held-out ECE worse on turns (0.136 -> 0.174). The shown confidence
#: is the model's probability. ``count_on="model"``: every fold's training corpora preferred it
#: (held out 0.174 against 0.167).
SPARSE_EVIDENCE = Evidence(
    turn=EvidenceModel(
        features=TURN_FEATURES,
        coef=(-0.0086, 0.0857, -0.0624, 0.2721, -0.534, -1.1088, 0.4035, 0.1206, -0.2862),
        intercept=-3.5384, threshold=0.0),
    sentence=EvidenceModel(
        features=SENTENCE_FEATURES,
        coef=(-0.0274, 0.0693, -0.0259, 0.2152, -0.2964, -0.8467, -0.0109, 0.0549, -0.2079, 0.5241),
        intercept=-1.6309, threshold=0.3),
    sentence_floor=0.15,
    count='kappa',
    best_floor=None,
    calibration=ConfidenceCalibration(
        turn=Calibrator(kind='none', a=1.0, b=0.0, x=(), y=()),
        sentence=Calibrator(kind='none', a=1.0, b=0.0, x=(), y=())),
    count_on='model',
)


def default_evidence(backend: object) -> Evidence:
    """The shipped evidence models for ``backend``: :data:`SPARSE_EVIDENCE` for TF-IDF,
    :data:`DEFAULT_EVIDENCE` for sentence embeddings (MiniLM, the multilingual models)."""
    from thematic.suggest.embeddings import TfidfSvdBackend

    return SPARSE_EVIDENCE if isinstance(backend, TfidfSvdBackend) else DEFAULT_EVIDENCE
