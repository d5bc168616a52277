"""Shared pieces of the wall tests: a small scene with a recorded event, layouts, HTTP calls."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.scene_factory import MINIMAL_SCENE, TOP_DOWN_VIEWPOINT, write_scene
from twin_app.core.wall_layout import WallLayout, load_layout

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
