"""Choosing and opening a store backend from a URL.

``sqlite:///abs/path/telemetry.db``
    A SQLite file (the default: ``telemetry.db`` in the user's data folder).  ``sqlite:rel.db``
    is relative to the working directory, ``sqlite:///C:/data/t.db`` works on Windows, and
    ``sqlite:///:memory:`` is a private in-memory store (for tests).  A bare file path works too.
``postgresql://user:password@host:5432/dbname?sslmode=require``
    A PostgreSQL server (``postgres://`` too), for a command centre whose clients share a store;
    every libpq URI option is passed on.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from twin_app.core.paths import user_data_dir
from twin_app.telemetry.store.base import TelemetryStore
from twin_app.telemetry.store.catalog import SensorCatalog
from twin_app.telemetry.store.errors import StoreUrlError
from twin_app.telemetry.store.validation import DEFAULT_MAX_FUTURE

DEFAULT_FILE_NAME = "telemetry.db"
MEMORY = ":memory:"


def default_store_url() -> str:
    """Return the URL of the default store: ``telemetry.db`` in the user's data folder."""
    return "sqlite:///" + (user_data_dir() / DEFAULT_FILE_NAME).as_posix().lstrip("/")


def redact(url: str) -> str:
    """Return ``url`` with any password replaced by ``***`` (for logs and messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def parse_store_url(url: str | Path | None) -> tuple[str, str]:
    """Return the backend a URL names and its target.

    Parameters
    ----------
    url : str or Path or None
        A store URL, a file path, or ``None`` for the default store.

    Returns
    -------
    backend : str
        ``"sqlite"`` or ``"postgresql"``.
    target : str
        The SQLite file path (or ``":memory:"``), or the PostgreSQL connection URI.

    Raises
    ------
    StoreUrlError
        If the URL names another scheme or no file.
    """
    if url is None:
        url = default_store_url()
    if isinstance(url, Path):
        return "sqlite", str(url)
    scheme, sep, rest = url.partition(":")
    scheme = scheme.lower()
    if not sep or not re.fullmatch(r"[a-z][a-z0-9+.\-]+", scheme):
        return "sqlite", url  # a file path (C:\\data\\t.db has a one-letter "scheme")
    if scheme in ("postgresql", "postgres"):
        return "postgresql", url  # libpq reads the rest (postgresql:///db is the local socket)
    if scheme == "sqlite":
        if rest.startswith("//"):
            netloc, _, path = rest[2:].partition("/")
            if netloc:
                raise StoreUrlError(
                    f"SQLite URL {url!r} has a host part {netloc!r}",
                    hint="write sqlite:///absolute/path.db (three slashes) or sqlite:relative.db")
            path = "/" + path
        else:
            path = rest
        path = unquote(path.split("?", 1)[0])
        if path in ("/:memory:", MEMORY):
            return "sqlite", MEMORY
        if re.match(r"^/[A-Za-z]:[/\\]", path):  # sqlite:///C:/data/t.db
            path = path[1:]
        if path in ("", "/"):
            return "sqlite", str(user_data_dir() / DEFAULT_FILE_NAME)
        return "sqlite", path
    raise StoreUrlError(f"unknown store URL scheme {scheme!r} in {redact(url)!r}",
                        hint="use sqlite:///path/to/telemetry.db or postgresql://user@host/db")


def open_store(
    url: str | Path | None = None,
    *,
    catalog: SensorCatalog | None = None,
    max_future: timedelta = DEFAULT_MAX_FUTURE,
    **options: Any,
) -> TelemetryStore:
    """Open (and create or migrate, if needed) the store a URL names.

    Parameters
    ----------
    url : str or Path, optional
        ``sqlite:///path.db``, a file path, or ``postgresql://user@host:port/db``; the default
        store (``telemetry.db`` in the user's data folder) if omitted.
    catalog : SensorCatalog, optional
        The sensors readings are checked against; without one the store is read-only for
        readings (alarm history can still be written).
    max_future : timedelta
        How far ahead of the clock a reading may be before it is quarantined.
    **options
        Passed to the backend (``clock=``; SQLite ``timeout=``; PostgreSQL ``timescale=``).

    Returns
    -------
    TelemetryStore
        An open store; close it, or use it in a ``with`` block.

    Raises
    ------
    StoreUrlError
        If the URL names no known backend.
    StoreBackendMissingError
        If the backend's Python package is not installed.
    StoreUnavailableError
        If the file or server cannot be opened.
    StoreSchemaError
        If the store was written by a newer version of the app.
    """
    backend, target = parse_store_url(url)
    if backend == "sqlite":
        from twin_app.telemetry.store.sqlite import SqliteStore

        return SqliteStore(target, catalog=catalog, max_future=max_future, **options)
    from twin_app.telemetry.store.postgres import PostgresStore

    return PostgresStore(target, catalog=catalog, max_future=max_future, **options)
