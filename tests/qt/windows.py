"""The main window shown in a real X window (Xvfb) with a scene open, for the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qtpy.QtCore import Signal
from qtpy.QtWidgets import QMainWindow

from twin_app.core.workspace import Workspace
from twin_app.qt.app import create_main_window


class SectionHost(QMainWindow):
    """What :func:`twin_app.qt.section_dock.install` uses of the main window (no 3D view)."""

    scene_shown = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.view_menu = self.menuBar().addMenu("View")
        self.workspace = Workspace(language="en")
        self.session = None
        self.view = None


@contextmanager
def window_on(qtbot: Any, scene: str, size: tuple[int, int] = (1280, 800),
              timeout_ms: int = 120_000) -> Iterator[Any]:
    """Yield an English main window showing ``scene`` (a name or folder); close it after."""
    main = create_main_window(language="en")
    qtbot.addWidget(main)
    main.resize(*size)
    main.show()
    qtbot.waitExposed(main)
    with qtbot.waitSignal(main.scene_shown, timeout=timeout_ms):
        main.open_scene(str(scene))
    try:
        yield main
    finally:
        main.close()
