"""MP4 export (off-screen, imageio-ffmpeg): decoded back to check frames, size and motion.

Also the review camera helpers: a map-coordinate camera put on a view and read back, and a
snapshot PNG of the view.
"""

from __future__ import annotations

import contextlib

import imageio.v3 as iio
import numpy as np
import pytest

from tests.scene_factory import MINIMAL_SCENE, TOP_DOWN_VIEWPOINT, write_scene
from twin_app.core.errors import InputError
from twin_app.core.review import CameraState
from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import build_scene_geometry
from twin_app.render.review_camera import camera_state, move_camera, snapshot_png
from twin_app.render.video import export_flythrough, export_frames
from twin_app.render.view import SceneView, offscreen_plotter

pytestmark = pytest.mark.needs_rendering

FAR = CameraState(position=(339700.0, 3483600.0, 400.0), focal_point=(340000.0, 3484000.0, 0.0))
TOP = CameraState(position=(340004.0, 3484000.0, 80.0), focal_point=(340004.0, 3484000.0, 0.0),
                  up=(0.0, 1.0, 0.0))
NEAR = CameraState(position=(339990.0, 3483960.0, 40.0), focal_point=(340000.0, 3484000.0, 2.0),
                   view_angle_deg=40.0)


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    folder = tmp_path_factory.mktemp("video") / "mini"
    return load_scene(write_scene(folder, MINIMAL_SCENE + TOP_DOWN_VIEWPOINT))


def _decode(path):
    frames = iio.imread(path)
    return np.asarray(frames)


def test_flythrough_writes_the_frames_at_the_size_asked(document, tmp_path):
    out = tmp_path / "fly.mp4"
    report = export_flythrough(document, [FAR, NEAR], out, seconds=1.2, fps=10,
                               size=(160, 96), language="en")
    frames = _decode(out)
    assert report.frames == 12 and report.size == (160, 96)
    assert frames.shape == (12, 96, 160, 3)
    first, last = frames[0].astype(float), frames[-1].astype(float)
    assert np.abs(first - last).mean() > 5, "the camera moved"
    assert first.std() > 5, "not a blank frame"


def test_odd_sizes_are_rounded_up_to_even(document, tmp_path):
    out = tmp_path / "odd.mp4"
    report = export_flythrough(document, [FAR], out, seconds=0.2, fps=10, size=(101, 75))
    assert report.size == (102, 76)
    assert _decode(out).shape == (2, 76, 102, 3)


def test_frames_callback_drives_a_playback(document, tmp_path):
    calls = []
    workspace = Workspace(language="en")
    workspace.open(document)

    def step(k, view):
        calls.append(k)
        workspace.layer("asset:sluice").visible = k % 2 == 0
        move_camera(view, TOP)

    out = tmp_path / "play.mp4"
    report = export_frames(document, out, 4, step, size=(128, 96), fps=5, workspace=workspace,
                           title=False)
    assert calls == [0, 1, 2, 3] and report.frames == 4
    frames = _decode(out).astype(float)
    assert np.abs(frames[0] - frames[1]).mean() > 0.5, "hiding the model changes the picture"
    assert np.abs(frames[0] - frames[2]).mean() < np.abs(frames[0] - frames[1]).mean()


def test_bad_requests_are_refused_and_leave_no_file(document, tmp_path):
    with pytest.raises(InputError, match=r"must end in \.mp4"):
        export_flythrough(document, [FAR], tmp_path / "x.avi", seconds=1, size=(64, 64))
    with pytest.raises(InputError, match="too small"):
        export_flythrough(document, [FAR], tmp_path / "x.mp4", seconds=1, size=(8, 8))

    def fail(k, view):
        if k == 1:
            raise RuntimeError("playback broke")

    out = tmp_path / "broken.mp4"
    with pytest.raises(RuntimeError, match="playback broke"):
        export_frames(document, out, 3, fail, size=(64, 64))
    assert not out.exists()


@contextlib.contextmanager
def _view(document):
    workspace = Workspace(language="en")
    workspace.open(document)
    plotter = offscreen_plotter(160, 120)
    try:
        yield SceneView(plotter, build_scene_geometry(document), workspace)
    finally:
        plotter.close()


def test_camera_round_trip_and_snapshot(document):
    with _view(document) as view:
        move_camera(view, NEAR)
        back = camera_state(view)
        assert np.allclose(back.position, NEAR.position) and np.allclose(
            back.focal_point, NEAR.focal_point)
        assert back.view_angle_deg == pytest.approx(40.0)
        ortho = CameraState(position=(340000.0, 3484000.0, 300.0),
                            focal_point=(340000.0, 3484000.0, 0.0), up=(0.0, 1.0, 0.0),
                            projection="orthogonal", view_height_m=80.0)
        move_camera(view, ortho, render=True)
        assert camera_state(view).view_height_m == pytest.approx(80.0)
        png = snapshot_png(view)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = iio.imread(png)
    assert image.shape[:2] == (120, 160)
