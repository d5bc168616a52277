"""Times as the store keeps them: integer microseconds since 1970-01-01T00:00:00Z.

Integer arithmetic keeps every microsecond exact (a float of seconds would not).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    """Return a timezone-aware ``moment`` as integer epoch microseconds (UTC).

    Parameters
    ----------
    moment : datetime
        A timezone-aware time.

    Returns
    -------
    int
        Microseconds since the Unix epoch.

    Raises
    ------
    ValueError
        If ``moment`` has no time zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"time {moment.isoformat()} has no time zone; give a timezone-aware time (UTC)"
        raise ValueError(msg)
    return (moment - EPOCH) // ONE_MICROSECOND


def from_us(micros: int) -> datetime:
    """Return epoch microseconds as a timezone-aware UTC datetime.

    Parameters
    ----------
    micros : int
        Microseconds since the Unix epoch.

    Returns
    -------
    datetime
        The same instant, in UTC.
    """
    return EPOCH + timedelta(microseconds=int(micros))


def now_us() -> int:
    """Return the current time as epoch microseconds (the system clock)."""
    return time.time_ns() // 1000
