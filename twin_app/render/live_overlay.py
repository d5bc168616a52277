"""Put the values of the app clock's moment onto the 3D scene.

Water surfaces stand at their gauges' levels, gate leaves move with their opening sensors, pump
units show running (red, as Chinese control rooms show it) or stopped (green), sensor markers take
their display state's colour, and labels carry the value.  All of it is read from
:class:`~twin_app.core.live.LiveValues` at :attr:`AppClock.time`; nothing here owns state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues, SensorValue
from twin_app.core.scene import AssetSpec, SensorKind, SensorSpec
from twin_app.core.sensor_state import DisplayState, display_state
from twin_app.core.workspace import item_id
from twin_app.io.ifc.operations import ElementOperation
from twin_app.render.colours import SENSOR_COLOURS, hex_to_rgb8
from twin_app.render.geometry import DRIVING_KINDS, ITEM_INDEX, LayerGeometry
from twin_app.render.ifc_layer import model_to_map
from twin_app.render.view import SceneView
from twin_app.render.water import water_layer_id

logger = logging.getLogger(__name__)

STATE_COLOURS = {
    DisplayState.WARNING: "#ffa000",
    DisplayState.ALARM: "#d50000",
    DisplayState.STALE: "#9e9e9e",
    DisplayState.BAD: "#6d4c41",
    DisplayState.NO_DATA: "#616161",
}
LABEL_RANKS = {DisplayState.ALARM: 2, DisplayState.WARNING: 1}
"""Label priority by state when a scene has more sensors than labels can be drawn."""
PUMP_RUNNING, PUMP_STOPPED = "#e53935", "#2e7d32"
RUNNING_THRESHOLD = 0.5


@dataclass
class _Driven:
    """An element of a batched asset mesh that a sensor moves or colours."""

    sensor: SensorSpec
    layer: LayerGeometry
    point_mask: np.ndarray
    cell_mask: np.ndarray
    base_points: np.ndarray
    base_rgb: np.ndarray
    motion: np.ndarray
    """Local-frame displacement per metre of opening (gate leaves)."""
    travel_max: float = 0.0
    """Largest opening drawn, metres (0: no limit)."""
    shown: object = None
    """What the mesh shows now (an opening, or a pump's running state), so an unchanged value
    leaves the mesh untouched: a touched mesh is uploaded again and drawn again."""


class LiveOverlay:
    """Applies sensor values to one :class:`SceneView`.

    Parameters
    ----------
    view : SceneView
        The scene's actors.
    live : LiveValues
        The readings.
    clock : AppClock
        Whose time is shown.
    alarm_states : callable, optional
        Returns the sensors' states from the alarm engine; they win over the plain threshold
        reading wherever they say more than "normal".
    """

    def __init__(
        self,
        view: SceneView,
        live: LiveValues,
        clock: AppClock,
        alarm_states: Callable[[], dict[str, DisplayState]] | None = None,
    ) -> None:
        self.view = view
        self.live = live
        self.clock = clock
        self.alarm_states = alarm_states
        spec = view.geometry.document.spec
        self.sensors = {sensor.id: sensor for sensor in spec.sensors}
        self._driven = self._find_driven_elements()
        self.states: dict[str, DisplayState] = {}
        self._marker_colours: list[str] | None = None

    def _find_driven_elements(self) -> list[_Driven]:
        spec = self.view.geometry.document.spec
        assets = {asset.id: asset for asset in spec.assets}
        driven: list[_Driven] = []
        for sensor in spec.sensors:
            if sensor.element is None or sensor.kind not in DRIVING_KINDS:
                continue
            asset = assets[sensor.asset]
            part = next((p for p in asset.parts if p.id == sensor.element), None)
            if part is None:
                continue
            up = 1.0 if part.opening_direction == "up" else -1.0
            element = self._element(asset.id, part.id, sensor, np.array([0.0, 0.0, up]), 0.0)
            if element is not None:
                driven.append(element)
        for asset_id, operations in self.view.geometry.operations.items():
            driven.extend(self._ifc_driven(assets[asset_id], operations))
        return driven

    def _ifc_driven(self, asset: AssetSpec, operations: list[ElementOperation]) -> list[_Driven]:
        """Elements an IFC model says sensors drive (``Twin_Operation``)."""
        model = self.view.geometry.models[asset.id]
        frame = self.view.geometry.frame
        found = []
        for operation in operations:
            sensor = self.sensors.get(operation.sensor_id)
            if sensor is None or sensor.kind not in DRIVING_KINDS:
                continue
            ends = model_to_map(model, asset, frame, np.array([[0.0, 0.0, 0.0],
                                                               operation.axis]))
            element = self._element(asset.id, operation.global_id, sensor, ends[1] - ends[0],
                                    operation.travel_max)
            if element is not None:
                found.append(element)
        return found

    def _element(self, asset_id: str, element: str, sensor: SensorSpec, motion: np.ndarray,
                 travel_max: float) -> _Driven | None:
        layer_id = item_id("asset", asset_id)
        layer = next((g for g in self.view.geometry.layers if g.layer_id == layer_id), None)
        key = item_id("part", asset_id, element)
        if layer is None or key not in layer.items:
            return None
        index = layer.items.index(key)
        mesh = layer.mesh
        if ITEM_INDEX not in mesh.point_data:  # batched IFC meshes carry the index per cell
            point_item = np.full(mesh.n_points, -1, dtype=np.int64)
            cells = mesh.faces.reshape(-1, 4)[:, 1:]
            point_item[cells.ravel()] = np.repeat(np.asarray(mesh.cell_data[ITEM_INDEX]), 3)
            mesh.point_data.set_array(point_item, ITEM_INDEX)  # not the active scalars
        point_mask = np.asarray(mesh.point_data[ITEM_INDEX]) == index
        cell_mask = np.asarray(mesh.cell_data[ITEM_INDEX]) == index
        return _Driven(sensor, layer, point_mask, cell_mask, np.array(mesh.points[point_mask]),
                       np.array(mesh.cell_data["rgb"][cell_mask]), np.asarray(motion, float),
                       travel_max)

    def refresh(self) -> dict[str, SensorValue]:
        """Show the values at the clock's time; return them."""
        now = self.clock.time
        values = self.live.snapshot(now)
        changed = self._apply_water(values)
        touched = {id(d.layer): d.layer for d in self._driven
                   if self._apply_element(d, values.get(d.sensor.id))}
        for layer in touched.values():
            layer.mesh.Modified()  # only meshes whose elements moved or changed colour
        changed |= bool(touched)
        changed |= self._apply_markers(values, now)
        changed |= self.view.update_labels(self._label_ranks())
        changed |= self._apply_labels(values)
        if changed:  # nothing new to show: no frame (each costs ~75 ms on a software renderer)
            self.view.plotter.render()
        return values

    def _apply_water(self, values: dict[str, SensorValue]) -> bool:
        moved = False
        for body in self.view.geometry.document.spec.water_bodies:
            value = values.get(body.sensor)
            if value is not None:
                moved |= self.view.set_layer_height(water_layer_id(body.id), value.value)
        return moved

    def _apply_element(self, driven: _Driven, value: SensorValue | None) -> bool:
        """Move or colour one element for its sensor's value; return whether it changed."""
        mesh = driven.layer.mesh
        if driven.sensor.kind is SensorKind.GATE_OPENING:
            opening = value.value if value is not None else 0.0
            if driven.travel_max > 0:
                opening = min(max(opening, 0.0), driven.travel_max)
            if driven.shown == opening:
                return False
            moved = driven.base_points + driven.motion * opening
            points = np.array(mesh.points)
            points[driven.point_mask] = moved
            mesh.points = points
            driven.shown = opening
            return True
        running = None if value is None else bool(value.value >= RUNNING_THRESHOLD)
        if driven.shown is not None and driven.shown == ("pump", running):
            return False
        rgb = np.array(mesh.cell_data["rgb"])
        if running is None:
            rgb[driven.cell_mask] = driven.base_rgb
        else:
            rgb[driven.cell_mask] = hex_to_rgb8(PUMP_RUNNING if running else PUMP_STOPPED)
        mesh.cell_data["rgb"] = rgb
        driven.shown = ("pump", running)
        return True

    def _apply_markers(self, values: dict[str, SensorValue], now: datetime) -> bool:
        layer = next((g for g in self.view.geometry.layers if g.layer_id == "sensors"), None)
        if layer is None:
            return False
        colours = []
        from_alarms = self.alarm_states() if self.alarm_states is not None else {}
        for sensor in self.view.geometry.document.spec.sensors:
            state = from_alarms.get(sensor.id) or display_state(sensor, values.get(sensor.id), now)
            self.states[sensor.id] = state
            colour = STATE_COLOURS.get(state) or SENSOR_COLOURS.get(sensor.kind.value, "#ffffff")
            colours.append(colour)
        if colours == self._marker_colours:
            return False  # the same colours: the mesh is left alone (no upload, no frame)
        self._marker_colours = colours
        layer.mesh.cell_data["rgb"] = hex_to_rgb8(colours)
        layer.mesh.Modified()
        return True

    def _label_ranks(self) -> dict[int, int]:
        """Which labels matter most when not all can be drawn: selected, alarm, warning."""
        selected = self.view.workspace.selection
        ranks: dict[int, int] = {}
        for index, sensor in enumerate(self.view.geometry.document.spec.sensors):
            if selected == item_id("sensor", sensor.id):
                ranks[index] = 3
            elif (rank := LABEL_RANKS.get(self.states.get(sensor.id))) is not None:
                ranks[index] = rank
        return ranks

    def _apply_labels(self, values: dict[str, SensorValue]) -> bool:
        suffixes: dict[str, list[str]] = {"zh_CN": [], "en": []}
        for sensor in self.view.geometry.document.spec.sensors:
            value = values.get(sensor.id)
            for language in suffixes:
                suffixes[language].append(format_value(sensor, value, language))
        return self.view.set_label_suffixes(suffixes)


def format_value(sensor: SensorSpec, value: SensorValue | None, language: str) -> str:
    """Return the value as a label suffix, e.g. ``" 4.82 m"`` or ``" 运行"``."""
    if value is None:
        return ""
    zh = language.lower().startswith("zh")
    if sensor.kind is SensorKind.PUMP_STATE:
        running = value.value >= RUNNING_THRESHOLD
        return (" 运行" if running else " 停止") if zh else (" running" if running else " stopped")
    digits = 0 if sensor.unit in ("mm", "mm/h") else 2
    return f" {value.value:.{digits}f} {value.unit}"
