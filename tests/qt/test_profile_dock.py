"""The profile dock and the terrain tool bar in a real window (Xvfb) with a real 3D view."""

from __future__ import annotations

import numpy as np
import pytest
from pyvistaqt import QtInteractor
from qtpy.QtCore import QPoint, Qt, Signal
from qtpy.QtWidgets import QMainWindow

from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import Workspace
from twin_app.qt import profile_dock, terrain_tools
from twin_app.render.geometry import build_scene_geometry
from twin_app.render.view import SceneView

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


class SceneWindow(QMainWindow):
    """The part of the main window the tools use: plotter, view, scene_shown, view_menu."""

    scene_shown = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.plotter = QtInteractor(self, auto_update=False)
        self.setCentralWidget(self.plotter.interactor)
        self.view_menu = self.menuBar().addMenu("View")
        self.view: SceneView | None = None
        self.workspace = Workspace(language="en")

    def show_scene(self, name: str) -> None:
        document = load_scene(name)
        geometry = build_scene_geometry(document)
        self.workspace.open(document)
        self.view = SceneView(self.plotter, geometry, self.workspace)
        self.scene_shown.emit(document.spec.id)


@pytest.fixture
def window(qtbot):
    main = SceneWindow()
    qtbot.addWidget(main)
    main.resize(1000, 1000)
    tools = terrain_tools.install(main)
    dock = profile_dock.install(main)
    main.show()
    qtbot.waitExposed(main)
    main.show_scene("xinchuansha")
    yield main, tools, dock
    tools.close_terrain()
    main.plotter.close()
    main.close()


def _look_down(main: SceneWindow, height: float = 2500.0) -> None:
    spec = main.view.geometry.document.spec
    fx, fy, _ = np.asarray(spec.viewpoint().focal_point) - np.asarray(spec.origin)
    camera = main.plotter.camera
    camera.position = (fx, fy, height)
    camera.focal_point = (fx, fy, 0.0)
    camera.up = (0.0, 1.0, 0.0)
    main.plotter.renderer.ResetCameraClippingRange()
    main.plotter.render()


def test_draw_a_line_across_the_river_and_chart_it(qtbot, window):
    main, tools, dock = window
    assert tools.tiled is not None and dock.dem is not None
    assert dock.dem.cell_size == (2.0, 2.0)  # the detailed DEM
    _look_down(main)
    qtbot.wait(50)
    view = main.plotter.interactor
    camera_before = main.plotter.camera.position
    qtbot.mouseClick(dock.draw_button, Qt.MouseButton.LeftButton)
    assert dock.drawing
    y, middle, step = view.height() // 2, view.width() // 2, view.height() // 3
    for x in (middle - step, middle, middle + step):  # about 450 m either side of the hub
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert len(dock.points) == 3
    assert main.plotter.camera.position == camera_before  # clicks did not turn the camera
    with qtbot.waitSignal(dock.profile_ready, timeout=10_000) as ready:
        qtbot.mouseClick(dock.draw_button, Qt.MouseButton.LeftButton)
    profile = ready.args[0]
    assert not dock.drawing
    assert profile.length_m > 500.0
    assert profile.step_m == pytest.approx(2.0)
    ground = profile.ground[np.isfinite(profile.ground)]
    assert ground.min() < 0.0 < 3.0 < ground.max()  # the channel bed and the land
    assert profile.datum == "Wusong datum"
    assert any(c.source == "wall line" and c.crest_m == pytest.approx(4.5)
               for c in profile.crests), "the bank crests are crossed"
    assert "Wusong" in dock.plot.getAxis("left").labelText
    x_data, _ = dock.ground_curve.getData()
    assert len(x_data) == len(profile.distance)
    assert "profile-line" in main.plotter.renderer.actors


def test_right_click_finishes_and_clear_empties(qtbot, window):
    main, _, dock = window
    _look_down(main)
    dock.draw_button.setChecked(True)
    view = main.plotter.interactor
    y, middle, step = view.height() // 2, view.width() // 2, view.height() // 4
    for x in (middle - step, middle + step):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mouseClick(view, Qt.MouseButton.RightButton, pos=QPoint(middle, y))
    assert dock.profile is not None and not dock.drawing
    qtbot.mouseClick(dock.clear_button, Qt.MouseButton.LeftButton)
    assert dock.profile is None and "profile-line" not in main.plotter.renderer.actors


def test_exaggeration_slider_scales_the_scene_and_water_plane(qtbot, window):
    main, tools, _ = window
    tools.toolbar.water_check.setChecked(True)
    tools.toolbar.water_level.setValue(4.0)
    plane = main.plotter.renderer.actors["water-plane"]
    assert plane.GetPosition()[2] == pytest.approx(4.0)
    tools.toolbar.slider.setValue(4)  # x5
    assert tools.toolbar.exaggeration == 5.0
    assert main.plotter.renderer.scale[2] == pytest.approx(5.0)
    assert main.view.exaggeration == 5.0
    assert plane.GetPosition()[2] == pytest.approx(20.0)
    tools.poll()
    assert tools.tiled.triangle_count() > 0


def test_installs_into_the_main_window(qtbot):
    from twin_app.qt.app import create_main_window

    main = create_main_window(language="en")
    qtbot.addWidget(main)
    tools = terrain_tools.install(main)
    dock = profile_dock.install(main)
    main.resize(1280, 900)
    main.show()
    qtbot.waitExposed(main)
    try:
        with qtbot.waitSignal(main.scene_shown, timeout=60_000):
            main.open_scene("suzhou_west_gate")
        qtbot.waitUntil(lambda: tools.tiled is not None and dock.dem is not None, timeout=10_000)
        qtbot.waitUntil(lambda: tools.tiled.triangle_count() > 0, timeout=20_000)
        assert not main.view.actors["terrain"][0].GetVisibility()  # the single mesh is replaced
        assert dock.toggleViewAction() in main.view_menu.actions()
        tools.toolbar.slider.setValue(2)
        assert main.view.exaggeration == 2.0
    finally:
        tools.close_terrain()
        main.close()


def test_identify_on_click_returns_the_feature_properties(qtbot, window):
    main, tools, _ = window
    _look_down(main, height=1500.0)
    view = main.plotter.interactor
    hit = tools.identify_at(view.width() // 2, view.height() // 2)
    # The default viewpoint looks at the hub on the Xinchuansha River centreline.
    assert hit is not None
    assert hit.layer_id in {"river_centreline", "bank_lines", "seawall"}
    assert hit.properties["illustrative"] is True
    far = tools.identify_at(5, 5)
    assert far is None or far.layer_id in tools.vectors


def test_the_line_asks_for_a_seepage_section_and_lies_on_the_ground(qtbot, window):
    main, _, dock = window
    _look_down(main)
    assert not dock.section_button.isEnabled()
    assert not dock.request_section()
    assert "two clicks on the terrain" in dock.status.text()
    dock.draw_button.setChecked(True)
    view = main.plotter.interactor
    y, middle, step = view.height() // 2, view.width() // 2, view.height() // 4
    for x in (middle - step, middle + step):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert not dock.section_button.isEnabled()  # still drawing
    dock.draw_button.setChecked(False)
    assert dock.section_button.isEnabled()
    with qtbot.waitSignal(dock.section_requested, timeout=2000) as asked:
        qtbot.mouseClick(dock.section_button, Qt.MouseButton.LeftButton)
    assert asked.args[0] == dock.points[0][:2] and asked.args[1] == dock.points[-1][:2]
    # drawn draped on the ground (1 m above it, or above the water shown), not a straight chord
    mapper = main.plotter.renderer.actors["profile-line"].GetMapper()
    mapper.Update()
    points = np.asarray(mapper.GetInput().GetPoints().GetData(), dtype=np.float64)
    assert len(points) > 100
    xyz = main.view.geometry.frame.local_to_map(points)
    ground = dock.dem.heights_at(xyz[:, 0], xyz[:, 1])
    assert np.isfinite(ground).all()
    level = dock.water_level if dock.water_level is not None else -np.inf
    assert xyz[:, 2] == pytest.approx(np.maximum(ground, level) + 1.0, abs=1e-3)
