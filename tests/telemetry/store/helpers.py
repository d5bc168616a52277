"""Values and builders shared by the store tests."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from twin_app.core.scene import SensorKind
from twin_app.telemetry.store import SensorCatalog, SensorLimits
from twin_app.telemetry.store.times import to_us

T0 = datetime(2024, 9, 16, tzinfo=UTC)
"""The start of the test readings (Typhoon Bebinca's day in Shanghai)."""

NOW = datetime(2025, 1, 1, tzinfo=UTC)
"""The stores' clock in the tests."""

BACKENDS = ["sqlite", "postgresql"]


def fixed_clock() -> int:
    """Return :data:`NOW` in epoch microseconds."""
    return to_us(NOW)


def make_catalog() -> SensorCatalog:
    """Return a catalog of four sensors of different kinds."""
    return SensorCatalog([
        SensorLimits("WL-1", SensorKind.WATER_LEVEL, "m", -20.0, 15.0),
        SensorLimits("WL-2", SensorKind.WATER_LEVEL, "m", -20.0, 15.0),
        SensorLimits("RG-1", SensorKind.RAINFALL, "mm", 0.0, 500.0),
        SensorLimits("PZ-1", SensorKind.PIEZOMETER, "kPa", -100.0, 1000.0),
    ])


def with_database(url: str, database: str) -> str:
    """Return a PostgreSQL URL naming another database on the same server."""
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def with_user(url: str, user: str) -> str:
    """Return a PostgreSQL URL logging in as another user (without a password)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))
