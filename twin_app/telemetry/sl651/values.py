"""Decode the data of one element by its kind: BCD numbers, 5-minute series, the time step."""

from __future__ import annotations

import struct
from datetime import timedelta

from twin_app.telemetry.sl651.bcd import ValueStatus, decode_number
from twin_app.telemetry.sl651.elements import GATE_SENTINELS, ElementDef, ElementValue, Kind


def decode_series(kind: Kind, raw: bytes) -> tuple[float | None, ...]:
    """Decode the data of an F4 rainfall or F5-FC level series.

    Parameters
    ----------
    kind : Kind
        :attr:`Kind.RAIN_SERIES` (1-byte values, 0.1 mm) or :attr:`Kind.LEVEL_SERIES` (2-byte
        big-endian values, 0.01 m).
    raw : bytes
        The data bytes.

    Returns
    -------
    tuple
        Values in mm or m; ``None`` where the station sent ``FF`` / ``FFFF``.
    """
    if kind is Kind.RAIN_SERIES:
        return tuple(None if b == 0xFF else b / 10 for b in raw)
    values = struct.unpack_from(f">{len(raw) // 2}H", raw)
    return tuple(None if v == 0xFFFF else v / 100 for v in values)


def decode_time_step(raw: bytes) -> tuple[timedelta | None, ValueStatus]:
    """Decode the 04H time-step code ``DDHHMM`` (BCD) into a timedelta."""
    digits = raw.hex()
    if len(raw) != 3 or not digits.isdigit():
        return None, ValueStatus.INVALID
    days, hours, minutes = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    return timedelta(days=days, hours=hours, minutes=minutes), ValueStatus.OK


def decode_value(row: ElementDef | None, raw: bytes, decimals: int
                 ) -> tuple[ElementValue, ValueStatus, str]:
    """Decode the data of one element by its table row.

    Parameters
    ----------
    row : ElementDef or None
        The table row; ``None`` for unknown and user-defined elements (read as BCD numbers).
    raw : bytes
        The data bytes.
    decimals : int
        Decimal places from the data-definition byte.

    Returns
    -------
    value : ElementValue
        The decoded value.
    status : ValueStatus
        Whether a value was there.
    note : str
        A remark for the inspector, or ``""``.
    """
    kind = row.kind if row else Kind.NUMBER
    if kind in (Kind.RAIN_SERIES, Kind.LEVEL_SERIES):
        return decode_series(kind, raw), ValueStatus.OK, ""
    if kind is Kind.STATUS:
        return int.from_bytes(raw, "big"), ValueStatus.OK, ""
    if kind is Kind.TIME_STEP:
        step, status = decode_time_step(raw)
        return step, status, ""
    value, status = decode_number(raw, decimals)
    note = ""
    if status is ValueStatus.INVALID:
        note = f"data {raw.hex().upper()} is not packed BCD"
    elif row is not None and row.key == "GH" and value in GATE_SENTINELS:
        note = f"gate sentinel {value:g}: {GATE_SENTINELS[value]}"
    return value, status, note
