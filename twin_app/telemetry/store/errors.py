"""Errors of the telemetry store.

Bad readings are never errors: they are quarantined (see :mod:`.validation`).  These exceptions are
for a store that cannot be opened or written, each with a hint saying what to do next.
"""

from __future__ import annotations

from twin_app.core.errors import TwinAppError


class StoreError(TwinAppError):
    """Base class of the telemetry store's errors."""


class StoreUrlError(StoreError):
    """A store URL names no backend the app has, or is malformed."""


class StoreBackendMissingError(StoreError):
    """The Python package a backend needs is not installed."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached or opened (server down, file not writable, bad credentials)."""


class StoreSchemaError(StoreError):
    """The store's schema is newer than this app, or a migration failed."""


class StoreWriteError(StoreError):
    """A batch could not be made durable; nothing of it was stored and it must be retried."""


class StoreClosedError(StoreError):
    """The store was used after :meth:`close`."""


class StoreConfigError(StoreError):
    """The store was asked to do something its configuration does not allow."""
