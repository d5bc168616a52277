"""Output frames: an array that does not change is written once, and every frame reads whole."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from twin_app.sim.bmi import BmiAdapter
from twin_app.sim.config import RunConfig
from twin_app.sim.discovery import find_plugin, load_model_class
from twin_app.sim.host import RehearsalRun
from twin_app.sim.outputs import (
    HELD_IN,
    HELD_NAMES,
    FrameFileError,
    FrameWriter,
    read_frame,
    write_frame,
)
from twin_app.sim.playback import Playback
from twin_app.sim.scenario import rehearsal_from_values

START = datetime(2024, 9, 16, 0, 0, tzinfo=UTC)
GROUND = "topographic__elevation"
DEPTH = "surface_water__depth"


@pytest.fixture(scope="module")
def finished(tmp_path_factory, small_dem):
    """A 2-hour rain run of the example plugin on the bowl DEM, a frame every 30 minutes."""
    rehearsal = rehearsal_from_values(
        "twin_example", {"rainfall_mm_h": 60.0, "coarsen": 1, "time_step_s": 600.0},
        duration_h=2.0, output_interval_min=30.0, out_dir=tmp_path_factory.mktemp("run"),
        dem_path=str(small_dem), start=START)
    result = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=120).start().wait(120)
    assert result.state == "succeeded", result.log_tail
    return result


def test_the_ground_is_written_once_and_read_in_every_frame(finished):
    paths = [Path(frame.path) for frame in finished.frames]
    assert len(paths) == 5
    with np.load(paths[0]) as first:
        assert {GROUND, DEPTH} <= set(first.files) and HELD_NAMES not in first.files
        ground = first[GROUND]
    for path in paths[1:]:
        with np.load(path) as data:
            assert GROUND not in data.files and DEPTH in data.files  # the depth changes
            assert data[HELD_NAMES].tolist() == [GROUND] and data[HELD_IN].tolist() == [0]
        arrays = read_frame(path)
        np.testing.assert_array_equal(arrays[GROUND], ground)
        assert path.stat().st_size < paths[0].stat().st_size - ground.nbytes + 1024
    depths = [read_frame(path)[DEPTH] for path in paths]
    assert depths[-1].max() > depths[1].max()
    with xr.open_dataset(finished.run_dir / "results.nc") as results:
        assert results[GROUND].dims == ("y", "x")  # unchanged: stored without time
        assert results[DEPTH].sizes["time"] == 5


def test_frames_holding_every_array_read_the_same(finished, tmp_path):
    """A run folder written before frames shared arrays (every array in every file)."""
    folder = tmp_path / "old"
    shutil.copytree(finished.run_dir, folder)
    frames = sorted((folder / "frames").glob("frame_*.npz"))
    whole = [read_frame(path) for path in frames]
    for path, arrays in zip(frames, whole, strict=True):
        np.savez(path, **arrays)  # the old layout
    playback = Playback.open(folder, DEPTH, 0.01)
    again = Playback.open(finished.run_dir, DEPTH, 0.01)
    for index in range(len(frames)):
        np.testing.assert_array_equal(playback.depth(index), again.depth(index))
        assert set(read_frame(frames[index])) == set(whole[index])
    np.testing.assert_array_equal(playback.ground, again.ground)


def test_a_frame_whose_holder_is_gone_says_what_to_do(finished, tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(finished.run_dir, folder)
    (folder / "frames" / "frame_00000.npz").unlink()
    with pytest.raises(FrameFileError) as error:
        read_frame(folder / "frames" / "frame_00001.npz")
    message = str(error.value)
    assert "frame_00001.npz keeps topographic__elevation in frame_00000.npz" in message
    assert "run the rehearsal again" in message


def test_variables_always_written_stay_in_every_frame(small_dem, tmp_path):
    """Unchanged frames: the ground goes to the first frame, the depth stays (readers want it)."""
    model_class = load_model_class(find_plugin("twin_example"))
    bmi = BmiAdapter(model_class)
    bmi.initialize_config(RunConfig(plugin="twin_example",
                                    parameters={**model_class.tables.defaults(), "coarsen": 1},
                                    duration_s=3600.0, output_interval_s=1800.0,
                                    dem_path=str(small_dem), run_dir=str(tmp_path)))
    writer = FrameWriter(tmp_path, always=[DEPTH])
    frames = [Path(writer.write(bmi.model, index).path) for index in range(2)]  # no step between
    with np.load(frames[1]) as data:
        assert DEPTH in data.files and GROUND not in data.files
        assert data[HELD_NAMES].tolist() == [GROUND]
    whole = Path(write_frame(bmi.model, tmp_path / "whole", 1).path)  # a writer of its own
    with np.load(whole) as data:
        assert {DEPTH, GROUND} <= set(data.files) and HELD_NAMES not in data.files
    assert read_frame(frames[1]).keys() == read_frame(whole).keys()
