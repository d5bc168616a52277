"""A sensor's values over a time range, as a chart draws them: raw, or min/max/mean per bucket.

When a range holds more readings than a chart has pixels, the store returns one bucket per slot
with the bucket's minimum, maximum and mean, so the envelope a chart draws keeps every peak and
trough a plot of the raw values would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from twin_app.core.readings import Quality, Reading
from twin_app.telemetry.store.errors import StoreConfigError


@dataclass(frozen=True, eq=False)
class Series:
    """Values of one sensor between two times.

    Attributes
    ----------
    sensor_id : str
        The sensor.
    unit : str
        The unit of every value (readings in another unit are not mixed in).
    start_us, end_us : int
        The range asked for, inclusive, in epoch microseconds (UTC).
    bucket_us : int
        The bucket width in microseconds, or 0 when the values are the raw readings.
    time_us : numpy.ndarray
        ``int64``: each reading's time, or each bucket's start.
    mean, minimum, maximum : numpy.ndarray
        ``float64``: the value (all three equal for raw readings), or the bucket's statistics.
    count : numpy.ndarray
        ``int64``: readings in each bucket (1 for raw readings).
    quality : numpy.ndarray
        ``int8``: the worst :class:`~twin_app.core.readings.Quality` in each bucket.
    """

    sensor_id: str
    unit: str
    start_us: int
    end_us: int
    bucket_us: int
    time_us: np.ndarray
    mean: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    count: np.ndarray
    quality: np.ndarray

    @property
    def downsampled(self) -> bool:
        """Whether the values are bucket statistics rather than raw readings."""
        return self.bucket_us > 0

    def __len__(self) -> int:
        return len(self.time_us)

    def readings(self) -> list[Reading]:
        """Return the raw readings (timezone-aware UTC).

        Raises
        ------
        ValueError
            If the series is downsampled: ask for it without ``max_points``.
        """
        if self.downsampled:
            raise ValueError("a downsampled series has no single readings; query without "
                             "max_points to get them")
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        return [Reading(self.sensor_id, epoch + timedelta(microseconds=int(t)), float(v),
                        self.unit, Quality(int(q)))
                for t, v, q in zip(self.time_us, self.mean, self.quality, strict=True)]

    def times(self) -> np.ndarray:
        """Return the times as ``datetime64[us]`` (UTC, no zone attached)."""
        return self.time_us.astype("datetime64[us]")

    @classmethod
    def from_raw(cls, sensor_id: str, unit: str, start_us: int, end_us: int,
                 rows: list[tuple[int, float, int]]) -> Series:
        """Build a raw series from ``(time_us, value, quality)`` rows in time order.

        Parameters
        ----------
        sensor_id, unit : str
            The sensor and the unit of the values.
        start_us, end_us : int
            The range asked for.
        rows : list of tuple
            ``(time_us, value, quality)``.

        Returns
        -------
        Series
            With ``bucket_us == 0``.
        """
        times = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        values = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
        quality = np.fromiter((row[2] for row in rows), dtype=np.int8, count=len(rows))
        return cls(sensor_id, unit, start_us, end_us, 0, times, values, values.copy(),
                   values.copy(), np.ones(len(rows), dtype=np.int64), quality)

    @classmethod
    def from_buckets(cls, sensor_id: str, unit: str, start_us: int, end_us: int, bucket_us: int,
                     rows: list[tuple[int, float, float, float, int, int]]) -> Series:
        """Build a downsampled series from per-bucket rows in bucket order.

        Parameters
        ----------
        sensor_id, unit : str
            The sensor and the unit of the values.
        start_us, end_us : int
            The range asked for.
        bucket_us : int
            The bucket width.
        rows : list of tuple
            ``(bucket_index, minimum, maximum, mean, count, worst_quality)`` for non-empty buckets.

        Returns
        -------
        Series
            One entry per non-empty bucket, timed at the bucket's start.
        """
        table = np.array(rows, dtype=np.float64).reshape(-1, 6)
        index = np.array([row[0] for row in rows], dtype=np.int64)
        return cls(sensor_id, unit, start_us, end_us, bucket_us, start_us + index * bucket_us,
                   table[:, 3].copy(), table[:, 1].copy(), table[:, 2].copy(),
                   table[:, 4].astype(np.int64), table[:, 5].astype(np.int8))


def bucket_width(start_us: int, end_us: int, max_points: int) -> int:
    """Return the bucket width that splits ``[start_us, end_us]`` into at most ``max_points``.

    Parameters
    ----------
    start_us, end_us : int
        The inclusive range in microseconds.
    max_points : int
        The most buckets wanted (at least 1).

    Returns
    -------
    int
        The width in microseconds (at least 1).

    Raises
    ------
    StoreConfigError
        If ``max_points`` is less than 1 or the range is empty.
    """
    if max_points < 1:
        raise StoreConfigError(f"max_points={max_points} asks for no points",
                               hint="give max_points >= 1, or None for every reading")
    if end_us < start_us:
        raise StoreConfigError("the series range ends before it starts",
                               hint="give start <= end")
    span = end_us - start_us + 1
    return max(1, -(-span // max_points))
