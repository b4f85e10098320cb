"""Deprecated alias of :mod:`thematic.ingest.speakers_map` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.speakers_map moved to thematic.ingest.speakers_map; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.ingest.speakers_map")
