"""Schema versions and the migration hook shared by the store backends.

Each backend creates its baseline schema (version 1) in a new store, then applies every
:class:`Migration` in its ``MIGRATIONS`` list whose version is above the store's, each in the same
transaction as the update of the ``schema_version`` table.  To change a schema, append a
``Migration(version=N + 1, note=..., apply=...)`` to the backend's list; never edit the baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from twin_app.telemetry.store.errors import StoreSchemaError

BASELINE_VERSION = 1


@dataclass(frozen=True)
class Migration:
    """One step of a backend's schema.

    Attributes
    ----------
    version : int
        The schema version the step produces (2, 3, ...).
    note : str
        What it changes (kept in the ``schema_version`` table).
    apply : callable
        Takes the backend's open connection, inside the migration's transaction.
    """

    version: int
    note: str
    apply: Callable[[Any], None]


def latest_version(migrations: Sequence[Migration]) -> int:
    """Return the version a store has after every migration.

    Parameters
    ----------
    migrations : sequence of Migration
        A backend's migrations, in order.

    Returns
    -------
    int
        The newest schema version this app writes.

    Raises
    ------
    StoreSchemaError
        If the versions do not count up from 2 without gaps (a programming error).
    """
    for expected, migration in enumerate(migrations, start=BASELINE_VERSION + 1):
        if migration.version != expected:
            raise StoreSchemaError(
                f"migration {migration.note!r} has version {migration.version}, expected "
                f"{expected}", hint="number the backend's MIGRATIONS 2, 3, ... in order")
    return BASELINE_VERSION + len(migrations)


def pending(current: int, migrations: Sequence[Migration], where: str) -> list[Migration]:
    """Return the migrations a store at ``current`` still needs.

    Parameters
    ----------
    current : int
        The store's schema version.
    migrations : sequence of Migration
        The backend's migrations.
    where : str
        The store's URL, for the message.

    Returns
    -------
    list of Migration
        In the order to apply them.

    Raises
    ------
    StoreSchemaError
        If the store's schema is newer than this app knows.
    """
    newest = latest_version(migrations)
    if current > newest:
        raise StoreSchemaError(
            f"the store {where} has schema version {current}, newer than this app's {newest}",
            hint="upgrade twin_app, or open a copy of the store with the newer version")
    return [migration for migration in migrations if migration.version > current]
