"""Run a rehearsal from the panel in a real window, watch it on the clock, map it, probe it."""

from datetime import timedelta

import numpy as np
import pytest
from qtpy.QtWidgets import QDoubleSpinBox, QSpinBox

from tests.qt.windows import window_on

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


@pytest.fixture
def window(qtbot):
    with window_on(qtbot, "suzhou_west_gate") as main:
        yield main


def _choose_model(dock, plugin_id: str) -> None:
    for index in range(dock.scenario_box.count()):
        if dock.scenario_box.itemData(index) == ("plugin", plugin_id):
            dock.scenario_box.setCurrentIndex(index)
            return
    raise AssertionError(f"{plugin_id} is not offered")


def test_form_follows_the_plugin_table_and_bad_values_are_refused(qtbot, window):
    dock = window.rehearsal_dock
    _choose_model(dock, "twin_example")
    rain = dock.fields["rainfall_mm_h"]
    assert isinstance(rain, QDoubleSpinBox)
    assert (rain.minimum(), rain.maximum()) == (0.0, 300.0)
    assert rain.suffix() == " mm h-1"
    assert isinstance(dock.fields["coarsen"], QSpinBox)
    dock.fields["coarsen"] = _Fake("coarse")  # a value the table refuses (not a number)
    assert not dock.run()
    assert "coarsen" in dock.status.text()
    assert window.rehearsals.entries == []


class _Fake(QDoubleSpinBox):
    """A field that returns a wrong-typed value, as a hand-edited form could."""

    def __init__(self, value):
        super().__init__()
        self._wrong = value

    def value(self):
        return self._wrong


def test_run_plays_on_the_clock_and_maps_and_probe_work(qtbot, window, tmp_path):
    dock = window.rehearsal_dock
    _choose_model(dock, "twin_example")
    dock.fields["coarsen"].setValue(10)
    dock.fields["rainfall_mm_h"].setValue(80.0)
    dock.duration.setValue(3.0)
    dock.interval.setValue(30.0)
    start = window.workspace.clock.time
    assert dock.run()
    entry = window.rehearsals.current
    qtbot.waitUntil(lambda: not entry.running, timeout=120_000)
    assert entry.state == "succeeded", entry.message
    assert len(entry.playback.frames) == 7
    window.workspace.clock.set_time(start + timedelta(hours=3))
    qtbot.waitUntil(lambda: window.rehearsal_overlay.shown_index == 6, timeout=5000)
    layer = window.rehearsal_overlay.layer
    wet = int((entry.playback.depth(6) >= entry.playback.wet_threshold_m).sum())
    assert wet > 0 and layer.visible_cells() > 0
    window.workspace.clock.set_time(start - timedelta(hours=1))  # before the run: nothing
    qtbot.waitUntil(lambda: window.rehearsal_overlay.shown_index is None, timeout=5000)
    dock.display_box.setCurrentIndex(1)  # maximum depth
    qtbot.waitUntil(lambda: layer.mode == "max_depth", timeout=5000)
    assert layer.clim[1] == pytest.approx(entry.playback.max_depth().max(), rel=1e-3)
    window.grab().save(str(tmp_path / "rehearsal.png"))
    deepest = np.unravel_index(np.argmax(entry.playback.depth(6)), entry.playback.grid.shape)
    grid = entry.playback.grid
    easting = grid.origin[1] + deepest[1] * grid.spacing[1]
    northing = grid.origin[0] + deepest[0] * grid.spacing[0]
    series = entry.playback.hydrograph(easting, northing)
    dock.show_hydrograph(series)
    assert len(dock.plot.listDataItems()) == 1
    assert series.depth_m[-1] == pytest.approx(entry.playback.depth(6)[deepest])
