"""PySide6 must not drop references to ``None`` (6.12.0 did, one per void call: the app aborted
with "none_dealloc" after enough calls; pyproject.toml excludes that release)."""

import sys

from qtpy.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert before - sys.getrefcount(None) < 100  # other threads may hold or drop a few
