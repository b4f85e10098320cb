"""Deprecated alias of :mod:`thematic.services.ingest` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.pipeline moved to thematic.services.ingest; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.services.ingest")
