"""Accelerated soak of the wall's rehearsal tile: real Xinchuansha runs looped for many passes.

Two real ``twin_flood`` runs of the Xinchuansha scene (6 model hours each, a frame every
5 minutes: 73 frames) are made in the runs folder first.  The wall then shows the scene with its
rehearsal tile looping a run in 3 s at 15 frames a second (20 times the default 60 s at 2 fps)
and looking for newer runs every second; every cycle the other run is made the newest, so the
tile opens it and replaces its water layer.  Over about 90 s that is some 30 passes, well over a
thousand drawn frames and a dozen run folders opened: a few days of a wall whose operators run a
rehearsal every few hours.

After the first cycle (the warm-up) and after the last it counts memory, file descriptors,
QObjects, VTK objects, renderer props and threads (``wall_helpers.census``); none may grow
beyond :data:`TOLERANCE`.  Memory is the anonymous resident memory (the heap, after
``malloc_trim``): the whole RSS also counts file-backed pages the kernel may drop at any time
(on a shared machine it fell by 250 MB in mid-run once), which hides a leak as well as it fakes
one.  The figures go to ``/tmp/wall_shots/rehearsal_soak.json``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from qtpy.QtCore import QRect

from tests.qt.wall.wall_helpers import assert_flat, census, layout_with
from twin_app.core.paths import rehearsal_runs_dir
from twin_app.core.scene_loader import load_scene
from twin_app.qt.wall.rehearsal import RehearsalTile
from twin_app.qt.wall.window import WallWindow
from twin_app.sim.host import RehearsalRun
from twin_app.sim.scenario import rehearsal_from_values

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering, pytest.mark.slow]

CYCLES = 7
SECONDS_PER_CYCLE = 13.0
RUN_HOURS = 6.0
TOLERANCE = {"anon_mb": 25.0, "fds": 1, "qobjects": 0, "vtk_objects_pct": 5.0, "props": 0,
             "threads": 1}
SHOTS = Path(os.environ.get("TWIN_APP_WALL_SHOTS", "/tmp/wall_shots"))


def make_runs() -> list[Path]:
    """Run the scene's two scenarios for 6 model hours each, into the runs folder."""
    document = load_scene("xinchuansha")
    folders = []
    for scenario in document.spec.scenarios[:2]:
        folder = rehearsal_runs_dir() / "xinchuansha" / f"twin_flood-soak-{scenario.id}"
        rehearsal = rehearsal_from_values(
            scenario.plugin, dict(scenario.parameters), duration_h=RUN_HOURS,
            output_interval_min=5.0, out_dir=folder, scene=document)
        result = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=240).start().wait(240)
        assert result.state == "succeeded", result.log_tail
        folders.append(folder.resolve())
    return folders


def make_newest(folder: Path) -> None:
    now = time.time()
    os.utime(folder / "run_config.json", (now, now))


def test_the_rehearsal_tile_loops_for_days_without_growing(qtbot):
    folders = make_runs()
    layout = layout_with(interval_s=3600)
    tiles = [tile.model_copy(update={"loop_s": 3.0, "fps": 15.0, "rescan_s": 1.0})
             if tile.kind == "rehearsal" else tile for tile in layout.tiles]
    wall = WallWindow(layout.model_copy(update={"tiles": tiles}), language="zh_CN", height=1080)
    qtbot.addWidget(wall)
    wall.place(QRect(0, 0, 1920, 1080), full_screen=False)
    qtbot.waitExposed(wall)
    with qtbot.waitSignal(wall.scene_shown, timeout=120_000):
        wall.open_scene("xinchuansha")
    tile = next(t for t in wall.tiles if isinstance(t, RehearsalTile))
    started = time.monotonic()
    samples = []
    for cycle in range(CYCLES):
        shown = folders[cycle % 2]
        make_newest(shown)
        qtbot.waitUntil(lambda shown=shown: wall.rehearsal.source is not None
                        and wall.rehearsal.source.folder == shown, timeout=60_000)
        qtbot.wait(round(SECONDS_PER_CYCLE * 1000))
        assert tile.water_cells() > 0, "the river and the sea are drawn as water"
        sample = census(wall)
        sample.update(opened=wall.rehearsal.opened, loops=wall.rehearsal.loops,
                      frames_shown=wall.rehearsal.frames_shown)
        samples.append(sample)
    elapsed = time.monotonic() - started
    warm, end = samples[0], samples[-1]
    growth = {key: round(end[key] - warm[key], 2) for key in warm}
    report = {"seconds": round(elapsed, 1), "cycles": CYCLES, "warm": warm, "end": end,
              "growth": growth, "samples": samples, "tolerance": TOLERANCE}
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "rehearsal_soak.json").write_text(json.dumps(report, indent=2))
    summary = json.dumps(growth)
    assert end["opened"] >= CYCLES, summary
    assert growth["loops"] >= 20, summary
    assert growth["frames_shown"] >= 150, summary  # at most 5 a second (the wall's tick)
    assert_flat(growth, warm, TOLERANCE, memory="anon_mb")
    wall.close()
