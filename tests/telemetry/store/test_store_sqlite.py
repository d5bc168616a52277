"""What is particular to the SQLite backend: pragmas, schema, migrations, bad files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.telemetry.store.helpers import T0, fixed_clock, make_catalog
from twin_app.core.readings import Reading
from twin_app.telemetry.store import StoreSchemaError, StoreUnavailableError, open_store
from twin_app.telemetry.store import sqlite as sqlite_backend
from twin_app.telemetry.store.schema import Migration
from twin_app.telemetry.store.sqlite import SqliteStore


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "telemetry.db"


def test_wal_and_full_synchronous(db: Path):
    with open_store(db, catalog=make_catalog()) as store:
        assert isinstance(store, SqliteStore)
        assert store.pragma("journal_mode") == "wal"
        assert store.pragma("synchronous") == 2  # FULL: every commit fsyncs the WAL
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # kept in the file


def test_times_are_integer_microseconds_utc_under_a_sensor_time_index(db: Path):
    shanghai = timezone(timedelta(hours=8))
    moment = datetime(2024, 9, 16, 8, 0, 0, 1, tzinfo=shanghai)
    with open_store(db, catalog=make_catalog(), clock=fixed_clock) as store:
        store.append([Reading("WL-1", moment, 4.2, "m")])
    with sqlite3.connect(db) as raw:
        kind, value = raw.execute("SELECT typeof(time_us), time_us FROM readings").fetchone()
        assert kind == "integer"
        assert value == int(datetime(2024, 9, 16, 0, 0, 0, tzinfo=UTC).timestamp()) \
            * 1_000_000 + 1
        plan = " ".join(row[-1] for row in raw.execute(
            "EXPLAIN QUERY PLAN SELECT value FROM readings WHERE sensor_id = ? AND time_us "
            "BETWEEN ? AND ?", ("WL-1", 0, 1)))
        assert "PRIMARY KEY (sensor_id=? AND time_us>? AND time_us<?)" in plan
        assert raw.execute("SELECT version, note FROM schema_version").fetchall() == [
            (1, "baseline")]


def test_the_migration_hook_runs_each_step_once(db: Path, monkeypatch: pytest.MonkeyPatch):
    with open_store(db) as store:
        assert store.schema_version() == 1
    calls = []

    def add_station_column(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("ALTER TABLE sensors ADD COLUMN station TEXT")

    monkeypatch.setattr(sqlite_backend, "MIGRATIONS",
                        [Migration(2, "sensors.station", add_station_column)])
    with open_store(db) as store:
        assert store.schema_version() == 2
    with open_store(db) as store:
        assert store.schema_version() == 2
    assert calls == [1]
    with sqlite3.connect(db) as raw:
        assert "station" in [row[1] for row in raw.execute("PRAGMA table_info(sensors)")]
        assert raw.execute("SELECT note FROM schema_version WHERE version = 2").fetchone() == (
            "sensors.station",)


def test_a_failed_migration_leaves_the_store_as_it_was(db: Path, monkeypatch: pytest.MonkeyPatch):
    with open_store(db):
        pass

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE sensors ADD COLUMN half_done TEXT")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(sqlite_backend, "MIGRATIONS", [Migration(2, "broken", broken)])
    with pytest.raises(RuntimeError, match="migration bug"):
        open_store(db)
    monkeypatch.setattr(sqlite_backend, "MIGRATIONS", [])
    with open_store(db) as store:
        assert store.schema_version() == 1
    with sqlite3.connect(db) as raw:
        assert "half_done" not in [row[1] for row in raw.execute("PRAGMA table_info(sensors)")]


def test_a_store_from_a_newer_app_is_refused_with_advice(db: Path):
    with open_store(db):
        pass
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO schema_version VALUES (7, 0, 'from the future')")
    with pytest.raises(StoreSchemaError, match="schema version 7, newer than this app's 1"
                       ) as raised:
        open_store(db)
    assert "upgrade twin_app" in str(raised.value)


def test_a_file_that_is_not_a_database_is_refused_with_advice(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just some text " * 100)
    with pytest.raises(StoreUnavailableError, match=r"cannot use .* as a telemetry store"
                       ) as raised:
        open_store(path)
    assert "give another path" in str(raised.value)


def test_an_unwritable_folder_is_refused_with_advice(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreUnavailableError, match="cannot open the SQLite store") as raised:
        open_store(blocker / "sub" / "telemetry.db")
    assert "writable" in str(raised.value)


def test_the_folder_of_a_new_store_is_created(tmp_path: Path):
    path = tmp_path / "a" / "b" / "telemetry.db"
    with open_store(f"sqlite:///{path.as_posix().lstrip('/')}") as store:
        assert store.url == f"sqlite:///{path.as_posix().lstrip('/')}"
    assert path.exists()


def test_an_in_memory_store_works():
    with open_store("sqlite:///:memory:", catalog=make_catalog(), clock=fixed_clock) as store:
        assert store.append([Reading("WL-1", T0, 1.0, "m")]).stored == 1
        assert store.count() == 1
