"""What tells two rehearsals apart, and the session's choice of two runs shown side by side."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.scene_loader import load_scene
from twin_app.sim.compare import differing_parameters, run_parameters
from twin_app.sim.discovery import find_plugin
from twin_app.sim.host import RehearsalRun
from twin_app.sim.playback import Playback
from twin_app.sim.scenario import rehearsal_from_values
from twin_app.sim.session import ComparisonError, RehearsalEntry, RehearsalSession

START = datetime(2024, 9, 16, 0, 0, tzinfo=UTC)
RAINS = (20.0, 80.0)


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory, small_dem):
    """Two 2-hour runs of the example plugin on the bowl DEM, with light and heavy rain."""
    folders = []
    for rain in RAINS:
        rehearsal = rehearsal_from_values(
            "twin_example", {"rainfall_mm_h": rain, "coarsen": 1, "time_step_s": 600.0},
            duration_h=2.0, output_interval_min=30.0, out_dir=tmp_path_factory.mktemp("run"),
            dem_path=str(small_dem), start=START)
        result = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=120).start().wait(120)
        assert result.state == "succeeded", result.log_tail
        folders.append(rehearsal.config.run_dir)
    return folders


def test_titles_name_the_parameters_that_differ(run_dirs):
    light, heavy = (run_parameters(folder) for folder in run_dirs)
    assert light["rainfall_mm_h"] == RAINS[0] and heavy["rainfall_mm_h"] == RAINS[1]
    table = find_plugin("twin_example").manifest.parameters
    difference = differing_parameters(light, heavy, table)
    assert difference.shown == ["rainfall_mm_h = 20 mm h-1"]
    assert difference.more == 0 and not difference.none
    assert differing_parameters(light, dict(light), table).none
    many = differing_parameters({f"p{i}": i for i in range(6)}, {})
    assert many.shown == ["p0 = 0", "p1 = 1", "p2 = 2", "p3 = 3"] and many.more == 2
    assert differing_parameters({"closed": True}, {"closed": False}).shown == ["closed = true"]
    assert run_parameters(None) == {}
    assert run_parameters(run_dirs[0].rsplit("/", 1)[0]) == {}  # not a run folder


def test_wet_summary_counts_peak_and_area(run_dirs):
    playback = Playback.open(run_dirs[1], "surface_water__depth", 0.01)
    last = len(playback.frames) - 1
    depth, first = playback.depth(last), playback.depth(0)
    summary = playback.wet_summary(last)
    cell = abs(playback.grid.spacing[0] * playback.grid.spacing[1])
    assert summary.time_s == pytest.approx(7200.0)
    assert summary.index == last
    assert summary.wet_peak_m == pytest.approx(depth.max())
    assert summary.wet_area_m2 == pytest.approx(np.count_nonzero(depth >= 0.01) * cell)
    flooded = (depth >= 0.01) & (first < 0.01)
    assert summary.flooded_area_m2 == pytest.approx(np.count_nonzero(flooded) * cell)
    assert summary.flooded_peak_m == pytest.approx(depth[flooded].max(initial=0.0))
    assert summary.wet_area_m2 > 0


def test_the_session_holds_the_two_runs_shown_side_by_side(run_dirs, tmp_path):
    session = RehearsalSession(load_scene(write_scene(tmp_path / "scene", MINIMAL_SCENE)),
                               tmp_path / "runs")
    for folder in run_dirs:
        session.open_folder(folder, "twin_example")
    changes = []
    session.changed.connect(lambda: changes.append(session.side_by_side))
    with pytest.raises(ComparisonError, match="cannot be compared with itself"):
        session.compare_side_by_side(0, 0)
    with pytest.raises(ComparisonError, match="no rehearsal number 3"):
        session.compare_side_by_side(0, 2)
    session.entries.append(RehearsalEntry("pending run", "twin_example"))
    with pytest.raises(ComparisonError, match="pending run has no results yet"):
        session.compare_side_by_side(0, 2)
    assert session.side_by_side is None and changes == []
    session.compare_side_by_side(1, 0)
    assert session.side_by_side == (1, 0) and changes == [(1, 0)]
    session.end_side_by_side()
    session.end_side_by_side()  # already one view: nothing to tell
    assert session.side_by_side is None and changes == [(1, 0), None]
