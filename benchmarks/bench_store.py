"""Telemetry store: durable ingest rate and the cost of a year's chart query.

1. Readings per second into the SQLite store (WAL, synchronous=FULL: every batch durable), in
   10,000-reading batches, 1,000,000 readings of 1,000 sensors (target: >= 100,000/s).  Baselines,
   same rows and pragmas, same run: a bare ``sqlite3`` ``executemany`` into a plain table, and
   into a table with the store's key (so the ratio splits the checks' cost from the index's).
2. The same into PostgreSQL, against a bare binary ``COPY`` into a plain table and into one with
   the store's key, if a server is up: ``--postgres URL``, or a throwaway local server when the
   binaries are installed (``--no-postgres`` to leave it out).
3. ``series()`` over a year of one-minute data (525,600 readings) downsampled to 2,000 points,
   against fetching the raw year (what a chart would pay without downsampling).

Run: ``.venv/bin/python benchmarks/bench_store.py [--readings 1000000] [--postgres URL]``
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _common import report

from twin_app.core.readings import Reading
from twin_app.core.scene import SensorKind
from twin_app.telemetry.store import SensorCatalog, SensorLimits, TelemetryStore, open_store
from twin_app.telemetry.store.times import to_us

START = datetime(2023, 1, 1, tzinfo=UTC)
YEAR_SENSOR = "YEAR-WL"
TABLE = ("(sensor_id TEXT NOT NULL, time_us INTEGER NOT NULL, value REAL NOT NULL, "
         "unit TEXT NOT NULL, quality INTEGER NOT NULL, source TEXT NOT NULL")


def make_catalog(sensors: int) -> SensorCatalog:
    limits = [SensorLimits(f"WL-{i:04d}", SensorKind.WATER_LEVEL, "m", -20.0, 15.0)
              for i in range(sensors)]
    limits.append(SensorLimits(YEAR_SENSOR, SensorKind.WATER_LEVEL, "m", -20.0, 15.0))
    return SensorCatalog(limits)


def make_readings(total: int, sensors: int) -> list[Reading]:
    """Every sensor once a second, in arrival order (all sensors of one second together)."""
    names = [f"WL-{i:04d}" for i in range(sensors)]
    readings = []
    for second in range(math.ceil(total / sensors)):
        moment = START + timedelta(seconds=second)
        tide = 2.5 + 1.8 * math.sin(second / 22357.0 * 2 * math.pi)
        readings += [Reading(name, moment, tide + k * 1e-4, "m", source="bench")
                     for k, name in enumerate(names)]
    return readings[:total]


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rate(run: Callable[[], None], count: int, repeat: int) -> float:
    """Return the best rate (items per second) of ``repeat`` runs."""
    best = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = max(best, count / (time.perf_counter() - started))
    return best


def bare_sqlite(folder: Path, rows: list[tuple], batch: int, keyed: bool) -> Callable[[], None]:
    def run() -> None:
        path = folder / f"bare-{time.monotonic_ns()}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        key = ", PRIMARY KEY (sensor_id, time_us)) WITHOUT ROWID" if keyed else ")"
        conn.execute(f"CREATE TABLE plain {TABLE}{key}")
        for chunk in batches(rows, batch):
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?)", chunk)
            conn.execute("COMMIT")
        conn.close()
    return run


def store_ingest(open_new: Callable[[], TelemetryStore], readings: list[Reading], batch: int
                 ) -> Callable[[], None]:
    def run() -> None:
        with open_new() as store:
            for chunk in batches(readings, batch):
                result = store.append(chunk)
                if result.stored != len(chunk):
                    raise RuntimeError(f"benchmark rows were not all stored: {result}")
    return run


def bare_copy(url: str, rows: list[tuple], batch: int, keyed: bool) -> Callable[[], None]:
    import psycopg

    def run() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS plain")
            key = ", PRIMARY KEY (sensor_id, time_us)" if keyed else ""
            conn.execute("CREATE TABLE plain (sensor_id TEXT NOT NULL, time_us BIGINT NOT NULL, "
                         "value DOUBLE PRECISION NOT NULL, unit TEXT NOT NULL, "
                         f"quality SMALLINT NOT NULL, source TEXT NOT NULL{key})")
            for chunk in batches(rows, batch):
                with conn.transaction(), conn.cursor() as cursor, cursor.copy(
                        "COPY plain FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["text", "int8", "float8", "text", "int2", "text"])
                    for row in chunk:
                        copy.write_row(row)
    return run


def chart_query(store: TelemetryStore, repeat: int) -> None:
    year = [Reading(YEAR_SENSOR, START + timedelta(minutes=m),
                    2.5 + 1.8 * math.sin(m / 745.2 * 2 * math.pi), "m")
            for m in range(365 * 24 * 60)]
    for chunk in batches(year, 10_000):
        store.append(chunk)
    end = START + timedelta(days=365)

    def timed(max_points: int | None) -> tuple[float, int]:
        times, points = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            points = len(store.series(YEAR_SENSOR, START, end, max_points=max_points))
            times.append(time.perf_counter() - started)
        return statistics.median(times), points

    downsampled, points = timed(2000)
    raw, raw_points = timed(None)
    print(f"  series(): {points} buckets from {raw_points} readings", flush=True)
    report(f"{store.dialect} series() of a year of 1-minute data to 2,000 points", downsampled,
           "s", "fetching the raw year", raw)


@contextlib.contextmanager
def postgres_server(url: str | None, disabled: bool) -> Iterator[tuple[str | None, Callable]]:
    """Yield an admin URL and a function that makes a new database, or ``(None, ...)``."""
    if disabled:
        yield None, lambda name: None
        return
    if url:
        import psycopg

        def create(name: str) -> str:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            return urlunsplit(urlsplit(url)._replace(path="/" + name))
        yield url, create
        return
    from twin_app.telemetry.store.errors import StoreUnavailableError
    from twin_app.telemetry.store.pg_local import LocalPostgres

    try:
        server = LocalPostgres().start()
    except StoreUnavailableError as error:
        print(f"PostgreSQL: no server ({error}); skipped", flush=True)
        yield None, lambda name: None
        return
    try:
        yield server.url(), server.create_database
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--sensors", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--postgres", metavar="URL", help="a server to create databases on")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    catalog = make_catalog(args.sensors)
    started = time.perf_counter()
    readings = make_readings(args.readings, args.sensors)
    rows = [(r.sensor_id, to_us(r.time), r.value, r.unit, int(r.quality), r.source)
            for r in readings]
    print(f"{len(readings):,} readings of {args.sensors} sensors in {args.batch:,}-reading "
          f"batches (built in {time.perf_counter() - started:.1f} s); SQLite "
          f"{sqlite3.sqlite_version}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        folder = Path(tmp)
        count = len(readings)

        def new_sqlite() -> TelemetryStore:
            return open_store(folder / f"store-{time.monotonic_ns()}.db", catalog=catalog)

        ingest = rate(store_ingest(new_sqlite, readings, args.batch), count, args.repeat)
        plain = rate(bare_sqlite(folder, rows, args.batch, keyed=False), count, args.repeat)
        keyed = rate(bare_sqlite(folder, rows, args.batch, keyed=True), count, args.repeat)
        report("SQLite store, durable (WAL + FULL)", ingest, "readings/s",
               "bare executemany, plain table", plain)
        report("SQLite store, durable (WAL + FULL)", ingest, "readings/s",
               "bare executemany, same key", keyed)
        verdict = "met" if ingest >= 100_000 else "NOT met"
        print(f"  target >= 100,000 readings/s: {verdict} ({ingest:,.0f}/s)", flush=True)
        with new_sqlite() as store:
            chart_query(store, repeat=5)

    with postgres_server(args.postgres, args.no_postgres) as (admin, create_database):
        if admin is None:
            return
        numbers = iter(range(1_000_000))

        def new_postgres() -> TelemetryStore:
            return open_store(create_database(f"bench_store_{next(numbers)}"), catalog=catalog)

        ingest = rate(store_ingest(new_postgres, readings, args.batch), count, args.repeat)
        bare_url = create_database("bench_bare")
        plain = rate(bare_copy(bare_url, rows, args.batch, keyed=False), count, args.repeat)
        keyed = rate(bare_copy(bare_url, rows, args.batch, keyed=True), count, args.repeat)
        report("PostgreSQL store, durable (synchronous_commit=on)", ingest, "readings/s",
               "bare binary COPY, plain table", plain)
        report("PostgreSQL store, durable (synchronous_commit=on)", ingest, "readings/s",
               "bare binary COPY, same key", keyed)
        with new_postgres() as store:
            chart_query(store, repeat=5)


if __name__ == "__main__":
    main()
