"""Foreign offsets -> code points of our normalised text (DESIGN invariant 1), at the boundary.

Tools count positions in a source's text differently:

======================  ==================  =====================================
convention              unit                a Windows line break (CRLF) counts
======================  ==================  =====================================
``utf16-crlf2``         UTF-16 code units   2 (NVivo for Windows)
``codepoint-crlf1``     code points         1 (ATLAS.ti; QualCoder, ``qc``, thematic)
``codepoint-crlf2``     code points         2 (a tool counting the raw text)
``utf16-crlf1``         UTF-16 code units   1
======================  ==================  =====================================

An astral character (an emoji) is two UTF-16 units and one code point. :class:`OffsetMap`
maps positions of one convention over the *raw* text (as the tool stored it, BOM removed)
to positions of the normalised text (CRLF/CR -> LF, NFC, trailing whitespace removed).
:func:`choose_convention` picks the convention from the ``origin`` attribute, or, when the
origin is unknown, the one that places the codings on word boundaries.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import accumulate

from thematic.ingest.normalise import normalise_text

CONVENTIONS: tuple[str, ...] = ("codepoint-crlf1", "utf16-crlf2", "codepoint-crlf2", "utf16-crlf1")
_ORIGINS: tuple[tuple[str, str], ...] = (
    ("nvivo", "utf16-crlf2"),
    ("atlas", "codepoint-crlf1"),
    ("qualcoder", "codepoint-crlf1"),
    ("thematic", "codepoint-crlf1"),
    ("qc ", "codepoint-crlf1"),
)


def convention_for_origin(origin: str | None) -> str | None:
    """The convention a tool is known to write, from a REFI ``origin`` attribute; None if unknown.

    Examples
    --------
    >>> convention_for_origin("NVivo 14.23.1 (Windows)")
    'utf16-crlf2'
    >>> convention_for_origin("MAXQDA 2022") is None
    True
    """
    low = (origin or "").strip().lower() + " "
    if low.strip() == "qc":
        return "codepoint-crlf1"
    for key, convention in _ORIGINS:
        if low.startswith(key) or f" {key.strip()} " in f" {low}":
            return convention
    return None


_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


def whole_number(value: object) -> int | None:
    """A foreign offset as an int, or None when it is not a whole number.

    Accepts an int (not a bool), a float with no fraction (SQLite may hand one back) and
    decimal digits as text; ``"abc"``, ``3.5``, ``"1e3"`` and None are not offsets.

    Examples
    --------
    >>> whole_number(" 42"), whole_number(3.0), whole_number(3.5), whole_number("x")
    (42, 3, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def shown(value: object, limit: int = 20) -> str:
    """A foreign value quoted for a message, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        from thematic.errors import ParameterError

        raise ParameterError(
            f"offset convention must be one of {', '.join(CONVENTIONS)}. Got {convention!r} instead."
        )


class OffsetMap:
    """Positions of one convention over ``raw`` text -> positions in ``normalise_text(raw)``.

    Parameters
    ----------
    raw
        The source text as the foreign tool counted it (decoded, BOM removed; line breaks
        and composition as stored).
    convention
        One of :data:`CONVENTIONS`.

    Examples
    --------
    >>> m = OffsetMap("a\\r\\n\\U0001F600 b", "utf16-crlf2")
    >>> m.text == "a\\n\\U0001F600 b", m.to_normalised(5), m.to_normalised(6)
    (True, 3, 4)
    >>> m.to_normalised(4) is None  # inside the emoji's surrogate pair
    True
    """

    def __init__(self, raw: str, convention: str) -> None:
        _check_convention(convention)
        self.raw = raw
        self.convention = convention
        self.text = normalise_text(raw)
        self._identity = _is_identity(raw, self.text, convention)
        if self._identity:
            self._foreign: list[int] = []
            self._norm: list[int] = []
            return
        widths = _widths(raw, utf16=convention.startswith("utf16"), crlf1=convention.endswith("crlf1"))
        self._foreign = [0, *accumulate(widths)]  # foreign position of raw index i
        self._norm = raw_to_normalised(raw, len(self.text))

    @property
    def foreign_length(self) -> int:
        """The length of the whole text in the foreign units."""
        return len(self.raw) if self._identity else self._foreign[-1]

    def to_normalised(self, position: int) -> int | None:
        """The normalised position of a foreign one; None if it falls inside a character."""
        if position < 0 or position > self.foreign_length:
            return None
        if self._identity:
            return min(position, len(self.text))
        i = bisect.bisect_left(self._foreign, position)
        if self._foreign[i] != position:
            return None
        # several raw indices may share a foreign position (CRLF counted once): take the first
        return self._norm[i]

    def from_normalised(self, position: int) -> int:
        """The foreign position of a normalised one (for writers)."""
        if self._identity:
            return position
        i = bisect.bisect_left(self._norm, position)
        return self._foreign[min(i, len(self._foreign) - 1)]


def _is_identity(raw: str, text: str, convention: str) -> bool:
    if raw != text and not (raw.startswith(text) and not raw[len(text) :].strip()):
        return False
    if convention.startswith("utf16") and any(ord(c) > 0xFFFF for c in raw):
        return False
    return True


def _widths(raw: str, *, utf16: bool, crlf1: bool) -> list[int]:
    """Foreign units of each raw character (the CR of a CRLF counted 0 when CRLF is one)."""
    widths = [2 if c > "\uffff" else 1 for c in raw] if utf16 else [1] * len(raw)
    if crlf1:
        i = raw.find("\r\n")
        while i != -1:
            widths[i] = 0
            i = raw.find("\r\n", i + 2)
    return widths


def _clamped(out: list[int], length: int) -> list[int]:
    k = len(out) - 1
    while k >= 0 and out[k] > length:  # trailing whitespace removed by normalisation
        out[k] = length
        k -= 1
    return out


def raw_to_normalised(raw: str, length: int) -> list[int]:
    """For each raw index 0..len(raw), its position in the normalised text."""
    if unicodedata.is_normalized("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")):
        # only line breaks change: a CRLF's CR takes no room (fast path, no per-character loop)
        return _clamped([0, *accumulate(_widths(raw, utf16=False, crlf1=True))], length)
    out = [0] * (len(raw) + 1)
    j = 0
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r" and i + 1 < n and raw[i + 1] == "\n":
            out[i], out[i + 1] = j, j
            i, j = i + 2, j + 1
            continue
        # a cluster: a character and the combining marks after it, normalised together
        k = i + 1
        while k < n and unicodedata.combining(raw[k]):
            k += 1
        cluster = raw[i:k].replace("\r", "\n")
        width = len(unicodedata.normalize("NFC", cluster))
        for m in range(i, k):
            out[m] = j if m == i else min(j + width, j + (m - i))
        i, j = k, j + width
    out[n] = j
    return _clamped(out, length)


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` begins and ends between a word character and a non-word one."""
    if not 0 <= start < end <= len(text):
        return False

    def boundary(p: int) -> bool:
        if p in (0, len(text)):
            return True
        return not (text[p - 1].isalnum() and text[p].isalnum())

    return boundary(start) and boundary(end)


def choose_convention(
    origin: str | None,
    raw_texts: Sequence[str],
    spans: Sequence[Iterable[tuple[int, int]]],
) -> str:
    """The offset convention of a project's selections.

    Parameters
    ----------
    origin
        The REFI ``origin`` attribute; a known tool decides.
    raw_texts
        Each source's raw text.
    spans
        For each source, its selections' ``(start, end)`` in foreign units.

    Returns
    -------
    str
        The convention of the origin, else the one placing most selections on word
        boundaries (ties go to code points, CRLF as one).
    """
    known = convention_for_origin(origin)
    if known is not None:
        return known
    pairs = [(raw, list(s)) for raw, s in zip(raw_texts, spans)]
    scores: dict[str, int] = {}
    for convention in CONVENTIONS:
        score = 0
        for raw, source_spans in pairs:
            if not source_spans:
                continue
            omap = OffsetMap(raw, convention)
            for start, end in source_spans:
                a, b = omap.to_normalised(start), omap.to_normalised(end)
                if a is not None and b is not None and on_word_boundaries(omap.text, a, b):
                    score += 1
        scores[convention] = score
    return max(CONVENTIONS, key=lambda c: (scores[c], -CONVENTIONS.index(c)))


def to_foreign_text(text: str, *, crlf: bool) -> str:
    """Normalised text as a tool wants it stored: with Windows line breaks when ``crlf``."""
    return text.replace("\n", "\r\n") if crlf else text
