"""Shared pieces of the wall tests: a small scene with an event, layouts, HTTP calls, a census."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import threading
import urllib.error
import urllib.request
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path

from qtpy.QtCore import QCoreApplication, QEvent, QObject
from qtpy.QtWidgets import QApplication
from vtkmodules.vtkCommonCore import vtkObjectBase

from tests.scene_factory import MINIMAL_SCENE, TOP_DOWN_VIEWPOINT, write_scene
from twin_app.core.wall_layout import WallLayout, load_layout
from twin_app.qt.wall.views import ViewTile
from twin_app.qt.wall.window import WallWindow

T0 = datetime(2024, 9, 16, 0, 0, tzinfo=UTC)
TOKEN = "wall-test-token-123"


def mini_scene_with_event(tmp_path: Path) -> Path:
    """Write the minimal scene plus events/rise.csv: WL-1 rising through its 4.55 m warning."""
    folder = write_scene(tmp_path / "mini", MINIMAL_SCENE + TOP_DOWN_VIEWPOINT).parent
    events = folder / "events"
    events.mkdir()
    lines = ["sensor_id,time,value,unit,quality"]
    for step in range(37):  # 6 hours at 10 minutes, 4.00 m to 4.90 m
        time = (T0 + timedelta(minutes=10 * step)).isoformat()
        lines.append(f"WL-1,{time},{4.0 + 0.025 * step:.3f},m,good")
        lines.append(f"RG-1,{time},{2.0},mm,good")
    (events / "rise.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def layout_with(**tour: object) -> WallLayout:
    """Return the default layout with some tour settings changed."""
    layout = load_layout()
    return layout.model_copy(update={"tour": layout.tour.model_copy(update=tour)})


def census(wall: WallWindow) -> dict[str, float]:
    """Count what a leak would make grow."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed heap back: count what is in use
    with Path("/proc/self/statm").open() as statm:
        resident_pages = int(statm.read().split()[1])
    views = [t for t in wall.tiles if isinstance(t, ViewTile) and t.plotter is not None]
    status = dict(line.split(":", 1) for line in
                  Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {
        "rss_mb": resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20,
        "anon_mb": int(status["RssAnon"].split()[0]) / 1024,  # the heap; unlike file-backed
        # pages (libraries, fonts), the kernel never drops it from the RSS without swap
        "fds": sum(1 for _ in Path("/proc/self/fd").iterdir()),
        "qobjects": len(wall.findChildren(QObject)),
        "vtk_objects": sum(isinstance(o, vtkObjectBase) for o in gc.get_objects()),
        "props": sum(v.plotter.renderer.GetViewProps().GetNumberOfItems() for v in views),
        "threads": threading.active_count(),
        "frames": wall.frames(),
        "view_moves": wall.moves,
        "replay_loops": wall.replay.loops,
    }


def call_in_thread(url: str, method: str = "GET", token: str | None = TOKEN,
                   body: bytes | None = None) -> Future:
    """Make an HTTP request from a worker thread (the GUI thread must keep running)."""
    future: Future = Future()

    def work() -> None:
        request = urllib.request.Request(url, method=method, data=body)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                future.set_result((response.status, json.loads(response.read())))
        except urllib.error.HTTPError as error:
            future.set_result((error.code, json.loads(error.read())))
        except Exception as error:  # noqa: BLE001 - handed to the test
            future.set_exception(error)

    threading.Thread(target=work, daemon=True).start()
    return future


def assert_flat(growth: dict[str, float], warm: dict[str, float], tolerance: dict[str, float],
                memory: str) -> None:
    """Assert that a soak's census grew within ``tolerance`` (``memory``: the memory figure)."""
    summary = json.dumps(growth)
    assert growth[memory] <= tolerance[memory], summary
    for key in ("fds", "qobjects", "threads"):
        assert growth[key] <= tolerance[key], summary
    assert growth["vtk_objects"] <= warm["vtk_objects"] * tolerance["vtk_objects_pct"] / 100, \
        summary
    assert abs(growth["props"]) <= tolerance["props"], summary
