"""The telemetry store's interface, shared by the SQLite and PostgreSQL backends.

:meth:`TelemetryStore.append` is the ingest path: it checks a batch (see :mod:`.validation`), then
writes the valid readings and the quarantined ones in one transaction and returns only once that
transaction is durable.  That return is the acknowledgement: a feed may tell its source (an MQTT
broker, an SL 651 station) that the batch is safe only after it.  Bad data never raises; a store
that cannot write raises :class:`~.errors.StoreWriteError` and the feed keeps the batch to retry.

Every method is thread-safe (one lock per store object, so a chart query waits for a batch being
written).  A chart that must not wait opens its own store object on the same file or server: it
sees every committed batch, and in SQLite's WAL mode its reads do not block the writer.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType, TracebackType
from typing import ClassVar, Literal, Self

from twin_app.core.readings import Quality, Reading
from twin_app.telemetry.store.alarms import AlarmLog
from twin_app.telemetry.store.catalog import SensorCatalog
from twin_app.telemetry.store.errors import StoreClosedError, StoreConfigError
from twin_app.telemetry.store.series import Series, bucket_width
from twin_app.telemetry.store.times import from_us, now_us, to_us
from twin_app.telemetry.store.validation import (
    DEFAULT_MAX_FUTURE,
    QuarantineReason,
    RawReading,
    Rejection,
    Row,
    Validator,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppendResult:
    """What became of one batch given to :meth:`TelemetryStore.append`.

    Attributes
    ----------
    received : int
        Items in the batch.
    stored : int
        New readings written.
    duplicates : int
        Valid readings already in the store (same sensor and time): the first one is kept.
    quarantined : Mapping of QuarantineReason to int
        Items written to the quarantine table, per reason.
    """

    received: int
    stored: int
    duplicates: int
    quarantined: Mapping[QuarantineReason, int] = field(
        default_factory=lambda: MappingProxyType({}))

    @property
    def rejected(self) -> int:
        """How many items were quarantined."""
        return sum(self.quarantined.values())


@dataclass(frozen=True)
class SensorInfo:
    """A sensor that has readings in the store.

    Attributes
    ----------
    sensor_id : str
        The sensor.
    unit : str
        The unit of its newest reading.
    first, last : datetime
        The times of its oldest and newest readings (UTC).
    """

    sensor_id: str
    unit: str
    first: datetime
    last: datetime


@dataclass(frozen=True)
class QuarantineRecord:
    """An item that failed validation, as kept in the quarantine table.

    Attributes
    ----------
    record_id : int
        The store's id.
    received : datetime
        When the store quarantined it (UTC).
    reason : QuarantineReason
        The first check it failed.
    detail : str
        What was wrong.
    sensor_id : str or None
        Its sensor id, if it had a readable one.
    time : datetime or None
        Its time, if it had a readable one.
    source : str
        Where it came from.
    payload : str
        The raw payload (see ``payload_format``).
    payload_format : str
        ``"json"`` (the reading's fields), ``"text"`` or ``"hex"`` (the feed's bytes).
    """

    record_id: int
    received: datetime
    reason: QuarantineReason
    detail: str
    sensor_id: str | None
    time: datetime | None
    source: str
    payload: str
    payload_format: str


class TelemetryStore(ABC):
    """A durable store of sensor readings, quarantined items and alarm history.

    Parameters
    ----------
    catalog : SensorCatalog or None
        The sensors readings are checked against; a store without one can be read, not appended to.
    max_future : timedelta
        How far ahead of the clock a reading's time may be before it is quarantined.
    clock : callable
        Returns the current time in epoch microseconds.
    """

    dialect: ClassVar[Literal["sqlite", "postgresql"]]

    def __init__(self, catalog: SensorCatalog | None, *, max_future: timedelta = DEFAULT_MAX_FUTURE,
                 clock: Callable[[], int] = now_us) -> None:
        self._lock = threading.RLock()
        self._closed = False
        self._max_future = max_future
        self._clock = clock
        self._validator: Validator | None = None
        self.catalog = catalog
        self.alarms = AlarmLog(self, clock)
        self.totals: Counter[str] = Counter()
        """Counts since the store was opened: ``stored``, ``duplicates`` and each reason."""

    @classmethod
    def open(cls, url: str | None = None, **options: object) -> TelemetryStore:
        """Open the store a URL names; see :func:`twin_app.telemetry.store.open_store`."""
        from twin_app.telemetry.store.url import open_store

        return open_store(url, **options)  # type: ignore[arg-type]

    @property
    def catalog(self) -> SensorCatalog | None:
        """The sensors readings are checked against (replace it when the scene changes)."""
        return self._validator.catalog if self._validator else None

    @catalog.setter
    def catalog(self, catalog: SensorCatalog | None) -> None:
        with self._lock:
            self._validator = (None if catalog is None else
                               Validator(catalog, max_future=self._max_future, clock=self._clock))

    # -- writing -------------------------------------------------------------------------------

    def append(self, readings: Iterable[Reading | RawReading]) -> AppendResult:
        """Check a batch and store it durably; return once it is committed.

        Parameters
        ----------
        readings : iterable of Reading or RawReading
            The batch (thousands at a time is efficient; one at a time works).

        Returns
        -------
        AppendResult
            How many were stored, already present, or quarantined and why.

        Raises
        ------
        StoreConfigError
            If the store was opened without a sensor catalog.
        StoreWriteError
            If the batch could not be committed; nothing of it was stored, so retry it.
        """
        with self._lock:
            self._ensure_open()
            if self._validator is None:
                raise StoreConfigError(
                    f"the store {self.url} was opened without a sensor catalog, so it cannot "
                    "check readings", hint="open it with catalog=SensorCatalog.from_scene(scene)")
            items = list(readings)
            if not items:
                return AppendResult(0, 0, 0)
            rows, rejections = self._validator.split(items)
            stored = self._write(rows, rejections)
            reasons = Counter(rejection.reason for rejection in rejections)
            result = AppendResult(len(items), stored, len(rows) - stored,
                                  MappingProxyType(dict(reasons)))
            self.totals.update({"stored": result.stored, "duplicates": result.duplicates})
            self.totals.update({str(reason): n for reason, n in reasons.items()})
        if rejections:
            _log_rejections(len(items), rejections, reasons)
        if result.duplicates:
            log.debug("%d of %d readings were already stored (redelivered)", result.duplicates,
                      len(items))
        return result

    # -- reading -------------------------------------------------------------------------------

    def latest(self, sensor_ids: Iterable[str] | None = None, *, at: datetime | None = None
               ) -> dict[str, Reading]:
        """Return each sensor's newest reading (at or before ``at``, if given).

        Parameters
        ----------
        sensor_ids : iterable of str, optional
            The sensors; all sensors with readings by default.
        at : datetime, optional
            A time in the past, for a clock scrubbing through history.

        Returns
        -------
        dict of str to Reading
            Sensors without a reading (before ``at``) are absent.
        """
        wanted = None if sensor_ids is None else list(dict.fromkeys(sensor_ids))
        with self._lock:
            self._ensure_open()
            rows = self._latest_rows(wanted, None if at is None else to_us(at))
        return {row[0]: _reading(row) for row in rows}

    def series(self, sensor_id: str, start: datetime, end: datetime,
               max_points: int | None = None, *, unit: str | None = None) -> Series:
        """Return a sensor's values in ``[start, end]``, downsampled to ``max_points`` buckets.

        Parameters
        ----------
        sensor_id : str
            The sensor.
        start, end : datetime
            The range, inclusive, timezone-aware.
        max_points : int, optional
            If the range holds more readings than this, return this many buckets (at most) with
            each bucket's minimum, maximum and mean; by default every reading.
        unit : str, optional
            The unit wanted; by default the catalog's unit, else that of the newest reading.
            Readings stored in another unit are left out, never mixed in.

        Returns
        -------
        Series
            Raw readings (``bucket_us == 0``) or bucket statistics.

        Raises
        ------
        StoreConfigError
            If ``end`` is before ``start`` or ``max_points`` is less than 1.
        """
        start_us, end_us = to_us(start), to_us(end)
        width = bucket_width(start_us, end_us, 1 if max_points is None else max_points)
        with self._lock:
            self._ensure_open()
            unit = unit or self._unit_of(sensor_id)
            if unit is None:
                return Series.from_raw(sensor_id, "", start_us, end_us, [])
            if max_points is not None and self._count(
                    sensor_id, unit, start_us, end_us, limit=max_points + 1) > max_points:
                buckets = self._bucket_rows(sensor_id, unit, start_us, end_us, width)
                return Series.from_buckets(sensor_id, unit, start_us, end_us, width, buckets)
            raw = self._raw_rows(sensor_id, unit, start_us, end_us)
        return Series.from_raw(sensor_id, unit, start_us, end_us, raw)

    def sensors(self) -> list[SensorInfo]:
        """Return every sensor with readings, by id."""
        with self._lock:
            self._ensure_open()
            rows = self._sensor_rows()
        return [SensorInfo(s, u, from_us(a), from_us(b)) for s, u, a, b in sorted(rows)]

    def count(self, sensor_id: str | None = None, start: datetime | None = None,
              end: datetime | None = None) -> int:
        """Return how many readings are stored (of one sensor, in a range).

        Parameters
        ----------
        sensor_id : str, optional
            Only this sensor's readings.
        start, end : datetime, optional
            Only readings in ``[start, end]``.

        Returns
        -------
        int
            The number of readings.
        """
        low = None if start is None else to_us(start)
        high = None if end is None else to_us(end)
        with self._lock:
            self._ensure_open()
            return self._count(sensor_id, None, low, high)

    def quarantine_counts(self, since: datetime | None = None) -> dict[QuarantineReason, int]:
        """Return how many items were quarantined per reason (since a time).

        Parameters
        ----------
        since : datetime, optional
            Count only items quarantined at or after this time.

        Returns
        -------
        dict of QuarantineReason to int
            Reasons with no items are absent.
        """
        with self._lock:
            self._ensure_open()
            rows = self._quarantine_counts(None if since is None else to_us(since))
        return {QuarantineReason(reason): int(n) for reason, n in rows}

    def quarantined(self, *, reason: QuarantineReason | None = None, sensor_id: str | None = None,
                    limit: int = 100) -> list[QuarantineRecord]:
        """Return quarantined items, newest first.

        Parameters
        ----------
        reason : QuarantineReason, optional
            Only items that failed for this reason.
        sensor_id : str, optional
            Only this sensor's items.
        limit : int
            At most this many.

        Returns
        -------
        list of QuarantineRecord
            Newest first.
        """
        with self._lock:
            self._ensure_open()
            rows = self._quarantine_rows(None if reason is None else str(reason), sensor_id, limit)
        return [QuarantineRecord(int(rid), from_us(received), QuarantineReason(why), detail, sid,
                                 None if t is None else from_us(t), source, payload, fmt)
                for rid, received, why, detail, sid, t, source, payload, fmt in rows]

    # -- life cycle ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Close the store; every acknowledged batch is already durable."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<{type(self).__name__} {self.url} ({state})>"

    def _ensure_open(self) -> None:
        if self._closed:
            raise StoreClosedError(f"the store {self.url} is closed",
                                   hint="open it again with open_store(url)")

    def _unit_of(self, sensor_id: str) -> str | None:
        catalog = self.catalog
        if catalog is not None and sensor_id in catalog:
            return catalog[sensor_id].unit
        for sid, unit, _first, _last in self._sensor_rows([sensor_id]):
            if sid == sensor_id:
                return unit
        return None

    # -- what a backend implements ----------------------------------------------------------

    @property
    @abstractmethod
    def url(self) -> str:
        """The store's URL, without any password."""

    @abstractmethod
    def _write(self, rows: list[Row], rejections: list[Rejection]) -> int:
        """Write rows and rejections in one durable transaction; return the rows inserted."""

    @abstractmethod
    def _latest_rows(self, sensor_ids: list[str] | None, at_us: int | None) -> list[Row]:
        """Return the newest row of each sensor."""

    @abstractmethod
    def _count(self, sensor_id: str | None, unit: str | None, start_us: int | None,
               end_us: int | None, limit: int | None = None) -> int:
        """Count readings (up to ``limit``, if given), each filter optional."""

    @abstractmethod
    def _raw_rows(self, sensor_id: str, unit: str, start_us: int, end_us: int
                  ) -> list[tuple[int, float, int]]:
        """Return ``(time_us, value, quality)`` in time order."""

    @abstractmethod
    def _bucket_rows(self, sensor_id: str, unit: str, start_us: int, end_us: int, width: int
                     ) -> list[tuple[int, float, float, float, int, int]]:
        """Return ``(bucket, min, max, mean, count, worst quality)`` of non-empty buckets."""

    @abstractmethod
    def _sensor_rows(self, sensor_ids: Sequence[str] | None = None
                     ) -> list[tuple[str, str, int, int]]:
        """Return ``(sensor_id, unit, first_us, last_us)`` per sensor with readings."""

    @abstractmethod
    def _quarantine_counts(self, since_us: int | None) -> list[tuple[str, int]]:
        """Return ``(reason, count)`` pairs."""

    @abstractmethod
    def _quarantine_rows(self, reason: str | None, sensor_id: str | None, limit: int
                         ) -> list[tuple]:
        """Return quarantine rows in :class:`QuarantineRecord` field order, newest first."""

    @abstractmethod
    def _close(self) -> None:
        """Release the connection."""

    @abstractmethod
    def run_write(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """Execute ``sql`` once per row in one durable transaction (for :class:`AlarmLog`)."""

    @abstractmethod
    def run_query(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
        """Run a query and return its rows (for :class:`AlarmLog`)."""

    @abstractmethod
    def time_param(self, micros: int) -> object:
        """Return epoch microseconds as this backend's time parameter."""

    @abstractmethod
    def time_value(self, value: object) -> int:
        """Return a time column's value as epoch microseconds."""


def _reading(row: Row) -> Reading:
    sensor_id, time_us, value, unit, quality, source = row
    return Reading(sensor_id, from_us(time_us), float(value), unit, Quality(quality), source)


def _log_rejections(received: int, rejections: list[Rejection],
                    reasons: Counter[QuarantineReason]) -> None:
    summary = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
    first = rejections[0]
    log.warning("quarantined %d of %d readings (%s); first: %s from %r: %s", len(rejections),
                received, summary, first.sensor_id, first.source, first.detail)
    if log.isEnabledFor(logging.DEBUG):
        for rejection in rejections:
            log.debug("quarantined %s: %s (%s)", rejection.sensor_id, rejection.detail,
                      rejection.reason)

