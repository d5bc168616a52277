"""Packed BCD numbers and times as SL 651-2014 sends them in HEX/BCD mode.

Numbers (section 6.6 of the standard): the digits are packed two per byte, most significant first,
with the decimal point implied by the element's data-definition byte.  A negative number starts
with an ``FF`` byte; when the digit count is odd the standard writes ``FF0`` before the digits,
which is the same bytes as ``FF`` followed by a zero-padded digit string, so the decoder strips one
leading ``FF`` byte and reads the rest.  A field made only of ``F`` nibbles means "no data".

Times are ``YYMMDDhhmm[ss]`` in BCD; the year has two digits and is taken as 20YY.

Both decoders are memoised (bounded LRU caches): stations repeat the same times and values.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import lru_cache


class ValueStatus(StrEnum):
    """How a numeric field was read."""

    OK = "ok"
    MISSING = "missing"
    """Every nibble is F: the station has no value (``F...F`` fill, Table C.1)."""
    INVALID = "invalid"
    """A nibble A-E, or F mixed with digits: not a BCD number."""


def decode_number(raw: bytes, decimals: int) -> tuple[float | None, ValueStatus]:
    """Decode a packed-BCD number with an implied decimal point.

    Parameters
    ----------
    raw : bytes
        The data bytes of the element.
    decimals : int
        Digits after the implied decimal point (0-7).

    Returns
    -------
    value : float or None
        The number, or ``None`` when it is missing or invalid.
    status : ValueStatus
        Whether the field held a number, "no data" or garbage.

    Examples
    --------
    >>> decode_number(bytes.fromhex("00010490"), 3)
    (10.49, <ValueStatus.OK: 'ok'>)
    >>> decode_number(bytes.fromhex("FF0123"), 2)
    (-1.23, <ValueStatus.OK: 'ok'>)
    """
    return _decode_number(bytes(raw), decimals)


@lru_cache(maxsize=8192)
def _decode_number(raw: bytes, decimals: int) -> tuple[float | None, ValueStatus]:
    if not raw:
        return None, ValueStatus.INVALID
    digits = raw.hex()
    if digits.isdigit():
        return int(digits) / 10**decimals, ValueStatus.OK
    if raw.count(0xFF) == len(raw):
        return None, ValueStatus.MISSING
    if raw[0] == 0xFF:
        rest = digits[2:]
        if rest.isdigit():
            return -int(rest) / 10**decimals, ValueStatus.OK
    return None, ValueStatus.INVALID


def encode_number(value: float, length: int, decimals: int) -> bytes:
    """Encode ``value`` as ``length`` bytes of packed BCD with ``decimals`` implied decimals.

    Parameters
    ----------
    value : float
        The number; rounded half away from zero to ``decimals`` places.
    length : int
        Bytes of the field (the data-definition byte's bits 7-3).
    decimals : int
        Implied decimal places (bits 2-0).

    Returns
    -------
    bytes
        ``length`` bytes; negative numbers start with ``FF``.

    Raises
    ------
    ValueError
        If the number does not fit in ``length`` bytes.
    """
    scaled = round(abs(value) * 10**decimals)
    negative = value < 0 and scaled != 0
    width = 2 * (length - 1) if negative else 2 * length
    text = str(scaled)
    if len(text) > width or width == 0:
        msg = (f"{value} needs {len(text)} digits with {decimals} decimals; "
               f"a {length}-byte BCD field holds {width}")
        raise ValueError(msg)
    packed = bytes.fromhex(text.zfill(width))
    return b"\xff" + packed if negative else packed


def decode_time(raw: bytes) -> datetime:
    """Decode a BCD time ``YYMMDDhhmm`` (5 bytes) or ``YYMMDDhhmmss`` (6 bytes).

    Parameters
    ----------
    raw : bytes
        Five or six bytes.

    Returns
    -------
    datetime
        A naive datetime in the station's clock (Beijing time by convention); the year is 20YY.

    Raises
    ------
    ValueError
        If a byte is not BCD or the date does not exist; the message names the field.
    """
    return _decode_time(bytes(raw))


@lru_cache(maxsize=4096)
def _decode_time(raw: bytes) -> datetime:
    digits = raw.hex()
    if not digits.isdigit():
        msg = f"time {raw.hex().upper()} is not BCD"
        raise ValueError(msg)
    parts = [int(digits[i:i + 2]) for i in range(0, len(digits), 2)]
    year, month, day, hour, minute = parts[:5]
    second = parts[5] if len(parts) > 5 else 0
    try:
        return datetime(2000 + year, month, day, hour, minute, second)
    except ValueError as error:
        msg = f"time {raw.hex().upper()} is not a valid date and time ({error})"
        raise ValueError(msg) from None


def encode_time(time: datetime, *, seconds: bool) -> bytes:
    """Encode ``time`` as BCD ``YYMMDDhhmm`` (``seconds=False``) or ``YYMMDDhhmmss``.

    Parameters
    ----------
    time : datetime
        The time in the station's clock; years 2000-2099.
    seconds : bool
        Whether to include the seconds (send time: yes; observation time: no).

    Returns
    -------
    bytes
        Five or six bytes.
    """
    text = time.strftime("%y%m%d%H%M%S" if seconds else "%y%m%d%H%M")
    return bytes.fromhex(text)
