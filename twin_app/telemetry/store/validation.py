"""Checking readings before they are stored, and the quarantine record of those that fail.

Every item given to :meth:`TelemetryStore.append` becomes either a row to store or a
:class:`Rejection` with a :class:`QuarantineReason`, a detail text and the raw payload.  Nothing
raises and nothing is dropped.  Feeds that cannot even build a
:class:`~twin_app.core.readings.Reading` (a value ``"ERR"``, a time without a zone) pass a
:class:`RawReading` instead, so the bad payload is kept too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from numbers import Real

from twin_app.core.readings import Quality, Reading
from twin_app.telemetry.store.catalog import SensorCatalog
from twin_app.telemetry.store.times import EPOCH, ONE_MICROSECOND, from_us, now_us

DEFAULT_MAX_FUTURE = timedelta(minutes=10)
"""How far ahead of the store's clock a reading's time may be (station clocks drift)."""

Row = tuple[str, int, float, str, int, str]
"""A checked reading as stored: ``(sensor_id, time_us, value, unit, quality, source)``."""


class QuarantineReason(StrEnum):
    """Why a reading was not stored as a value."""

    UNKNOWN_SENSOR = "unknown_sensor"
    WRONG_UNIT = "wrong_unit"
    BAD_TIME = "bad_time"
    FUTURE_TIME = "future_time"
    NOT_NUMERIC = "not_numeric"
    NOT_FINITE = "not_finite"
    OUT_OF_RANGE = "out_of_range"
    BAD_QUALITY = "bad_quality"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class RawReading:
    """A reading as a feed received it, before anything is known to be valid.

    Attributes
    ----------
    sensor_id : object
        The sensor id (should be a ``str``).
    time : object
        A timezone-aware ``datetime`` or an ISO 8601 text with an offset.
    value : object
        A real number, or a text that parses as one.
    unit : object
        The unit text.
    quality : object
        A :class:`Quality`, its integer value or its name.
    source : str
        Where it came from (``"mqtt"``, ``"sl651:0012345678"``).
    payload : str or bytes or None
        The message as received (a JSON text, a frame), kept in quarantine if the reading fails.
    """

    sensor_id: object
    time: object
    value: object
    unit: object
    quality: object = Quality.GOOD
    source: str = ""
    payload: str | bytes | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A reading that failed a check, as written to the quarantine table.

    Attributes
    ----------
    reason : QuarantineReason
        The first check it failed.
    detail : str
        What was wrong, with the expected value or range.
    sensor_id : str or None
        The sensor id, if it was a text.
    time_us : int or None
        The reading's time in epoch microseconds, if it could be read.
    source : str
        Where it came from.
    payload : str
        The raw payload: the feed's message, or the reading's fields as JSON.
    payload_format : str
        ``"json"``, ``"text"`` or ``"hex"`` (bytes).
    """

    reason: QuarantineReason
    detail: str
    sensor_id: str | None
    time_us: int | None
    source: str
    payload: str
    payload_format: str


def _jsonable(value: object) -> object:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value)


def _payload_of(item: Reading | RawReading) -> tuple[str, str]:
    raw = getattr(item, "payload", None)
    if isinstance(raw, bytes):
        return raw.hex(), "hex"
    if isinstance(raw, str):
        return raw, "text"
    fields = {name: _jsonable(getattr(item, name))
              for name in ("sensor_id", "time", "value", "unit", "quality", "source")}
    return json.dumps(fields, ensure_ascii=False), "json"


def _as_time_us(value: object) -> int | None:
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    try:
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            return None
        return (moment - EPOCH) // ONE_MICROSECOND
    except (TypeError, ValueError, OverflowError):
        return None


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if not isinstance(value, Real | Decimal | str | bytes):
        return None
    try:
        return float(value)
    except (ValueError, OverflowError):
        return None


def _as_quality(value: object) -> int | None:
    if isinstance(value, Quality):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value in Quality._value2member_map_ else None
    if isinstance(value, str) and value.upper() in Quality.__members__:
        return int(Quality[value.upper()])
    return None


class Validator:
    """Split items into rows to store and rejections to quarantine.

    Parameters
    ----------
    catalog : SensorCatalog
        The sensors, units and physical ranges readings must match.
    max_future : timedelta
        How far ahead of ``clock()`` a reading's time may be.
    clock : callable, optional
        Returns the current time in epoch microseconds (the system clock by default).
    """

    def __init__(
        self,
        catalog: SensorCatalog,
        *,
        max_future: timedelta = DEFAULT_MAX_FUTURE,
        clock: Callable[[], int] = now_us,
    ) -> None:
        self.catalog = catalog
        self.max_future_us = max_future // ONE_MICROSECOND
        self.clock = clock

    def split(self, items: Iterable[Reading | RawReading]) -> tuple[list[Row], list[Rejection]]:
        """Check every item.

        Parameters
        ----------
        items : iterable of Reading or RawReading
            The batch.

        Returns
        -------
        rows : list of Row
            The items that passed, ready to store.
        rejections : list of Rejection
            The items that failed, one per item, with the first reason found.
        """
        checks = self.catalog.checks
        latest_us = self.clock() + self.max_future_us
        rows: list[Row] = []
        rejections: list[Rejection] = []
        for item in items:
            # The fast path: a Reading has an aware time and a non-NaN number already.
            if type(item) is Reading:
                limits = checks.get(item.sensor_id)
                value = item.value
                if (limits is not None and type(value) is not bool
                        and type(item.quality) is Quality):
                    unit, low, high = limits
                    try:
                        time_us = (item.time - EPOCH) // ONE_MICROSECOND
                    except (TypeError, ValueError, OverflowError):
                        time_us = None  # a tzinfo without an offset: the slow path says why
                    if (time_us is not None and item.unit == unit and time_us <= latest_us
                            and low <= value <= high):
                        rows.append((item.sensor_id, time_us, float(value), unit,
                                     int(item.quality), item.source))
                        continue
            checked = self._check(item, latest_us)
            if isinstance(checked, Rejection):
                rejections.append(checked)
            else:
                rows.append(checked)
        return rows, rejections

    def _check(self, item: object, latest_us: int) -> Row | Rejection:
        """Check one item the slow way, naming the first reason it fails."""
        if not isinstance(item, Reading | RawReading):
            kind = type(item).__name__
            return Rejection(QuarantineReason.MALFORMED, f"not a reading: a {kind}", None, None,
                             "", json.dumps({"repr": repr(item)[:2000]}), "json")
        sensor_id = item.sensor_id if isinstance(item.sensor_id, str) else None
        source = item.source if isinstance(item.source, str) else repr(item.source)
        time_us = _as_time_us(item.time)

        def reject(reason: QuarantineReason, detail: str) -> Rejection:
            payload, payload_format = _payload_of(item)
            return Rejection(reason, detail, sensor_id, time_us, source, payload, payload_format)

        limits = self.catalog.get(sensor_id) if sensor_id is not None else None
        if limits is None:
            return reject(QuarantineReason.UNKNOWN_SENSOR,
                          f"sensor {item.sensor_id!r} is not in the scene's sensor catalog")
        if item.unit != limits.unit:
            return reject(QuarantineReason.WRONG_UNIT,
                          f"unit {item.unit!r}, expected {limits.unit!r} for {sensor_id}")
        if time_us is None:
            return reject(QuarantineReason.BAD_TIME,
                          f"time {item.time!r} is not a timezone-aware time")
        if time_us > latest_us:
            ahead = (time_us - latest_us + self.max_future_us) / 60e6
            return reject(QuarantineReason.FUTURE_TIME,
                          f"time {from_us(time_us).isoformat()} is {ahead:.1f} min in the future "
                          f"(limit {self.max_future_us / 60e6:g} min)")
        value = _as_number(item.value)
        if value is None:
            return reject(QuarantineReason.NOT_NUMERIC, f"value {item.value!r} is not a number")
        if not math.isfinite(value):
            return reject(QuarantineReason.NOT_FINITE, f"value {value!r} is not finite")
        if not limits.low <= value <= limits.high:
            return reject(QuarantineReason.OUT_OF_RANGE,
                          f"value {value:g} {limits.unit} is outside the physical range "
                          f"{limits.low:g}..{limits.high:g} {limits.unit} of a "
                          f"{limits.kind.value} sensor")
        quality = _as_quality(item.quality)
        if quality is None:
            names = ", ".join(Quality.__members__)
            return reject(QuarantineReason.BAD_QUALITY,
                          f"quality {item.quality!r} is not one of {names}")
        return (limits.sensor_id, time_us, value, limits.unit, quality, source)
