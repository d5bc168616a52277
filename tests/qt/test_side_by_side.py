"""Two rehearsals side by side in a real window: one camera, one clock, each view its own water."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import shiboken6
from qtpy.QtCore import QPoint, Qt

from tests.qt.windows import window_on
from twin_app.render.linked_views import camera_pose
from twin_app.render.run_pane import PANE_LAYER

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

START = datetime(2025, 9, 16, 0, 0, tzinfo=UTC)
SCENARIO = "suzhou_high_water_closed"
PEAKS = (4.79, 5.6)


@pytest.fixture
def window(qtbot):
    with window_on(qtbot, "suzhou_west_gate") as main:
        yield main


def _run(qtbot, window, peak_level_m: float):
    """Run the scene's design-high-water scenario for 1.5 h on 30 m cells, peaking at 1 h."""
    dock = window.rehearsal_dock
    index = next(i for i in range(dock.scenario_box.count())
                 if dock.scenario_box.itemData(i) == ("scenario", SCENARIO))
    dock.scenario_box.setCurrentIndex(index)
    dock.fields["cell_size_m"].setValue(30.0)
    dock.fields["peak_level_m"].setValue(peak_level_m)
    dock.fields["peak_time_h"].setValue(1.0)
    dock.duration.setValue(1.5)
    dock.interval.setValue(30.0)
    window.workspace.clock.set_time(START)  # both runs start at the same clock time
    assert dock.run(), dock.status.text()
    entry = window.rehearsals.current
    qtbot.waitUntil(lambda: not entry.running, timeout=120_000)
    assert entry.state == "succeeded", entry.message
    assert len(entry.playback.frames) == 4  # 0, 30, 60, 90 min
    return entry


def _drawn_depth(plotter) -> np.ndarray:
    """Depths carried by the water actor a view draws (read back from its mapper's input)."""
    mapper = plotter.renderer.actors[PANE_LAYER].GetMapper()
    mapper.Update()
    shown = mapper.GetInput()
    values = shown.GetPointData().GetArray("depth_m")
    return np.array([values.GetValue(i) for i in range(values.GetNumberOfTuples())])


def _check_side(pane, plotter, entry, depth: np.ndarray) -> None:
    """The side draws its run's depth: on the grid, and in the actor its view draws."""
    assert pane.playback is entry.playback
    np.testing.assert_allclose(pane.shown_depth(), depth, atol=1e-6)
    drawn = _drawn_depth(plotter)
    wet = depth >= entry.playback.wet_threshold_m
    assert drawn.size >= wet.sum()
    assert drawn.max() == pytest.approx(depth[wet].max(), abs=1e-5)


def _wait_until_both_rest(qtbot, window, side, quiet_ms: int = 1000, tries: int = 15) -> None:
    """Wait until neither view draws nor asks for a frame for ``quiet_ms`` (fail if never)."""
    def state():
        return window.plotter.frames, side.plotter.frames, tuple(side.link.requests)

    before = state()
    for _ in range(tries):
        qtbot.wait(quiet_ms)
        now = state()
        if now == before:
            return
        before = now
    raise AssertionError(f"the views kept drawing: frames and requests {before}")


def _drag(qtbot, widget, dx: int) -> None:
    centre = widget.rect().center()
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=centre)
    for step in range(1, 6):
        qtbot.mouseMove(widget, centre + QPoint(dx * step // 5, 0))
        qtbot.wait(20)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=centre + QPoint(dx, 0))


def test_two_runs_side_by_side_on_one_camera_and_clock(qtbot, window):
    runs = [_run(qtbot, window, peak) for peak in PEAKS]
    dock, side = window.rehearsal_dock, window.panels.side_by_side
    left_renderer = window.plotter.renderer
    assert not left_renderer.HasObserver("EndEvent")

    # a run compared with itself is refused, and says so
    dock.runs_box.setCurrentIndex(0)
    dock.compare_box.setCurrentIndex(0)
    dock.side_by_side_button.click()
    assert "cannot be compared with itself" in dock.status.text()
    assert not dock.side_by_side_button.isChecked()
    assert window.rehearsals.side_by_side is None

    dock.compare_box.setCurrentIndex(1)
    dock.side_by_side_button.click()
    assert window.rehearsals.side_by_side == (0, 1)
    qtbot.waitUntil(lambda: side.comparing, timeout=5000)
    window.workspace.clock.set_time(START + timedelta(hours=1))
    qtbot.waitUntil(lambda: all(pane.index == 2 for pane in side.panes), timeout=5000)

    # each view's water is its own run's depth at the clock's time (frame 2, 60 min)
    depths = [entry.playback.depth(2) for entry in runs]
    assert not np.allclose(depths[0], depths[1])  # the higher tide floods more
    _check_side(side.panes[0], window.plotter, runs[0], depths[0])
    _check_side(side.panes[1], side.plotter, runs[1], depths[1])
    assert window.rehearsal_overlay.layer is None  # the one-run water is off meanwhile

    # titles: what tells the runs apart, and the peak depth and flooded area now
    titles = side.titles()
    assert "peak_level_m = 4.79 m" in titles[0] and "peak_level_m = 5.6 m" in titles[1]
    for title, entry in zip(titles, runs, strict=True):
        summary = entry.playback.wet_summary(2)
        assert f"flooded {summary.flooded_area_m2 / 1e6:.3f} km²" in title
        assert f"deepest {summary.flooded_peak_m:.2f} m" in title
        assert f"wet with rivers {summary.wet_area_m2 / 1e6:.3f} km²" in title
    assert runs[1].playback.wet_summary(2).wet_area_m2 > runs[0].playback.wet_summary(2).wet_area_m2

    # the second view draws the window's meshes, not copies, and not the left run's water
    assert "side-by-side" not in side.mirror.mirrors
    assert any(name.startswith("terrain") for name in side.mirror.mirrors)
    for source, mirror in side.mirror.mirrors.values():
        assert mirror.GetMapper().GetInputDataObject(0, 0).GetAddressAsString("") == \
            source.GetMapper().GetInputDataObject(0, 0).GetAddressAsString("")

    # orbit the right view: the left one follows and draws the same pose
    qtbot.wait(500)
    before = camera_pose(left_renderer.GetActiveCamera())
    left_frames = window.plotter.frames
    _drag(qtbot, side.plotter.interactor, 120)
    qtbot.waitUntil(lambda: window.plotter.frames > left_frames, timeout=5000)
    after = camera_pose(side.plotter.renderer.GetActiveCamera())
    assert after != before
    assert camera_pose(left_renderer.GetActiveCamera()) == after

    # once the camera rests (and the tiles it asked for are in), the views stop drawing: they do
    # not ask each other for frames forever
    _wait_until_both_rest(qtbot, window, side)

    # back to one view: the second view and its render window go, nothing is left behind
    second = weakref.ref(side.plotter)  # the view is its widget (a QtInteractor)
    side.leave_button.click()
    qtbot.waitUntil(lambda: not side.comparing, timeout=5000)
    assert window.rehearsals.side_by_side is None
    assert second().render_window is None and second()._closed
    qtbot.waitUntil(lambda: not shiboken6.isValid(second()), timeout=5000)  # Qt deleted it
    gc.collect()
    assert second() is None  # and nothing in Python holds it
    assert side.splitter.count() == 1
    assert not left_renderer.HasObserver("EndEvent")
    assert PANE_LAYER not in left_renderer.actors
    qtbot.waitUntil(lambda: window.rehearsal_overlay.layer is not None, timeout=5000)
    assert not dock.side_by_side_button.isChecked()
