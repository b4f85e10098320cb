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

#: The shipped evidence models: fitted by ``benchmarks/bench_agreement.py --fit`` on every corpus
#: in the benchmark cache (13 corpora in 7 families: sample, pdpilot, annomi, serdif, osfocus,
#: the flakiness survey and the NaPiRE survey in English, Portuguese and Spanish; each family
#: weighted equally), with ``code_tail`` shrunk by :func:`shrunk_tail`. ``count="kappa"``
#: because it was chosen, on the training corpora, in every one of the 7 leave-one-family-out
#: folds (sentence->turn, mean over the held-out corpora 0.249 against 0.230 with
#: ``"threshold"``). No ``best_floor``: the best-code rule (each turn also gets its most
#: probable code above a floor, chosen in each fold) left the mean held-out sentence->turn
#: kappa where it was (0.249 both). The turn threshold and sentence floor are the fit's
#: choice. The calibration of the confidence shown is isotonic on both units, its steps shrunk
#: by Laplace's rule (a top step of a few suggestions all right does not show 1.00): the kind
#: with the lowest mean held-out expected calibration error over the folds (turn 0.124 against
#: 0.132 uncalibrated, sentence 0.086 against 0.104; each fold's calibrator fitted on the other
#: families' out-of-family suggestions), fitted on every corpus's leave-one-out suggestions.
#: Chosen *inside* each fold (nested), the calibrator moved held-out ECE from 0.132 to 0.139
#: (turns) and 0.104 to 0.099 (sentences): across study types no calibrator is reliably better
#: than another. ``count_on="model"``: the kappa count on the calibrated probabilities lost in
#: every fold on the training corpora (held out 0.244 against 0.249). The figures the
#: benchmark reports are leave-one-corpus-out (each corpus scored with the models fitted, and
#: count, thresholds and calibration chosen, on the others).
DEFAULT_EVIDENCE = Evidence(
    turn=EvidenceModel(
        features=TURN_FEATURES,
        coef=(-0.0922, 0.318, -0.1468, 0.4222, -0.4975, -4.7779, 0.3604, 0.2846, -0.4231),
        intercept=-3.1647, threshold=0.1),
    sentence=EvidenceModel(
        features=SENTENCE_FEATURES,
        coef=(-0.217, 0.114, 0.0018, 0.1053, -0.2509, -0.0054, -0.0995, 0.184, -0.3945, 0.6057),
        intercept=-0.2579, threshold=0.3),
    sentence_floor=0.15,
    count='kappa',
    best_floor=None,
    calibration=ConfidenceCalibration(
        turn=Calibrator(kind='isotonic', a=1.0, b=0.0, x=(
            0.099149, 0.102511, 0.102858, 0.10717, 0.107202, 0.107742, 0.107784, 0.109744, 0.10982,
            0.142837, 0.142945, 0.150379, 0.150413, 0.178934, 0.179006, 0.182858, 0.182906,
            0.284266, 0.284425, 0.38941, 0.389571, 0.397932, 0.398003, 0.398843, 0.398936, 0.441517,
            0.441635, 0.470934, 0.471264, 0.49421, 0.494279, 0.538826, 0.538854, 0.992165, 0.992743), y=(
            0.084097, 0.084097, 0.121814, 0.121814, 0.25645, 0.25645, 0.25645, 0.25645, 0.272374,
            0.272374, 0.292024, 0.292024, 0.30151, 0.30151, 0.309207, 0.309207, 0.335943, 0.335943,
            0.37136, 0.37136, 0.381903, 0.381903, 0.41638, 0.41638, 0.43336, 0.43336, 0.46802,
            0.46802, 0.471873, 0.471873, 0.484381, 0.484381, 0.512373, 0.512373, 0.594793)),
        sentence=Calibrator(kind='isotonic', a=1.0, b=0.0, x=(
            0.038548, 0.055469, 0.055936, 0.084532, 0.084612, 0.109822, 0.109832, 0.1303, 0.130315,
            0.196374, 0.196397, 0.1984, 0.198401, 0.241783, 0.24179, 0.265908, 0.265915, 0.277934,
            0.277968, 0.280956, 0.28097, 0.287173, 0.287285, 0.406406, 0.406409, 0.492862, 0.493117,
            0.495099, 0.49512, 0.550668, 0.550733, 0.985094, 0.991416), y=(
            0.069745, 0.069745, 0.139539, 0.139539, 0.20662, 0.20662, 0.222521, 0.222521, 0.254307,
            0.254307, 0.261689, 0.261689, 0.275927, 0.275927, 0.278036, 0.278036, 0.278694,
            0.278694, 0.284437, 0.284437, 0.34317, 0.34317, 0.393453, 0.393453, 0.400897, 0.400897,
            0.42487, 0.42487, 0.471319, 0.471319, 0.47232, 0.47232, 0.648665))),
    count_on='model',
)

#: The evidence models of a sparse backend (TF-IDF + SVD, the torch-free path), fitted the same
#: way with ``--backend tfidf`` on the same 13 corpora: most of its similarities are 0, so its
#: evidence reads otherwise. ``count="kappa"``: chosen on the training corpora in every
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
