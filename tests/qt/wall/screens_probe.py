"""Run the real wall on the screens DISPLAY has, with ``--screens CHOICE``, and describe it.

Used by ``test_wall_screens.py`` under its own Xvfb with two RandR monitors::

    python tests/qt/wall/screens_probe.py OUT.json SCENE CHOICE SHOT.png

Writes ``OUT.json`` (the screens Qt reports, the wall's target and window geometry, the screens
the window lies on) and ``SHOT.png``: the whole X root window, every screen side by side, grabbed
from the screens after the wall has drawn.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qtpy.QtCore import QEventLoop, QRect, QTimer
from qtpy.QtGui import QGuiApplication, QImage, QPainter

from twin_app.core.wall_layout import load_layout
from twin_app.qt.wall.app import WallOptions, create_wall, screen_rects


def grab_desktop(path: Path) -> list[int]:
    """Save every screen's contents at its place in the virtual desktop; return its size."""
    screens = QGuiApplication.screens()
    desktop = screens[0].virtualGeometry()
    image = QImage(desktop.width(), desktop.height(), QImage.Format.Format_RGB32)
    image.fill(0)
    painter = QPainter(image)
    for screen in screens:
        geometry = screen.geometry()
        painter.drawPixmap(geometry.x() - desktop.x(), geometry.y() - desktop.y(),
                           screen.grabWindow(0))
    painter.end()
    image.save(str(path))
    return [desktop.x(), desktop.y(), desktop.width(), desktop.height()]


def main(out: Path, scene: str, choice: str, shot: Path) -> int:
    """Show the wall on ``choice``, wait until the scene is drawn, describe and grab it."""
    wall = create_wall(WallOptions(scene=scene, layout=load_layout(), screens=choice,
                                   language="zh_CN"))
    app = QGuiApplication.instance()
    loop = QEventLoop()
    wall.scene_shown.connect(lambda _id: loop.quit())
    wall.place(wall.target, wall.full_screen)
    wall.open_scene(scene)
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    QTimer.singleShot(3000, loop.quit)  # let the window settle and the tiles draw
    loop.exec()
    for _ in range(5):
        app.processEvents()
    geometry = wall.geometry()
    window = QRect(geometry)
    description = {
        "screens": screen_rects(app),
        "names": [screen.name() for screen in QGuiApplication.screens()],
        "target": [wall.target.x(), wall.target.y(), wall.target.width(), wall.target.height()],
        "full_screen": wall.full_screen,
        "window": [window.x(), window.y(), window.width(), window.height()],
        "on_screens": [screen.name() for screen in QGuiApplication.screens()
                       if screen.geometry().intersects(window)],
        "type_body_px": wall.sizes.body,
        "scene_shown": wall.workspace.document is not None,
        "desktop": grab_desktop(shot),
    }
    out.write_text(json.dumps(description, indent=2, ensure_ascii=False), encoding="utf-8")
    wall.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])))
