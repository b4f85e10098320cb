"""Bytes -> normalised text (DESIGN invariant 1).

The normalised text is what every span indexes into: decoded to ``str`` (a byte-order mark
removed, legacy encodings detected), CRLF and lone CR turned into LF, Unicode NFC, and
trailing whitespace of the *whole* text removed (nothing inside is touched).
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from thematic.errors import DecodingError

logger = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters (category Cc) other than \t \n \v \f \r, and U+FFFD.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# Share of control/replacement characters above which decoded "text" is binary data.
_MAX_CONTROL_SHARE = 0.01
_NOT_TEXT_HINT = ("Check that this is the transcript you meant; if it is text in an unusual "
                  "encoding, save it again as UTF-8.")
# Above this chaos (charset-normalizer's mess ratio, 0-1) a detected encoding is not trusted.
_MAX_CHAOS = 0.1


@dataclass(frozen=True)
class Decoded:
    """Text decoded from a file, with the encoding that was used.

    ``guessed`` is True when the encoding was neither stated (a BOM, ``encoding=``) nor
    UTF-8, but detected; :attr:`note` then says so, for the import report.
    """

    text: str
    encoding: str
    guessed: bool = False

    @property
    def note(self) -> str | None:
        """A warning for the report when the encoding was guessed, else None."""
        if not self.guessed:
            return None
        return (f"the file is not UTF-8; it was decoded as {self.encoding} (detected). If its "
                "text looks wrong, import it again naming its encoding (cp1252, say), or save it as "
                "UTF-8")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of the original bytes of a file."""
    return hashlib.sha256(data).hexdigest()


def normalise_text(text: str) -> str:
    """Turn CRLF/CR into LF, compose to NFC and strip trailing whitespace of the whole text.

    Parameters
    ----------
    text
        Decoded text.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalise_text("Ana: cafe\\u0301\\r\\nBen: yes  \\r\\n\\r\\n")
    'Ana: café\\nBen: yes'
    """
    return normalise_block(text).rstrip()


def normalise_block(text: str) -> str:
    """Like :func:`normalise_text` but keeps trailing whitespace (for pieces of a text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """Return ``utf-16-le``/``-be`` for BOM-less UTF-16 of mostly-ASCII text, else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    half = len(data) // 2
    if odd_zeros > 0.4 * half and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros == 0:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_BAD_CHARS.findall(text)) / len(text)


def _decode_with(data: bytes, encoding: str, path: str | Path | None) -> str:
    try:
        return data.decode(encoding)
    except LookupError as e:
        raise DecodingError(
            f"unknown encoding {encoding!r}",
            path=path,
            hint="Use a Python codec name such as 'utf-8', 'cp1252' or 'latin-1'.",
        ) from e
    except UnicodeDecodeError as e:
        raise DecodingError(
            f"the file is not valid {encoding} (byte {e.start} cannot be decoded)",
            path=path,
            remedy="name-encoding",
        ) from e


def decode_bytes(
    data: bytes, *, path: str | Path | None = None, encoding: str | None = None
) -> Decoded:
    """Decode the bytes of a text file.

    Order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) wins; then an explicit
    ``encoding``; then UTF-8 (a file that is UTF-8 but for a few invalid bytes is refused,
    not guessed); then the encoding ``charset-normalizer`` detects, cp1252 winning a tie,
    only when the detection is confident (``guessed=True``: the report says which encoding
    was assumed); a weak guess is refused, asking for the encoding (remedy ``name-encoding``).
    BOM-less UTF-16 of mostly-ASCII text is recognised by its NUL pattern;
    other binary data (NUL bytes, many control characters) is refused.

    Parameters
    ----------
    data
        The file's bytes.
    path
        Used in error messages only.
    encoding
        An encoding to use instead of detection.

    Returns
    -------
    Decoded
        The text (not yet normalised) and the encoding used.

    Raises
    ------
    DecodingError
        The bytes are not text in any encoding we detect.

    Examples
    --------
    >>> decode_bytes("Zoë".encode("utf-16")).text
    'Zoë'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _decode_with(data[len(bom) :], codec, path)
            return _checked(Decoded(text, codec), path)
    if encoding:
        return _checked(Decoded(_decode_with(data, encoding, path), encoding), path)
    if b"\x00" in data:
        utf16 = _looks_like_bomless_utf16(data)
        if utf16 is None:
            raise DecodingError(
                "the file is not text (it contains NUL bytes, as binary files do)",
                path=path,
                hint=_NOT_TEXT_HINT,
            )
        return _checked(Decoded(_decode_with(data, utf16, path), utf16), path)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), path)
    except UnicodeDecodeError as exc:
        _refuse_damaged_utf8(data, exc, path)
    codec = _detect(data, path)
    logger.debug("%s: detected encoding %s", path, codec)
    return _checked(Decoded(_decode_with(data, codec, path), codec, guessed=True), path)


def _refuse_damaged_utf8(data: bytes, exc: UnicodeDecodeError, path: str | Path | None) -> None:
    """UTF-8 with a few invalid bytes is damaged UTF-8, not a legacy encoding: refuse it.

    A legacy (cp1252 ...) text almost never holds valid multi-byte UTF-8 sequences, so a
    file that decodes to non-ASCII characters as UTF-8 except at a few bytes is UTF-8
    with damage; guessing a code page for it turns every accented letter into mojibake.
    """
    text = data.decode("utf-8", errors="replace")
    valid_non_ascii = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if valid_non_ascii and text.count("\ufffd") <= max(3, valid_non_ascii // 10):
        raise DecodingError(
            f"the file is UTF-8 with invalid bytes (the first at byte {exc.start})",
            path=path,
            remedy="name-encoding",
        ) from exc


def _detect(data: bytes, path: str | Path | None) -> str:
    """The encoding charset-normalizer detects, cp1252 winning a tie; refuse a weak guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise DecodingError(
            "the file is not UTF-8 and its encoding cannot be told with confidence"
            if best is not None else
            "the file is not text: its bytes are not valid in any encoding detected",
            path=path,
            hint=None if best is not None else _NOT_TEXT_HINT,
            remedy="name-encoding" if best is not None else None,
        )
    codec = best.encoding or "cp1252"
    if codec != "cp1252":
        # For short texts the detector cannot tell cp1252 from its neighbours (cp1250 ...)
        # and picks one at random; cp1252 is the usual legacy encoding of transcripts, so
        # it wins a tie (French "è" would otherwise come out as cp1250 "č").
        western = from_bytes(data, cp_isolation=["cp1252"]).best()
        if western is not None and western.chaos <= best.chaos:
            codec = "cp1252"
    return codec


def _checked(decoded: Decoded, path: str | Path | None) -> Decoded:
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise DecodingError(
            f"the file is not text: decoded as {decoded.encoding} it is full of control characters",
            path=path,
            hint=_NOT_TEXT_HINT,
        )
    return decoded
