"""REFI-QDA project exchange: ``.qdpx``/``.qde`` read (:mod:`thematic.refi.qde_read`) and
write (:mod:`thematic.refi.qde_write`) as :class:`~thematic.refi.model.ExProject`; peers' own
projects are read by :mod:`thematic.store.foreign`, and
:func:`thematic.services.exchange.read_exchange` chooses the reader of a file. Offsets are
converted at the boundary (:mod:`thematic.refi.offsets`).
"""

from __future__ import annotations

from thematic.refi.archive import ArchiveLimits
from thematic.refi.model import ExProject

EXCHANGE_SUFFIXES: tuple[str, ...] = (".qdpx", ".qde", ".qda", ".sqlite3", ".sqlite")
#: the tools ``.qdpx`` exports are written for (see :mod:`thematic.refi.qde_write`)
EXPORT_TARGETS: tuple[str, ...] = ("standard", "nvivo", "atlasti", "maxqda")

__all__ = ["EXCHANGE_SUFFIXES", "EXPORT_TARGETS", "ArchiveLimits", "ExProject"]
