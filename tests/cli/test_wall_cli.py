"""``twin-app wall``: options checked before any window opens, a screenshot, the remote."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

TWIN_APP = shutil.which("twin-app", path=str(Path(sys.executable).parent))
TOKEN = "cli-wall-token-123"


def run(*args: str, display: bool = False, timeout: float = 180,
        env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    if not display:
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([TWIN_APP, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)


def test_help_names_every_option():
    result = run("wall", "--help")
    assert result.returncode == 0
    for option in ("--layout", "--screens", "--control", "--token", "--replay",
                   "--screenshot", "--quit-after-load", "--lang"):
        assert option in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("nowhere",), "nowhere"),
    (("xinchuansha", "--layout", "missing.toml"), "cannot be read"),
    (("xinchuansha", "--screens", "left"), "--screens 'left'"),
    (("xinchuansha", "--control", "0.0.0.0:8765"), "needs a token"),
    (("xinchuansha", "--control", "127.0.0.1:http"), "is not HOST:PORT"),
    (("xinchuansha", "--token", "short", "--control", ":0"), "shorter than 8"),
    (("xinchuansha", "--screenshot", "shot.jpg"), "must end in .png"),
    (("xinchuansha", "--replay-speed", "0"), "--replay-speed"),
])
def test_bad_options_stop_before_any_window(args, message):
    result = run("wall", *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_bad_layout_names_file_line_and_key(tmp_path):
    layout = tmp_path / "wall.toml"
    layout.write_text('schema_version = 1\n[[tiles]]\nkind = "scene"\nrow = 0\ncolumn = 0\n'
                      "rowspan = 2\n", encoding="utf-8")
    result = run("wall", "xinchuansha", "--layout", str(layout))
    assert result.returncode == 2
    assert f"{layout}:6 [tiles[0].rowspan]: unknown key 'rowspan'" in result.stderr


def test_no_display_is_exit_status_3():
    result = run("wall", "xinchuansha")
    assert result.returncode == 3
    assert "xvfb-run" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.gui
@pytest.mark.needs_rendering
def test_screenshot_and_remote_status_from_the_command_line(tmp_path):
    shot = tmp_path / "wall.png"
    port = _free_port()
    env = dict(os.environ, TWIN_APP_WALL_TOKEN=TOKEN, TWIN_APP_DATA=str(tmp_path / "data"))
    process = subprocess.Popen(
        [TWIN_APP, "wall", "xinchuansha", "--screens", "0", "--control", f"127.0.0.1:{port}",
         "--replay", "typhoon", "--replay-speed", "3600", "--screenshot", str(shot),
         "--screenshot-delay", "6", "--quit-after-load"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    status = None
    deadline = time.monotonic() + 150
    while status is None and time.monotonic() < deadline and process.poll() is None:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/status")
        request.add_header("X-Wall-Token", TOKEN)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = json.loads(response.read())
                if answer["result"]["scene"] == "xinchuansha":
                    status = answer["result"]
        except OSError:
            time.sleep(0.5)
    _, stderr = process.communicate(timeout=180)
    assert process.returncode == 0, stderr
    assert status is not None, stderr
    assert status["replay"]["event"] == "typhoon"
    assert status["window"]["width"] == 1920 and status["window"]["height"] == 1080
    assert "token (generated)" not in stderr  # the token came from the environment
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image.shape == (1080, 1920, 3)
    assert image.std() > 20
    assert (tmp_path / "data" / "logs").is_dir()  # where VTK would write: it opens no window
