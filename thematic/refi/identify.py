"""Name another program's own project files, and the REFI-QDA export to make from them instead.

thematic reads the exchange formats (REFI-QDA ``.qdpx``/``.qde``/``.qdc``, QualCoder, Taguette),
not the programs' own files: an NVivo ``.nvp``, a MAXQDA ``.mx24`` or ``.mex`` (an exchange
database whose texts are encrypted) or an ATLAS.ti ``.atlproj`` cannot be read. Rather than
"not a project exchange file", the researcher gets one line naming the program and what to
export from it.
"""

from __future__ import annotations

import re
from pathlib import Path

_PROJECT = "export the project as a REFI-QDA project (.qdpx) and import that"
_NATIVE: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\.mex\d*$"), "a MAXQDA exchange file (a database whose texts are encrypted)", "MAXQDA"),
    (re.compile(r"\.mx\d+$"), "a MAXQDA project", "MAXQDA"),
    (re.compile(r"\.nvpx$"), "an NVivo for Mac project", "NVivo"),
    (re.compile(r"\.nvp$"), "an NVivo (Windows) project", "NVivo"),
    (re.compile(r"\.atlproj\d*$"), "an ATLAS.ti project bundle", "ATLAS.ti"),
    (re.compile(r"\.hpr\d+$"), "an ATLAS.ti hermeneutic unit", "ATLAS.ti"),
    (re.compile(r"\.atlcb$"), "an ATLAS.ti codebook", "ATLAS.ti"),
    (re.compile(r"\.qrk$"), "a Quirkos project", "Quirkos"),
)


def native_program(path: str | Path) -> tuple[str, str] | None:
    """``(what the file is, program)`` for a program's own project file, else None.

    Examples
    --------
    >>> native_program("study.mx24")
    ('a MAXQDA project', 'MAXQDA')
    >>> native_program("study.qdpx") is None
    True
    """
    suffix = Path(path).suffix.lower()
    for pattern, what, program in _NATIVE:
        if pattern.match(suffix):
            return what, program
    return None


def native_message(path: str | Path, *, want: str = "project") -> tuple[str, str] | None:
    """The one-line refusal and hint for a native file (``want``: ``project`` or ``codebook``)."""
    found = native_program(path)
    if found is None:
        return None
    what, program = found
    name = Path(path).name
    if want == "codebook":
        hint = (f"In {program}, export the codebook as REFI-QDA (.qdc), or the project as a REFI-QDA "
                "project (.qdpx), and load that.")
    else:
        hint = f"In {program}, {_PROJECT}."
    return f"'{name}' is {what}, which only {program} can open", hint
