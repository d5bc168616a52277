"""The wall's rehearsal loop: real runs of the example plugin on the bowl scene, found and looped.

The runs are real (a worker process runs ``twin_example``); the figures are checked against the
frame files read here with numpy, not against the loop's own numbers.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sim.factory import write_scene
from twin_app.core.scene_loader import load_scene
from twin_app.sim.loop import (
    LoopError,
    RehearsalLoop,
    UnknownScenarioError,
    matching_scenario,
    run_folders,
)
from twin_app.sim.outputs import read_frame
from twin_app.sim.session import RehearsalSession

START = datetime(2024, 9, 16, 0, 0, tzinfo=UTC)
WET = 0.05  # the example plugin's wet threshold (its manifest)


@pytest.fixture(scope="module")
def bowl(tmp_path_factory):
    return load_scene(write_scene(tmp_path_factory.mktemp("scene") / "bowl"))


def _tick_until(loop: RehearsalLoop, done, timeout_s: float = 120.0, step_s: float = 0.1):
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, loop.status()
        loop.tick(step_s)
        time.sleep(0.05)


def _expected(frame: Path, first: Path) -> tuple[float, float]:
    """Flooded area and peak depth of a frame file, counted here from the run's files."""
    grid = json.loads((frame.parent.parent / "grid.json").read_text())
    cell = abs(grid["spacing"][0] * grid["spacing"][1])
    depth = read_frame(frame)["surface_water__depth"]
    dry = read_frame(first)["surface_water__depth"] < WET
    flooded = dry & (depth >= WET)
    return float(flooded.sum()) * cell, float(depth[flooded].max(initial=0.0))


@pytest.fixture(scope="module")
def finished(bowl, tmp_path_factory):
    """A loop that ran the bowl's first scenario to the end (4 frames: 0, 10, 20, 30 min)."""
    runs = tmp_path_factory.mktemp("runs")
    loop = RehearsalLoop(RehearsalSession(bowl, runs), loop_s=2.0, fps=10.0, rescan_s=0.5)
    assert loop.state == "none"
    loop.start(None, START)
    states = {loop.state}
    _tick_until(loop, lambda: not loop.running and loop.index is not None)
    states.add(loop.state)
    yield loop, runs, states
    loop.close()


def test_a_started_run_is_followed_then_looped(finished):
    loop, _, states = finished
    assert "starting" in states or "running" in states
    assert loop.state == "looping"
    assert loop.entry.state == "succeeded"
    assert loop.source.scenario.id == "bathtub"
    assert loop.name().zh == "浴缸"
    assert len(loop.playback.frames) == 4


def test_a_finished_run_loops_over_every_frame_on_the_wall_clock(finished):
    loop, _, _ = finished
    seen = []
    loops = loop.loops
    for _ in range(45):  # 4.5 s at 0.1 s: two passes of 2 s
        loop.tick(0.1)
        seen.append(loop.index)
        assert loop.clock.time == loop.playback.time_of(loop.index)
    assert set(seen) == {0, 1, 2, 3}
    assert loop.loops - loops == 2
    assert seen.index(3) < seen.index(0, seen.index(3))  # the last frame, then from the start


def test_figures_count_the_water_that_was_not_there_at_the_start(finished):
    loop, _, _ = finished
    frames = [Path(f.path) for f in loop.playback.frames]
    for index, frame in enumerate(frames):
        while loop.index != index:
            loop.tick(0.1)
        area, peak = _expected(frame, frames[0])
        figures = loop.figures()
        assert figures.flooded_area_m2 == pytest.approx(area)
        assert figures.flooded_peak_m == pytest.approx(peak)
        assert figures.time_s == pytest.approx(600.0 * index)
    last_area, _ = _expected(frames[-1], frames[0])
    assert last_area > 0, "the bowl floods under the rain"
    assert loop.run_maximum().flooded_area_m2 == pytest.approx(last_area)
    status = loop.status()
    assert status["state"] == "looping" and status["frames"] == 4
    assert status["scenario"] == "bathtub" and status["name"] == "浴缸"


def test_another_loop_finds_the_run_folder_and_names_its_scenario(finished, bowl):
    first, runs, _ = finished
    loop = RehearsalLoop(RehearsalSession(bowl, runs), loop_s=2.0, fps=10.0, rescan_s=0.5)
    try:
        _tick_until(loop, lambda: loop.index is not None, timeout_s=30)
        assert loop.source.folder == first.source.folder
        assert loop.source.scenario.id == "bathtub"
        assert loop.entry.running is False and len(loop.session.entries) == 1
        assert {i: f.flooded_area_m2 for i, f in loop._figures.items()} == \
            {i: f.flooded_area_m2 for i, f in first._figures.items()}
    finally:
        loop.close()


def test_a_newer_run_folder_replaces_the_one_shown(finished, bowl, tmp_path):
    _, runs, _ = finished
    loop = RehearsalLoop(RehearsalSession(bowl, runs), loop_s=2.0, fps=10.0, rescan_s=0.5)
    try:
        _tick_until(loop, lambda: loop.index is not None, timeout_s=30)
        shown = loop.source.folder
        copy = shown.parent / "twin_example-copy"
        copy.mkdir()
        for path in shown.rglob("*"):
            target = copy / path.relative_to(shown)
            if path.is_dir():
                target.mkdir(exist_ok=True)
            else:
                target.write_bytes(path.read_bytes())
        config = json.loads((copy / "run_config.json").read_text())
        config["parameters"]["rainfall_mm_h"] = 51.0  # no longer the scenario's
        (copy / "run_config.json").write_text(json.dumps(config))
        later = time.time() + 10
        os.utime(copy / "run_config.json", (later, later))
        _tick_until(loop, lambda: loop.source.folder == copy.resolve(), timeout_s=30)
        assert loop.source.scenario is None
        assert loop.name().en == "twin_example-copy"
        assert len(loop.session.entries) == 1, "the loop keeps one rehearsal, not all"
    finally:
        loop.close()
        for path in sorted(copy.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        copy.rmdir()


def test_what_cannot_be_started(bowl, tmp_path):
    loop = RehearsalLoop(RehearsalSession(bowl, tmp_path), loop_s=2.0)
    try:
        with pytest.raises(UnknownScenarioError, match="bathtub, too_wet"):
            loop.start("nope", START)
        loop.start("bathtub", START)
        with pytest.raises(LoopError, match="running already"):
            loop.start("bathtub", START)
    finally:
        loop.close()  # cancels the run still going
    result = loop.entry.run.wait(30)
    assert result.state in ("cancelled", "succeeded") and loop.entry.run.done


def test_run_folders_keep_map_runs_with_frames_newest_first(tmp_path):
    scene = tmp_path / "bowl"

    def run(name: str, plane: str, frames: int, mtime: float) -> Path:
        folder = scene / name
        (folder / "frames").mkdir(parents=True)
        (folder / "grid.json").write_text(json.dumps({"plane": plane}))
        (folder / "run_config.json").write_text("{}")
        for index in range(frames):
            (folder / "frames" / f"frame_{index:05d}.npz").write_bytes(b"")
        os.utime(folder / "run_config.json", (mtime, mtime))
        return folder

    old, new = run("old", "map", 2, 1000.0), run("new", "map", 1, 2000.0)
    run("section", "section", 3, 3000.0)
    run("empty", "map", 0, 4000.0)
    (scene / "partial" / "frames").mkdir(parents=True)  # no grid yet
    assert run_folders(tmp_path, "bowl") == [new.resolve(), old.resolve()]
    assert run_folders(tmp_path, "other") == []


def test_a_run_matches_its_scenario_only_with_the_same_values(bowl):
    scenarios = bowl.spec.scenarios
    config = {"plugin": "twin_example", "duration_s": 1800.0,
              "parameters": {"rainfall_mm_h": 50.0, "coarsen": 2, "time_step_s": 60.0}}
    assert matching_scenario(config, scenarios).id == "bathtub"
    assert matching_scenario({**config, "duration_s": 3600.0}, scenarios) is None
    changed = {**config, "parameters": {**config["parameters"], "coarsen": 3}}
    assert matching_scenario(changed, scenarios) is None
