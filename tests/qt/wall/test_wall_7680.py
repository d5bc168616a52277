"""The wall on a 7680x2160 screen (its own Xvfb), at the typhoon's surge, with a screenshot.

The screenshot goes to ``/tmp/wall_shots/wall_7680x2160.png`` (``TWIN_APP_WALL_SHOTS`` to
change) so that a person can look at it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("wall_probe.py")
SHOTS = Path(os.environ.get("TWIN_APP_WALL_SHOTS", "/tmp/wall_shots"))


@pytest.fixture(scope="module")
def wall_7680(tmp_path_factory):
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO),
               TWIN_APP_SETTINGS=str(tmp_path_factory.mktemp("settings") / "wall.ini"))
    env.pop("DISPLAY", None)
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 7680x2160x24", sys.executable, str(PROBE),
         str(SHOTS)], capture_output=True, text=True, env=env, timeout=280, cwd=REPO,
        check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    description = json.loads((SHOTS / "wall_7680x2160.json").read_text())
    image = np.asarray(Image.open(SHOTS / "wall_7680x2160.png").convert("RGB")).astype(int)
    return description, image


def test_the_wall_covers_the_whole_7680x2160_screen(wall_7680):
    description, image = wall_7680
    assert description["screens"] == [[0, 0, 7680, 2160]]
    assert description["window"] == [0, 0, 7680, 2160]
    assert image.shape == (2160, 7680, 3)
    assert description["title"] == "防汛指挥中心大屏"


def test_type_is_big_enough_to_read_across_a_room(wall_7680):
    description, _ = wall_7680
    sizes = description["sizes"]
    assert sizes["body"] == 45  # 1/48 of 2160 px: about 4 cm on a 2-m-high wall
    assert sizes["big"] >= 100 and sizes["small"] >= 30
    assert description["label_size"] >= 40  # the 3D labels too


def test_tiles_sit_where_the_layout_puts_them(wall_7680):
    description, _ = wall_7680
    tiles = description["tiles"]
    x, y, w, h = tiles["scene"]
    assert w / 7680 == pytest.approx(8 / 14, abs=0.02)
    assert h / 2160 == pytest.approx(12 / 14, abs=0.04)  # less the gaps between rows
    assert tiles["gauges"][0] > x + w > 0 and tiles["alarms"][0] > tiles["gauges"][0]
    assert tiles["status"][1] > y + h and tiles["title"][1] < y
    for kind, (tx, ty, tw, th) in tiles.items():
        assert tx >= 0 and tx + tw <= 7680 and ty >= 0 and ty + th <= 2160, kind


def test_the_surge_raises_alarms_and_the_view_jumps_to_them(wall_7680):
    description, _ = wall_7680
    assert "XCS-WL-01/warning" in description["alarms"]
    assert description["moves"][0] == ["overview", "tour"]
    assert any(reason == "alarm" for _, reason in description["moves"])


def test_the_3d_tiles_and_the_gauges_are_drawn(wall_7680):
    description, image = wall_7680
    x, y, w, h = description["scene_view"]
    view = image[y:y + h, x:x + w]
    assert view.std() > 15, "the 3D scene tile is blank"
    gx, gy, gw, gh = description["tiles"]["gauges"]
    gauges = image[gy:gy + gh, gx:gx + gw]
    assert (gauges.max(axis=2) > 180).mean() > 0.005, "no big numbers on the gauges"
    tx, ty, tw, th = description["tiles"]["alarms"]
    alarms = image[ty:ty + th, tx:tx + tw]
    amber = (alarms[..., 0] > 200) & (alarms[..., 1] > 140) & (alarms[..., 2] < 80)
    assert amber.sum() > 500, "no warning-coloured severity cells in the alarm list"
