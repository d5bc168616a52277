"""The seepage section dock in a real window (Xvfb): tide, checks, leak evidence, alarms, 3D."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pyvistaqt import QtInteractor
from qtpy.QtCore import Qt, Signal
from qtpy.QtWidgets import QMainWindow

from tests.seepage_events import event_store, tide_frames
from twin_app.core.clock import AppClock
from twin_app.core.geo import SceneFrame
from twin_app.core.live import LiveValues
from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import Workspace
from twin_app.qt import section_dock
from twin_app.telemetry.session import MonitoringSession
from twin_app.telemetry.store import open_store

pytestmark = pytest.mark.gui

SHOTS = Path("/tmp/seepage_shots")


class Window(QMainWindow):
    """What :func:`section_dock.install` uses of the main window."""

    scene_shown = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.view_menu = self.menuBar().addMenu("View")
        self.workspace = Workspace(language="en")
        self.session = None
        self.view = None


@pytest.fixture(scope="module")
def frames():
    return tide_frames()


@pytest.fixture
def window(qtbot):
    main = Window()
    qtbot.addWidget(main)
    dock = section_dock.install(main)
    dock.show()
    main.resize(1500, 1000)
    main.show()
    qtbot.waitExposed(main)
    yield main, dock
    dock.set_3d(False)
    main.close()


def test_the_dock_plays_the_tide_and_shows_checks_and_evidence(window, frames, qtbot):
    main, dock = window
    dock.set_frames(frames)
    assert dock.checks_table.rowCount() == len(frames.checks) == 6
    assert dock.checks_table.item(2, 0).text() == "Lane creep ratio"
    assert dock.piezometer_table.rowCount() == 3
    assert dock.leaks_table.rowCount() == 1
    assert dock.leaks_table.item(0, 0).text() == "HPK-PZ-05"
    peak = int(np.argmax(frames.stage))
    dock.slider.setValue(peak)
    assert "river 5.10 m" in dock.time_label.text()
    assert dock.time_label.text().startswith("2024-09-16 14:00 +08:00")  # 06:00 UTC
    row = [dock.piezometer_table.item(2, c).text() for c in range(5)]
    assert row[0] == "HPK-PZ-05" and row[4].startswith("+0.8")  # raised in the second half
    assert dock.plot.labels and "HPK-PZ-05" in dock.plot.labels[2].toPlainText()
    SHOTS.mkdir(exist_ok=True)
    main.grab().save(str(SHOTS / "section_dock_head.png"))
    dock.field_box.setCurrentIndex(1)
    assert dock.plot.field == "pressure"
    qtbot.mouseClick(dock.evidence_button, Qt.MouseButton.LeftButton)
    assert dock.tabs.currentWidget() is dock.evidence
    curves = dock.evidence.getPlotItem().listDataItems()
    assert [c.name() for c in curves] == ["measured", "predicted", "flagged"]
    qtbot.wait(100)
    main.grab().save(str(SHOTS / "section_dock_evidence.png"))
    dock.play_button.setChecked(True)
    qtbot.waitUntil(lambda: dock.slider.value() != peak, timeout=3000)
    dock.play_button.setChecked(False)


def test_check_runs_on_the_store_and_posts_the_alarms(window, qtbot, tmp_path):
    main, dock = window
    url, _, _ = event_store(tmp_path / "event.db", raise_sensor="HPK-PZ-02",
                            sensors=("HPK-WL-01", "HPK-PZ-02"))
    document = load_scene("huangpu")
    spec = document.spec
    session = MonitoringSession(spec, LiveValues([s.id for s in spec.sensors]), AppClock())
    session.attach_store(open_store(url))
    main.workspace.open(document)
    main.session = session
    main.scene_shown.emit("huangpu")
    assert [dock.section_box.itemText(i) for i in range(dock.section_box.count())] == [
        "MS-1", "MS-2", "MS-3"]
    dock.section_box.setCurrentIndex(1)
    dock.run_check()
    qtbot.waitUntil(lambda: dock.frames is not None, timeout=60000)
    assert dock.frames.id == "MS-2" and dock.frames.count == 73  # hourly frames of 72 h
    assert [leak.piezometer for leak in dock.frames.leaks] == ["HPK-PZ-02"]
    assert "0 check(s) failed, 1 leak flag(s)" in dock.status.text()
    keys = [status.key for status in session.engine.active()]
    assert keys == ["seepage:MS-2/leak_HPK-PZ-02"]
    session.store.close()


@pytest.mark.needs_rendering
def test_show_in_3d_draws_the_section_and_opens_the_scene(window, frames, qtbot):
    main, dock = window
    plotter = QtInteractor(main, auto_update=False)
    main.setCentralWidget(plotter.interactor)
    spec = load_scene("huangpu").spec
    view = SimpleNamespace(plotter=plotter, geometry=SimpleNamespace(
        frame=SceneFrame.from_scene(spec)), workspace=main.workspace, exaggeration=1.0)
    dock.view = view
    dock.set_frames(frames)
    dock.show_3d.setChecked(True)
    assert dock.layer is not None and "surface" in dock.layer.actors
    assert main.workspace.section.kind == "plane"
    dock.slider.setValue(int(np.argmax(frames.stage)))
    assert dock.layer.index == dock.slider.value()
    qtbot.wait(200)
    main.grab().save(str(SHOTS / "section_dock_3d.png"))
    dock.show_3d.setChecked(False)
    assert dock.layer is None and main.workspace.section is None
    plotter.close()
