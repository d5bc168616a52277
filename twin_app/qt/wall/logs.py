"""The wall's log handler: the app's warnings and errors shown on the status tile."""

from __future__ import annotations

import logging

MAX_MESSAGE_CHARS = 300


class WallLogHandler(logging.Handler):
    """Puts the app's warnings and errors on the wall's status tile (from any thread).

    Parameters
    ----------
    signal : SignalInstance
        The wall's :attr:`WallWindow.message` signal (queued to the GUI thread).
    """

    def __init__(self, signal: object) -> None:
        super().__init__(logging.WARNING)
        self.signal = signal

    def emit(self, record: logging.LogRecord) -> None:
        """Send the record's message to the wall."""
        try:
            text = record.getMessage()
            self.signal.emit(text[:MAX_MESSAGE_CHARS])
        except RuntimeError:  # the window is gone
            pass
        except Exception:  # noqa: BLE001 (a log handler must never raise into the code that logs)
            self.handleError(record)
