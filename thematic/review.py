"""Deprecated alias of :mod:`thematic.services.review` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.review moved to thematic.services.review; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.services.review")
