"""Playback of a rehearsal on the app clock, from a live run and from its run folder."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from twin_app.sim.host import RehearsalRun
from twin_app.sim.playback import Playback, PlaybackError
from twin_app.sim.scenario import rehearsal_from_values

START = datetime(2024, 9, 16, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, small_dem):
    """A 3-hour bathtub run of the example plugin on the bowl DEM, a frame every 30 minutes."""
    rehearsal = rehearsal_from_values(
        "twin_example", {"rainfall_mm_h": 60.0, "coarsen": 1, "time_step_s": 600.0},
        duration_h=3.0, output_interval_min=30.0, out_dir=tmp_path_factory.mktemp("run"),
        dem_path=str(small_dem), start=START)
    playback: list[Playback] = []

    def follow(event):
        if event.kind == "initialized":
            playback.append(Playback(run.grid, START, "surface_water__depth", 0.01,
                                     run.run_dir))
        elif event.kind == "frame":
            playback[0].add_frame(event.frame)

    run = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=120, on_event=follow)
    run.start()
    result = run.wait(120)
    assert result.state == "succeeded", result.log_tail
    return run, playback[0]


def test_frames_map_onto_the_clock(finished_run):
    run, live = finished_run
    assert len(live.frames) == len(run.frames) == 7  # 0, 30, ..., 180 min
    assert live.index_at(START - timedelta(seconds=1)) is None
    assert live.index_at(START) == 0
    assert live.index_at(START + timedelta(minutes=44)) == 1
    assert live.index_at(START + timedelta(minutes=45)) == 1
    assert live.index_at(START + timedelta(hours=9)) == 6  # the last frame stays
    assert live.time_of(2) == START + timedelta(hours=1)
    assert live.end_time == START + timedelta(hours=3)


def test_depth_level_maps_and_hydrograph(finished_run):
    _, live = finished_run
    depths = [live.depth(i) for i in range(len(live.frames))]
    assert depths[0].shape == live.grid.shape
    assert depths[-1].max() > depths[1].max() > 0  # the bowl fills under steady rain
    np.testing.assert_allclose(live.max_depth(), np.max(depths, axis=0))
    level = live.level(6)
    wet = depths[6] > 0
    assert np.ptp(level[wet]) < 1e-6  # a bathtub: one flat water surface
    arrival = live.arrival_time_h()
    assert np.isnan(arrival[~(np.max(depths, axis=0) >= 0.01)]).all()
    assert np.nanmin(arrival) <= 0.5
    lowest = np.unravel_index(np.argmax(depths[-1]), live.grid.shape)
    y = live.grid.origin[0] + lowest[0] * live.grid.spacing[0]
    x = live.grid.origin[1] + lowest[1] * live.grid.spacing[1]
    series = live.hydrograph(x, y)
    assert series.node == tuple(int(v) for v in lowest)
    assert np.all(np.diff(series.depth_m) >= 0)
    assert live.hydrograph(x - 1e6, y) is None


def test_a_run_folder_reopens_the_same(finished_run):
    run, live = finished_run
    again = Playback.open(run.run_dir, "surface_water__depth")
    assert again.grid == live.grid
    assert again.start_time == START
    assert [f.time_s for f in again.frames] == [f.time_s for f in live.frames]
    np.testing.assert_allclose(again.depth(5), live.depth(5))


def test_a_folder_that_is_not_a_run_says_so(tmp_path):
    with pytest.raises(PlaybackError, match="not a rehearsal run folder"):
        Playback.open(tmp_path, "surface_water__depth")
