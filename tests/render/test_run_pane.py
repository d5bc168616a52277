"""One side of a side-by-side comparison: a run's water at the clock's time, on a shared scale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import pyvista as pv

from twin_app.core.geo import HeightDatum, SceneFrame
from twin_app.render.run_pane import PANE_LAYER, RunPane, common_peak
from twin_app.sim.outputs import FrameInfo
from twin_app.sim.playback import Playback
from twin_app.sim.sdk import GridInfo

pytestmark = pytest.mark.needs_rendering

START = datetime(2024, 9, 16, tzinfo=UTC)
GRID = GridInfo(shape=(6, 8), spacing=(10.0, 10.0), origin=(3484000.0, 340000.0),
                crs="EPSG:4549")
DEPTH = "surface_water__depth"


def _playback(tmp_path, name: str, rise_m: float) -> Playback:
    """A run whose water rises by ``rise_m`` an hour over the east half, a frame an hour."""
    folder = tmp_path / name
    folder.mkdir()
    playback = Playback(GRID, START, DEPTH, 0.05, folder, name)
    ground = np.zeros(GRID.shape)
    for index in range(3):
        depth = np.zeros(GRID.shape)
        depth[:, 4:] = rise_m * index
        path = folder / f"frame_{index:05d}.npz"
        np.savez(path, time_s=np.array(3600.0 * index), topographic__elevation=ground,
                 **{DEPTH: depth})
        playback.add_frame(FrameInfo(index, 3600.0 * index, str(path)))
    return playback


def test_a_pane_draws_its_run_at_the_time_and_only_when_it_changed(tmp_path):
    low, high = _playback(tmp_path, "low", 0.2), _playback(tmp_path, "high", 0.5)
    assert common_peak([low, high]) == pytest.approx(1.0)
    frame = SceneFrame("EPSG:4549", (340000.0, 3484000.0, 0.0),
                       HeightDatum("吴淞高程", "Wusong datum", -1.66))
    plotter = pv.Plotter(off_screen=True, window_size=(200, 150))
    try:
        pane = RunPane(plotter, frame, lambda grid: None)
        assert pane.show(low, START - timedelta(hours=1), 1.0)  # before the run: no water
        assert pane.index is None and pane.summary is None and pane.shown_depth() is None
        assert pane.show(low, START + timedelta(hours=2, minutes=10), 1.0)
        assert pane.index == 2
        np.testing.assert_allclose(pane.shown_depth(), low.depth(2))
        assert PANE_LAYER in plotter.renderer.actors
        assert pane.layer.clim == (0.0, 1.0)  # the shared scale, not this run's 0.4 m
        assert pane.summary.wet_peak_m == pytest.approx(0.4)
        assert pane.summary.wet_area_m2 == pytest.approx(6 * 4 * 100.0)
        assert not pane.show(low, START + timedelta(hours=2, minutes=40), 1.0)  # same frame
        assert pane.show(high, START + timedelta(hours=1), 1.0)  # another run
        np.testing.assert_allclose(pane.shown_depth(), high.depth(1))
        pane.clear()
        assert PANE_LAYER not in plotter.renderer.actors
    finally:
        plotter.close()


def test_the_colour_scale_tops_at_the_flooding_not_at_the_river(tmp_path):
    """A river 10 m deep from the start must not wash out 0.4 m of flooding on land."""
    folder = tmp_path / "river"
    folder.mkdir()
    playback = Playback(GRID, START, DEPTH, 0.05, folder, "river")
    for index in range(3):
        depth = np.zeros(GRID.shape)
        depth[:, :2] = 10.0  # the river, there from the first frame
        depth[:, 4:] = 0.2 * index  # the land floods
        path = folder / f"frame_{index:05d}.npz"
        np.savez(path, time_s=np.array(3600.0 * index), **{DEPTH: depth})
        playback.add_frame(FrameInfo(index, 3600.0 * index, str(path)))
    assert playback.depth_scale_top() == pytest.approx(0.4)
    assert common_peak([playback]) == pytest.approx(0.4)
    dry = Playback(GRID, START, DEPTH, 0.05, folder, "none")
    assert dry.depth_scale_top() == pytest.approx(0.1)  # no frames yet: the smallest scale
