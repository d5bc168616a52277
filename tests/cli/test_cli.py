"""The installed ``twin-app`` command, run as a subprocess like a user would."""

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

TWIN_APP = shutil.which("twin-app", path=str(Path(sys.executable).parent))


def run(*args: str, display: bool = False, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if not display:
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
    assert TWIN_APP, "twin-app is installed by `pip install -e .`"
    return subprocess.run([TWIN_APP, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)


@pytest.mark.parametrize("command", [(), ("open",), ("render",), ("info",), ("telemetry",),
                                     ("telemetry", "sl651-decode")])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: twin-app" in result.stdout


def test_info_json_describes_the_default_scene():
    result = run("info", "xinchuansha", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["crs"]["code"] == "EPSG:4549"
    assert info["vertical_datum"]["to_nhd1985_m"] == pytest.approx(-1.66)
    # The published position of the old Xinchuansha sluice lies inside the scene's extent.
    geo = info["extent_lonlat"]
    assert geo["west"] < 121.357708 < geo["east"]
    assert geo["south"] < 31.486419 < geo["north"]
    assert info["assets"] and info["sensors"]["count"] > 0
    assert info["default_viewpoint"] in [v["id"] for v in info["viewpoints"]]


def test_info_text_names_crs_datum_and_extent():
    result = run("info", "huangpu")
    assert result.returncode == 0, result.stderr
    assert "EPSG:4549" in result.stdout
    assert "Wusong" in result.stdout
    assert "Extent" in result.stdout and "Lon/lat" in result.stdout


def test_render_writes_a_png_with_no_display(tmp_path):
    out = tmp_path / "view.png"
    result = run("render", "xinchuansha", "--out", str(out), "--size", "800x450")
    assert result.returncode == 0, result.stderr
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (450, 800, 3)
    assert image.astype(int).std() > 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("info", "atlantis"), "no scene 'atlantis'"),
        (("render", "xinchuansha", "--out", "x.png", "--size", "big"), "is not WIDTHxHEIGHT"),
        (("render", "xinchuansha", "--out", "/nonexistent/dir/x.png"), "does not exist"),
        (("render", "xinchuansha", "--out", "x.png", "--viewpoint", "moon"), "no viewpoint 'moon'"),
    ],
)
def test_bad_input_gives_one_line_and_nonzero_status(args, message):
    result = run(*args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or lines[0].startswith("usage:"), result.stderr
    assert message in result.stderr


def test_wrong_scene_file_is_named_with_line(tmp_path):
    file = write_scene(tmp_path / "bad", MINIMAL_SCENE.replace('kind = "rainfall"',
                                                               'kind = "snowfall"'))
    result = run("info", str(file.parent))
    assert result.returncode == 2
    line = next(n for n, t in enumerate(file.read_text().splitlines(), 1) if "snowfall" in t)
    assert result.stderr.startswith(f"twin-app: error: {file.resolve()}:{line} [sensors[1].kind]")
    assert "'water_level'" in result.stderr


def test_open_without_display_says_so_in_one_line():
    result = run("open", "xinchuansha")
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1
    assert "no display" in result.stderr
    assert "xvfb-run make run" in result.stderr and "twin-app render" in result.stderr


@pytest.mark.gui
def test_open_shows_the_scene_in_a_window_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "window.png"
    result = run("open", "xinchuansha", "--screenshot", str(shot), "--quit-after-load",
                 display=True)
    assert result.returncode == 0, result.stderr
    image = np.asarray(Image.open(shot).convert("RGB"))
    assert image.shape[0] > 400 and image.astype(int).std() > 20


FRAME_A = ("7E7E05001122334403E832002B020034170718110016F1F1001122334448F0F017071811002019"
           "00004026190000403923000104903812109903A421")


def test_sl651_decode_explains_a_frame_and_rejects_a_bad_crc():
    result = run("telemetry", "sl651-decode", FRAME_A, "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["ok"] is True
    text = run("telemetry", "sl651-decode", FRAME_A).stdout
    assert "10.49 m" in text and "ACCEPTED" in text
    bad = run("telemetry", "sl651-decode", FRAME_A[:-1] + "2")
    assert bad.returncode == 1
    assert "bad CRC: computed A421, frame carries A422" in bad.stdout
    garbage = run("telemetry", "sl651-decode", "zz")
    assert garbage.returncode == 2
    assert "not a frame in hex" in garbage.stderr
