"""Deprecated alias of :mod:`thematic.ingest.reanchor` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.reanchor moved to thematic.ingest.reanchor; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.ingest.reanchor")
