"""Live values on the 3D scene: water levels, gate leaves, pumps, markers and labels."""

import contextlib
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import pyvista as pv

from tests.scene_factory import MINIMAL_SCENE, UPSTREAM_WATER, write_scene
from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.core.sensor_state import DisplayState
from twin_app.core.workspace import Workspace
from twin_app.render.geometry import ITEM_INDEX, build_scene_geometry
from twin_app.render.live_overlay import PUMP_RUNNING, LiveOverlay
from twin_app.render.view import SceneView

pytestmark = pytest.mark.needs_rendering

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)

EXTRA = """
[[assets]]
id = "pumps"
name = { zh = "泵站", en = "Pumps" }
kind = "placeholder"
placement = { easting = 340100.0, northing = 3484000.0, height = 0.0 }

[[assets.parts]]
id = "pump_1"
name = { zh = "1号泵", en = "Pump 1" }
ifc_class = "IfcPump"
role = "pump_unit"
center = [0.0, 0.0, 1.0]
size = [4.0, 4.0, 2.0]
color = "#808080"

[[sensors]]
id = "GO-1"
kind = "gate_opening"
name = { zh = "1号闸门开度", en = "Gate 1 opening" }
position = [340008.0, 3484000.0, 12.0]
unit = "m"
asset = "sluice"
element = "gate_1"

[[sensors]]
id = "PS-1"
kind = "pump_state"
name = { zh = "1号泵状态", en = "Pump 1 state" }
position = [340100.0, 3484000.0, 3.0]
unit = "1"
asset = "pumps"
element = "pump_1"

""" + UPSTREAM_WATER


@contextlib.contextmanager
def _overlay(tmp_path):
    document = load_scene(write_scene(tmp_path / "live", MINIMAL_SCENE + EXTRA))
    workspace = Workspace()
    workspace.open(document)
    plotter = pv.Plotter(off_screen=True, window_size=(320, 240))
    try:
        view = SceneView(plotter, build_scene_geometry(document), workspace)
        live = LiveValues([s.id for s in document.spec.sensors])
        clock = AppClock(time=T0)
        yield LiveOverlay(view, live, clock), live, clock
    finally:
        plotter.close()


def _part_bounds(overlay, layer_id, index):
    layer = overlay.view.geometry.layer(layer_id)
    mask = np.asarray(layer.mesh.point_data[ITEM_INDEX]) == index
    return np.asarray(layer.mesh.points)[mask]


def test_water_gate_pump_marker_and_label_follow_the_clock(tmp_path):
    with _overlay(tmp_path) as (overlay, live, clock):
        view = overlay.view
        assert view.layer_height("water:upstream") == pytest.approx(1.0)
        gate_before = _part_bounds(overlay, "asset:sluice", 1)[:, 2].min()
        live.ingest([
            Reading("WL-1", T0 - timedelta(minutes=10), 3.2, "m"),
            Reading("WL-1", T0 + timedelta(minutes=10), 4.9, "m"),
            Reading("GO-1", T0 - timedelta(minutes=5), 2.5, "m"),
            Reading("PS-1", T0 - timedelta(minutes=5), 1.0, "1"),
        ])
        overlay.refresh()
        assert view.layer_height("water:upstream") == pytest.approx(3.2)
        assert _part_bounds(overlay, "asset:sluice", 1)[:, 2].min() == pytest.approx(
            gate_before + 2.5)
        pumps = view.geometry.layer("asset:pumps").mesh
        assert PUMP_RUNNING == "#e53935"
        assert tuple(int(v) for v in pumps.cell_data["rgb"][0]) == (0xE5, 0x39, 0x35)
        assert overlay.states["WL-1"] is DisplayState.NORMAL
        assert view.label_texts()[0] == "WL-1 Upstream level 3.20 m"
        clock.set_time(T0 + timedelta(minutes=15))
        overlay.refresh()
        assert view.layer_height("water:upstream") == pytest.approx(4.9)
        assert overlay.states["WL-1"] is DisplayState.WARNING  # above the 4.55 m warning
        assert overlay.states["RG-1"] is DisplayState.NO_DATA
        clock.set_time(T0 + timedelta(hours=2))
        overlay.refresh()
        assert overlay.states["WL-1"] is DisplayState.STALE


def test_pump_stopped_is_green_and_language_changes_the_value_text(tmp_path):
    with _overlay(tmp_path) as (overlay, live, _clock):
        live.ingest([Reading("PS-1", T0 - timedelta(minutes=1), 0.0, "1")])
        overlay.refresh()
        pumps = overlay.view.geometry.layer("asset:pumps").mesh
        assert tuple(int(v) for v in pumps.cell_data["rgb"][0]) == (0x2E, 0x7D, 0x32)
        assert overlay.view.label_texts()[-1] == "PS-1 Pump 1 state stopped"
        overlay.view.workspace.language = "zh_CN"
        assert overlay.view.label_texts()[-1] == "PS-1 1号泵状态 停止"


def test_a_refresh_with_the_same_values_leaves_the_meshes_alone(tmp_path):
    """A touched mesh is uploaded and drawn again: unchanged values must not touch it."""
    with _overlay(tmp_path) as (overlay, live, clock):
        live.ingest([Reading("GO-1", T0 - timedelta(minutes=5), 2.5, "m"),
                     Reading("PS-1", T0 - timedelta(minutes=5), 1.0, "1")])
        overlay.refresh()
        meshes = {name: overlay.view.geometry.layer(name).mesh
                  for name in ("asset:sluice", "asset:pumps", "sensors")}
        stamps = {name: mesh.GetMTime() for name, mesh in meshes.items()}
        clock.set_time(T0 + timedelta(seconds=30))  # same readings, same states
        overlay.refresh()
        assert {name: mesh.GetMTime() for name, mesh in meshes.items()} == stamps
        live.ingest([Reading("GO-1", T0 + timedelta(minutes=1), 3.0, "m")])
        clock.set_time(T0 + timedelta(minutes=2))
        overlay.refresh()
        assert meshes["asset:sluice"].GetMTime() > stamps["asset:sluice"]
        assert meshes["asset:pumps"].GetMTime() == stamps["asset:pumps"]
        gate = _part_bounds(overlay, "asset:sluice", 1)[:, 2].min()
        live.ingest([Reading("PS-1", T0 + timedelta(minutes=3), 0.0, "1")])
        clock.set_time(T0 + timedelta(minutes=4))
        overlay.refresh()
        assert meshes["asset:pumps"].GetMTime() > stamps["asset:pumps"]
        assert tuple(int(v) for v in meshes["asset:pumps"].cell_data["rgb"][0]) == (
            0x2E, 0x7D, 0x32)
        assert _part_bounds(overlay, "asset:sluice", 1)[:, 2].min() == pytest.approx(gate)
