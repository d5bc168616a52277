"""Live values move and colour the elements an IFC model marks with ``Twin_Operation``."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import pyvista as pv

from tests.scene_factory import write_ifc_scene
from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import ITEM_INDEX, build_scene_geometry
from twin_app.render.live_overlay import LiveOverlay
from twin_app.render.view import SceneView

pytestmark = pytest.mark.needs_rendering

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)

SENSORS = """
[[sensors]]
id = "XCS-GO-02"
kind = "gate_opening"
name = { zh = "2号闸门开度", en = "Gate 2 opening" }
position = [628975.87, 3485726.16, 20.5]
unit = "m"
asset = "hub"

[[sensors]]
id = "XCS-PS-01"
kind = "pump_state"
name = { zh = "1号泵组运行状态", en = "Pump unit 1 state" }
position = [629017.35, 3485696.34, 6.5]
unit = "1"
asset = "hub"
"""


def _element_points(layer, model, name):
    guid = next(e.global_id for e in model.elements if e.name == name)
    index = layer.items.index(f"part:hub:{guid}")
    cells = np.flatnonzero(np.asarray(layer.mesh.cell_data[ITEM_INDEX]) == index)
    triangles = layer.mesh.faces.reshape(-1, 4)[cells, 1:]
    return np.asarray(layer.mesh.points)[np.unique(triangles)], cells


def test_gate_leaf_rises_with_its_opening_and_pump_shows_running(tmp_path):
    document = load_scene(write_ifc_scene(tmp_path / "scene", extra=SENSORS))
    workspace = Workspace()
    workspace.open(document)
    plotter = pv.Plotter(off_screen=True, window_size=(320, 240))
    try:
        geometry = build_scene_geometry(document)
        assert {op.sensor_id for op in geometry.operations["hub"]} >= {"XCS-GO-02", "XCS-PS-01"}
        view = SceneView(plotter, geometry, workspace)
        live = LiveValues([s.id for s in document.spec.sensors])
        overlay = LiveOverlay(view, live, AppClock(time=T0))
        layer, model = geometry.layer("asset:hub"), geometry.models["hub"]
        leaf_before, _ = _element_points(layer, model, "Gate leaf 2 (30 m)")
        other_before, _ = _element_points(layer, model, "Gate leaf 1 (15 m)")
        live.ingest([Reading("XCS-GO-02", T0 - timedelta(minutes=1), 4.5, "m"),
                     Reading("XCS-PS-01", T0 - timedelta(minutes=1), 1.0, "1")])
        overlay.refresh()
        leaf_after, _ = _element_points(layer, model, "Gate leaf 2 (30 m)")
        np.testing.assert_allclose(leaf_after[:, 2] - leaf_before[:, 2], 4.5, atol=1e-4)
        np.testing.assert_allclose(leaf_after[:, :2], leaf_before[:, :2], atol=1e-6)
        np.testing.assert_allclose(_element_points(layer, model, "Gate leaf 1 (15 m)")[0],
                                   other_before)
        _, pump_cells = _element_points(layer, model, "Pump unit 1")
        rgb = np.asarray(layer.mesh.cell_data["rgb"])[pump_cells]
        assert (rgb == (0xE5, 0x39, 0x35)).all()
        live.ingest([Reading("XCS-GO-02", T0, 40.0, "m")])  # beyond TravelMax (12 m)
        overlay.refresh()
        leaf_high, _ = _element_points(layer, model, "Gate leaf 2 (30 m)")
        np.testing.assert_allclose(leaf_high[:, 2] - leaf_before[:, 2], 12.0, atol=1e-4)
    finally:
        plotter.close()
