"""Start the Qt application: settings, language, the main window, the first scene."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from pyqtgraph.util.garbage_collector import GarbageCollector
from qtpy.QtCore import QCoreApplication, QSettings, QTimer
from qtpy.QtWidgets import QApplication

from twin_app.qt.i18n import LanguageSwitcher, preferred_language
from twin_app.qt.main_window import MainWindow

logger = logging.getLogger(__name__)

DEFAULT_SCENE = "xinchuansha"


def make_settings() -> QSettings:
    """Return the app's settings (``TWIN_APP_SETTINGS`` names an INI file to use instead)."""
    path = os.environ.get("TWIN_APP_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("twin_app", "twin_app")


_collector: GarbageCollector | None = None


def collect_garbage_in_the_gui_thread() -> None:
    """Turn Python's automatic cycle collection off and collect on a GUI-thread timer instead.

    The collector runs in whichever thread happens to allocate: in the scene loader's thread it
    freed a closed window's Qt objects there, whose destructors waited for a Qt lock the GUI
    thread held while it waited for the GIL (a deadlock caught in gdb in a test run).  Collecting
    once a second in the GUI thread (pyqtgraph's ``GarbageCollector``, the usual remedy) keeps
    Qt objects dying where they live.  Idempotent.
    """
    global _collector
    if _collector is None:
        _collector = GarbageCollector(interval=1.0)


def ensure_application() -> QApplication:
    """Return the running QApplication, creating it if needed (collecting garbage in it)."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("twin_app")
        QCoreApplication.setApplicationName("twin_app")
        app = QApplication(sys.argv[:1])
    collect_garbage_in_the_gui_thread()
    return app


def create_main_window(language: str | None = None) -> MainWindow:
    """Create the main window in the preferred language (without opening a scene)."""
    ensure_application()
    settings = make_settings()
    switcher = LanguageSwitcher()
    switcher.apply(preferred_language(settings, language))
    return MainWindow(settings, switcher)


def run_app(
    scene: str | None = None,
    viewpoint: str | None = None,
    language: str | None = None,
    screenshot: Path | None = None,
    quit_after_load: bool = False,
    replay: str | None = None,
    mqtt: str | None = None,
) -> int:
    """Open the main window on ``scene`` and run the event loop; return the exit status."""
    started = time.perf_counter()
    app = ensure_application()
    window = create_main_window(language)
    status = {"code": 0}

    def on_shown(scene_id: str) -> None:
        logger.info("scene %s shown %.2f s after start (epoch %.3f)", scene_id,
                    time.perf_counter() - started, time.time())
        if viewpoint:
            window.go_to_viewpoint(viewpoint)
        if replay:
            window.replay_event_named(replay)
        if screenshot is not None:
            window.plotter.render()
            app.processEvents()
            window.grab().save(str(screenshot))
            logger.info("saved window screenshot %s", screenshot)
        if quit_after_load:
            QTimer.singleShot(0, window.close)

    def on_failed(_message: str) -> None:
        if quit_after_load:
            status["code"] = 1
            QTimer.singleShot(0, window.close)

    window.mqtt_url = mqtt
    window.scene_shown.connect(on_shown)
    window.scene_failed.connect(on_failed)
    window.show()
    window.open_scene(scene or DEFAULT_SCENE)
    app.exec()
    return status["code"]
