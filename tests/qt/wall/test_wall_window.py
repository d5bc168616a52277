"""The wall window in a real X window (Xvfb 1920x1080): tiles, tour, alarm jumps, no dialogs."""

import itertools

import numpy as np
import pytest
from PIL import Image
from qtpy.QtCore import QRect
from qtpy.QtWidgets import QApplication, QDialog

from tests.qt.wall.wall_helpers import layout_with, mini_scene_with_event
from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.core.wall_layout import load_layout
from twin_app.core.wall_tour import viewpoint_for_sensor
from twin_app.qt.wall.app import WallOptions, create_wall
from twin_app.qt.wall.tiles import AlarmsTile, StatusTile
from twin_app.qt.wall.views import SceneTile
from twin_app.qt.wall.window import WallWindow

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


@pytest.fixture
def make_wall(qtbot):
    walls = []

    def make(scene, layout=None, language="en"):
        wall = WallWindow(layout or load_layout(), language=language, height=1080)
        qtbot.addWidget(wall)
        wall.place(QRect(0, 0, 1920, 1080), full_screen=False)
        qtbot.waitExposed(wall)
        with qtbot.waitSignal(wall.scene_shown, timeout=60_000):
            wall.open_scene(str(scene))
        walls.append(wall)
        return wall

    yield make
    for wall in walls:
        wall.close()


def _local(wall, point):
    frame = wall.scene_tile.view.geometry.frame
    scale = np.array([1.0, 1.0, wall.scene_tile.view.exaggeration])
    return frame.map_to_local(np.asarray(point, dtype=float)) * scale


def test_layout_places_every_tile_on_the_grid_without_overlap(make_wall, tmp_path):
    wall = make_wall(mini_scene_with_event(tmp_path))
    kinds = {tile.spec.kind: tile for tile in wall.tiles}
    assert set(kinds) == {"title", "clock", "scene", "gauges", "alarms", "chart", "rehearsal",
                          "status"}
    window = QRect(0, 0, wall.width(), wall.height())
    rects = {kind: tile.geometry() for kind, tile in kinds.items()}
    for rect in rects.values():
        assert window.contains(rect)
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.intersects(rb), f"{a} overlaps {b}"
    area = {kind: r.width() * r.height() for kind, r in rects.items()}
    assert max(area, key=area.get) == "scene"
    assert rects["title"].top() < rects["scene"].top() < rects["status"].top()
    assert rects["scene"].left() < rects["gauges"].left() < rects["alarms"].left()
    # the default grid: columns 4:4:3:3 -> the scene tile spans about 8/14 of the width
    assert rects["scene"].width() / wall.width() == pytest.approx(8 / 14, abs=0.03)
    assert wall.sizes.body == 22 and wall.sizes.big > 2 * wall.sizes.body


def test_the_tour_advances_on_its_interval(make_wall, qtbot, tmp_path):
    wall = make_wall(mini_scene_with_event(tmp_path), layout_with(interval_s=0.6))
    with qtbot.waitSignal(wall.view_moved, timeout=10_000,
                          check_params_cb=lambda vid, reason: reason == "tour") as moved:
        pass
    first = moved.args[0]
    shown = wall.workspace.document.spec.viewpoint(first)
    camera = wall.scene_tile.plotter.camera
    assert np.allclose(camera.focal_point, _local(wall, shown.focal_point), atol=1e-3)
    assert np.allclose(camera.position, _local(wall, shown.position), atol=1e-3)
    with qtbot.waitSignal(wall.view_moved, timeout=10_000) as moved:
        pass
    assert moved.args[1] == "tour"
    assert {first, moved.args[0]} == {"overview", "top"}  # two viewpoints, in turn
    assert wall.tour.steps >= 3


def test_an_alarm_raised_by_a_replayed_level_jumps_the_view(make_wall, qtbot, tmp_path):
    wall = make_wall(mini_scene_with_event(tmp_path), layout_with(interval_s=3600))
    assert wall.scene_tile.viewpoint.id == "overview"
    wall.replay.start("rise", speed=20_000)  # six hours in about a second
    with qtbot.waitSignal(wall.view_moved, timeout=20_000,
                          check_params_cb=lambda vid, reason: reason == "alarm") as moved:
        pass
    spec = wall.workspace.document.spec
    expected = viewpoint_for_sensor(spec, "WL-1")
    assert moved.args == [expected.id, "alarm"] and expected.id == "top"
    assert wall.tour.status()["alarm_focus"] == "WL-1/warning"
    camera = wall.scene_tile.plotter.camera
    assert np.allclose(camera.focal_point, _local(wall, expected.focal_point), atol=1e-3)
    alarms = next(t for t in wall.tiles if isinstance(t, AlarmsTile))
    qtbot.waitUntil(lambda: "WL-1/warning" in alarms.shown_keys(), timeout=5000)
    assert "1 unacknowledged" in alarms.title_label.text()
    status = next(t for t in wall.tiles if isinstance(t, StatusTile))
    status.refresh()
    assert "Showing alarm Upstream level Warning level" in status.line.text()


def test_problems_go_to_the_status_tile_never_a_dialog(make_wall, qtbot, tmp_path):
    wall = make_wall(mini_scene_with_event(tmp_path))
    broken = write_scene(tmp_path / "broken", MINIMAL_SCENE.replace('unit = "mm"', "unit = 5"))
    with qtbot.waitSignal(wall.scene_failed, timeout=20_000):
        wall.open_scene(str(broken.parent))
    qtbot.waitUntil(lambda: any("sensors[1].unit" in m for m in wall.messages), timeout=5000)
    status = next(t for t in wall.tiles if isinstance(t, StatusTile))
    assert "sensors[1].unit" in status.messages_label.text()
    assert wall.workspace.document.spec.id == "mini"  # the shown scene stays
    with pytest.raises(KeyError, match="no recorded event 'storm'"):
        wall.replay.start("storm")
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible()]
    assert dialogs == []


def test_screenshot_shows_the_scene_and_the_tiles(make_wall, tmp_path):
    wall = make_wall(mini_scene_with_event(tmp_path))
    wall.replay.start("rise", speed=20_000)
    shot = tmp_path / "wall.png"
    wall.save_screenshot(shot)
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image.shape == (1080, 1920, 3)
    scene = wall.scene_tile.plotter.interactor
    origin = scene.mapTo(wall, scene.rect().topLeft())
    view = image[origin.y(): origin.y() + scene.height(), origin.x(): origin.x() + scene.width()]
    assert view.std() > 10, "the 3D tile is blank"
    assert image.mean() < 110, "the wall is dark"


def test_chinese_first(qtbot, tmp_path):
    wall = create_wall(WallOptions(scene="", layout=load_layout(), screens="0"))
    qtbot.addWidget(wall)
    try:
        wall.place(wall.target, wall.full_screen)
        qtbot.waitExposed(wall)
        assert wall.language == "zh_CN"
        assert wall.geometry() == QRect(0, 0, 1920, 1080)
        with qtbot.waitSignal(wall.scene_shown, timeout=60_000):
            wall.open_scene(str(mini_scene_with_event(tmp_path)))
        assert wall.windowTitle() == "防汛指挥中心大屏"
        title = next(t for t in wall.tiles if t.spec.kind == "title")
        assert "上海防汛指挥中心 · 测试场景" in title.banner.text()
        assert "三维场景" in wall.scene_tile.title_label.text()
        alarms = next(t for t in wall.tiles if isinstance(t, AlarmsTile))
        assert alarms.empty.text() == "无报警"
        assert isinstance(wall.scene_tile, SceneTile)
    finally:
        wall.close()
        wall.switcher.apply("en")
