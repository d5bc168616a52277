"""A replayed tide that crosses the Huangpu Park warning level raises an alarm in the dock."""

import pytest
from qtpy.QtCore import Qt

from tests.conftest import SCENES
from twin_app.io.timeseries import read_csv
from twin_app.qt.app import create_main_window

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

EVENT = SCENES / "huangpu" / "events" / "typhoon.csv"
WARNING_LEVEL = 4.55  # Huangpu Park, reference/projects.md


def _crossing():
    readings = sorted((r for r in read_csv(EVENT).readings if r.sensor_id == "HPK-WL-01"),
                      key=lambda r: r.utc)
    return next(r for r in readings if r.value > WARNING_LEVEL)


def test_replayed_crossing_raises_then_acknowledge(qtbot):
    window = create_main_window(language="en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.scene_shown, timeout=60_000):
        window.open_scene("huangpu")
    window.replay_event(EVENT, speed=60.0)
    crossing = _crossing()
    clock = window.workspace.clock
    assert clock.playing
    clock.set_time(crossing.utc)
    qtbot.waitUntil(lambda: "HPK-WL-01" in _sensors_listed(window), timeout=5000)
    row = _sensors_listed(window).index("HPK-WL-01")
    table = window.alarm_dock.table
    assert table.item(row, 0).text() == "Warning"
    assert table.item(row, 3).text() == "Unacknowledged"
    assert float(table.item(row, 4).text().split()[0]) >= WARNING_LEVEL
    assert window.overlay.states["HPK-WL-01"].value == "warning"
    table.selectRow(row)
    qtbot.mouseClick(window.alarm_dock.ack_button, Qt.MouseButton.LeftButton)
    row = _sensors_listed(window).index("HPK-WL-01")
    assert table.item(row, 3).text() == "Acknowledged"
    window.close()


def _sensors_listed(window) -> list[str]:
    """Sensor ids of the listed rows, one per row (advisories such as stale data show as "-")."""
    table = window.alarm_dock.table
    return [table.item(row, 1).text() if table.item(row, 0).text() != "Advisory" else "-"
            for row in range(table.rowCount())]
