"""Fixtures of the store tests: a sensor catalog, a fixed clock, and both backends.

The PostgreSQL backend runs against a real server: a throwaway PostgreSQL started once per test
session on a free loopback port (Debian's binaries; as root it runs as ``postgres`` via
``runuser``), with one new database per test.  ``TWIN_APP_TEST_POSTGRES_URL`` (a superuser URL)
points the tests at an existing server instead.  If the server binaries are missing the tests
fail, with the command that installs them: they are never skipped.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.telemetry.store.helpers import BACKENDS, fixed_clock, make_catalog, with_database
from twin_app.telemetry.store import SensorCatalog, TelemetryStore, open_store
from twin_app.telemetry.store.pg_local import LocalPostgres


@pytest.fixture
def catalog() -> SensorCatalog:
    return make_catalog()


class _ExternalServer:
    """An existing PostgreSQL server given by a superuser URL."""

    def __init__(self, url: str) -> None:
        self.admin_url = url

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return with_database(self.admin_url, name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres | _ExternalServer]:
    external = os.environ.get("TWIN_APP_TEST_POSTGRES_URL")
    if external:
        yield _ExternalServer(external)
        return
    server = LocalPostgres().start()  # raises, with the install command, if PostgreSQL is missing
    try:
        yield server
    finally:
        server.stop()


_database_numbers = itertools.count(1)


@pytest.fixture
def new_postgres_url(postgres_server: LocalPostgres | _ExternalServer) -> str:
    """A URL of a new, empty database."""
    return postgres_server.create_database(f"twin_test_{os.getpid()}_{next(_database_numbers)}")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty store of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path.as_posix().lstrip('/')}/telemetry.db"
    return request.getfixturevalue("new_postgres_url")


@pytest.fixture
def store(store_url: str, catalog: SensorCatalog) -> Iterator[TelemetryStore]:
    """An open store of each backend, checking against :func:`make_catalog` at :data:`NOW`."""
    opened = open_store(store_url, catalog=catalog, clock=fixed_clock)
    try:
        yield opened
    finally:
        opened.close()
