"""Deprecated alias of :mod:`thematic.services.codebook` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.codebook_sync moved to thematic.services.codebook; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.services.codebook")
