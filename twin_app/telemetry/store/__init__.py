"""The durable telemetry store: readings, quarantined items and alarm history.

Open one with :func:`open_store` (SQLite by default, PostgreSQL by URL), give it the sensor
catalog of the scene(s) it serves, and :meth:`~TelemetryStore.append` batches of readings::

    catalog = SensorCatalog.from_scene(load_scene("xinchuansha").spec)
    with open_store("sqlite:///data/telemetry.db", catalog=catalog) as store:
        result = store.append(readings)      # durable when it returns
        chart = store.series("XCS-WL-01", start, end, max_points=2000)

Only Python's standard library, numpy and (for PostgreSQL) psycopg are used here: no Qt, no VTK.
"""

from twin_app.telemetry.store.alarms import AlarmEvent, AlarmLog
from twin_app.telemetry.store.base import (
    AppendResult,
    QuarantineRecord,
    SensorInfo,
    TelemetryStore,
)
from twin_app.telemetry.store.catalog import DEFAULT_PHYSICAL_RANGES, SensorCatalog, SensorLimits
from twin_app.telemetry.store.errors import (
    StoreBackendMissingError,
    StoreClosedError,
    StoreConfigError,
    StoreError,
    StoreSchemaError,
    StoreUnavailableError,
    StoreUrlError,
    StoreWriteError,
)
from twin_app.telemetry.store.series import Series
from twin_app.telemetry.store.url import default_store_url, open_store, parse_store_url
from twin_app.telemetry.store.validation import QuarantineReason, RawReading

__all__ = [
    "DEFAULT_PHYSICAL_RANGES",
    "AlarmEvent",
    "AlarmLog",
    "AppendResult",
    "QuarantineReason",
    "QuarantineRecord",
    "RawReading",
    "SensorCatalog",
    "SensorInfo",
    "SensorLimits",
    "Series",
    "StoreBackendMissingError",
    "StoreClosedError",
    "StoreConfigError",
    "StoreError",
    "StoreSchemaError",
    "StoreUnavailableError",
    "StoreUrlError",
    "StoreWriteError",
    "TelemetryStore",
    "default_store_url",
    "open_store",
    "parse_store_url",
]
