"""The shipped calibration of the rule and combined confidences (placeholder: filled from
``benchmarks/bench_confidence.py --fit``)."""

from __future__ import annotations

from thematic.suggest.calibrators import Calibrator, SourceCalibration

RULE_CALIBRATION = Calibrator()
COMBINED_CALIBRATION = SourceCalibration()
