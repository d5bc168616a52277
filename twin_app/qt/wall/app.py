"""Start the wall: the application, the screens to cover, the remote control, the first scene."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from qtpy.QtCore import QRect, QTimer
from qtpy.QtWidgets import QApplication

from twin_app.core.paths import user_data_dir
from twin_app.core.wall_control import parse_address, resolve_token
from twin_app.core.wall_layout import WallLayout, span_screens
from twin_app.qt.app import ensure_application
from twin_app.qt.i18n import LanguageSwitcher
from twin_app.qt.wall.remote import WallRemote
from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)


@dataclass
class WallOptions:
    """What ``twin-app wall`` was asked to do (see :func:`run_wall`)."""

    scene: str
    layout: WallLayout
    screens: str = "all"
    language: str = "zh_CN"
    control: str | None = None
    token: str | None = None
    replay: str | None = None
    replay_speed: float = 600.0
    replay_loop: bool = False
    screenshot: Path | None = None
    screenshot_delay_s: float = 0.0
    quit_after_load: bool = False


def screen_rects(app: QApplication) -> list[tuple[int, int, int, int]]:
    """Return every screen's geometry in the virtual desktop."""
    return [(g.x(), g.y(), g.width(), g.height())
            for g in (screen.geometry() for screen in app.screens())]


def create_wall(options: WallOptions) -> WallWindow:
    """Create the wall window over the chosen screens, in the wall's language, not yet shown.

    Raises
    ------
    InputError
        If ``options.screens`` names no screen.
    """
    app = ensure_application()
    switcher = LanguageSwitcher()
    switcher.apply(options.language)
    screens = screen_rects(app)
    x, y, width, height = span_screens(screens, options.screens)
    wall = WallWindow(options.layout, language=options.language, height=height)
    wall.switcher = switcher  # keeps the translator alive as long as the wall
    wall.target = QRect(x, y, width, height)
    wall.full_screen = (x, y, width, height) in screens
    logger.info("wall over %dx%d at (%d, %d) on %d of %d screen(s)", width, height, x, y,
                sum(_inside(s, (x, y, width, height)) for s in screens), len(screens))
    return wall


def start_remote(wall: WallWindow, control: str, token: str | None) -> WallRemote:
    """Serve the control API for ``wall`` at ``control`` (``HOST:PORT``)."""
    host, port = parse_address(control)
    secret, generated = resolve_token(token, host)
    remote = WallRemote(wall, secret, host, port)
    url = remote.start()
    if generated:
        # the operator needs it to use the remote; it never leaves this machine's log
        logger.warning("wall control API at %s; token (generated): %s", url, secret)
    else:
        logger.warning("wall control API at %s", url)
    return remote


def route_vtk_messages() -> Path:
    """Send VTK's warnings and errors to a log file (on Windows VTK would open a window).

    Returns
    -------
    Path
        The log file, ``<user data>/logs/wall-vtk.log``.
    """
    from vtkmodules.vtkCommonCore import vtkFileOutputWindow, vtkOutputWindow

    path = user_data_dir() / "logs" / "wall-vtk.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    window = vtkFileOutputWindow()
    window.SetFileName(str(path))
    window.AppendOn()
    window.FlushOn()
    vtkOutputWindow.SetInstance(window)
    return path


def run_wall(options: WallOptions) -> int:
    """Show the wall and run until it is closed; return the exit status."""
    started = time.perf_counter()
    app = ensure_application()
    logger.info("VTK messages go to %s", route_vtk_messages())
    wall = create_wall(options)
    status = {"code": 0, "shots": 0}
    previous_hook = sys.excepthook
    sys.excepthook = _wall_excepthook
    if options.control:
        start_remote(wall, options.control, options.token)
    if options.replay:
        wall.replay.start(options.replay, options.replay_speed, loop=options.replay_loop)

    def finish() -> None:
        try:
            if options.screenshot is not None and status["shots"] == 0:
                status["shots"] = 1
                wall.save_screenshot(options.screenshot)
        except Exception:
            status["code"] = 1
            raise  # logged by the wall's excepthook
        finally:
            if options.quit_after_load:
                wall.close()

    def on_shown(scene_id: str) -> None:
        logger.info("wall: scene %s shown %.2f s after start", scene_id,
                    time.perf_counter() - started)
        if options.screenshot is not None or options.quit_after_load:
            QTimer.singleShot(round(options.screenshot_delay_s * 1000), finish)

    def on_failed(_reason: str) -> None:
        if options.quit_after_load and wall.workspace.document is None:
            status["code"] = 1
            QTimer.singleShot(0, wall.close)

    wall.scene_shown.connect(on_shown)
    wall.scene_failed.connect(on_failed)
    wall.place(wall.target, wall.full_screen)
    wall.open_scene(options.scene)
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook
    return status["code"]


def _wall_excepthook(kind: type[BaseException], error: BaseException,
                     trace: TracebackType | None) -> None:
    """Log an exception raised in a Qt slot; the wall keeps running (it shows on the status)."""
    logger.error("unexpected %s: %s", kind.__name__, error, exc_info=(kind, error, trace))


def _inside(screen: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    sx, sy, sw, sh = screen
    ax, ay, aw, ah = area
    return ax <= sx and ay <= sy and sx + sw <= ax + aw and sy + sh <= ay + ah
