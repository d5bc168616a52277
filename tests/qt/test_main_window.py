"""The main window in a real X window (Xvfb), with the real 3D view."""

import numpy as np
import pytest
from PIL import Image
from qtpy.QtCore import QPoint, Qt
from qtpy.QtWidgets import QMessageBox

from tests.scene_factory import MINIMAL_SCENE, TOP_DOWN_VIEWPOINT, write_scene
from twin_app.qt.app import create_main_window

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]



@pytest.fixture
def window(qtbot):
    main = create_main_window(language="en")
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def _open(qtbot, window, scene) -> None:
    with qtbot.waitSignal(window.scene_shown, timeout=60_000):
        window.open_scene(str(scene))


def _mini_scene(tmp_path):
    text = MINIMAL_SCENE.replace("size = [14.0, 1.0, 8.0]", "size = [40.0, 40.0, 8.0]")
    text = text.replace("center = [8.0, 0.0, 2.0]", "center = [0.0, 0.0, 8.0]")
    return write_scene(tmp_path / "mini", text + TOP_DOWN_VIEWPOINT).parent


def test_opens_the_default_scene_and_shows_it(qtbot, window, tmp_path):
    _open(qtbot, window, "xinchuansha")
    assert window.workspace.document.spec.id == "xinchuansha"
    assert "新川沙" in window.windowTitle() or "Xinchuansha" in window.windowTitle()
    assert window.tree_dock.tree.topLevelItemCount() == len(window.workspace.layers) > 3
    assert "Wusong" in window.datum_label.text()
    shot = tmp_path / "window.png"
    window.grab().save(str(shot))
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image.std() > 20
    view = window.plotter.interactor
    origin = view.mapTo(window, QPoint(0, 0))
    viewport = image[origin.y(): origin.y() + view.height(), origin.x(): origin.x() + view.width()]
    assert viewport.std() > 15, "the 3D view is blank"


def test_click_selects_element_in_tree_and_properties(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    window.go_to_viewpoint("top")
    qtbot.wait(100)
    view = window.plotter.interactor
    centre = QPoint(view.width() // 2, view.height() // 2)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: window.workspace.selection is not None, timeout=5000)
    assert window.workspace.selection == "part:sluice:gate_1"
    item = window.tree_dock.item_for("part:sluice:gate_1")
    assert item is not None and item.isSelected()
    rows = dict(window.properties_dock.rows())
    assert rows["IFC class"] == "IfcElement"
    assert rows["Data"] == "illustrative"
    assert "Wusong" in rows["Elevation"]


def test_selecting_in_the_tree_selects_in_the_workspace(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    item = window.tree_dock.item_for("sensor:WL-1")
    window.tree_dock.tree.setCurrentItem(item)
    assert window.workspace.selection == "sensor:WL-1"
    rows = dict(window.properties_dock.rows())
    assert rows["Warning level"].startswith("≥ 4.55 m")


def test_layer_checkbox_hides_the_layer(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    tree = window.tree_dock.tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == "Sluice")
    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert window.workspace.layer("asset:sluice").visible is False
    assert not window.view.actors["asset:sluice"][0].GetVisibility()


def test_cursor_readout_shows_map_coordinates_lonlat_and_datum(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    window.go_to_viewpoint("top")
    qtbot.wait(100)
    view = window.plotter.interactor
    qtbot.mouseMove(view, QPoint(view.width() // 2, view.height() // 2))
    qtbot.waitUntil(lambda: "Wusong" in window.cursor_readout.text(), timeout=5000)
    text = window.cursor_readout.text()
    assert "E 340000" in text or "E 339999" in text
    assert "N 3484000" in text or "N 3483999" in text
    assert "°E" in text and "°N" in text
    assert "H 12.00 m" in text


def test_broken_scene_is_reported_and_the_open_scene_stays(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    broken = write_scene(tmp_path / "broken", MINIMAL_SCENE.replace('unit = "mm"', 'unit = 5'))
    with qtbot.waitSignal(window.scene_failed, timeout=10_000) as failed:
        window.open_scene(str(broken.parent))
    message = failed.args[0]
    assert str(broken) in message
    assert "sensors[1].unit" in message
    assert window.workspace.document.spec.id == "mini"
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "sensors[1].unit" in box.informativeText()


def test_loading_can_be_cancelled(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    window.open_scene("xinchuansha")
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    loader = window._loader
    with qtbot.waitSignal(loader.cancelled, timeout=10_000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.is_loading())
    assert window.workspace.document.spec.id == "mini"
    assert not window.progress.isVisible()


def test_language_switch_translates_menus_and_scene_names(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    assert window.file_menu.title() == "&File"
    window.set_language("zh_CN")
    assert window.file_menu.title().startswith("文件")
    assert window.tree_dock.windowTitle() == "场景"
    names = [window.tree_dock.tree.topLevelItem(i).text(0)
             for i in range(window.tree_dock.tree.topLevelItemCount())]
    assert "水闸" in names
    assert "测试场景" in window.windowTitle()
    assert window.view.label_texts() == ["WL-1 闸上水位", "RG-1 雨量站"]
    window.set_language("en")
    assert window.view.label_texts() == ["WL-1 Upstream level", "RG-1 Rain gauge"]
    assert window.file_menu.title() == "&File"


def test_recent_scenes_and_layout_persist(qtbot, tmp_path):
    first = create_main_window(language="en")
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    scene = _mini_scene(tmp_path)
    _open(qtbot, first, scene)
    first.resize(1111, 777)
    first.close()
    second = create_main_window(language="en")
    qtbot.addWidget(second)
    assert second.recent_scenes()[0] == str(scene.resolve())
    assert second.size().width() == 1111
    assert second.recent_menu.actions()[0].text() == "mini"
    second.close()


def test_about_box_says_what_is_illustrative(qtbot, window, tmp_path):
    _open(qtbot, window, _mini_scene(tmp_path))
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None and box.isVisible()
    assert "Everything here is illustrative." in box.text()
    assert "illustrative" in box.text().lower()
