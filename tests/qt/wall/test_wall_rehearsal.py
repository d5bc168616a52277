"""The wall's rehearsal tile in a real window: the scene's latest rehearsal on a loop, or a note.

The scene is the bowl of the simulation tests with its ``twin_example`` scenarios; the runs are
real (worker processes), started by the remote over HTTP or found in the runs folder.  The water
drawn is read back from the tile's render pipeline; the figures are checked against the frame
files read here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from qtpy.QtCore import QRect

from tests.qt.wall.wall_helpers import TOKEN, call_in_thread, layout_with
from tests.sim.factory import write_scene
from twin_app.core.paths import rehearsal_runs_dir
from twin_app.core.scene_loader import load_scene
from twin_app.qt.wall.app import start_remote
from twin_app.qt.wall.rehearsal import RehearsalTile
from twin_app.qt.wall.window import WallWindow
from twin_app.sim.host import RehearsalRun
from twin_app.sim.outputs import read_frame
from twin_app.sim.scenario import rehearsal_from_values

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

WET = 0.05  # twin_example's wet threshold (its manifest)


def fast_loop_layout():
    """The default layout, its rehearsal tile looping in 2 s and looking for runs twice a second."""
    layout = layout_with(interval_s=3600)
    tiles = [tile.model_copy(update={"loop_s": 2.0, "fps": 10.0, "rescan_s": 0.5})
             if tile.kind == "rehearsal" else tile for tile in layout.tiles]
    return layout.model_copy(update={"tiles": tiles})


@pytest.fixture
def bowl(tmp_path):
    return write_scene(tmp_path / "bowl")


def open_wall(qtbot, scene: Path) -> WallWindow:
    wall = WallWindow(fast_loop_layout(), language="en", height=1080)
    qtbot.addWidget(wall)
    wall.place(QRect(0, 0, 1920, 1080), full_screen=False)
    qtbot.waitExposed(wall)
    with qtbot.waitSignal(wall.scene_shown, timeout=60_000):
        wall.open_scene(str(scene))
    return wall


def tile_of(wall: WallWindow) -> RehearsalTile:
    return next(t for t in wall.tiles if isinstance(t, RehearsalTile))


def request(qtbot, wall, method, path):
    future = call_in_thread(f"{wall.remote.url}{path}", method, TOKEN)
    qtbot.waitUntil(future.done, timeout=20_000)
    return future.result()


def flooded_area(frame: Path, first: Path) -> float:
    """Area wet at ``frame`` and dry at the first frame, from the files."""
    grid = json.loads((frame.parent.parent / "grid.json").read_text())
    now, start = read_frame(frame), read_frame(first)
    flooded = (start["surface_water__depth"] < WET) & (now["surface_water__depth"] >= WET)
    return float(flooded.sum()) * abs(grid["spacing"][0] * grid["spacing"][1])


def water_actor_drawn(tile: RehearsalTile) -> bool:
    actors = tile.plotter.renderer.actors
    return "rehearsal" in actors and bool(actors["rehearsal"].GetVisibility())


def test_without_a_rehearsal_the_tile_says_so_and_the_remote_starts_one(qtbot, bowl):
    wall = open_wall(qtbot, bowl)
    start_remote(wall, "127.0.0.1:0", TOKEN)
    tile = tile_of(wall)
    wall.retranslate()
    assert wall.rehearsal.state == "none"
    assert 'The remote can start "Bathtub"' in tile.note.text()
    assert tile.figures_row.isHidden() and tile.water_cells() == 0

    status, answer = request(qtbot, wall, "POST", "/rehearsal/start?scenario=nope")
    assert status == 404 and "bathtub, too_wet" in answer["error"]
    status, answer = request(qtbot, wall, "POST", "/rehearsal/start")
    assert status == 200 and answer["result"]["started"] == "bathtub"
    status, answer = request(qtbot, wall, "POST", "/rehearsal/start")
    assert status == 409 and "running already" in answer["error"]

    qtbot.waitUntil(lambda: wall.rehearsal.state == "looping", timeout=90_000)
    loop = wall.rehearsal
    frames = [Path(f.path) for f in loop.playback.frames]
    assert len(frames) == 4
    qtbot.waitUntil(lambda: loop.index == 3, timeout=10_000)
    assert tile.water_cells() > 0 and water_actor_drawn(tile)
    expected = flooded_area(frames[3], frames[0])
    assert expected > 0
    assert tile.area_figure.value.text() == f"{expected / 1e6:.2f} km²"
    assert tile.time_figure.value.text() == "0.5 h"
    assert tile.name_label.text() == "Bathtub"
    assert tile.isVisible() and tile.figures_row.isVisible()
    status, answer = request(qtbot, wall, "GET", "/status")
    assert answer["result"]["rehearsal"]["state"] == "looping"
    assert answer["result"]["rehearsal"]["scenario"] == "bathtub"
    wall.close()


def test_the_latest_run_of_the_scene_loops_on_the_wall_clock(qtbot, bowl):
    document = load_scene(bowl)
    scenario = document.spec.scenarios[0]
    folder = rehearsal_runs_dir() / "bowl" / "twin_example-earlier"
    rehearsal = rehearsal_from_values(
        scenario.plugin, dict(scenario.parameters), duration_h=scenario.duration_h,
        output_interval_min=scenario.output_interval_min, out_dir=folder, scene=document)
    result = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=120).start().wait(120)
    assert result.state == "succeeded", result.log_tail

    wall = open_wall(qtbot, bowl)
    tile = tile_of(wall)
    qtbot.waitUntil(lambda: wall.rehearsal.state == "looping", timeout=30_000)
    assert wall.rehearsal.source.folder == folder.resolve()
    seen, drawn = set(), {}

    def record() -> bool:
        index = wall.rehearsal.index
        seen.add(index)
        drawn[index] = tile.water_cells()
        return len(seen) == 4

    qtbot.waitUntil(record, timeout=10_000)  # a 2-s loop shows every frame
    assert drawn[3] > 0 and drawn[3] >= drawn[1]
    frames = [Path(f.path) for f in wall.rehearsal.playback.frames]
    land = read_frame(frames[0])["surface_water__depth"] < WET
    deepest = max(float(read_frame(f)["surface_water__depth"][land].max()) for f in frames)
    qtbot.waitUntil(lambda: tile.overlay_water.layer.actor is not None, timeout=5_000)
    mapper = tile.overlay_water.layer.actor.GetMapper()
    assert mapper.GetScalarRange() == pytest.approx((0.0, max(0.5, np.ceil(deepest * 2) / 2)))
    loops = wall.rehearsal.loops
    qtbot.waitUntil(lambda: wall.rehearsal.loops > loops, timeout=10_000)
    assert tile.name_label.text() == "Bathtub"
    assert tile.note.text().startswith("Shows ")
    assert wall.workspace.clock.mode == "live", "the wall's own clock is not moved by the loop"
    wall.close()
