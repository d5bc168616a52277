"""The seepage section dock in a real window (Xvfb): tide, checks, leak evidence, alarms, 3D."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pyvistaqt import QtInteractor
from qtpy.QtCore import Qt

from tests.qt.windows import SectionHost
from tests.seepage_events import event_store, tide_frames
from twin_app.core.clock import AppClock
from twin_app.core.geo import SceneFrame
from twin_app.core.live import LiveValues
from twin_app.core.scene_loader import load_scene
from twin_app.qt import section_dock
from twin_app.telemetry.session import MonitoringSession
from twin_app.telemetry.store import open_store

pytestmark = pytest.mark.gui

SHOTS = Path("/tmp/seepage_shots")


@pytest.fixture(scope="module")
def frames():
    return tide_frames()


@pytest.fixture
def window(qtbot):
    main = SectionHost()
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


WALL_E, NORTH = 641606.31, 3458516.13
"""The Bund wall's axis and a line across wall segment 3 (as in tests/io/test_sections.py)."""


def _look_down_at(main, east: float, north: float, height: float = 260.0) -> None:
    fx, fy, _ = main.view.geometry.frame.map_to_local(np.array([[east, north, 0.0]]))[0]
    camera = main.plotter.camera
    camera.position = (fx, fy, height)
    camera.focal_point = (fx, fy, 0.0)
    camera.up = (0.0, 1.0, 0.0)
    main.plotter.renderer.ResetCameraClippingRange()
    main.plotter.render()


def _pixel(main, east: float, north: float):
    """Return the widget pixel under which the terrain at a map point is drawn."""
    from qtpy.QtCore import QPoint

    dem = main.profile_dock.dem
    local = main.view.geometry.frame.map_to_local(
        np.array([[east, north, dem.height_at(east, north)]]))[0]
    renderer = main.plotter.renderer
    renderer.SetWorldPoint(local[0], local[1], local[2] * main.view.exaggeration, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    widget = main.plotter.interactor
    ratio = widget.devicePixelRatioF()
    return QPoint(round(x / ratio), round(widget.height() - y / ratio))


def _pick_line(main, qtbot, start, end) -> None:
    """Draw a two-point line with clicks in the 3D view (through the profile dock's filter)."""
    profile = main.profile_dock
    view = main.plotter.interactor
    qtbot.mouseClick(profile.draw_button, Qt.MouseButton.LeftButton)
    for east, north in (start, end):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=_pixel(main, east, north))
    qtbot.mouseClick(profile.draw_button, Qt.MouseButton.LeftButton)  # finish


@pytest.mark.needs_rendering
def test_a_line_picked_across_the_wall_gives_a_section_that_is_checked(qtbot):
    from tests.qt.windows import window_on

    with window_on(qtbot, "huangpu", size=(1500, 1000)) as main:
        profile, dock = main.profile_dock, main.section_dock
        qtbot.waitUntil(lambda: profile.dem is not None, timeout=20_000)
        profile.show()
        _look_down_at(main, WALL_E - 10.0, NORTH)
        qtbot.wait(100)
        land, river = (WALL_E - 60.0, NORTH), (WALL_E + 40.0, NORTH)
        _pick_line(main, qtbot, land, river)  # drawn land to river: the section turns it
        assert len(profile.points) == 2
        for point, wanted in zip(profile.points, (land, river), strict=True):
            assert point[:2] == pytest.approx(wanted, abs=1.0)  # a pixel is ~0.3 m here
        assert profile.section_button.isEnabled()
        count = len(dock.drafts)
        with qtbot.waitSignal(dock.derived, timeout=60_000):
            qtbot.mouseClick(profile.section_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(dock.drafts) == count + 1, timeout=5_000)
        draft = dock.drafts[-1]
        assert draft.id == "D-1" and draft.dirty and draft.valid
        assert dock.section_box.currentText() == "D-1 *"
        placed = draft.placed
        assert placed.start == pytest.approx(river, abs=1.0)  # x = 0 at the river end
        (wall,) = placed.section.walls
        assert "segment 3" in wall.name
        (pile,) = placed.section.sheet_piles
        assert pile.points[-1][1] == pytest.approx(-10.0, abs=0.01)
        assert {p.id for p in placed.section.piezometers} == {"HPK-PZ-01", "HPK-PZ-04",
                                                               "HPK-PZ-05"}
        assert "D-1 derived" in dock.status.text() and "not saved yet" in dock.status.text()
        assert dock.plot.outline is not None and dock.plot.outline.id == "D-1"
        assert len(dock.plot.markers) == 3  # the piezometers, draggable
        qtbot.wait(200)
        main.grab().save("/tmp/sec_derived.png")
        dock.run_check()
        qtbot.waitUntil(lambda: dock.frames is not None, timeout=60_000)
        assert dock.frames.id == "D-1"
        names = [dock.checks_table.item(row, 0).text()
                 for row in range(dock.checks_table.rowCount())]
        assert "Lane creep ratio" in names and "Sellmeijer piping" in names
        dock.show_3d.setChecked(True)  # the derived section at its place in the scene
        assert dock.layer is not None and main.workspace.section is not None
        qtbot.wait(200)
        main.grab().save("/tmp/sec_derived_checked.png")
        dock.show_3d.setChecked(False)


@pytest.mark.needs_rendering
def test_bad_picks_are_told_not_crashed(qtbot):
    from tests.qt.windows import window_on

    with window_on(qtbot, "huangpu", size=(1500, 1000)) as main:
        profile, dock = main.profile_dock, main.section_dock
        qtbot.waitUntil(lambda: profile.dem is not None, timeout=20_000)
        profile.show()
        # a line along the land side, parallel to the wall: it crosses no wall
        _look_down_at(main, WALL_E - 40.0, NORTH)
        qtbot.wait(100)
        _pick_line(main, qtbot, (WALL_E - 40.0, NORTH - 30.0), (WALL_E - 40.0, NORTH + 30.0))
        with qtbot.waitSignal(dock.derived, timeout=60_000):
            profile.request_section()
        assert "crosses no flood wall" in dock.status.text()
        assert "draw a straight line from the river" in dock.status.text()
        # a line leaving the terrain
        terrain = dock.document.spec.terrain
        assert terrain is not None
        with qtbot.waitSignal(dock.derived, timeout=60_000):
            dock.derive_from_line((WALL_E, NORTH), (WALL_E + 5000.0, NORTH))
        assert "leaves the terrain" in dock.status.text()
        # cancelled at once: no section is added, whether or not the worker had finished
        with qtbot.waitSignal(dock.derived, timeout=60_000):
            assert dock.derive_from_line((WALL_E - 60.0, NORTH), (WALL_E + 40.0, NORTH))
            assert dock.cancel_button.isVisible() and dock.progress.isVisible()
            qtbot.mouseClick(dock.cancel_button, Qt.MouseButton.LeftButton)
        assert dock.status.text() == "Derivation cancelled"
        assert not any(draft.id.startswith("D-") for draft in dock.drafts)
        assert not dock.progress.isVisible() and not dock.cancel_button.isVisible()
