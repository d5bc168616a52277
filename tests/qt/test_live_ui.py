"""Live values in the window: the time bar drives the clock, the chart follows the selection."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.readings import Reading
from twin_app.qt.app import create_main_window

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)


@pytest.fixture
def window(qtbot, tmp_path):
    main = create_main_window(language="en")
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    with qtbot.waitSignal(main.scene_shown, timeout=60_000):
        main.open_scene(str(write_scene(tmp_path / "mini", MINIMAL_SCENE).parent))
    yield main
    main.close()


def _tide(hours: int = 6) -> list[Reading]:
    return [Reading("WL-1", T0 + timedelta(minutes=10 * k), 3.0 + 0.02 * k, "m")
            for k in range(hours * 6 + 1)]


def test_chart_shows_the_selected_sensor_with_its_threshold(qtbot, window):
    window.workspace.live.ingest(_tide())
    window.workspace.selection = "sensor:WL-1"
    x, y = window.chart_dock.plotted()
    assert len(y) == 37
    assert y[0] == pytest.approx(3.0)
    assert x[1] - x[0] == pytest.approx(600.0)
    assert [line.value() for line in window.chart_dock.threshold_lines] == [4.55]


def test_scrubbing_the_time_bar_moves_the_clock_and_the_values_follow(qtbot, window):
    window.workspace.live.ingest(_tide())
    window.time_bar.refresh()
    slider = window.time_bar.slider
    slider.setSliderDown(True)  # as while the user drags it
    slider.setSliderPosition(5_000)
    slider.setSliderDown(False)
    clock = window.workspace.clock
    assert clock.mode == "history"
    assert clock.time == T0 + timedelta(hours=3)
    qtbot.waitUntil(lambda: "WL-1 Upstream level 3.36 m" in window.view.label_texts(),
                    timeout=3000)
    assert "Beijing time" in window.time_bar.time_label.text()
    assert "2024-09-16 17:00:00" in window.time_bar.time_label.text()
    window.time_bar.live_button.click()
    assert clock.mode == "live"


def test_the_charts_clock_line_moves_by_pixels_not_by_ticks(qtbot, window):
    """A 50 ms clock tick on a 6 h chart is far below a pixel: the chart must not repaint."""
    chart = window.chart_dock
    assert not chart.now_line.isVisible()  # nothing charted yet
    window.workspace.live.ingest(_tide())
    window.workspace.selection = "sensor:WL-1"
    qtbot.waitUntil(lambda: chart.now_line.isVisible(), timeout=3000)
    clock = window.workspace.clock
    clock.set_time(T0 + timedelta(hours=2))
    # the view ranges over the 6 h of readings once pyqtgraph has applied its auto-range
    qtbot.waitUntil(lambda: chart.plot.getViewBox().viewRange()[0][1] > 3600.0, timeout=3000)
    start = chart.now_line.value()
    clock.set_time(T0 + timedelta(hours=2, seconds=0.05))
    assert chart.now_line.value() == start
    clock.set_time(T0 + timedelta(hours=3))
    assert chart.now_line.value() == pytest.approx(start + 3600.0)
