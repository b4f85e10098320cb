"""The shipped calibration of the confidence the rule engine and the combiner show: fitted and
chosen by ``benchmarks/bench_confidence.py --fit`` (which prints these literals; the held-out
figures are in ``benchmarks/results/confidence.md``).

How they were produced: the default engine of ``thematic code`` (rules + semantic, then
``prefer_children``) coded the sentences of the 13 benchmark corpora in 7 families (sample,
pdpilot, annomi, serdif, osfocus, flakiness and NaPiRE in English, Portuguese and Spanish); a
suggestion is right when a person coded that sentence with that code. Only the sample's
codebook has rules of its own; every other code got the keyword rule a first keyword list
would hold (its name and the content words of its name). Per source the calibrator kind
(none, Platt, temperature, isotonic with Laplace-shrunk steps) of the lowest mean held-out
expected calibration error over the 7 leave-one-family-out folds (each fold's calibrator
fitted on the other families, each family weighing the same) was fitted on every family.
Mean held-out ECE over the corpora, before (the raw noisy-OR the product showed) and after:

- the rule engine alone (``thematic code -e rules``): 0.409 -> 0.193 (isotonic);
- a rule hit the semantic engine does not pass (source ``"rule"``): 0.380 -> 0.092 (Platt);
- both engines pass it (source ``"combined"``): 0.460 -> 0.317 (temperature, slope at its
  floor of 0.01: across corpora the noisy-OR of the two says nothing of how often people agree,
  from 16% right on annomi to 100% on the sample, so the combined confidence shows about one
  half, the families' typical share, still in the score's order);
- every suggestion shown (semantic ones unchanged): 0.201 -> 0.101; the review queue's order by
  confidence, average precision 0.381 -> 0.416.

The Platt and temperature curves stop at a ``ceiling``: the Laplace-shrunk share right of the
highest-scored step of the pairs they were fitted on (``fit_calibrator``). Without it a rule
hit on four keywords (noisy-OR 0.974) showed 0.99 where the rule engine's own calibration, on
the same hits, says 0.92 and lone rule hits of that score were right about 84% of the time;
held out the mean ECE is unchanged (0.092 rule, 0.318 combined).

Rules written by hand for the data (the sample's) are right more often than the calibrators
say (the sample's rule hits: 71% right, shown 24% held out): a project's own decisions say how
good its rules are, and move these confidences (:mod:`thematic.suggest.decided_confidence`).
"""

from __future__ import annotations

from thematic.suggest.calibrators import Calibrator, SourceCalibration

#: The rule engine's noisy-OR -> the confidence shown (isotonic, steps Laplace-shrunk).
RULE_CALIBRATION = Calibrator(
    kind="isotonic", x=(0.3, 0.6, 0.84, 0.936, 0.9744), y=(0.1901, 0.25909, 0.438114, 0.767934, 0.919004))

#: The combiner's scores -> the confidence shown, by source.
COMBINED_CALIBRATION = SourceCalibration(
    rule=Calibrator(kind="platt", a=1.88688, b=-2.137821, ceiling=0.842836),
    combined=Calibrator(kind="temperature", a=0.01, ceiling=0.883972),
)
