"""BIM tools in a real window: spatial tree, picking, properties, search, hide/isolate/X-ray,
sections, measurement and fly-to, on the Xinchuansha IFC model."""


import numpy as np
import pytest
from qtpy.QtCore import QPoint, Qt

from tests.qt.windows import window_on
from tests.scene_factory import write_ifc_scene
from twin_app.core.workspace import SectionState
from twin_app.render.geometry import ITEM_INDEX

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


TOP_VIEW = """
[[viewpoints]]
id = "top"
name = { zh = "俯视", en = "Top" }
position = [629010.0, 3485700.0, 600.0]
focal_point = [629010.0, 3485700.0, 0.0]
up = [0.0, 1.0, 0.0]
"""


@pytest.fixture
def window(qtbot, tmp_path):
    scene = write_ifc_scene(tmp_path / "scene", extra=TOP_VIEW)
    with window_on(qtbot, scene) as main:
        yield main


def _click(qtbot, window, display_xy) -> None:
    """Click at a VTK display position (origin bottom left)."""
    view = window.plotter.interactor
    point = QPoint(round(display_xy[0]), view.height() - round(display_xy[1]))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=point)


def _to_display(window, local_xyz) -> tuple[float, float]:
    renderer = window.plotter.renderer
    renderer.SetWorldPoint(*local_xyz, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return x, y


def _topmost_item(layer, x: float, y: float) -> str:
    """The element whose surface is highest at (x, y): a ray cast on the mesh, not VTK picking."""
    _, cells = layer.mesh.ray_trace((x, y, 1000.0), (x, y, -1000.0), first_point=True)
    assert len(cells), "nothing under the point"
    return layer.items[int(layer.mesh.cell_data[ITEM_INDEX][cells[0]])]


def _element_centre(window, name: str) -> tuple[str, np.ndarray]:
    model = window.view.geometry.models["hub"]
    guid = next(e.global_id for e in model.elements if e.name == name)
    item = f"part:hub:{guid}"
    bounds = window.bim_tools.item_bounds(item)
    return item, np.array([(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                           (bounds[4] + bounds[5]) / 2])


def test_spatial_tree_lists_the_model_and_search_filters_it(window):
    tree = window.tree_dock
    layer_item = next(tree.tree.topLevelItem(i) for i in range(tree.tree.topLevelItemCount())
                      if tree.tree.topLevelItem(i).text(0) == "Xinchuansha hub")
    project = layer_item.child(0)
    assert "IfcProject" in project.text(0)
    assert project.child(0).text(0).endswith("[IfcSite]")
    model = window.view.geometry.models["hub"]
    pumps = [e for e in model.elements if e.ifc_class == "IfcPump"]
    assert len(pumps) == 5
    assert tree.filter("ifcpump") == 5
    shown = tree.item_for(f"part:hub:{pumps[0].global_id}")
    assert not shown.isHidden() and shown.parent().isExpanded()
    assert tree.filter(pumps[2].global_id) == 1
    assert tree.filter("") == 0
    assert not tree.item_for(f"part:hub:{model.elements[-1].global_id}").isHidden()


def test_click_on_an_element_selects_it_in_tree_and_shows_its_property_sets(qtbot, window):
    _, centre = _element_centre(window, "Gate leaf 2 (30 m)")
    expected = _topmost_item(window.view.geometry.layer("asset:hub"), centre[0], centre[1])
    _click(qtbot, window, _to_display(window, (centre[0], centre[1], 0.0)))
    qtbot.waitUntil(lambda: window.workspace.selection is not None, timeout=5000)
    assert window.workspace.selection == expected
    assert window.tree_dock.item_for(expected).isSelected()
    qtbot.waitUntil(lambda: any(name.startswith("Twin_Provenance.")
                                for name, _ in window.properties_dock.rows()), timeout=20_000)
    rows = dict(window.properties_dock.rows())
    assert rows["GlobalId"] == expected.split(":")[-1]
    assert rows["IFC class"]


def test_isolate_then_pick_and_properties_with_units(qtbot, window):
    item, centre = _element_centre(window, "Gate leaf 2 (30 m)")
    window.bim_toolbar.tools = window.bim_tools
    window.bim_toolbar._isolate([item])
    layer = window.view.geometry.layer("asset:hub")
    drawn = np.asarray(layer.mesh.cell_data["twin_drawn"])
    mine = np.asarray(layer.mesh.cell_data[ITEM_INDEX]) == layer.items.index(item)
    assert drawn[mine].all() and not drawn[~mine].any()
    mapper = window.view.actors["asset:hub"][0].GetMapper()
    mapper.Update()
    assert mapper.GetInput().GetNumberOfCells() == mine.sum()
    assert mapper.GetArrayName() == "rgb"  # still drawn in the elements' own colours
    assert mapper.GetScalarModeAsString() == "UseCellFieldData"
    _click(qtbot, window, _to_display(window, tuple(centre)))
    qtbot.waitUntil(lambda: window.workspace.selection == item, timeout=5000)
    qtbot.waitUntil(lambda: "Twin_Operation.DrivenBySensor" in dict(
        window.properties_dock.rows()), timeout=20_000)
    rows = dict(window.properties_dock.rows())
    assert rows["Twin_Operation.DrivenBySensor"] == "XCS-GO-02"
    assert rows["Twin_Operation.TravelMax"].endswith(" m")
    window.bim_toolbar.show_all()
    mapper.Update()
    assert mapper.GetInput().GetNumberOfCells() == layer.mesh.n_cells


def test_hidden_elements_are_not_picked_and_xray_draws_them_see_through(qtbot, window):
    layer = window.view.geometry.layer("asset:hub")
    _, centre = _element_centre(window, "Gate leaf 2 (30 m)")
    top = _topmost_item(layer, centre[0], centre[1])
    window.workspace.hidden = frozenset([top])
    x, y = _to_display(window, (centre[0], centre[1], 0.0))
    result = window.view.pick(x, y)
    assert result is None or result.item != top
    window.workspace.hidden = frozenset()
    window.workspace.xray = frozenset([top])
    assert "xray:asset:hub" in window.view.actors
    actor = window.view.actors["xray:asset:hub"][0]
    assert actor.GetProperty().GetOpacity() < 0.5
    result = window.view.pick(x, y)
    assert result is None or result.item != top


def test_section_plane_and_box_cut_models_and_terrain_alike(qtbot, window):
    window.workspace.section = SectionState(kind="plane", origin=(10.0, 0.0, 0.0),
                                            normal=(1.0, 0.0, 0.0))
    mapper = window.view.actors["asset:hub"][0].GetMapper()
    assert mapper.GetClippingPlanes().GetNumberOfItems() == 1
    plane = mapper.GetClippingPlanes().GetItem(0)
    assert plane.GetOrigin()[0] == pytest.approx(10.0)
    window.bim_toolbar.box_action.setChecked(True)
    assert window.workspace.section.kind == "box"
    assert mapper.GetClippingPlanes().GetNumberOfItems() == 6
    window.bim_toolbar.box_action.setChecked(False)
    assert window.workspace.section is None
    assert mapper.GetClippingPlanes().GetNumberOfItems() == 0
    window.bim_toolbar.plane_action.setChecked(True)
    assert window.workspace.section.kind == "plane"
    shot = window.plotter.screenshot(return_img=True)
    assert shot.std() > 10


def test_measure_two_points_in_the_scene_datum(qtbot, window):
    layer = window.view.geometry.layer("asset:hub")
    tops = []
    for name in ("Gate leaf 1 (15 m)", "Gate leaf 3 (15 m)"):
        _, centre = _element_centre(window, name)
        hit = layer.mesh.ray_trace((*centre[:2], 1000.0), (*centre[:2], -1000.0),
                                   first_point=True)[0]
        tops.append(np.asarray(hit))  # the surface seen from above there
    window.bim_toolbar.measure_action.setChecked(True)
    for top in tops:
        _click(qtbot, window, _to_display(window, tuple(top)))
    result = window.bim_toolbar.last_measurement
    assert result is not None
    # a click lands within half a pixel (about 0.25 m at this zoom) of the point aimed at
    assert result.horizontal_m == pytest.approx(np.hypot(*(tops[1] - tops[0])[:2]), abs=0.6)
    assert result.start[2] == pytest.approx(tops[0][2], abs=0.3)  # Wusong: origin z = 0
    assert result.rise_m == pytest.approx(tops[1][2] - tops[0][2], abs=0.5)
    assert "Wusong" in window.statusBar().currentMessage()


def test_fly_to_brings_the_element_to_the_centre(qtbot, window):
    item, centre = _element_centre(window, "Pump unit 3")
    assert window.fly_to(item)
    focal = np.array(window.plotter.camera.focal_point)
    assert np.allclose(focal, centre, atol=0.01)
    x, y = _to_display(window, tuple(centre))
    width, height = window.plotter.window_size
    assert abs(x - width / 2) < 2 and abs(y - height / 2) < 2
