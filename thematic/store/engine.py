"""Deprecated alias of :mod:`thematic.store.database` (moved in the seams change); older scripts keep working."""

import importlib
import sys
import warnings

warnings.warn("thematic.store.engine moved to thematic.store.database; import it from there", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("thematic.store.database")
