"""Progress reporting and cancellation for long work, without any GUI dependency.

A :class:`Feedback` is handed to loaders and solvers (the QGIS ``feedback`` pattern).  The worker
calls :meth:`Feedback.step` between units of work; the GUI sets :meth:`Feedback.cancel` from its
own thread and listens to ``progressed`` to move a progress bar.
"""

from __future__ import annotations

import threading

from psygnal import Signal

from twin_app.core.errors import OperationCancelledError


class Feedback:
    """Thread-safe progress and cancel token.

    Parameters
    ----------
    what : str
        Name of the operation, used in the cancellation error.
    """

    progressed = Signal(float, str)
    """Emitted with the fraction done (0..1) and a short status message."""

    def __init__(self, what: str = "operation") -> None:
        self.what = what
        self._cancel = threading.Event()
        self.fraction = 0.0
        self.message = ""

    def cancel(self) -> None:
        """Ask the work to stop at its next check point (callable from any thread)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` has been called."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`OperationCancelledError` if cancellation was requested."""
        if self._cancel.is_set():
            raise OperationCancelledError(self.what)

    def step(self, fraction: float, message: str = "") -> None:
        """Report progress and stop if cancelled.

        Parameters
        ----------
        fraction : float
            Fraction of the work done, 0 to 1.
        message : str
            What is being done now.
        """
        self.check()
        self.fraction = min(max(fraction, 0.0), 1.0)
        self.message = message
        self.progressed.emit(self.fraction, message)
