"""Run the real wall on whatever screen DISPLAY has, at the typhoon's surge, and describe it.

Used by ``test_wall_7680.py`` under its own 7680x2160 Xvfb::

    xvfb-run -a -s "-screen 0 7680x2160x24" python tests/qt/wall/wall_probe.py OUT_DIR

Writes ``OUT_DIR/wall_<W>x<H>.png`` (the whole wall) and ``OUT_DIR/wall_<W>x<H>.json`` (screens,
window, type sizes, where each tile is, the alarms, the last view move).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from pathlib import Path

from qtpy.QtCore import QEventLoop, QTimer

from twin_app.core.scene_loader import load_scene
from twin_app.core.wall_layout import load_layout
from twin_app.io.timeseries import read_csv
from twin_app.qt.wall.app import WallOptions, create_wall, screen_rects


def surge_peak(scene: str, sensor: str):
    """Return the time of the event's highest reading of ``sensor``."""
    events = load_scene(scene).folder / "events" / "typhoon.csv"
    readings = [r for r in read_csv(events).readings if r.sensor_id == sensor]
    return max(readings, key=lambda r: r.value).utc


def main(out: Path) -> int:
    """Show the wall, play into the surge, save the screenshot and the description."""
    wall = create_wall(WallOptions(scene="xinchuansha", layout=load_layout(), screens="all"))
    from qtpy.QtWidgets import QApplication

    app = QApplication.instance()
    loop = QEventLoop()
    moves: list[tuple[str, str]] = []
    wall.view_moved.connect(lambda vid, reason: moves.append((vid, reason)))
    wall.scene_shown.connect(lambda _id: loop.quit())
    wall.place(wall.target, wall.full_screen)
    started = time.perf_counter()
    wall.open_scene("xinchuansha")
    QTimer.singleShot(180_000, loop.quit)
    loop.exec()
    shown_s = time.perf_counter() - started
    wall.replay.start("typhoon", 600.0)
    peak = surge_peak("xinchuansha", "XCS-WL-01")
    wall.workspace.clock.set_time(peak - timedelta(minutes=25))
    wall.workspace.clock.play(150.0)  # the alarms rise as the clock plays into the surge
    QTimer.singleShot(9_000, loop.quit)
    loop.exec()
    wall.refresh_all()
    for _ in range(10):
        app.processEvents()
    width, height = wall.width(), wall.height()
    shot = out / f"wall_{width}x{height}.png"
    wall.save_screenshot(shot)
    session = wall.session
    description = {
        "screens": screen_rects(app),
        "window": [wall.x(), wall.y(), width, height],
        "sizes": vars(wall.sizes),
        "tiles": {tile.spec.kind: [tile.x(), tile.y(), tile.width(), tile.height()]
                  for tile in wall.tiles},
        "scene_view": [*(lambda p: [p.x(), p.y()])(wall.scene_tile.plotter.interactor.mapTo(
            wall, wall.scene_tile.plotter.interactor.rect().topLeft())),
                       wall.scene_tile.plotter.width(), wall.scene_tile.plotter.height()],
        "alarms": [s.key for s in session.engine.active()] if session else [],
        "moves": moves,
        "viewpoint": wall.scene_tile.viewpoint.id if wall.scene_tile.viewpoint else None,
        "frames": wall.frames(),
        "shown_s": round(shown_s, 2),
        "label_size": wall.scene_tile.view.label_font_size,
        "title": wall.windowTitle(),
        "screenshot": str(shot),
    }
    (out / f"wall_{width}x{height}.json").write_text(json.dumps(description, indent=2,
                                                                ensure_ascii=False))
    wall.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
