"""Keep ``None`` alive under PySide6 6.12.0 on CPython 3.11 (a wall runs for days).

PySide6 6.12.0 returns ``None`` from every void method (``QLabel.setText``, ``QWidget.update``,
``QApplication.processEvents``...) without taking a reference to it.  On CPython 3.12 and later
``None`` is immortal and nothing happens; on 3.11 each call takes one reference away, and after
about as many calls as ``None`` had references (some 100,000 in this app) the interpreter aborts
with "none_dealloc: deallocating None".  Measured here: 1.0 reference lost per void call with
6.12.0, 0.0 with 6.11.3; a wall makes tens of such calls a second, so it would abort within
the hour.

The real fix is a PySide6 without the bug (pin ``PySide6-Essentials!=6.12.0``) or Python >= 3.12.
Until then :func:`keep_none_alive` gives ``None`` so many references (2**60) that no run can use
them up, which is what CPython 3.12 does to make it immortal.
"""

from __future__ import annotations

import ctypes
import logging
import sys

logger = logging.getLogger(__name__)

IMMORTAL_REFS = 2**60


def keep_none_alive() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12; return whether it was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    refs = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field of PyObject
    if refs.value < IMMORTAL_REFS // 2:
        refs.value += IMMORTAL_REFS
        logger.info("None made immortal (PySide6 6.12.0 drops a reference per void call)")
    return True
