"""What is particular to the PostgreSQL backend: column types, TimescaleDB detection, errors."""

from __future__ import annotations

import logging
from datetime import timedelta

import psycopg
import pytest

from tests.telemetry.store.helpers import T0, fixed_clock, make_catalog, with_database, with_user
from twin_app.core.readings import Reading
from twin_app.telemetry.store import (
    StoreConfigError,
    StoreUnavailableError,
    StoreWriteError,
    open_store,
)
from twin_app.telemetry.store.pg_local import LocalPostgres, free_port
from twin_app.telemetry.store.postgres import PostgresStore


def test_tables_use_timestamptz_and_a_sensor_time_key(new_postgres_url: str):
    with open_store(new_postgres_url, catalog=make_catalog(), clock=fixed_clock) as store:
        assert isinstance(store, PostgresStore)
        store.append([Reading("WL-1", T0 + timedelta(microseconds=7), 3.0, "m")])
    with psycopg.connect(new_postgres_url) as conn:
        types = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'readings'").fetchall())
        assert types["time"] == "timestamp with time zone"
        assert types["value"] == "double precision"
        key = conn.execute(
            "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = 'readings'::regclass AND i.indisprimary").fetchone()[0]
        assert key == ["sensor_id", "time"]
        assert conn.execute("SELECT time FROM readings").fetchone()[0] == \
            T0 + timedelta(microseconds=7)
        assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"


def test_timescaledb_is_used_only_when_available(new_postgres_url: str,
                                                 caplog: pytest.LogCaptureFixture):
    # Debian's PostgreSQL has no TimescaleDB: the store says so and uses a plain table.
    with caplog.at_level(logging.INFO, logger="twin_app.telemetry.store"), \
            open_store(new_postgres_url) as store:
        assert store.hypertable is False
    assert "TimescaleDB is not available" in caplog.text


def test_requiring_timescaledb_without_it_says_what_to_do(new_postgres_url: str):
    with pytest.raises(StoreConfigError, match="TimescaleDB is not installed") as raised:
        open_store(new_postgres_url, timescale=True)
    assert "timescale=None" in str(raised.value)
    with open_store(new_postgres_url, timescale=False) as store:  # nothing half-created
        assert store.count() == 0


def test_an_unreachable_server_is_reported_without_the_password():
    url = f"postgresql://twin:s3cret@127.0.0.1:{free_port()}/telemetry"
    with pytest.raises(StoreUnavailableError, match="cannot connect to the PostgreSQL store"
                       ) as raised:
        open_store(url, connect_timeout=2)
    message = str(raised.value)
    assert "s3cret" not in message and "twin:***@" in message
    assert "check that the server runs" in message


def test_a_missing_database_is_reported(postgres_server):
    url = with_database(postgres_server.create_database("twin_exists"), "twin_missing")
    with pytest.raises(StoreUnavailableError, match="twin_missing") as raised:
        open_store(url)
    assert "createdb" in str(raised.value)


def test_a_dropped_connection_is_reopened_and_the_batch_stored(new_postgres_url: str):
    with open_store(new_postgres_url, catalog=make_catalog(), clock=fixed_clock) as store:
        store.append([Reading("WL-1", T0, 1.0, "m")])
        with psycopg.connect(new_postgres_url, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'twin_app telemetry store'").fetchall()
        assert killed == [(True,)]
        result = store.append([Reading("WL-1", T0 + timedelta(minutes=i), 2.0, "m")
                               for i in range(5)])
        assert (result.stored, result.duplicates) == (4, 1)
        assert store.count() == 5


def test_a_server_that_goes_away_fails_the_batch_so_the_feed_can_retry_it():
    with LocalPostgres() as server, open_store(server.create_database("gone"),
                                               catalog=make_catalog(), clock=fixed_clock) as store:
        store.append([Reading("WL-1", T0, 1.0, "m")])
        server.stop()
        with pytest.raises(StoreWriteError, match="could not store a batch of 1 readings"
                           ) as raised:
            store.append([Reading("WL-1", T0 + timedelta(minutes=1), 1.0, "m")])
        assert "keep it and retry" in str(raised.value)
        with pytest.raises(StoreUnavailableError, match="PostgreSQL store"):
            store.count()


def test_a_user_without_create_rights_is_told_what_is_missing(new_postgres_url: str):
    reader = "reader_" + new_postgres_url.rsplit("/", 1)[1]  # roles are per server
    with psycopg.connect(new_postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {reader} LOGIN")
        admin.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    reader_url = with_user(new_postgres_url, reader)
    with pytest.raises(StoreUnavailableError, match="cannot create or migrate") as raised:
        open_store(reader_url)
    assert "right to create tables" in str(raised.value)
    with open_store(new_postgres_url):  # the owner creates the store once ...
        pass
    with psycopg.connect(new_postgres_url, autocommit=True) as admin:
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}")
    with open_store(reader_url) as store:  # ... then a reading client can open it
        assert store.count() == 0
