"""The BIM tools on real files from other tools (../shared/samples/ifc, see its MANIFEST.md):
Revit's duplex (IFC2X3, CC BY 4.0 buildingSMART sample set) and buildingSMART's IFC 4.3
alignment sample (CC BY-ND 4.0): spatial tree, click-to-select, property sets, search, isolate."""

from pathlib import Path

import numpy as np
import pytest
from qtpy.QtCore import QPoint, Qt

from tests.qt.windows import window_on
from tests.scene_factory import write_ifc_scene
from twin_app.render.geometry import ITEM_INDEX

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / ".." / "shared" / "samples" / "ifc"



@pytest.fixture(params=["duplex.ifc", "sectioned-solid-horizontal.ifc"])
def window(request, qtbot, tmp_path):
    scene = write_ifc_scene(tmp_path / "scene", SAMPLES / request.param, asset="sample",
                            asset_name="Sample", placement=(500000.0, 3450000.0),
                            origin=(500000.0, 3450000.0))
    with window_on(qtbot, scene) as main:
        yield main


def test_tree_pick_properties_search_and_isolate(qtbot, window):
    model = window.view.geometry.models["sample"]
    layer = window.view.geometry.layer("asset:sample")
    # the element with the most triangles: big enough to click on after flying to it
    counts = np.bincount(np.asarray(layer.mesh.cell_data[ITEM_INDEX]))
    item = layer.items[int(np.argmax(counts))]
    guid = item.split(":")[-1]
    info = model.elements[model.element_index(guid)]
    assert window.tree_dock.item_for(item) is not None
    window.bim_toolbar._isolate([item])  # nothing in front of it
    assert window.fly_to(item)
    qtbot.wait(100)
    # aim at the middle of the element's largest triangle facing the camera (a bounding box's
    # centre may be empty, and a triangle seen edge-on is missed)
    cells = np.flatnonzero(np.asarray(layer.mesh.cell_data[ITEM_INDEX]) == layer.items.index(item))
    part = layer.mesh.extract_cells(cells).extract_surface().compute_normals(
        cell_normals=True, point_normals=False, split_vertices=False, consistent_normals=False,
        auto_orient_normals=False)
    areas = part.compute_cell_sizes()["Area"]
    towards = np.array(window.plotter.camera.position) - part.cell_centers().points
    towards /= np.linalg.norm(towards, axis=1, keepdims=True)
    facing = np.abs(np.einsum("ij,ij->i", part.cell_data["Normals"], towards))
    target = part.cell_centers().points[int(np.argmax(areas * facing))]
    renderer = window.plotter.renderer
    renderer.SetWorldPoint(*target, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    view = window.plotter.interactor
    point = QPoint(round(x), view.height() - round(y))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.workspace.selection == item, timeout=5000)
    assert window.tree_dock.item_for(item).isSelected()
    qtbot.waitUntil(lambda: "reading…" not in dict(window.properties_dock.rows()).values(),
                    timeout=30_000)
    rows = dict(window.properties_dock.rows())
    assert rows["IFC class"] == info.ifc_class
    assert rows["GlobalId"] == guid
    assert "Property sets" not in rows or rows["Property sets"] == "none"
    matches = window.tree_dock.filter(info.ifc_class)
    assert matches >= 1
    assert not window.tree_dock.item_for(item).isHidden()
    window.bim_toolbar.show_all()
