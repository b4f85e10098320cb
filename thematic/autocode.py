"""Deprecated alias of :mod:`thematic.services.suggest` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.autocode moved to thematic.services.suggest; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.services.suggest")
