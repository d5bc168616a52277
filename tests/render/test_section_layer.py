"""The seepage section in the 3D scene (off-screen): a slice coloured by head, animated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import pyvista as pv

from tests.seepage_events import tide_frames
from twin_app.core.geo import SceneFrame
from twin_app.core.scene_loader import load_scene
from twin_app.render.section_layer import SectionLayer

pytestmark = pytest.mark.needs_rendering

SHOTS = Path("/tmp/seepage_shots")


@pytest.fixture(scope="module")
def frames():
    return tide_frames()


@pytest.fixture
def plotter():
    plotter = pv.Plotter(off_screen=True, window_size=(900, 450))
    plotter.set_background("#1c2a3a")
    yield plotter
    plotter.close()


def test_the_slice_stands_on_its_line_and_plays_the_tide(frames, plotter):
    scene = load_scene("huangpu").spec
    frame = SceneFrame.from_scene(scene)
    layer = SectionLayer(plotter, frames, frame)
    points = layer.surface.points
    # all points on the vertical plane of the line (northing 3458516.13), from the river end
    assert np.allclose(points[:, 1] + frame.origin[1], 3458516.13)
    assert points[:, 0].max() + frame.origin[0] == pytest.approx(641646.31)
    assert {"surface", "contours", "phreatic", "arrows", "wall0", "pile0"} <= set(layer.actors)
    assert layer.actors["arrows"].GetMapper().GetInput().n_points > 100
    layer.look_at()
    first = plotter.screenshot(return_img=True)
    peak = int(np.argmax(frames.stage))
    layer.show(peak)
    plotter.render()
    assert np.array_equal(layer.surface.point_data["value"], frames.head[peak])
    shown = plotter.screenshot(return_img=True)
    assert not np.array_equal(first, shown)  # the tide moved the heads
    background = np.array([0x1C, 0x2A, 0x3A])
    drawn = np.any(np.abs(shown.astype(int) - background) > 10, axis=2).mean()
    assert drawn > 0.2
    SHOTS.mkdir(exist_ok=True)
    plotter.screenshot(SHOTS / "layer_peak_head.png")
    layer.show(peak, "pressure")
    plotter.render()
    assert layer.surface.point_data["value"] == pytest.approx(frames.pressure(peak))
    plotter.screenshot(SHOTS / "layer_peak_pressure.png")
    layer.remove()
    assert not layer.actors and not plotter.scalar_bars


def test_the_cut_opens_the_scene_on_the_far_side(frames, plotter):
    frame = SceneFrame.from_scene(load_scene("huangpu").spec)
    layer = SectionLayer(plotter, frames, frame)
    north_of = (0.0, layer.origin[1] + 50.0, 10.0)
    cut = layer.cut(north_of)
    assert cut.kind == "plane" and cut.normal == pytest.approx((0.0, -1.0, 0.0))
    assert cut.origin[1] == pytest.approx(layer.origin[1] - 0.05)
    assert layer.cut((0.0, layer.origin[1] - 50.0, 10.0)).normal == pytest.approx((0, 1, 0))
