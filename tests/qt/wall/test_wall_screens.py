"""The wall across two monitors (``--screens all``) and on one (``--screens N``), for real.

The test starts its own Xvfb: one 7680x2160 X screen split into two 3840x2160 RandR monitors
(``xrandr --setmonitor``), which Qt reports as two ``QScreen`` objects, as it does for two
panels on one graphics card.  (Xvfb's Xinerama, ``-screen 0 … -screen 1 … +xinerama``, puts
both heads at (0, 0) on a 3840x2160 root, and Qt then reports one screen: Xvfb has no way to lay
its screens side by side, so that route cannot test a wall across monitors.)  ``-noreset`` keeps
the monitors: an X server resets, and forgets them, when its last client leaves.

For each choice the real wall runs in a child process on that display
(``screens_probe.py``), and its window geometry and a grab of the whole root window (both
monitors) are checked.  The grabs go to ``/tmp/wall_shots/wall_screens_*.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.scene_factory import MINIMAL_SCENE, write_scene

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("screens_probe.py")
SHOTS = Path(os.environ.get("TWIN_APP_WALL_SHOTS", "/tmp/wall_shots"))
LEFT, RIGHT = [0, 0, 3840, 2160], [3840, 0, 3840, 2160]


def _xrandr(display: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["xrandr", "--display", display, *args], capture_output=True,
                          text=True, timeout=30, check=False)


@pytest.fixture(scope="module")
def two_monitors():
    """Yield the DISPLAY of an Xvfb whose 7680x2160 screen is two side-by-side monitors."""
    if shutil.which("Xvfb") is None or shutil.which("xrandr") is None:
        pytest.skip("needs Xvfb and xrandr (Debian: xvfb, x11-xserver-utils)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "7680x2160x24", "-nolisten", "tcp",
         "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    display = f":{number}"
    try:
        query = _xrandr(display, "--query")
        output = next((line.split()[0] for line in query.stdout.splitlines()
                       if " connected" in line), None)
        if query.returncode != 0 or output is None:
            pytest.skip(f"this Xvfb has no RandR output to split: {query.stderr.strip()}")
        made = [_xrandr(display, "--setmonitor", "WALL-LEFT", "3840/600x2160/340+0+0", output),
                _xrandr(display, "--setmonitor", "WALL-RIGHT", "3840/600x2160/340+3840+0",
                        "none")]
        monitors = _xrandr(display, "--listmonitors").stdout
        if any(m.returncode for m in made) or "Monitors: 2" not in monitors:
            pytest.skip(f"this Xvfb's RandR cannot split its screen into monitors: {monitors}")
        yield display
    finally:
        server.terminate()
        server.wait(10)


def _env(display: str, tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO),
                TWIN_APP_SETTINGS=str(tmp_path / "wall.ini"))


def qt_screens(display: str, tmp_path: Path) -> list[list[int]]:
    """Return the screens Qt reports on ``display``, in its order (what ``N`` counts)."""
    code = ("import json; from qtpy.QtWidgets import QApplication; app = QApplication([]); "
            "print(json.dumps([[g.x(), g.y(), g.width(), g.height()] "
            "for g in (s.geometry() for s in app.screens())]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=_env(display, tmp_path), timeout=60, check=True)
    return json.loads(result.stdout)


def run_probe(display: str, scene: str, choice: str, tmp_path: Path, name: str
              ) -> tuple[dict, np.ndarray]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = tmp_path / f"screens_{choice}.json"
    shot = SHOTS / f"wall_screens_{name}.png"
    result = subprocess.run([sys.executable, str(PROBE), str(out), scene, choice, str(shot)],
                            capture_output=True, text=True, env=_env(display, tmp_path),
                            timeout=280, cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    return json.loads(out.read_text(encoding="utf-8")), image


def test_qt_sees_two_screens_and_the_wall_covers_both(two_monitors, tmp_path):
    assert sorted(qt_screens(two_monitors, tmp_path)) == [LEFT, RIGHT]
    description, image = run_probe(two_monitors, "xinchuansha", "all", tmp_path, "all")
    assert sorted(description["screens"]) == [LEFT, RIGHT]
    assert description["window"] == [0, 0, 7680, 2160]
    assert description["full_screen"] is False  # two screens: a frameless window over both
    assert sorted(description["on_screens"]) == ["WALL-LEFT", "WALL-RIGHT"]
    assert description["type_body_px"] == 45  # type follows the wall's 2160 px height
    assert description["scene_shown"]
    assert image.shape == (2160, 7680, 3)
    for half in (image[:, :3840], image[:, 3840:]):
        assert half.std() > 15, "each monitor shows part of the wall"
        assert (half.sum(axis=2) == 0).mean() < 0.01, "no bare (black) root window"


@pytest.mark.parametrize("side", ["left", "right"])
def test_screens_n_puts_the_wall_on_that_screen_only(two_monitors, tmp_path, side):
    scene = str(write_scene(tmp_path / "mini", MINIMAL_SCENE).parent)
    wanted = LEFT if side == "left" else RIGHT
    index = qt_screens(two_monitors, tmp_path).index(wanted)
    description, image = run_probe(two_monitors, scene, str(index), tmp_path, side)
    assert description["window"] == wanted
    assert description["full_screen"] is True
    assert description["on_screens"] == [description["names"][index]]
    covered = image[:, wanted[0]:wanted[0] + 3840]
    other = image[:, 3840 - wanted[0]:3840 - wanted[0] + 3840]
    assert covered.std() > 15
    assert (other.sum(axis=2) == 0).mean() > 0.99, "the other monitor shows the bare root"
