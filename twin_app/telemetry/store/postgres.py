"""The PostgreSQL backend (psycopg 3): one store shared by the clients of a command centre.

A batch is copied (binary ``COPY``) into a per-session staging table, then moved into
``readings`` with ``INSERT ... ON CONFLICT DO NOTHING``, all in one transaction with
``synchronous_commit = on``: when :meth:`append` returns, the server has flushed the batch to its
WAL.  Times are ``timestamptz`` (microsecond resolution, UTC), so other tools (psql, Grafana) read
the tables directly.  When the TimescaleDB extension is available, a new store makes ``readings``
a hypertable partitioned by time (7-day chunks); without it, the table is an ordinary one with the
same primary key ``(sensor_id, time)``.  A second client sees a batch once it is committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from twin_app.telemetry.store.alarms import POSTGRES_SCHEMA as ALARM_SCHEMA
from twin_app.telemetry.store.base import TelemetryStore
from twin_app.telemetry.store.catalog import SensorCatalog
from twin_app.telemetry.store.errors import (
    StoreBackendMissingError,
    StoreConfigError,
    StoreUnavailableError,
    StoreWriteError,
)
from twin_app.telemetry.store.schema import BASELINE_VERSION, Migration, pending
from twin_app.telemetry.store.times import from_us, now_us, to_us
from twin_app.telemetry.store.url import redact
from twin_app.telemetry.store.validation import DEFAULT_MAX_FUTURE, Rejection, Row

try:
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - depends on the installation
    psycopg = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE schema_version (
    version INTEGER NOT NULL,
    applied TIMESTAMPTZ NOT NULL DEFAULT now(),
    note    TEXT NOT NULL
);
CREATE TABLE readings (
    sensor_id TEXT NOT NULL,
    time      TIMESTAMPTZ NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    unit      TEXT NOT NULL,
    quality   SMALLINT NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (sensor_id, time)
);
CREATE TABLE sensors (
    sensor_id  TEXT PRIMARY KEY,
    unit       TEXT NOT NULL,
    first_time TIMESTAMPTZ NOT NULL,
    last_time  TIMESTAMPTZ NOT NULL
);
CREATE TABLE quarantine (
    record_id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received       TIMESTAMPTZ NOT NULL,
    reason         TEXT NOT NULL,
    detail         TEXT NOT NULL,
    sensor_id      TEXT,
    time           TIMESTAMPTZ,
    source         TEXT NOT NULL,
    payload        TEXT NOT NULL,
    payload_format TEXT NOT NULL
);
CREATE INDEX quarantine_by_reason ON quarantine (reason, received);
CREATE INDEX quarantine_by_sensor ON quarantine (sensor_id, received);
""" + ALARM_SCHEMA
"""The baseline schema (version 1)."""

MIGRATIONS: list[Migration] = []
"""Schema steps after the baseline: append ``Migration(2, note, apply)`` to change the schema."""

_SCHEMA_LOCK = 0x7477696E  # advisory lock id: one client at a time creates or migrates
_US = "timestamptz 'epoch' + {} * interval '1 microsecond'"
_AS_US = "(extract(epoch FROM {}) * 1000000)::bigint"
_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS staging (
    sensor_id TEXT, time_us BIGINT, value DOUBLE PRECISION, unit TEXT, quality SMALLINT,
    source TEXT
) ON COMMIT DELETE ROWS
"""
_MOVE = f"""
INSERT INTO readings SELECT sensor_id, {_US.format("time_us")}, value, unit, quality, source
FROM staging ORDER BY sensor_id, time_us ON CONFLICT DO NOTHING
"""
_UPSERT_SENSORS = f"""
INSERT INTO sensors
SELECT sensor_id, (array_agg(unit ORDER BY time_us DESC))[1], {_US.format("min(time_us)")},
       {_US.format("max(time_us)")}
FROM staging GROUP BY sensor_id ORDER BY sensor_id
ON CONFLICT (sensor_id) DO UPDATE SET
    unit = CASE WHEN excluded.last_time >= sensors.last_time THEN excluded.unit
                ELSE sensors.unit END,
    first_time = LEAST(sensors.first_time, excluded.first_time),
    last_time = GREATEST(sensors.last_time, excluded.last_time)
"""
_INSERT_QUARANTINE = """
INSERT INTO quarantine (received, reason, detail, sensor_id, time, source, payload, payload_format)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
"""
_RETRIES = 3
MIN_SERVER_VERSION = 140000


class PostgresStore(TelemetryStore):
    """A telemetry store in a PostgreSQL database.

    Parameters
    ----------
    url : str
        A libpq URI, ``postgresql://user:password@host:port/dbname``.
    catalog : SensorCatalog, optional
        The sensors readings are checked against.
    max_future : timedelta
        How far ahead of the clock a reading may be.
    clock : callable
        Returns the current time in epoch microseconds.
    timescale : bool or None
        ``None``: make ``readings`` a hypertable if TimescaleDB is available; ``True``: require
        it; ``False``: never.  Only applies when the store is created.
    connect_timeout : int
        Seconds to wait for the server.

    Raises
    ------
    StoreBackendMissingError
        If psycopg is not installed.
    StoreUnavailableError
        If the server cannot be reached or refuses the login.
    StoreSchemaError
        If the database was written by a newer version of the app.
    """

    dialect = "postgresql"

    def __init__(self, url: str, *, catalog: SensorCatalog | None = None,
                 max_future: timedelta = DEFAULT_MAX_FUTURE, clock: Callable[[], int] = now_us,
                 timescale: bool | None = None, connect_timeout: int = 10) -> None:
        if psycopg is None:
            raise StoreBackendMissingError(
                "the PostgreSQL store needs the psycopg package, which is not installed",
                hint="pip install 'psycopg[binary]'")
        super().__init__(catalog, max_future=max_future, clock=clock)
        self._target = url
        self._url = redact(url)
        self._connect_timeout = connect_timeout
        self._conn: Any = None
        self._connect()
        try:
            self.hypertable = self._migrate(timescale)
        except psycopg.Error as error:
            self._conn.close()
            raise StoreUnavailableError(
                f"cannot create or migrate the store's tables in {self._url}: "
                f"{str(error).strip()}", hint="the URL's user needs the right to create tables "
                "in the database; or let its owner open the store once") from error
        except BaseException:
            self._conn.close()
            raise

    @property
    def url(self) -> str:
        """The store's URL, without its password."""
        return self._url

    def _connect(self) -> None:
        try:
            conn = psycopg.connect(self._target, autocommit=True,
                                   connect_timeout=self._connect_timeout,
                                   application_name="twin_app telemetry store")
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error)
            raise StoreUnavailableError(
                f"cannot connect to the PostgreSQL store {self._url}: {reason}",
                hint="check that the server runs and accepts this machine, and that the URL's "
                "user, password and database exist (createdb NAME)") from error
        if conn.info.server_version < MIN_SERVER_VERSION:
            version = conn.info.server_version
            conn.close()
            raise StoreUnavailableError(
                f"the server of {self._url} runs PostgreSQL {version // 10000}; the store needs "
                "14 or newer (date_bin)", hint="upgrade the server, or use a SQLite store")
        conn.execute("SET synchronous_commit = on")  # a commit returns once it is on disk
        conn.execute("SET TIME ZONE 'UTC'")
        conn.execute(_STAGING)
        self._conn = conn

    def _connection(self) -> Any:
        """Return the connection, reconnecting if the server dropped it."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            log.warning("reconnecting to %s", self._url)
            self._connect()
        return self._conn

    def _migrate(self, timescale: bool | None) -> bool:
        conn = self._conn
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
            if not exists:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                if timescale is not False:
                    self._make_hypertable(conn, required=bool(timescale))
                conn.execute("INSERT INTO schema_version (version, note) VALUES (%s, %s)",
                             (BASELINE_VERSION, "baseline"))
                log.info("created telemetry store %s", self._url)
            current = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            for migration in pending(int(current), MIGRATIONS, self._url):
                log.info("migrating %s to schema %d: %s", self._url, migration.version,
                         migration.note)
                migration.apply(conn)
                conn.execute("INSERT INTO schema_version (version, note) VALUES (%s, %s)",
                             (migration.version, migration.note))
            return self._is_hypertable(conn)

    @staticmethod
    def _is_hypertable(conn: Any) -> bool:
        extension = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_extension "
                                 "WHERE extname = 'timescaledb')").fetchone()[0]
        if not extension:
            return False
        return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables "
                                 "WHERE hypertable_name = 'readings')").fetchone()[0])

    def _make_hypertable(self, conn: Any, *, required: bool) -> None:
        available = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions "
                                 "WHERE name = 'timescaledb')").fetchone()[0]
        if not available:
            if required:
                raise StoreConfigError(
                    f"TimescaleDB is not installed on the server of {self._url}",
                    hint="install the timescaledb extension, or open with timescale=None")
            log.info("TimescaleDB is not available on %s; readings is a plain table", self._url)
            return
        try:
            with conn.transaction():  # a savepoint: a failure leaves the plain table
                conn.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
                conn.execute("SELECT create_hypertable('readings', 'time', "
                             "chunk_time_interval => INTERVAL '7 days')")
            log.info("readings on %s is a TimescaleDB hypertable", self._url)
        except psycopg.Error as error:
            if required:
                raise StoreConfigError(f"cannot make a TimescaleDB hypertable on {self._url}: "
                                       f"{error}", hint="add timescaledb to the server's "
                                       "shared_preload_libraries, or open with timescale=None"
                                       ) from error
            log.warning("TimescaleDB is available on %s but unusable (%s); readings is a plain "
                        "table", self._url, str(error).strip())

    # -- writing -------------------------------------------------------------------------------

    def _write(self, rows: list[Row], rejections: list[Rejection]) -> int:
        received = from_us(self._clock())
        quarantine = [(received, str(r.reason), r.detail, r.sensor_id,
                       None if r.time_us is None else from_us(r.time_us), r.source, r.payload,
                       r.payload_format) for r in rejections]

        def transaction(conn: Any) -> int:
            inserted = 0
            with conn.transaction(), conn.cursor() as cursor:
                if rows:
                    with cursor.copy("COPY staging FROM STDIN (FORMAT BINARY)") as copy:
                        copy.set_types(["text", "int8", "float8", "text", "int2", "text"])
                        for row in rows:
                            copy.write_row(row)
                    cursor.execute(_MOVE)
                    inserted = cursor.rowcount
                    cursor.execute(_UPSERT_SENSORS)
                if quarantine:
                    cursor.executemany(_INSERT_QUARANTINE, quarantine)
            return inserted

        return self._with_retries(transaction, f"a batch of {len(rows) + len(rejections)} "
                                  "readings")

    def _lost_connection(self) -> bool:
        return self._conn is None or self._conn.closed or self._conn.broken

    def _with_retries(self, transaction: Callable[[Any], int], what: str) -> int:
        """Run a write transaction; retry it after a deadlock or a dropped connection.

        A retried batch cannot be stored twice: its readings' keys are already there, and
        ``ON CONFLICT DO NOTHING`` counts them as duplicates.
        """
        hint = ("nothing of it was stored; keep it and retry when the server is back (readings "
                "already stored are recognised as duplicates)")
        for attempt in range(1, _RETRIES + 1):
            try:
                return transaction(self._connection())
            except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure) as error:
                if attempt == _RETRIES:
                    raise StoreWriteError(f"could not store {what} in {self._url}: {error}",
                                          hint=hint) from error
                log.info("retrying %s after %s", what, type(error).__name__)
                time.sleep(0.05 * attempt)
            except psycopg.OperationalError as error:
                if not self._lost_connection() or attempt == _RETRIES:
                    raise StoreWriteError(f"could not store {what} in {self._url}: "
                                          f"{str(error).strip()}", hint=hint) from error
                log.warning("lost the connection to %s while writing (%s); reconnecting",
                            self._url, str(error).strip())
            except psycopg.Error as error:
                raise StoreWriteError(f"could not store {what} in {self._url}: "
                                      f"{str(error).strip()}", hint=hint) from error
            except StoreUnavailableError as error:
                raise StoreWriteError(f"could not store {what}: {error.message}",
                                      hint=hint) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def run_write(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """Execute ``sql`` once per row in one durable transaction.

        Parameters
        ----------
        sql : str
            An ``INSERT`` or ``UPDATE`` with ``%s`` placeholders.
        rows : sequence of tuple
            The parameters of each execution.

        Raises
        ------
        StoreWriteError
            If the transaction could not be committed.
        """
        def transaction(conn: Any) -> int:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(sql, rows)
            return len(rows)

        with self._lock:
            self._ensure_open()
            self._with_retries(transaction, f"{len(rows)} rows")

    # -- reading -------------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[object] | dict[str, object] = ()) -> list[tuple]:
        for attempt in (1, 2):
            try:
                return self._connection().execute(sql, params).fetchall()
            except psycopg.OperationalError as error:
                if attempt == 2 or not self._lost_connection():
                    raise StoreUnavailableError(
                        f"lost the PostgreSQL store {self._url}: {str(error).strip()}",
                        hint="check the server; the next call reconnects") from error
                log.warning("lost the connection to %s (%s); reconnecting", self._url,
                            str(error).strip())
        raise AssertionError("unreachable")  # pragma: no cover

    def run_query(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
        """Run a query and return its rows.

        Parameters
        ----------
        sql : str
            A ``SELECT`` with ``%s`` placeholders.
        params : sequence
            Its parameters.

        Returns
        -------
        list of tuple
            The rows.
        """
        with self._lock:
            self._ensure_open()
            return self._query(sql, tuple(params))

    def time_param(self, micros: int) -> object:
        """Return epoch microseconds as a ``timestamptz`` parameter."""
        return from_us(micros)

    def time_value(self, value: object) -> int:
        """Return a ``timestamptz`` value as epoch microseconds."""
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from PostgreSQL, got {type(value).__name__}")
        return to_us(value)

    def _latest_rows(self, sensor_ids: list[str] | None, at_us: int | None) -> list[Row]:
        ids = "(SELECT sensor_id FROM sensors)" if sensor_ids is None else "unnest(%(ids)s::text[])"
        before = "AND r.time <= %(at)s" if at_us is not None else ""
        sql = (f"SELECT r.sensor_id, {_AS_US.format('r.time')}, r.value, r.unit, r.quality, "
               f"r.source FROM {ids} AS s(id) CROSS JOIN LATERAL (SELECT * FROM readings r "
               f"WHERE r.sensor_id = s.id {before} ORDER BY r.time DESC LIMIT 1) AS r")
        params = {"ids": sensor_ids, "at": None if at_us is None else from_us(at_us)}
        return self._query(sql, params)

    def _count(self, sensor_id: str | None, unit: str | None, start_us: int | None,
               end_us: int | None, limit: int | None = None) -> int:
        where, params = _where(sensor_id, unit, start_us, end_us)
        if limit is None:
            return int(self._query(f"SELECT count(*) FROM readings{where}", params)[0][0])
        return int(self._query(f"SELECT count(*) FROM (SELECT 1 FROM readings{where} "
                               "LIMIT %(limit)s) AS capped", {**params, "limit": limit})[0][0])

    def _raw_rows(self, sensor_id: str, unit: str, start_us: int, end_us: int
                  ) -> list[tuple[int, float, int]]:
        where, params = _where(sensor_id, unit, start_us, end_us)
        return self._query(f"SELECT {_AS_US.format('time')}, value, quality FROM readings"
                           f"{where} ORDER BY time", params)

    def _bucket_rows(self, sensor_id: str, unit: str, start_us: int, end_us: int, width: int
                     ) -> list[tuple[int, float, float, float, int, int]]:
        where, params = _where(sensor_id, unit, start_us, end_us)
        # date_bin works on the timestamps natively (twice as fast as bucketing extracted
        # microseconds); its bins start at start + k * width, as the caller's do.
        rows = self._query(
            "SELECT date_bin(%(width)s, time, %(start)s) AS bucket, min(value), max(value), "
            f"avg(value), count(*), max(quality) FROM readings{where} GROUP BY bucket "
            "ORDER BY bucket", {**params, "width": timedelta(microseconds=width)})
        return [((to_us(bucket) - start_us) // width, *rest) for bucket, *rest in rows]

    def _sensor_rows(self, sensor_ids: Sequence[str] | None = None
                     ) -> list[tuple[str, str, int, int]]:
        sql = (f"SELECT sensor_id, unit, {_AS_US.format('first_time')}, "
               f"{_AS_US.format('last_time')} FROM sensors")
        if sensor_ids is None:
            return self._query(sql)
        return self._query(sql + " WHERE sensor_id = ANY(%s)", (list(sensor_ids),))

    def _quarantine_counts(self, since_us: int | None) -> list[tuple[str, int]]:
        if since_us is None:
            return self._query("SELECT reason, count(*) FROM quarantine GROUP BY reason")
        return self._query("SELECT reason, count(*) FROM quarantine WHERE received >= %s "
                           "GROUP BY reason", (from_us(since_us),))

    def _quarantine_rows(self, reason: str | None, sensor_id: str | None, limit: int
                         ) -> list[tuple]:
        return self._query(
            f"SELECT record_id, {_AS_US.format('received')}, reason, detail, sensor_id, "
            f"{_AS_US.format('time')}, source, payload, payload_format FROM quarantine "
            "WHERE (%(reason)s::text IS NULL OR reason = %(reason)s) AND "
            "(%(sensor)s::text IS NULL OR sensor_id = %(sensor)s) "
            "ORDER BY record_id DESC LIMIT %(limit)s",
            {"reason": reason, "sensor": sensor_id, "limit": int(limit)})

    def _close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()


def _where(sensor_id: str | None, unit: str | None, start_us: int | None, end_us: int | None
           ) -> tuple[str, dict[str, object]]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    for name, clause, value in (("sensor", "sensor_id = %(sensor)s", sensor_id),
                                ("unit", "unit = %(unit)s", unit),
                                ("start", "time >= %(start)s", start_us),
                                ("end", "time <= %(end)s", end_us)):
        if value is not None:
            clauses.append(clause)
            params[name] = from_us(value) if name in ("start", "end") else value
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
